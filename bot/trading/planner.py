"""Decide the orders of a signal: values in, a `Plan` or a `Refusal` out, no I/O.

| intent      | futures (linear USDT perpetual)               | spot                          |
|-------------|-----------------------------------------------|-------------------------------|
| buy         | close a short (reduce-only), then open long;  | market-buy trade_amount USDT  |
|             | already long: skip unless pyramiding          | (holding: skip unless pyr.)   |
| sell        | the mirror of buy                             | sell what this bot bought     |
| close       | close every open row, reduce-only             | same as sell                  |
| close_long  | close the long only                           | same as sell                  |
| close_short | close the short only                          | nothing: spot has no short    |

A close with a share (`qty_percent`, or `partial_close`'s 50) closes that share of each row it
closes, floored to the step; when what would remain is below the exchange's minimum order, it
closes all of it instead and says so. In hedge mode with both sides open, a buy closes the
short and does not add to the long (unless pyramiding). A `position` field in the alert has
already become the intent (bot/signals); one that turned the action (a sell that leaves the
strategy long: a partial exit of its long) never adds to the side already held, pyramiding or
not — the position is kept as it is; with new entries paused, such a signal that would open
(a flat account, or the other side held) is refused, since the intake let it through. An
alert's own `amount` and `leverage` replace the user's settings for that alert.

Planning takes two steps because one input may cost a request: `decide_*` reads the table
and says whether a price (and, for a spot sell, the free balance) is needed; `plan_*` sizes
the orders with it. Everything is sized and checked before the first order goes out, so a
signal that cannot be executed changes nothing. Legs that a replay found already placed
(`placed`) are never planned again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from bot.db.orders import OrderRecord
from bot.errors import BadSignal, TradeError
from bot.models import UserSettings
from bot.outcomes import Failure
from bot.plans import ExitPlan, Level, check_sides
from bot.signals import Signal, SignalLimits, check_qty_margin
from bot.trading import sizing
from bot.trading.models import (
    InstrumentRules,
    OrderRequest,
    Position,
    PositionBook,
    Protection,
)
from bot.vocabulary import Category, Intent, Leg, OutcomeKind, Side

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
    held_side: Side | None = None  # nothing_to_close of a protect: the side it was for
    kept: bool = False  # skipped: the alert's `position` is the side already held

    @staticmethod
    def because(error: TradeError) -> Refusal:
        return Refusal(OutcomeKind.FAILED, error.failure)


@dataclass(frozen=True)
class PlannedLeg:
    leg: Leg
    request: OrderRequest
    closes: Position | None = None  # the position a closing leg closes (its entry → PnL)
    whole: bool = True  # closes (or sells) all of it, not a share


@dataclass(frozen=True)
class Plan:
    """The orders to place, in order, and the legs a replay found already done."""

    legs: tuple[PlannedLeg, ...]
    kept: Placed
    leverage: int | None = None  # the opening leg's leverage
    set_leverage: bool = False  # the exchange holds another: set it before opening
    closed_all_instead: bool = False  # a share was asked, but the rest would be too small


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
    closes = tuple(row for row in (book.long, book.short)
                   if row is not None and intent.closes(row.side))
    same = book.long if wanted == Side.BUY else book.short if wanted == Side.SELL else None
    open_side = wanted
    if Leg.OPEN in placed:
        open_side = None  # the opening leg went out before a restart
    elif wanted is not None and same is not None and (
            signal.position_turned or not settings.pyramiding):
        if not closes:
            return Refusal(OutcomeKind.SKIPPED, held=same.size, held_side=wanted,
                           kept=signal.position_turned)
        open_side = None
    if not closes and open_side is None and not placed:
        return Refusal(OutcomeKind.NOTHING_TO_CLOSE)
    if open_side is not None and not placed and _entry_paused(signal, settings):
        return Refusal.because(TradeError("entries_paused", action=signal.action))
    return FuturesDecision(closes, open_side,
                           needs_price=open_side is not None and signal.price is None)


def _entry_paused(signal: Signal, settings: UserSettings) -> bool:
    """An opening the intake let through the entries pause: `position` turned its side."""
    return settings.entries_paused and signal.position_turned


def plan_futures(decision: FuturesDecision, signal: Signal, settings: UserSettings,
                 book: PositionBook, rules: InstrumentRules, placed: Placed, links: LinkIds,
                 *, price: Decimal | None, limits: SignalLimits | None = None
                 ) -> Plan | Refusal:
    """Size the decided legs: every close first, then the opening order."""
    legs: list[PlannedLeg] = []
    widened = False
    leverage = signal.leverage or settings.leverage
    try:
        for row in decision.closes:
            leg = Leg.closing(row.side)
            if leg in placed:
                continue
            qty, whole, was_widened = _close_qty(row, signal, rules)
            widened = widened or was_widened
            legs.append(PlannedLeg(leg, OrderRequest(
                Category.LINEAR, signal.symbol, row.side.opposite, qty, links(leg),
                reduce_only=True, position_idx=row.position_idx, price_hint=signal.price),
                closes=row, whole=whole))
        if decision.open_side is None:
            return Plan(tuple(legs), placed, closed_all_instead=widened)
        opening = _opening(decision.open_side, signal, settings, book, rules, links, price,
                           limits)
    except TradeError as error:
        return Refusal.because(error)
    legs.append(PlannedLeg(Leg.OPEN, opening))
    return Plan(tuple(legs), placed, leverage, set_leverage=book.leverage != leverage,
                closed_all_instead=widened)


def _close_qty(row: Position, signal: Signal,
               rules: InstrumentRules) -> tuple[Decimal, bool, bool]:
    """(qty, closes all of it, widened to all because the rest would be below the minimum)."""
    share = signal.close_share
    if share is None or share >= 100:
        return row.size, True, False
    qty = sizing.floor_to_step(row.size * share / 100, rules.qty_step)
    if row.size - qty < rules.min_qty:
        return row.size, True, True
    if qty <= 0 or qty < rules.min_qty:
        raise TradeError("below_minimum.share", share=share, side=row.side.direction,
                         size=row.size, coin=rules.base_coin, qty=qty, minimum=rules.min_qty,
                         symbol=signal.symbol)
    return qty, False, False


def _opening(side: Side, signal: Signal, settings: UserSettings, book: PositionBook,
             rules: InstrumentRules, links: LinkIds, price: Decimal | None,
             limits: SignalLimits | None) -> OrderRequest:
    leverage = signal.leverage or settings.leverage
    if leverage > rules.max_leverage:
        raise TradeError("leverage_too_high.alert" if signal.leverage else "leverage_too_high",
                         leverage=leverage, symbol=signal.symbol, maximum=rules.max_leverage,
                         most=int(rules.max_leverage))
    price = signal.price or price
    if price is None:
        raise TradeError("no_price.signal", symbol=signal.symbol)
    _within_limit(signal.qty, price, leverage, limits)
    qty = sizing.futures_qty(signal.amount or settings.trade_amount, leverage, price, rules,
                             override=signal.qty, from_alert=signal.amount is not None)
    exits = signal.exits or ExitPlan()
    # A price rides on the order, on the tick; a percent waits for the fill it is measured
    # from. Checked once on the tick: a level within a tick of the price may land on it.
    take_profit = _to_tick(exits.take_profit, rules)
    stop_loss = _to_tick(exits.stop_loss, rules)
    try:
        check_sides(replace(exits, take_profit=_level(take_profit, exits.take_profit),
                            stop_loss=_level(stop_loss, exits.stop_loss)), side, price)
    except BadSignal as refused:
        raise TradeError(refused.key, code=refused.code, **refused.params) from None
    position_idx = 0 if not book.hedge else (1 if side == Side.BUY else 2)
    return OrderRequest(Category.LINEAR, signal.symbol, side, qty, links(Leg.OPEN),
                        position_idx=position_idx, take_profit=take_profit,
                        stop_loss=stop_loss, price_hint=price)


def _within_limit(qty: Decimal | None, price: Decimal, leverage: int | None,
                  limits: SignalLimits | None) -> None:
    """An alert's `qty` puts up at most `limits.max_trade_amount` at the price it trades at
    (intake checks one that came with its price; this one may have been read just now)."""
    if qty is None or limits is None:
        return
    try:
        check_qty_margin(qty, price, leverage, limits)
    except BadSignal as refused:
        raise TradeError(refused.key, code=refused.code, **refused.params) from None


def _to_tick(level: Level | None, rules: InstrumentRules) -> Decimal | None:
    if level is None or level.percent:
        return None
    return sizing.round_price(level.value, rules.tick_size)


def _level(on_tick: Decimal | None, asked: Level | None) -> Level | None:
    return asked if on_tick is None else Level(on_tick)


# --- spot --------------------------------------------------------------------------------


def decide_spot(signal: Signal, settings: UserSettings, held: Decimal,
                placed: Placed) -> SpotDecision | Refusal | Plan:
    """Buy or sell by the table above; a replay whose order went out plans nothing new."""
    if placed:
        return Plan((), placed)
    if signal.leverage is not None:
        return Refusal.because(TradeError("leverage_on_spot", leverage=signal.leverage))
    if signal.intent == Intent.CLOSE_SHORT:
        return Refusal(OutcomeKind.NOTHING_TO_CLOSE)  # a spot holding is never short
    if signal.intent == Intent.BUY:
        if held > 0 and (signal.position_turned or not settings.pyramiding):
            return Refusal(OutcomeKind.SKIPPED, held=held, held_side=Side.BUY,
                           kept=signal.position_turned)
        if _entry_paused(signal, settings):
            return Refusal.because(TradeError("entries_paused", action=signal.action))
        return SpotDecision(Side.BUY, needs_price=signal.qty is not None
                            and signal.price is None, needs_free_balance=False)
    if held <= 0:
        return Refusal(OutcomeKind.NOTHING_TO_CLOSE)
    return SpotDecision(Side.SELL, needs_price=signal.price is None, needs_free_balance=True)


def plan_spot(decision: SpotDecision, signal: Signal, settings: UserSettings,
              rules: InstrumentRules, held: Decimal, links: LinkIds, *,
              price: Decimal | None, free: Decimal | None,
              limits: SignalLimits | None = None) -> Plan | Refusal:
    """A buy spends trade_amount USDT (or buys `qty`); a sell sells what this bot bought.

    A sell that finds less in the wallet than the bot bought, too little to sell, has nothing
    to sell: the trader sold it by hand (the executor then forgets the holding).
    """
    price = signal.price or price
    whole, widened = True, False
    try:
        if decision.side == Side.BUY:
            if signal.qty is not None:
                _within_limit(signal.qty, _known(price, signal), None, limits)
                qty = sizing.spot_base_qty(signal.qty, _known(price, signal), rules)
                unit = "baseCoin"
            else:
                qty = sizing.spot_buy_amount(signal.amount or settings.trade_amount, rules,
                                             from_alert=signal.amount is not None)
                unit = "quoteCoin"
            leg = Leg.SPOT_BUY
        else:
            known = _known(price, signal)
            sellable = held if free is None else min(held, free)
            if sellable < held and _unsellable(sellable, known, rules):
                # Sold (or moved) by hand: what is left of it is too little to sell.
                return Refusal(OutcomeKind.NOTHING_TO_CLOSE)
            share, whole = _sell_share(held, sellable, signal, known, rules)
            widened = whole and signal.close_share is not None and signal.close_share < 100
            qty = sizing.spot_base_qty(share, known, rules)
            unit, leg = "baseCoin", Leg.SPOT_SELL
    except TradeError as error:
        return Refusal.because(error)
    request = OrderRequest(Category.SPOT, signal.symbol, decision.side, qty, links(leg),
                           market_unit=unit, price_hint=signal.price)
    return Plan((PlannedLeg(leg, request, whole=whole),), {}, closed_all_instead=widened)


def _sell_share(held: Decimal, sellable: Decimal, signal: Signal, price: Decimal,
                rules: InstrumentRules) -> tuple[Decimal, bool]:
    """How much of the holding a sell sells, and whether that is all of it.

    A share too small to leave a sellable rest (worth less than the minimum order) sells all.
    """
    share = signal.close_share
    if share is None or share >= 100:
        return sellable, True
    qty = min(sizing.floor_to_step(held * share / 100, rules.base_precision), sellable)
    if (sellable - qty) * price < rules.min_order_amt:
        return sellable, True
    return qty, False


def _unsellable(qty: Decimal, price: Decimal, rules: InstrumentRules) -> bool:
    value = sizing.floor_to_step(qty, rules.base_precision)
    return value <= 0 or value * price < rules.min_order_amt


def _known(price: Decimal | None, signal: Signal) -> Decimal:
    if price is None:
        raise TradeError("no_price.signal", symbol=signal.symbol)
    return price


# --- protecting an open position (from Telegram) -------------------------------------------


@dataclass(frozen=True)
class ProtectPlan:
    """Set the open position's stop-loss or trailing stop (Bybit's trading-stop)."""

    position_idx: int
    protection: Protection


def plan_protect(signal: Signal, book: PositionBook, rules: InstrumentRules, *,
                 mark: Decimal | None) -> ProtectPlan | Refusal:
    """`set_stop` (a price), `break_even` (the position's break-even, else its entry) or
    `set_trailing` (a distance, or a percent of the mark) for the side the signal names (its
    `position`: the card or command it came from). That side no longer open — closed, or
    reversed by an alert queued ahead of it — is nothing to protect, never the other side.
    A signal naming no side (journaled before they did) protects the one open side."""
    if signal.position in ("long", "short"):
        side = Side.BUY if signal.position == "long" else Side.SELL
        row = book.long if side == Side.BUY else book.short
        if row is None:
            return Refusal(OutcomeKind.NOTHING_TO_CLOSE, held_side=side)
    else:
        rows = [row for row in (book.long, book.short) if row is not None]
        if not rows:
            return Refusal(OutcomeKind.NOTHING_TO_CLOSE)
        if len(rows) > 1:
            return Refusal.because(TradeError("ambiguous_side", symbol=signal.symbol))
        row = rows[0]
    exits = signal.exits or ExitPlan()
    if signal.action == "break_even":
        # On the tick, rounded toward profit (a long's up, a short's down), as the ladder's
        # break-even move does: "break-even" never locks in a fraction of a tick's loss.
        level = row.break_even or row.avg_price
        round_to = sizing.ceil_to_step if row.side == Side.BUY else sizing.floor_to_step
        protection = Protection(stop_loss=round_to(level, rules.tick_size))
    elif signal.action == "set_stop" and exits.stop_loss is not None \
            and not exits.stop_loss.percent:
        protection = Protection(stop_loss=sizing.round_price(exits.stop_loss.value,
                                                             rules.tick_size))
    elif signal.action == "set_trailing" and exits.trailing is not None:
        distance = sizing.round_price(exits.trailing.distance(mark or row.avg_price),
                                      rules.tick_size)
        if distance <= 0:
            return Refusal.because(TradeError("bad_trailing", distance=str(exits.trailing),
                                              tick=rules.tick_size, symbol=signal.symbol))
        protection = Protection(trailing=distance)
    else:
        return Refusal.because(TradeError("bad_protection", action=signal.action,
                                          symbol=signal.symbol))
    return ProtectPlan(row.position_idx, protection)
