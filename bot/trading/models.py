"""Values the executor and the exchange adapters speak: rules, positions, orders, fills."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.errors import Failure
from bot.vocabulary import Category, OrderStatus, Side


@dataclass(frozen=True)
class InstrumentRules:
    """What Bybit allows for one symbol in one category (from instruments-info)."""

    symbol: str
    category: Category
    base_coin: str
    quote_coin: str
    tick_size: Decimal
    # linear
    qty_step: Decimal = Decimal("0")
    min_qty: Decimal = Decimal("0")
    max_mkt_qty: Decimal | None = None
    min_notional: Decimal = Decimal("0")
    max_leverage: Decimal = Decimal("1")
    # spot
    base_precision: Decimal = Decimal("0")
    quote_precision: Decimal = Decimal("0")
    min_order_amt: Decimal = Decimal("0")
    max_mkt_base_qty: Decimal | None = None


@dataclass(frozen=True)
class Position:
    """One row of a linear position; `size` is always positive."""

    symbol: str
    side: Side
    size: Decimal
    avg_price: Decimal
    position_idx: int  # 0 one-way, 1 hedge long, 2 hedge short
    leverage: Decimal | None = None
    # What a live account reports besides (Bybit's position row or stream; paper's ticks).
    mark_price: Decimal | None = None
    unrealised_pnl: Decimal | None = None
    liq_price: Decimal | None = None
    take_profit: Decimal | None = None
    stop_loss: Decimal | None = None
    break_even: Decimal | None = None  # Bybit's breakEvenPrice: the entry with fees

    @property
    def return_on_margin(self) -> Decimal | None:
        """Unrealised PnL as a percent of the margin (value / leverage), as Bybit shows it."""
        if self.unrealised_pnl is None or not self.leverage or not self.avg_price:
            return None
        margin = self.size * self.avg_price / self.leverage
        return (self.unrealised_pnl / margin * 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class PositionBook:
    """All rows for a symbol and the account's position mode, read in one call."""

    symbol: str
    hedge: bool
    rows: tuple[Position, ...]
    leverage: Decimal | None = None  # the exchange's current leverage, free with the read

    @property
    def long(self) -> Position | None:
        return next((p for p in self.rows if p.side == Side.BUY and p.size > 0), None)

    @property
    def short(self) -> Position | None:
        return next((p for p in self.rows if p.side == Side.SELL and p.size > 0), None)


@dataclass(frozen=True)
class OrderRequest:
    """A market order as the executor wants it; adapters turn it into their wire format."""

    category: Category
    symbol: str
    side: Side
    qty: Decimal
    order_link_id: str
    reduce_only: bool = False
    position_idx: int = 0
    take_profit: Decimal | None = None
    stop_loss: Decimal | None = None
    market_unit: str | None = None  # spot: quoteCoin (qty in USDT) or baseCoin
    price_hint: Decimal | None = None  # the signal's price; the paper exchange fills at it
    limit_price: Decimal | None = None  # set: a resting limit order (GTC) instead of market


@dataclass(frozen=True)
class OrderResult:
    """An order as the exchange reports it, in our vocabulary (adapters map their own)."""

    order_link_id: str
    order_id: str
    status: OrderStatus
    filled_qty: Decimal
    avg_price: Decimal | None
    side: Side
    fee: Decimal = Decimal("0")
    fee_currency: str = ""
    qty: Decimal = Decimal("0")
    reduce_only: bool = False

    @property
    def is_filled(self) -> bool:
        return self.status == OrderStatus.FILLED


@dataclass(frozen=True)
class Placement:
    """What became of one order of a batch: placed (or there already), or why not."""

    order_link_id: str
    placed: bool
    error: str | None = None


@dataclass(frozen=True)
class Protection:
    """A position's own exits at the exchange (Bybit's trading-stop, Full mode).

    None leaves a value as it is; `Decimal(0)` removes it.
    """

    stop_loss: Decimal | None = None
    take_profit: Decimal | None = None
    trailing: Decimal | None = None  # price distance
    activation: Decimal | None = None  # where the trailing stop starts


@dataclass(frozen=True)
class Balance:
    coin: str
    total: Decimal
    available: Decimal


@dataclass(frozen=True)
class KeyCheck:
    """The result of trying a user's API keys with a read-only call."""

    ok: bool
    code: str  # ok, no_permission, or the ExchangeError's code (wrong_environment, …)
    failure: Failure | None = None  # why not: rendered for the reader by the handler
    usdt: Decimal | None = None

    @property
    def message(self) -> str:
        """The English sentence (for logs); a reader gets `render_failure(lang, failure)`."""
        return "" if self.failure is None else self.failure.english
