"""Bybit's JSON in our words: orders, position rows and wallets, from REST and streams alike.

The REST answers and the private stream's topic messages carry the same item shapes, so one
parser serves both; Bybit's own strings (`"PartiallyFilledCanceled"`, `side: ""`) stop here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.trading.models import Balance, OrderResult, Position
from bot.vocabulary import OrderStatus, Side
from bot.wire import decimal_or_zero

# Bybit's orderStatus in our words. Anything else (Created, New, Untriggered, Triggered, a
# status added later) is an order that is accepted and not yet filled.
_STATUS = {
    "Filled": OrderStatus.FILLED,
    "PartiallyFilled": OrderStatus.PARTIAL,
    "PartiallyFilledCanceled": OrderStatus.PARTIAL,
    "Rejected": OrderStatus.FAILED,
    "Cancelled": OrderStatus.FAILED,
    "Deactivated": OrderStatus.FAILED,
}
# The statuses after which an order changes no more.
FINAL_STATUSES = frozenset(_STATUS) - {"PartiallyFilled"}
SIDES = {"Buy": Side.BUY, "Sell": Side.SELL}
Item = dict[str, Any]


def order_status(bybit_status: str, filled: Decimal) -> OrderStatus:
    """Our status for Bybit's: an order ended early that filled in part is `partial`."""
    status = _STATUS.get(bybit_status, OrderStatus.PLACED)
    if status == OrderStatus.FAILED and filled > 0:
        return OrderStatus.PARTIAL
    return status


def parse_order(item: Item) -> OrderResult:
    avg = item.get("avgPrice")
    fee = item.get("cumExecFee")
    fee_currency = ""
    detail = item.get("cumFeeDetail") or {}
    if isinstance(detail, dict) and detail:
        fee_currency, fee = next(iter(detail.items()))
    filled = decimal_or_zero(item.get("cumExecQty"))
    return OrderResult(
        order_link_id=item.get("orderLinkId", ""), order_id=item.get("orderId", ""),
        status=order_status(item.get("orderStatus", ""), filled), filled_qty=filled,
        avg_price=decimal_or_zero(avg) if avg not in (None, "", "0") else None,
        side=SIDES[item.get("side", "")], fee=decimal_or_zero(fee),
        fee_currency=fee_currency or item.get("feeCurrency", ""),
        qty=decimal_or_zero(item.get("qty")), reduce_only=bool(item.get("reduceOnly", False)))


def updated_ms(item: Item) -> int:
    """When Bybit last changed the item (ms); 0 when it does not say."""
    try:
        return int(item.get("updatedTime") or 0)
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class PositionRow:
    """One row of `position/list` or the `position` topic: open (`position`) or flat."""

    symbol: str
    position_idx: int  # 0 one-way, 1 hedge long, 2 hedge short: the row tells the mode
    position: Position | None  # None when flat
    leverage: Decimal | None
    updated: int
    seq: int = 0  # Bybit's cross sequence: a fill and the position row it moved share it

    @property
    def hedge(self) -> bool:
        return self.position_idx in (1, 2)


def parse_position(item: Item) -> PositionRow:
    symbol = item.get("symbol", "")
    idx = int(item.get("positionIdx", 0))
    leverage = decimal_or_zero(item["leverage"]) if item.get("leverage") else None
    size = decimal_or_zero(item.get("size"))
    side = SIDES.get(item.get("side", ""))
    position = None
    if size > 0 and side is not None:  # a flat row's side is "" (it still tells the mode)
        entry = item.get("avgPrice") or item.get("entryPrice")  # REST says avg, the stream entry
        position = Position(
            symbol, side, size, decimal_or_zero(entry), idx, leverage,
            mark_price=_optional(item.get("markPrice")),
            unrealised_pnl=_signed(item.get("unrealisedPnl")),
            liq_price=_optional(item.get("liqPrice")),
            take_profit=_optional(item.get("takeProfit")),
            stop_loss=_optional(item.get("stopLoss")),
            break_even=_optional(item.get("breakEvenPrice")))
    return PositionRow(symbol, idx, position, leverage, updated_ms(item), _seq(item))


def parse_wallet(account: Item) -> dict[str, Balance]:
    """A UNIFIED wallet (REST list item or `wallet` topic item): each coin's balance."""
    balances = {}
    for item in account.get("coin", []):
        coin = item.get("coin", "")
        total = decimal_or_zero(item.get("walletBalance"))
        locked = sum((decimal_or_zero(item.get(key)) for key in
                      ("locked", "totalPositionIM", "totalOrderIM")), Decimal(0))
        balances[coin] = Balance(coin, total, max(Decimal(0), total - locked))
    return balances


def _optional(value: Any) -> Decimal | None:
    number = decimal_or_zero(value)
    return number if number > 0 else None


def _signed(value: Any) -> Decimal | None:
    return None if value in (None, "") else decimal_or_zero(value)


def _seq(item: Item) -> int:
    try:
        return int(item.get("seq") or 0)
    except (TypeError, ValueError):
        return 0
