"""Place an opening's exits, then keep them: the position's plan from entry to flat.

After an opening fills, `place` resolves the plan against the fill (bot/trading/exits.py),
stores it (`position_plans`), sets what belongs to the position itself — a stop-loss or
take-profit measured from the fill, a trailing stop — with one trading-stop call, and places
the take-profit ladder as reduce-only limit orders in one batch, each with its own
orderLinkId (`<prefix>-<signal>-t<n>`, legs of the opening signal). A replay after a crash
places whatever the first run did not: the same orderLinkIds are never placed twice.

Then the account tells what happens (Bybit's private stream, or the paper exchange's ticks):
`target_filled` records a target's fill, tells the trader, and moves the stop to break-even
after the target the plan names; `flat` cancels the targets left when the position is gone.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import replace
from decimal import Decimal
from typing import Any

from bot.db import Journal, JournalEntry
from bot.db.orders import OrderRecord, OrderRepo
from bot.db.plans import ACTIVE, CLOSED, PLACING, PlanRepo, PositionPlan
from bot.errors import Failure, TradeError
from bot.events import EventHub
from bot.outcomes import Outcome, PositionEvent, Reporter, SignalFinished
from bot.plans import ExitPlan, ResolvedExits
from bot.signals import Signal
from bot.trading import sizing
from bot.trading.exchanges.base import Exchange
from bot.trading.exits import resolve
from bot.trading.models import InstrumentRules, OrderRequest, OrderResult, Protection
from bot.trading.planner import LinkIds
from bot.trading.summary import describe
from bot.vocabulary import (
    AccountType,
    Category,
    Leg,
    MarketType,
    OrderStatus,
    OutcomeKind,
    Side,
    SignalStatus,
)
from bot.wire import decimal_text

log = logging.getLogger(__name__)


def target_of(link: str, prefix: str) -> tuple[int, int] | None:
    """(signal id, target n) of one of our ladder orders' orderLinkId, else None."""
    head, _, rest = link.partition("-")
    signal, _, leg = rest.partition("-")
    if head != prefix or not signal.isdigit() or not leg.startswith("t") \
            or not leg[1:].isdigit():
        return None
    return int(signal), int(leg[1:])


class ExitKeeper:
    """One per service: places plans and follows them to flat."""

    def __init__(self, plans: PlanRepo, orders: OrderRepo, *, link_prefix: str,
                 events: EventHub | None = None, journal: Journal | None = None) -> None:
        self._plans = plans
        self._orders = orders
        self._journal = journal
        self._prefix = link_prefix
        self._events = events
        self.reporter: Reporter | None = None
        self._locks: dict[int, asyncio.Lock] = {}  # one user's plans change one at a time
        self._tasks: set[asyncio.Task[None]] = set()
        self._followed = asyncio.Condition()  # wakes `wait_until` after each follow-up
        self._notices: set[asyncio.Task[None]] = set()

    def is_target(self, link: str) -> bool:
        return target_of(link, self._prefix) is not None

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run a follow-up (a fill, a flat position) from a stream or tick handler."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("following a position failed", exc_info=task.exception())
        notice = asyncio.get_running_loop().create_task(self._wake())
        self._notices.add(notice)
        notice.add_done_callback(self._notices.discard)

    async def _wake(self) -> None:
        async with self._followed:
            self._followed.notify_all()

    async def wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Wait until `condition()` holds, checked after each follow-up finishes."""
        async def wait() -> None:
            async with self._followed:
                await self._followed.wait_for(condition)

        try:
            async with asyncio.timeout(timeout):
                await wait()
        except TimeoutError:
            return False
        return True

    async def idle(self) -> None:
        """Wait until every follow-up spawned so far has run."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _lock(self, user_id: int) -> asyncio.Lock:
        return self._locks.setdefault(user_id, asyncio.Lock())

    # --- placing -------------------------------------------------------------------------------

    async def place(self, ex: Exchange, *, signal_id: int, user_id: int, plan: ExitPlan,
                    opening: OrderRecord, position_idx: int,
                    rules: InstrumentRules
                    ) -> tuple[ResolvedExits | None, tuple[Failure, ...]]:
        """Place what the plan asks for this opening; (what was placed, what went wrong)."""
        known = await self._plans.get(signal_id)
        if known is not None and known.status != PLACING:
            return known.exits, ()  # placed by the run before a restart
        if not opening.filled_qty or not opening.avg_price:
            return None, (Failure("exits", "exits.no_fill"),)
        side = Side(opening.side)
        exits = known.exits if known is not None else resolve(
            plan, side, opening.avg_price, opening.filled_qty, rules)
        record = PositionPlan(signal_id, user_id, AccountType(opening.account_type),
                              opening.symbol, position_idx, exits, PLACING)
        await self._plans.save(record)
        problems = list(exits.notes)
        links = LinkIds(self._prefix, signal_id)
        try:
            protection = _protection(plan, exits)
            if protection is not None:
                await ex.protect(opening.symbol, position_idx, protection)
            requests = [OrderRequest(Category.LINEAR, opening.symbol, side.opposite, t.qty,
                                     links(Leg.target(t.n)), reduce_only=True,
                                     position_idx=position_idx, limit_price=t.price)
                        for t in exits.targets]
            for request, placed in zip(requests, await ex.place_targets(requests),
                                       strict=True):
                if not placed.placed:
                    problems.append(Failure("exits", "exits.target_refused", {
                        "n": int(request.order_link_id.rsplit("-t", 1)[1]),
                        "reply": placed.error or "?"}))
                    continue
                await self._orders.save(_record(request, signal_id, user_id, opening))
        except TradeError as error:
            # Left `placing`: whether Bybit got them is unknown, and a replay of this signal
            # places them again under the same orderLinkIds (never twice).
            log.warning("signal=%s user=%s exits not (all) placed: %s", signal_id, user_id,
                        error)
            problems.append(Failure("exits", "exits.not_placed", {"cause": error.failure}))
            return exits, tuple(problems)
        await self._plans.save(replace(record, status=ACTIVE))
        log.info("signal=%s user=%s exits placed: %s", signal_id, user_id, _describe(exits))
        return exits, tuple(problems)

    # --- following -----------------------------------------------------------------------------

    async def target_filled(self, ex: Exchange, user_id: int, result: OrderResult,
                            *, break_even: Decimal | None = None) -> None:
        """A ladder order filled (Bybit's stream, or a paper tick): record, tell, move the
        stop to break-even when the plan says so. `break_even`: the position's break-even
        price if the account knows it (Bybit's), else the entry is used."""
        async with self._lock(user_id):
            await self._target_filled(ex, user_id, result, break_even)

    async def _target_filled(self, ex: Exchange, user_id: int, result: OrderResult,
                             break_even: Decimal | None) -> None:
        if result.filled_qty <= 0:
            return  # cancelled, not filled: `flat` records that
        found = target_of(result.order_link_id, self._prefix)
        if found is None:
            return
        signal_id, n = found
        plan = await self._plans.get(signal_id)
        if plan is None or n in plan.filled or plan.user_id != user_id:
            return
        target = next((t for t in plan.exits.targets if t.n == n), None)
        if target is None:
            return
        filled = _filled(plan, n, result)
        await self._orders.save(filled)
        plan = replace(plan, filled=(*plan.filled, n))
        moved = None
        if plan.exits.be_after == n and not plan.be_moved:
            try:
                moved = await _break_even_stop(ex, plan, break_even)
                await ex.protect(plan.symbol, plan.position_idx, Protection(stop_loss=moved))
                plan = replace(plan, be_moved=True)
            except TradeError as error:
                log.warning("signal=%s user=%s stop not moved to break-even: %s", signal_id,
                            user_id, error)
                moved = None
        if not plan.left:
            plan = replace(plan, status=CLOSED)
        await self._plans.save(plan)
        log.info("signal=%s user=%s target %d of %s filled: %s at %s%s", signal_id, user_id,
                 n, plan.symbol, result.filled_qty, result.avg_price,
                 f"; stop moved to break-even {moved}" if moved else "")
        if self._events is not None:
            self._events.publish(user_id, {
                "type": "position", "event": "target_filled", "signal_id": signal_id,
                "symbol": plan.symbol, "target": n, "targets": len(plan.exits.targets),
                "qty": str(result.filled_qty), "price": decimal_text(result.avg_price),
                "pnl": decimal_text(filled.pnl_after_fee),
                "stop": decimal_text(moved), "at": time.time()})
        if self.reporter is not None:
            self.reporter.report_event(PositionEvent(
                user_id, plan.account_type, plan.symbol, "target_filled", signal_id, n,
                len(plan.exits.targets), result.filled_qty, result.avg_price,
                _pnl(plan.exits, result), moved, fee=filled.fees))

    async def exit_triggered(self, user_id: int, account_type: str, symbol: str, kind: str,
                             result: OrderResult, pnl: Decimal | None) -> None:
        """Bybit's own stop-loss, take-profit or trailing stop closed (part of) a position:
        journal it as a signal of that route (done at once), record its fill, and tell."""
        if self._journal is None:
            return
        side = Side(result.side)
        signal = Signal(symbol=symbol, action="close", price=result.avg_price)
        raw = json.dumps({"trigger": kind, "symbol": symbol, "order_id": result.order_id})
        entry = JournalEntry(user_id, kind, None, raw, signal, None, time.time(),
                             status=SignalStatus.DONE)
        journaled = await self._journal.record(entry)
        record = OrderRecord(
            signal_id=journaled.signal_id, user_id=user_id, leg=Leg.closing(side.opposite),
            order_link_id=f"bybit-{result.order_id}", account_type=AccountType(account_type),
            category=Category.LINEAR, symbol=symbol, side=side, qty=result.qty or
            result.filled_qty, reduce_only=True, status=result.status,
            exchange_order_id=result.order_id or None, filled_qty=result.filled_qty,
            avg_price=result.avg_price, fee=result.fee, fee_currency=result.fee_currency or None,
            realised_pnl=pnl)
        await self._orders.save(record)
        outcome = Outcome(SignalStatus.DONE, OutcomeKind.CLOSED, symbol, action="close",
                          account=AccountType(account_type), market=MarketType.FUTURES,
                          legs=(record,))
        summary = describe(outcome)
        await self._journal.finish(journaled.signal_id, SignalStatus.DONE, result=summary,
                                   outcome=outcome.to_json())
        log.info("signal=%s user=%s Bybit's %s closed %s %s at %s: %s", journaled.signal_id,
                 user_id, kind.replace("_", "-"), result.filled_qty, symbol, result.avg_price,
                 summary)
        finished = SignalFinished(journaled.signal_id, user_id, kind, signal, outcome)
        if self._events is not None:
            self._events.publish(user_id, finished)
        if self.reporter is not None:
            self.reporter.report(finished)

    async def flat(self, ex: Exchange, user_id: int, account_type: str, symbol: str,
                   position_idx: int | None = None) -> None:
        """The position is gone (in hedge mode: the side `position_idx`, the other may stay
        open): cancel the targets its plans left, and close the plans."""
        async with self._lock(user_id):
            await self._flat(ex, user_id, account_type, symbol, position_idx)

    async def _flat(self, ex: Exchange, user_id: int, account_type: str, symbol: str,
                    position_idx: int | None) -> None:
        for plan in await self._plans.open_for(user_id, account_type, symbol):
            if position_idx is not None and plan.position_idx != position_idx:
                continue
            links = LinkIds(self._prefix, plan.signal_id)
            left = [links(Leg.target(n)) for n in plan.left]
            try:
                await ex.cancel_targets(symbol, left)
            except TradeError as error:
                log.warning("signal=%s user=%s leftover targets not cancelled: %s",
                            plan.signal_id, user_id, error)
                continue
            for n in plan.left:
                await self._orders.mark(links(Leg.target(n)), OrderStatus.FAILED,
                                        "cancelled: the position was closed")
            await self._plans.save(replace(plan, status=CLOSED))
            log.info("signal=%s user=%s %s is flat: %d leftover target(s) cancelled",
                     plan.signal_id, user_id, symbol, len(left))


def _protection(plan: ExitPlan, exits: ResolvedExits) -> Protection | None:
    """What to set on the position itself: levels the fill decided (a price rode on the
    opening order already), and the trailing stop."""
    stop = exits.stop_loss if plan.stop_loss is not None and plan.stop_loss.percent else None
    target = exits.take_profit if plan.take_profit is not None and plan.take_profit.percent \
        else None
    if stop is None and target is None and exits.trailing is None:
        return None
    return Protection(stop_loss=stop, take_profit=target, trailing=exits.trailing,
                      activation=exits.activation)


def _record(request: OrderRequest, signal_id: int, user_id: int,
            opening: OrderRecord) -> OrderRecord:
    return OrderRecord(signal_id=signal_id, user_id=user_id,
                       leg=Leg(request.order_link_id.rsplit("-", 1)[1]),
                       order_link_id=request.order_link_id, account_type=opening.account_type,
                       category=Category.LINEAR, symbol=request.symbol, side=request.side,
                       qty=request.qty, reduce_only=True, status=OrderStatus.PLACED,
                       avg_price=None)


def _filled(plan: PositionPlan, n: int, result: OrderResult) -> OrderRecord:
    return OrderRecord(signal_id=plan.signal_id, user_id=plan.user_id, leg=Leg.target(n),
                       order_link_id=result.order_link_id, account_type=plan.account_type,
                       category=Category.LINEAR, symbol=plan.symbol, side=result.side,
                       qty=result.qty or result.filled_qty, reduce_only=True,
                       status=result.status, exchange_order_id=result.order_id or None,
                       filled_qty=result.filled_qty, avg_price=result.avg_price,
                       fee=result.fee, fee_currency=result.fee_currency or None,
                       realised_pnl=_pnl(plan.exits, result))


def _pnl(exits: ResolvedExits, result: OrderResult) -> Decimal | None:
    if result.avg_price is None:
        return None
    direction = 1 if exits.side == Side.BUY else -1
    return (result.avg_price - exits.entry) * result.filled_qty * direction


def _describe(exits: ResolvedExits) -> str:
    parts = []
    if exits.stop_loss is not None:
        parts.append(f"stop {exits.stop_loss}")
    if exits.take_profit is not None:
        parts.append(f"target {exits.take_profit}")
    parts += [f"t{t.n} {t.qty}@{t.price}" for t in exits.targets]
    if exits.trailing is not None:
        parts.append(f"trailing {exits.trailing}" + (f" from {exits.activation}"
                                                     if exits.activation else ""))
    return ", ".join(parts) or "none"


class StreamWatch:
    """Follows one Bybit account's private stream for the keeper."""

    def __init__(self, keeper: ExitKeeper, exchange: Exchange, user_id: int,
                 account_type: str, break_even: Callable[[str, Side], Decimal | None]) -> None:
        self._keeper, self._exchange = keeper, exchange
        self._user, self._account = user_id, account_type
        self._break_even = break_even

    def held_changed(self, before: set[tuple[str, int]], after: set[tuple[str, int]]) -> None:
        for symbol, position_idx in before - after:
            self._keeper.spawn(self._keeper.flat(self._exchange, self._user, self._account,
                                                 symbol, position_idx))

    def order_final(self, result: OrderResult, symbol: str) -> None:
        if self._keeper.is_target(result.order_link_id):
            self._keeper.spawn(self._keeper.target_filled(
                self._exchange, self._user, result,
                break_even=self._break_even(symbol, result.side.opposite)))

    def exit_triggered(self, result: OrderResult, symbol: str, kind: str,
                       pnl: Decimal | None) -> None:
        self._keeper.spawn(self._keeper.exit_triggered(self._user, self._account, symbol, kind,
                                                       result, pnl))


async def _break_even_stop(ex: Exchange, plan: PositionPlan,
                           break_even: Decimal | None) -> Decimal:
    """The stop for "break-even": Bybit's breakEvenPrice (the entry with fees) when known, else
    the entry, on the symbol's tick and rounded toward profit (a long's up, a short's down), so
    the move never locks in the fraction of a tick it would lose — and Bybit takes no price
    with more decimals than its tick. The rules are cached: no request."""
    if break_even is None:
        return plan.exits.entry  # resolved on the tick already
    tick = (await ex.instrument(Category.LINEAR, plan.symbol)).tick_size
    if plan.exits.side == Side.BUY:
        return sizing.ceil_to_step(break_even, tick)
    return sizing.floor_to_step(break_even, tick)
