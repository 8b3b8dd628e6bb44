"""Decide the orders of a signal: values in, a `Plan` or a `Refusal` out, no I/O.

| intent | futures (linear USDT perpetual)                    | spot                          |
|--------|----------------------------------------------------|-------------------------------|
| buy    | close a short (reduce-only), then open long;       | market-buy trade_amount USDT  |
|        | already long: skip unless pyramiding               | (holding: skip unless pyr.)   |
| sell   | the mirror of buy                                  | sell what this bot bought     |
| close  | close every open row, reduce-only                  | same as sell                  |

In hedge mode with both sides open, a buy closes the short and does not add to the long
(unless pyramiding). A `position` field in the alert has already become the intent (bot/signals).

Planning takes two steps because one input may cost a request: `decide_*` reads the table
and says whether a price (and, for a spot sell, the free balance) is needed; `plan_*` sizes
the orders with it. Everything is sized and checked before the first order goes out, so a
signal that cannot be executed changes nothing. Legs that a replay found already placed
(`placed`) are never planned again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from bot.db.orders import OrderRecord
from bot.errors import TradeError
from bot.models import UserSettings
from bot.outcomes import Failure
from bot.signals import Signal
from bot.trading import sizing
from bot.trading.models import InstrumentRules, OrderRequest, Position, PositionBook
from bot.vocabulary import Category, Intent, Leg, OutcomeKind, Side
from bot.wire import plain

Placed = Mapping[Leg, OrderRecord]


@dataclass(frozen=True)
class LinkIds:
    """The orderLinkIds of one signal's legs: the same on every attempt and replay."""

    prefix: str
    signal_id: int

    def __call__(self, leg: Leg) -> str:
        return f"{self.prefix}-{self.signal_id}-{leg}"


@dataclass(frozen=True)
class Refusal:
    """Nothing to place: skipped, nothing to close, or a reason it cannot be done."""

    kind: OutcomeKind  # skipped | nothing_to_close | failed
    failure: Failure | None = None
    held: Decimal | None = None
    held_side: Side | None = None

    @staticmethod
    def because(error: TradeError) -> Refusal:
        return Refusal(OutcomeKind.FAILED, Failure(error.code, error.message))


@dataclass(frozen=True)
class PlannedLeg:
    leg: Leg
    request: OrderRequest
    closes: Position | None = None  # the position a closing leg closes (its entry → PnL)


@dataclass(frozen=True)
class Plan:
    """The orders to place, in order, and the legs a replay found already done."""

    legs: tuple[PlannedLeg, ...]
    kept: Placed
    leverage: int | None = None  # set the symbol's leverage to this before the opening leg


@dataclass(frozen=True)
class FuturesDecision:
    closes: tuple[Position, ...]  # open rows this signal closes (done or not)
    open_side: Side | None
    needs_price: bool


@dataclass(frozen=True)
class SpotDecision:
    side: Side
    needs_price: bool
    needs_free_balance: bool


# --- futures -----------------------------------------------------------------------------


def decide_futures(signal: Signal, settings: UserSettings, book: PositionBook,
                   placed: Placed) -> FuturesDecision | Refusal:
    """Which rows to close and which side to open, by the table above."""
    intent = signal.intent
    wanted = intent.side
    closes = tuple(row for row in (book.long, book.short) if row is not None and (
        intent == Intent.CLOSE or (wanted is not None and row.side == wanted.opposite)))
    same = book.long if wanted == Side.BUY else book.short if wanted == Side.SELL else None
    open_side = wanted
    if Leg.OPEN in placed:
        open_side = None  # the opening leg went out before a restart
    elif wanted is not None and same is not None and not settings.pyramiding:
        if not closes:
            return Refusal(OutcomeKind.SKIPPED, held=same.size, held_side=wanted)
        open_side = None
    if not closes and open_side is None and not placed:
        return Refusal(OutcomeKind.NOTHING_TO_CLOSE)
    return FuturesDecision(closes, open_side,
                           needs_price=open_side is not None and signal.price is None)


def plan_futures(decision: FuturesDecision, signal: Signal, settings: UserSettings,
                 book: PositionBook, rules: InstrumentRules, placed: Placed, links: LinkIds,
                 *, price: Decimal | None) -> Plan | Refusal:
    """Size the decided legs: every close first, then the opening order."""
    legs: list[PlannedLeg] = []
    for row in decision.closes:
        leg = Leg.closing(row.side)
        if leg in placed:
            continue
        legs.append(PlannedLeg(leg, OrderRequest(
            Category.LINEAR, signal.symbol, row.side.opposite, row.size, links(leg),
            reduce_only=True, position_idx=row.position_idx, price_hint=signal.price),
            closes=row))
    leverage = None
    if decision.open_side is not None:
        try:
            opening = _opening(decision.open_side, signal, settings, book, rules, links,
                               price)
        except TradeError as error:
            return Refusal.because(error)
        legs.append(PlannedLeg(Leg.OPEN, opening))
        if book.leverage is None or book.leverage != settings.leverage:
            leverage = settings.leverage
    return Plan(tuple(legs), placed, leverage)


def _opening(side: Side, signal: Signal, settings: UserSettings, book: PositionBook,
             rules: InstrumentRules, links: LinkIds, price: Decimal | None) -> OrderRequest:
    if settings.leverage > rules.max_leverage:
        raise TradeError(
            f"leverage {settings.leverage}x is above {signal.symbol}'s maximum of "
            f"{plain(rules.max_leverage)}x; send /set leverage {int(rules.max_leverage)}",
            code="leverage_too_high")
    price = signal.price or price
    if price is None:
        raise TradeError(f"no usable price for {signal.symbol}", code="no_price")
    qty = sizing.futures_qty(settings.trade_amount, settings.leverage, price, rules,
                             override=signal.qty)
    take_profit = _to_tick(signal.take_profit, rules)
    stop_loss = _to_tick(signal.stop_loss, rules)
    sizing.check_tp_sl(side, price, take_profit, stop_loss)
    position_idx = 0 if not book.hedge else (1 if side == Side.BUY else 2)
    return OrderRequest(Category.LINEAR, signal.symbol, side, qty, links(Leg.OPEN),
                        position_idx=position_idx, take_profit=take_profit,
                        stop_loss=stop_loss, price_hint=price)


def _to_tick(price: Decimal | None, rules: InstrumentRules) -> Decimal | None:
    return None if price is None else sizing.round_price(price, rules.tick_size)


# --- spot --------------------------------------------------------------------------------


def decide_spot(signal: Signal, settings: UserSettings, held: Decimal,
                placed: Placed) -> SpotDecision | Refusal | Plan:
    """Buy or sell by the table above; a replay whose order went out plans nothing new."""
    if placed:
        return Plan((), placed)
    if signal.intent == Intent.BUY:
        if held > 0 and not settings.pyramiding:
            return Refusal(OutcomeKind.SKIPPED, held=held, held_side=Side.BUY)
        return SpotDecision(Side.BUY, needs_price=signal.qty is not None
                            and signal.price is None, needs_free_balance=False)
    if held <= 0:
        return Refusal(OutcomeKind.NOTHING_TO_CLOSE)
    return SpotDecision(Side.SELL, needs_price=signal.price is None, needs_free_balance=True)


def plan_spot(decision: SpotDecision, signal: Signal, settings: UserSettings,
              rules: InstrumentRules, held: Decimal, links: LinkIds, *,
              price: Decimal | None, free: Decimal | None) -> Plan | Refusal:
    """A buy spends trade_amount USDT (or buys `qty`); a sell sells what this bot bought."""
    price = signal.price or price
    try:
        if decision.side == Side.BUY:
            if signal.qty is not None:
                qty = sizing.spot_base_qty(signal.qty, _known(price, signal), rules)
                unit = "baseCoin"
            else:
                qty, unit = sizing.spot_buy_amount(settings.trade_amount, rules), "quoteCoin"
            leg = Leg.SPOT_BUY
        else:
            sellable = held if free is None else min(held, free)
            qty = sizing.spot_base_qty(sellable, _known(price, signal), rules)
            unit, leg = "baseCoin", Leg.SPOT_SELL
    except TradeError as error:
        return Refusal.because(error)
    request = OrderRequest(Category.SPOT, signal.symbol, decision.side, qty, links(leg),
                           market_unit=unit, price_hint=signal.price)
    return Plan((PlannedLeg(leg, request),), {})


def _known(price: Decimal | None, signal: Signal) -> Decimal:
    if price is None:
        raise TradeError(f"no usable price for {signal.symbol}", code="no_price")
    return price
