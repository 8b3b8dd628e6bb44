"""The service's own words for sides, statuses, legs, accounts and markets.

Every layer speaks these `StrEnum`s; an exchange's own strings (Bybit's `"PartiallyFilledCanceled"`)
are translated inside its adapter. Each value is the string the database has always stored, so
rows written before these types existed read back unchanged, and a member compares equal to
its string (`Side.BUY == "Buy"`).
"""

from __future__ import annotations

from enum import StrEnum


class Side(StrEnum):
    """An order's side, and which way a position faces (Buy = long)."""

    BUY = "Buy"
    SELL = "Sell"

    @property
    def opposite(self) -> Side:
        return Side.SELL if self == Side.BUY else Side.BUY

    @property
    def direction(self) -> str:
        """`long` or `short`: the position an order on this side opens."""
        return "long" if self == Side.BUY else "short"


class OrderStatus(StrEnum):
    """An order as we record it, whatever the exchange called it."""

    FILLED = "filled"
    PARTIAL = "partial"  # part filled, the rest open or cancelled
    PLACED = "placed"  # accepted; no fill seen yet
    FAILED = "failed"  # refused, cancelled or expired with nothing filled


class Leg(StrEnum):
    """Which order of a signal: part of its orderLinkId, so a replay finds it again."""

    CLOSE_LONG = "cl"
    CLOSE_SHORT = "cs"
    OPEN = "o"
    SPOT_BUY = "b"
    SPOT_SELL = "s"
    # The take-profit ladder an opening placed: its targets are legs of the same signal.
    T1 = "t1"
    T2 = "t2"
    T3 = "t3"
    T4 = "t4"
    T5 = "t5"
    T6 = "t6"
    T7 = "t7"
    T8 = "t8"
    T9 = "t9"
    T10 = "t10"

    @staticmethod
    def closing(side: Side) -> Leg:
        """The leg that closes a position facing `side`."""
        return Leg.CLOSE_LONG if side == Side.BUY else Leg.CLOSE_SHORT

    @staticmethod
    def target(n: int) -> Leg:
        return Leg(f"t{n}")

    @property
    def target_number(self) -> int | None:
        return int(self.value[1:]) if self.value.startswith("t") else None


FUTURES_LEGS = (Leg.CLOSE_LONG, Leg.CLOSE_SHORT, Leg.OPEN)  # in the order they are placed
SPOT_LEGS = (Leg.SPOT_BUY, Leg.SPOT_SELL)


class AccountType(StrEnum):
    PAPER = "paper"  # the built-in simulator
    DEMO = "demo"  # Bybit's Demo Trading
    REAL = "real"  # Bybit mainnet

    @property
    def needs_keys(self) -> bool:
        return self != AccountType.PAPER


class MarketType(StrEnum):
    SPOT = "spot"
    FUTURES = "futures"  # linear USDT perpetuals


class Category(StrEnum):
    """Bybit's product category, which our adapters share: the market a request is for."""

    LINEAR = "linear"
    SPOT = "spot"

    @staticmethod
    def of(market: MarketType | str) -> Category:
        return Category.SPOT if market == MarketType.SPOT else Category.LINEAR


class SignalStatus(StrEnum):
    """A journaled signal's life: queued → processing → one of the final states.

    A channel's signal for a subscriber in `confirm` mode starts `awaiting` their answer:
    Execute makes it `queued`, Skip `skipped`, silence `expired`. Awaiting is neither open
    (nothing runs it) nor final.
    """

    QUEUED = "queued"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"
    REJECTED = "rejected"
    EXPIRED = "expired"
    DUPLICATE = "duplicate"
    AWAITING = "awaiting"  # waiting for the subscriber's confirmation
    SKIPPED = "skipped"  # the subscriber pressed Skip: final, not executed

    @property
    def is_final(self) -> bool:
        return self in FINAL_SIGNAL_STATUSES


OPEN_SIGNAL_STATUSES = frozenset({SignalStatus.QUEUED, SignalStatus.PROCESSING})
FINAL_SIGNAL_STATUSES = frozenset(set(SignalStatus) - OPEN_SIGNAL_STATUSES
                                  - {SignalStatus.AWAITING})
# The states an executed signal ends in (what the dashboard refreshes its totals on).
EXECUTED_STATUSES = frozenset({SignalStatus.DONE, SignalStatus.FAILED, SignalStatus.EXPIRED})


class Intent(StrEnum):
    """What a signal asks for, whichever word the alert used."""

    BUY = "buy"
    SELL = "sell"
    CLOSE = "close"  # every open side (all of it, or a share)
    CLOSE_LONG = "close_long"  # that side only
    CLOSE_SHORT = "close_short"
    PROTECT = "protect"  # move the stop, set a trailing stop: the position stays

    @property
    def side(self) -> Side | None:
        """The side an order opening this intent would take; None for a close."""
        return _SIDES.get(self)

    @property
    def closes_only(self) -> bool:
        return self in _CLOSES_ONLY

    def closes(self, side: Side) -> bool:
        """Whether this intent closes an open position facing `side` (a buy closes a short)."""
        return side in _CLOSES[self]


_SIDES = {Intent.BUY: Side.BUY, Intent.SELL: Side.SELL}
_CLOSES_ONLY = frozenset((Intent.CLOSE, Intent.CLOSE_LONG, Intent.CLOSE_SHORT))
_CLOSES = {
    Intent.BUY: {Side.SELL},
    Intent.SELL: {Side.BUY},
    Intent.CLOSE: {Side.BUY, Side.SELL},
    Intent.CLOSE_LONG: {Side.BUY},
    Intent.CLOSE_SHORT: {Side.SELL},
    Intent.PROTECT: set(),
}


class OutcomeKind(StrEnum):
    """What executing a signal came to."""

    OPENED = "opened"
    REVERSED = "reversed"
    CLOSED = "closed"
    SKIPPED = "skipped"  # same side already open: pyramiding off, or a partial exit (kept)
    NOTHING_TO_CLOSE = "nothing_to_close"
    BOUGHT = "bought"
    SOLD = "sold"
    PROTECTED = "protected"  # the stop or trailing stop of an open position set
    FAILED = "failed"
    EXPIRED = "expired"


class CopyMode(StrEnum):
    """How a channel's alert reaches one subscriber."""

    AUTO = "auto"  # executed at once
    CONFIRM = "confirm"  # sent with Execute / Skip buttons first


class ChannelAlertStatus(StrEnum):
    """A channel's alert: expanded into one signal per subscriber, in durable steps."""

    EXPANDING = "expanding"  # accepted; subscribers after `cursor` have no signal row yet
    EXPANDED = "expanded"  # every subscriber has their row
    REJECTED = "rejected"  # refused at intake (bad body, stale, channel paused)
    DUPLICATE = "duplicate"  # a repeat of an earlier alert: not expanded again
