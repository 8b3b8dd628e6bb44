"""Turn (signal, user settings, current position) into orders through an `Exchange`.

| intent | futures (linear USDT perpetual)                   | spot                          |
|--------|---------------------------------------------------|-------------------------------|
| buy    | close a short (reduce-only), then open long;      | market-buy trade_amount USDT  |
|        | already long: skip unless pyramiding              |                               |
| sell   | the mirror of buy                                 | sell what this bot bought     |
| close  | close every open row, reduce-only                 | same as sell                  |

Everything is sized and checked before the first order goes out, so a signal that cannot be
executed changes nothing. Each leg has a fixed orderLinkId, so a replay never doubles it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from bot.db.orders import OrderRecord, OrderRepo
from bot.errors import TradeError
from bot.models import UserSettings
from bot.signals import Signal
from bot.trading import sizing
from bot.trading.exchanges.base import Exchange
from bot.trading.models import LINEAR, SPOT, OrderRequest, OrderResult, PositionBook
from bot.trading.orders import RetryPolicy, link_id, look_up, place_leg, read_with_retry

log = logging.getLogger(__name__)

T = TypeVar("T")
D0 = Decimal(0)


@dataclass(frozen=True)
class Execution:
    """One signal to execute for one user."""

    signal_id: int
    user_id: int
    signal: Signal
    settings: UserSettings
    replay: bool = False


@dataclass(frozen=True)
class Outcome:
    """What happened: `kind` and `facts` feed the notification, `summary` the journal."""

    status: str  # done | failed
    kind: str  # opened | reversed | closed | skipped | nothing_to_close | bought | sold | failed
    summary: str
    legs: tuple[OrderRecord, ...] = ()
    facts: dict[str, Any] = field(default_factory=dict)
    error_code: str | None = None


def _side_name(side: str) -> str:
    return "long" if side == "Buy" else "short"


class Executor:
    """Decide the legs of a signal and place them, recording each in `orders`."""

    def __init__(self, orders: OrderRepo, *, link_prefix: str,
                 retry: RetryPolicy | None = None) -> None:
        self._orders = orders
        self._prefix = link_prefix
        self._retry = retry or RetryPolicy()

    async def execute(self, exchange: Exchange, job: Execution) -> Outcome:
        """Execute one signal; a refusal before the first order is a failed `Outcome` too."""
        try:
            if job.settings.market_type == "spot":
                return await self._spot(exchange, job)
            return await self._futures(exchange, job)
        except TradeError as exc:
            return self._failed_after([], exc, job)

    # --- futures -------------------------------------------------------------------------

    async def _futures(self, ex: Exchange, job: Execution) -> Outcome:
        signal, settings = job.signal, job.settings
        rules = await self._read(job, "rules", lambda: ex.instrument(LINEAR, signal.symbol))
        book = await self._read(job, "positions", lambda: ex.positions(signal.symbol))
        done_before = await self._placed_before(ex, job, LINEAR, ("cl", "cs", "o")) \
            if job.replay else {}
        intent = signal.intent
        closes = [p for p in (book.long, book.short)
                  if intent == "close" or (intent == "buy" and p is book.short)
                  or (intent == "sell" and p is book.long)]
        closes = [p for p in closes if p is not None]
        open_side = {"buy": "Buy", "sell": "Sell"}.get(intent)
        same_side = book.long if open_side == "Buy" else book.short if open_side else None
        if "o" in done_before:
            open_side = None  # the opening leg went out before a restart
        elif open_side and same_side is not None and not settings.pyramiding:
            if not closes:
                return Outcome(
                    "done", "skipped",
                    f"already {_side_name(open_side)} {sizing.wire(same_side.size)} "
                    f"{signal.symbol}; {signal.action} skipped (pyramiding is off)",
                    facts={"symbol": signal.symbol, "side": _side_name(open_side),
                           "size": same_side.size, "action": signal.action})
            open_side = None
        if not closes and not open_side and not done_before:
            return Outcome("done", "nothing_to_close",
                           f"no open {signal.symbol} position to close; nothing done",
                           facts={"symbol": signal.symbol})
        opening: OrderRequest | None = None
        if open_side:
            opening = await self._opening_request(ex, job, rules, book, open_side)
        legs: list[OrderRecord] = [done_before[leg] for leg in ("cl", "cs")
                                   if leg in done_before]
        for position in closes:
            leg = "cl" if position.side == "Buy" else "cs"
            if leg in done_before:
                continue
            request = OrderRequest(
                LINEAR, signal.symbol, "Sell" if position.side == "Buy" else "Buy",
                position.size, link_id(self._prefix, job.signal_id, leg), reduce_only=True,
                position_idx=position.position_idx, price_hint=signal.price)
            try:
                legs.append(await self._leg(ex, job, leg, request, entry=position.avg_price,
                                            closing=position.side))
            except TradeError as exc:
                return self._failed_after(legs, exc, job)
        if opening is not None:
            try:
                await self._ensure_leverage(ex, job, book, rules.max_leverage)
                legs.append(await self._leg(ex, job, "o", opening,
                                            leverage=settings.leverage))
            except TradeError as exc:
                return self._failed_after(legs, exc, job)
        if "o" in done_before:
            legs.append(done_before["o"])
        return self._futures_outcome(job, legs)

    async def _opening_request(self, ex: Exchange, job: Execution, rules: Any,
                               book: PositionBook, side: str) -> OrderRequest:
        signal, settings = job.signal, job.settings
        if settings.leverage > rules.max_leverage:
            raise TradeError(
                f"leverage {settings.leverage}x is above {signal.symbol}'s maximum of "
                f"{sizing.wire(rules.max_leverage)}x; send /set leverage "
                f"{int(rules.max_leverage)}", code="leverage_too_high")
        price = signal.price or await self._price(ex, job, LINEAR)
        qty = sizing.futures_qty(settings.trade_amount, settings.leverage, price, rules,
                                 override=signal.qty)
        tick = rules.tick_size
        take_profit = sizing.round_price(signal.take_profit, tick) if signal.take_profit else None
        stop_loss = sizing.round_price(signal.stop_loss, tick) if signal.stop_loss else None
        sizing.check_tp_sl(side, price, take_profit, stop_loss)
        idx = 0 if not book.hedge else (1 if side == "Buy" else 2)
        return OrderRequest(
            LINEAR, signal.symbol, side, qty, link_id(self._prefix, job.signal_id, "o"),
            position_idx=idx, take_profit=take_profit, stop_loss=stop_loss, price_hint=price)

    async def _ensure_leverage(self, ex: Exchange, job: Execution, book: PositionBook,
                               max_leverage: Decimal) -> None:
        wanted = job.settings.leverage
        if book.leverage is not None and book.leverage == wanted:
            return
        await ex.set_leverage(job.signal.symbol, wanted)
        log.info("signal=%s user=%s leverage %s set to %sx", job.signal_id, job.user_id,
                 job.signal.symbol, wanted)

    def _futures_outcome(self, job: Execution, legs: list[OrderRecord]) -> Outcome:
        symbol = job.signal.symbol
        parts, facts = [], {"symbol": symbol, "legs": legs,
                            "leverage": job.settings.leverage,
                            "account": job.settings.account_type}
        for order in legs:
            price = sizing.wire(order.avg_price) if order.avg_price else "?"
            qty = sizing.wire(order.filled_qty or order.qty)
            if order.reduce_only:
                pnl = ""
                if order.realised_pnl is not None:
                    pnl = f" (PnL {order.realised_pnl:+.2f} USDT)"
                closed = "long" if order.side == "Sell" else "short"
                parts.append(f"closed {closed} {qty} {symbol} at {price}{pnl}")
            else:
                parts.append(f"opened {_side_name(order.side)} {qty} {symbol} at {price} "
                             f"({job.settings.leverage}x)")
        opened = any(not o.reduce_only for o in legs)
        closed = any(o.reduce_only for o in legs)
        kind = "reversed" if opened and closed else "opened" if opened else "closed"
        summary = "; ".join(parts) + f" [{job.settings.account_type}]"
        return Outcome("done", kind, summary, tuple(legs), facts)

    # --- spot ----------------------------------------------------------------------------

    async def _spot(self, ex: Exchange, job: Execution) -> Outcome:
        signal, settings = job.signal, job.settings
        rules = await self._read(job, "rules", lambda: ex.instrument(SPOT, signal.symbol))
        held = await self._orders.holding(job.user_id, settings.account_type, signal.symbol)
        if job.replay:
            done_before = await self._placed_before(ex, job, SPOT, ("b", "s"),
                                                    base_coin=rules.base_coin, held=held)
            if done_before:
                return self._spot_outcome(job, list(done_before.values()), rules.base_coin)
        if signal.intent == "buy":
            if held > 0 and not settings.pyramiding:
                return Outcome(
                    "done", "skipped",
                    f"already holding {sizing.wire(held)} {rules.base_coin} bought by this "
                    f"bot; {signal.action} skipped (pyramiding is off)",
                    facts={"symbol": signal.symbol, "side": "long", "size": held,
                           "action": signal.action})
            if signal.qty is not None:
                price = signal.price or await self._price(ex, job, SPOT)
                qty, unit = sizing.spot_base_qty(signal.qty, price, rules), "baseCoin"
            else:
                qty, unit = sizing.spot_buy_amount(settings.trade_amount, rules), "quoteCoin"
            request = OrderRequest(SPOT, signal.symbol, "Buy", qty,
                                   link_id(self._prefix, job.signal_id, "b"),
                                   market_unit=unit, price_hint=signal.price)
            leg = "b"
        else:
            if held <= 0:
                return Outcome(
                    "done", "nothing_to_close",
                    f"no {rules.base_coin} bought by this bot to sell on the "
                    f"{settings.account_type} account; nothing done",
                    facts={"symbol": signal.symbol})
            free = (await self._read(job, "balance", lambda: ex.balance(rules.base_coin))
                    ).available
            price = signal.price or await self._price(ex, job, SPOT)
            qty = sizing.spot_base_qty(min(held, free), price, rules)
            request = OrderRequest(SPOT, signal.symbol, "Sell", qty,
                                   link_id(self._prefix, job.signal_id, "s"),
                                   market_unit="baseCoin", price_hint=signal.price)
            leg = "s"
        order = await self._leg(ex, job, leg, request, base_coin=rules.base_coin, held=held)
        return self._spot_outcome(job, [order], rules.base_coin)

    @staticmethod
    def _holding_delta(side: str, result: OrderResult, base_coin: str,
                       held: Decimal) -> Decimal:
        """How a spot fill moves the coins this bot holds for the user.

        A buy adds what arrived in the wallet (Bybit takes a spot buy's fee in the base coin).
        A filled sell empties the holding: it sold all of it, or all that was left in the
        wallet, and what remains below the coin's precision cannot be sold anyway.
        """
        if side == "Buy":
            fee = result.fee if result.fee_currency == base_coin else Decimal(0)
            return result.filled_qty - fee
        return -held if result.is_filled else -result.filled_qty

    def _spot_outcome(self, job: Execution, legs: list[OrderRecord], base: str) -> Outcome:
        order = legs[0]
        price = sizing.wire(order.avg_price) if order.avg_price else "?"
        qty = sizing.wire(order.filled_qty or order.qty)
        verb, kind = ("bought", "bought") if order.side == "Buy" else ("sold", "sold")
        summary = (f"{verb} {qty} {base} ({job.signal.symbol}) at {price} "
                   f"[{job.settings.account_type}]")
        return Outcome("done", kind, summary, tuple(legs),
                       {"symbol": job.signal.symbol, "legs": legs,
                        "account": job.settings.account_type})

    # --- reads and legs ---------------------------------------------------------------------

    async def _read(self, job: Execution, what: str, read: Callable[[], Awaitable[T]]) -> T:
        """A read from the exchange, retried on rate limits and timeouts (reads are safe)."""
        tag = f"signal={job.signal_id} user={job.user_id}"
        return await read_with_retry(self._retry, tag, what, read)

    async def _price(self, ex: Exchange, job: Execution, category: str) -> Decimal:
        return await self._read(job, "price", lambda: ex.last_price(category, job.signal.symbol))

    async def placed_legs(self, ex: Exchange, job: Execution) -> list[OrderRecord]:
        """The legs of an unfinished signal that reached the exchange, recorded now.

        For a signal too old to finish: its owner must hear what was already done.
        """
        if job.settings.market_type != "spot":
            found = await self._placed_before(ex, job, LINEAR, ("cl", "cs", "o"))
            return list(found.values())
        rules = await self._read(job, "rules", lambda: ex.instrument(SPOT, job.signal.symbol))
        held = await self._orders.holding(job.user_id, job.settings.account_type,
                                          job.signal.symbol)
        found = await self._placed_before(ex, job, SPOT, ("b", "s"),
                                          base_coin=rules.base_coin, held=held)
        return list(found.values())

    async def _placed_before(self, ex: Exchange, job: Execution, category: str,
                             legs: tuple[str, ...], *, base_coin: str = "",
                             held: Decimal = Decimal(0)) -> dict[str, OrderRecord]:
        """On a replay: the legs that reached the exchange before the restart."""
        recorded = {o.leg: o for o in await self._orders.for_signal(job.signal_id)
                    if o.status != "failed"}
        found: dict[str, OrderRecord] = {}
        for leg in legs:
            if leg in recorded:
                found[leg] = recorded[leg]
                continue
            link = link_id(self._prefix, job.signal_id, leg)
            result = await look_up(ex, OrderRequest(category, job.signal.symbol, "", D0, link),
                                   self._retry, f"signal={job.signal_id} user={job.user_id}")
            if result is not None and result.filled_qty > 0:
                record = self._record(job, leg, category, OrderRequest(
                    category, job.signal.symbol, result.side, result.qty, link,
                    reduce_only=result.reduce_only), result)
                delta = None
                if category == SPOT:  # the crash came before the holding was moved
                    delta = self._holding_delta(result.side, result, base_coin, held)
                await self._orders.save(record, holding_delta=delta)
                found[leg] = record
        return found

    async def _leg(self, ex: Exchange, job: Execution, leg: str, request: OrderRequest, *,
                   entry: Decimal | None = None, closing: str | None = None,
                   leverage: int | None = None, base_coin: str = "",
                   held: Decimal = Decimal(0)) -> OrderRecord:
        """Place one leg, record it (and, for spot, the holding) in one transaction."""
        tag = f"signal={job.signal_id} user={job.user_id}"
        result = await place_leg(ex, request, self._retry, tag, look_first=job.replay)
        pnl = None
        if closing and entry and result.avg_price and result.filled_qty:
            direction = 1 if closing == "Buy" else -1
            pnl = (result.avg_price - entry) * result.filled_qty * direction
        record = self._record(job, leg, request.category, request, result, pnl=pnl,
                              leverage=leverage)
        delta = None
        if request.category == SPOT:
            delta = self._holding_delta(request.side, result, base_coin, held)
        await self._orders.save(record, holding_delta=delta)
        log.info("%s leg %s %s: %s %s filled %s at %s fee %s %s", tag, leg,
                 request.order_link_id, result.status, request.side, result.filled_qty,
                 result.avg_price, result.fee, result.fee_currency)
        if record.status == "failed":
            raise TradeError(
                f"Bybit did not fill the {request.side.lower()} order for {request.symbol} "
                f"(status {result.status}); nothing was traded on this leg",
                code="not_filled")
        return record

    def _record(self, job: Execution, leg: str, category: str, request: OrderRequest,
                result: OrderResult, *, pnl: Decimal | None = None,
                leverage: int | None = None) -> OrderRecord:
        status = {"Filled": "filled", "PartiallyFilled": "partial",
                  "PartiallyFilledCanceled": "partial"}.get(result.status, "placed")
        if result.status in ("Rejected", "Cancelled", "Deactivated") and not result.filled_qty:
            status = "failed"
        return OrderRecord(
            signal_id=job.signal_id, user_id=job.user_id, leg=leg,
            order_link_id=request.order_link_id, account_type=job.settings.account_type,
            category=category, symbol=job.signal.symbol, side=request.side or result.side,
            qty=request.qty, reduce_only=request.reduce_only, status=status,
            leverage=leverage, exchange_order_id=result.order_id or None,
            filled_qty=result.filled_qty, avg_price=result.avg_price, fee=result.fee,
            fee_currency=result.fee_currency or None, realised_pnl=pnl,
            created_at=time.time())

    def _failed_after(self, legs: list[OrderRecord], error: TradeError,
                      job: Execution) -> Outcome:
        """A leg failed: say what was done before it, and why the rest was not."""
        done = ""
        if legs:
            done = "; ".join(f"{o.side} {sizing.wire(o.filled_qty or o.qty)} {o.symbol} done"
                             for o in legs) + "; but "
        return Outcome("failed", "failed", done + error.message, tuple(legs),
                       {"symbol": job.signal.symbol, "legs": legs, "error": error.message},
                       error_code=error.code)
