"""Run a signal's plan: read what the planner needs, place the legs, record each one.

The decisions live in bot/trading/planner.py; this module does the I/O around them. It reads
the instrument rules, the position (futures) or this bot's holding (spot), and a price or a
balance only when the plan needs one; on a replay after a restart it first looks up the legs
that went out before, so they are recorded and never placed again. Each leg is placed at
most once (bot/trading/orders.py) and recorded, with the spot holding it moved, in one
transaction. The result is an `Outcome`: data, not a sentence.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal
from typing import TypeVar

from bot.db.orders import OrderRecord, OrderRepo
from bot.errors import TradeError
from bot.models import UserSettings
from bot.outcomes import Failure, Outcome
from bot.signals import Signal, SignalLimits
from bot.trading import planner
from bot.trading.exchanges.base import Exchange
from bot.trading.keeper import ExitKeeper
from bot.trading.models import InstrumentRules, OrderRequest, OrderResult, PositionBook
from bot.trading.orders import RetryPolicy, look_up, place_leg, read_with_retry
from bot.trading.planner import LinkIds, Plan, PlannedLeg, Refusal
from bot.trading.sizing import CENT
from bot.vocabulary import (
    FUTURES_LEGS,
    SPOT_LEGS,
    Category,
    Intent,
    Leg,
    MarketType,
    OrderStatus,
    OutcomeKind,
    Side,
    SignalStatus,
)
from bot.wire import plain

log = logging.getLogger(__name__)

T = TypeVar("T")
LEG_ORDER = {leg: index for index, leg in enumerate(FUTURES_LEGS + SPOT_LEGS)}


@dataclass(frozen=True)
class Execution:
    """One signal to execute for one user."""

    signal_id: int
    user_id: int
    signal: Signal
    settings: UserSettings
    replay: bool = False

    @property
    def tag(self) -> str:
        return f"signal={self.signal_id} user={self.user_id}"


class Executor:
    """Plan a signal's legs and place them, recording each in `orders`."""

    def __init__(self, orders: OrderRepo, *, link_prefix: str,
                 retry: RetryPolicy | None = None, keeper: ExitKeeper | None = None,
                 limits: SignalLimits | None = None) -> None:
        self._orders = orders
        self._limits = limits  # the server's bound on an alert's qty (config `limits`)
        self._prefix = link_prefix
        self._retry = retry or RetryPolicy()
        self._keeper = keeper

    def links(self, signal_id: int) -> LinkIds:
        return LinkIds(self._prefix, signal_id)

    async def execute(self, exchange: Exchange, job: Execution) -> Outcome:
        """Execute one signal; a refusal before the first order is a failed `Outcome` too."""
        try:
            job = await self._sized(exchange, job)
            if job.settings.market_type == MarketType.SPOT:
                return await self._spot(exchange, job)
            return await self._futures(exchange, job)
        except TradeError as error:
            return failed(job, (), error)

    async def _sized(self, ex: Exchange, job: Execution) -> Execution:
        """A channel subscriber's percent of the balance, as an amount: read now (from the
        account's stream when it is current, else one REST read), for an alert that may open."""
        signal = job.signal
        percent = signal.amount_percent
        if percent is None or signal.intent not in (Intent.BUY, Intent.SELL):
            return job
        usdt = await self._read(job, "balance", lambda: ex.balance("USDT"))
        amount = (usdt.available * percent / 100).quantize(CENT, rounding=ROUND_DOWN)
        if amount <= 0:
            raise TradeError("no_balance.percent", percent=percent, available=usdt.available)
        log.info("%s amount %s%% of %s USDT available = %s USDT", job.tag, plain(percent),
                 plain(usdt.available), plain(amount))
        return replace(job, signal=replace(signal, amount=amount, amount_percent=None))

    async def _futures(self, ex: Exchange, job: Execution) -> Outcome:
        signal, settings = job.signal, job.settings
        rules = await self._read(job, "rules", lambda: ex.instrument(Category.LINEAR,
                                                                     signal.symbol))
        book = await self._read(job, "positions", lambda: ex.positions(signal.symbol))
        if signal.intent == Intent.PROTECT:
            return await self._protect(ex, job, book, rules)
        placed = await self._placed_before(ex, job, Category.LINEAR, FUTURES_LEGS) \
            if job.replay else {}
        decision = planner.decide_futures(signal, settings, book, placed)
        if isinstance(decision, Refusal):
            return refused(job, decision)
        price = await self._price(ex, job, Category.LINEAR) if decision.needs_price else None
        plan = planner.plan_futures(decision, signal, settings, book, rules, placed,
                                    self.links(job.signal_id), price=price,
                                    limits=self._limits)
        if isinstance(plan, Refusal):
            return refused(job, plan)
        outcome = await self._carry_out(ex, job, plan)
        opening = next((leg for leg in outcome.legs if leg.leg == Leg.OPEN), None)
        # The alert's own exits win; else the trader's defaults (/settings), for an opening.
        wanted = signal.exits if signal.exits is not None else settings.exits
        if opening is None or wanted is None or self._keeper is None:
            return outcome
        side = Side(opening.side)
        exits, problems = await self._keeper.place(
            ex, signal_id=job.signal_id, user_id=job.user_id, plan=wanted,
            opening=opening, position_idx=0 if not book.hedge else (1 if side == Side.BUY
                                                                    else 2), rules=rules)
        return replace(outcome, exits=exits, exit_notes=problems)

    async def _spot(self, ex: Exchange, job: Execution) -> Outcome:
        signal, settings = job.signal, job.settings
        rules = await self._read(job, "rules", lambda: ex.instrument(Category.SPOT,
                                                                     signal.symbol))
        base = rules.base_coin
        held = await self._orders.holding(job.user_id, settings.account_type, signal.symbol)
        placed = await self._placed_before(ex, job, Category.SPOT, SPOT_LEGS, base_coin=base,
                                           held=held) if job.replay else {}
        decision = planner.decide_spot(signal, settings, held, placed)
        if isinstance(decision, Refusal):
            return refused(job, decision, base_coin=base)
        notes: tuple[Failure, ...] = ()
        if signal.exits is not None and signal.intent == Intent.BUY:
            notes = (Failure("exits", "exits.spot"),)
        if isinstance(decision, Plan):
            return await self._carry_out(ex, job, decision, base_coin=base)
        free = None
        if decision.needs_free_balance:
            free = (await self._read(job, "balance", lambda: ex.balance(base))).available
        price = await self._price(ex, job, Category.SPOT) if decision.needs_price else None
        plan = planner.plan_spot(decision, signal, settings, rules, held,
                                 self.links(job.signal_id), price=price, free=free,
                                 limits=self._limits)
        if isinstance(plan, Refusal):
            if plan.kind == OutcomeKind.NOTHING_TO_CLOSE:  # sold by hand: it blocks no buy
                await self._orders.forget_holding(job.user_id, settings.account_type,
                                                  signal.symbol)
                log.info("%s %s bought by this bot is no longer in the wallet; forgotten",
                         job.tag, base)
            return refused(job, plan, base_coin=base)
        outcome = await self._carry_out(ex, job, plan, base_coin=base, held=held)
        return replace(outcome, exit_notes=notes) if outcome.done else outcome

    async def _carry_out(self, ex: Exchange, job: Execution, plan: Plan, *,
                         base_coin: str | None = None, held: Decimal = Decimal(0)) -> Outcome:
        """Place the plan's legs in order; a leg that fails stops the rest."""
        records = dict(plan.kept)
        for planned in plan.legs:
            try:
                if planned.leg == Leg.OPEN and plan.set_leverage and plan.leverage:
                    # The same again is "not modified": retried like a read.
                    await self._read(job, "leverage", functools.partial(
                        ex.set_leverage, job.signal.symbol, plan.leverage))
                    log.info("%s leverage %s set to %sx", job.tag, job.signal.symbol,
                             plan.leverage)
                records[planned.leg] = await self._leg(ex, job, planned, plan.leverage,
                                                       base_coin=base_coin, held=held)
            except TradeError as error:
                return failed(job, in_order(records), error)
        outcome = done(job, in_order(records), base_coin=base_coin)
        return replace(outcome, leverage=plan.leverage or outcome.leverage,
                       close_share=job.signal.close_share,
                       closed_all_instead=plan.closed_all_instead)

    async def _protect(self, ex: Exchange, job: Execution, book: PositionBook,
                       rules: InstrumentRules) -> Outcome:
        """Move the stop, or set a trailing stop, of the open position (idempotent at Bybit:
        the same values again are "not modified", so a replay is safe)."""
        symbol = job.signal.symbol
        mark = None
        if job.signal.action == "set_trailing":
            mark = await self._price(ex, job, Category.LINEAR)
        plan = planner.plan_protect(job.signal, book, rules, mark=mark)
        if isinstance(plan, Refusal):
            return refused(job, plan)
        await ex.protect(symbol, plan.position_idx, plan.protection)
        log.info("%s %s protection set: stop %s trailing %s", job.tag, symbol,
                 plan.protection.stop_loss, plan.protection.trailing)
        return replace(_outcome(job, SignalStatus.DONE, OutcomeKind.PROTECTED),
                       stop_loss=plan.protection.stop_loss, trailing=plan.protection.trailing)

    # --- reads and legs ---------------------------------------------------------------------

    async def _read(self, job: Execution, what: str, read: Callable[[], Awaitable[T]]) -> T:
        """A read from the exchange, retried on rate limits and timeouts (reads are safe)."""
        return await read_with_retry(self._retry, job.tag, what, read)

    async def _price(self, ex: Exchange, job: Execution, category: Category) -> Decimal:
        return await self._read(job, "price", lambda: ex.last_price(category, job.signal.symbol))

    async def placed_legs(self, ex: Exchange, job: Execution) -> list[OrderRecord]:
        """The legs of an unfinished signal that reached the exchange, recorded now.

        For a signal too old to finish: its owner must hear what was already done.
        """
        if job.settings.market_type != MarketType.SPOT:
            found = await self._placed_before(ex, job, Category.LINEAR, FUTURES_LEGS)
            return list(found.values())
        rules = await self._read(job, "rules", lambda: ex.instrument(Category.SPOT,
                                                                     job.signal.symbol))
        held = await self._orders.holding(job.user_id, job.settings.account_type,
                                          job.signal.symbol)
        found = await self._placed_before(ex, job, Category.SPOT, SPOT_LEGS,
                                          base_coin=rules.base_coin, held=held)
        return list(found.values())

    async def _placed_before(self, ex: Exchange, job: Execution, category: Category,
                             legs: tuple[Leg, ...], *, base_coin: str = "",
                             held: Decimal = Decimal(0)) -> dict[Leg, OrderRecord]:
        """On a replay: the legs that reached the exchange before the restart."""
        recorded = {o.leg: o for o in await self._orders.for_signal(job.signal_id)
                    if o.status != OrderStatus.FAILED}
        links = self.links(job.signal_id)
        found: dict[Leg, OrderRecord] = {}
        for leg in legs:
            if leg in recorded:
                found[leg] = recorded[leg]
                continue
            result = await look_up(ex, category, job.signal.symbol, links(leg), self._retry,
                                   job.tag)
            if result is not None and result.filled_qty > 0:
                request = OrderRequest(category, job.signal.symbol, result.side, result.qty,
                                       links(leg), reduce_only=result.reduce_only)
                record = self._record(job, leg, request, result)
                delta = None
                if category == Category.SPOT:  # the crash came before the holding was moved
                    delta = holding_delta(result, base_coin, held,
                                          whole=job.signal.close_share is None)
                await self._orders.save(record, holding_delta=delta)
                found[leg] = record
        return found

    async def _leg(self, ex: Exchange, job: Execution, planned: PlannedLeg,
                   leverage: int | None, *, base_coin: str | None,
                   held: Decimal) -> OrderRecord:
        """Place one leg, record it (and, for spot, the holding) in one transaction."""
        request = planned.request
        result = await place_leg(ex, request, self._retry, job.tag, look_first=job.replay)
        pnl = None
        closes = planned.closes
        if closes is not None and closes.avg_price and result.avg_price and result.filled_qty:
            direction = 1 if closes.side == Side.BUY else -1
            pnl = (result.avg_price - closes.avg_price) * result.filled_qty * direction
        record = self._record(job, planned.leg, request, result, pnl=pnl,
                              leverage=leverage if planned.leg == Leg.OPEN else None)
        delta = None
        if request.category == Category.SPOT:
            delta = holding_delta(result, base_coin or "", held, whole=planned.whole)
        await self._orders.save(record, holding_delta=delta)
        log.info("%s leg %s %s: %s %s filled %s at %s fee %s %s", job.tag, planned.leg,
                 request.order_link_id, result.status, request.side, result.filled_qty,
                 result.avg_price, result.fee, result.fee_currency)
        if record.status == OrderStatus.FAILED:
            raise TradeError("not_filled", order_side=request.side.lower(),
                             symbol=request.symbol)
        return record

    def _record(self, job: Execution, leg: Leg, request: OrderRequest, result: OrderResult, *,
                pnl: Decimal | None = None, leverage: int | None = None) -> OrderRecord:
        return OrderRecord(
            signal_id=job.signal_id, user_id=job.user_id, leg=leg,
            order_link_id=request.order_link_id, account_type=job.settings.account_type,
            category=request.category, symbol=job.signal.symbol, side=request.side,
            qty=request.qty, reduce_only=request.reduce_only, status=result.status,
            leverage=leverage, exchange_order_id=result.order_id or None,
            filled_qty=result.filled_qty, avg_price=result.avg_price, fee=result.fee,
            fee_currency=result.fee_currency or None, realised_pnl=pnl,
            created_at=time.time())


# --- outcomes ------------------------------------------------------------------------------


def holding_delta(result: OrderResult, base_coin: str, held: Decimal, *,
                  whole: bool = True) -> Decimal:
    """How a spot fill moves the coins this bot holds for the user.

    A buy adds what arrived in the wallet (Bybit takes a spot buy's fee in the base coin).
    A filled sell of the whole holding empties it: it sold all of it, or all that was left in
    the wallet, and what remains below the coin's precision cannot be sold anyway. A sell of
    a share takes off what it sold.
    """
    if result.side == Side.BUY:
        fee = result.fee if result.fee_currency == base_coin else Decimal(0)
        return result.filled_qty - fee
    return -held if whole and result.is_filled else -result.filled_qty


def in_order(records: Mapping[Leg, OrderRecord]) -> tuple[OrderRecord, ...]:
    """A signal's legs in the order they are placed: closes, then the opening order."""
    return tuple(records[leg] for leg in sorted(records, key=LEG_ORDER.__getitem__))


def _outcome(job: Execution, status: SignalStatus, kind: OutcomeKind) -> Outcome:
    return Outcome(status, kind, job.signal.symbol, action=job.signal.action,
                   account=job.settings.account_type, market=job.settings.market_type)


def done(job: Execution, legs: tuple[OrderRecord, ...], *,
         base_coin: str | None = None) -> Outcome:
    opened = any(not leg.reduce_only for leg in legs)
    closed = any(leg.reduce_only for leg in legs)
    if job.settings.market_type == MarketType.SPOT:
        kind = OutcomeKind.BOUGHT if legs and legs[0].side == Side.BUY else OutcomeKind.SOLD
    else:
        kind = OutcomeKind.REVERSED if opened and closed else (
            OutcomeKind.OPENED if opened else OutcomeKind.CLOSED)
    return replace(_outcome(job, SignalStatus.DONE, kind), legs=legs, base_coin=base_coin,
                   leverage=job.settings.leverage)


def refused(job: Execution, refusal: Refusal, *, base_coin: str | None = None) -> Outcome:
    if refusal.failure is not None:
        return replace(_outcome(job, SignalStatus.FAILED, OutcomeKind.FAILED),
                       failure=refusal.failure)
    return replace(_outcome(job, SignalStatus.DONE, refusal.kind), held=refusal.held,
                   held_side=refusal.held_side, kept=refusal.kept, base_coin=base_coin)


def failed(job: Execution, legs: tuple[OrderRecord, ...], error: TradeError) -> Outcome:
    """A leg failed: what was done before it, and why the rest was not."""
    return replace(_outcome(job, SignalStatus.FAILED, OutcomeKind.FAILED), legs=legs,
                   failure=error.failure)
