"""Rows the fake Bybit keeps per account: positions (with their TP/SL and trailing stop),
orders and fills, and their REST JSON shapes (the streams add a few keys, see
``bybit_stream_frames.py``). ``bybit_state.py`` holds the account around them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tests.fakes.bybit_market import LINEAR_TAKER_FEE, fmt, now_ms

ZERO = Decimal("0")
MAINTENANCE_RATE = Decimal("0.005")
_BREAK_EVEN_PLACES = Decimal("0.00000001")
TAKE_PROFIT, STOP_LOSS, TRAILING_STOP = "TakeProfit", "StopLoss", "TrailingStop"
PARTIAL_TAKE_PROFIT, PARTIAL_STOP_LOSS = "PartialTakeProfit", "PartialStopLoss"


@dataclass
class PartialStop:
    """One Partial-mode TP or SL of a position (``/v5/position/trading-stop``,
    ``tpslMode=Partial``): ``kind`` is ``PartialTakeProfit`` or ``PartialStopLoss``."""

    kind: str
    trigger: Decimal
    size: Decimal
    order_type: str = "Market"
    limit_price: Decimal = ZERO
    trigger_by: str = "LastPrice"


@dataclass
class Position:
    """One linear position row; ``side`` is ``""`` and ``size`` 0 when flat.

    ``take_profit``/``stop_loss``/``trailing_stop`` are the Full-mode TP/SL and trailing
    stop (0 = none); ``active_price`` is the trailing stop's activation price (0 = active at
    once); ``trailing_best`` the best price seen since it became active (0 = not active
    yet). ``cur_realised_pnl`` is the realised PnL (fees included) of the current holding."""

    symbol: str
    position_idx: int
    side: str = ""
    size: Decimal = ZERO
    avg_price: Decimal = ZERO
    cum_realised_pnl: Decimal = ZERO
    cur_realised_pnl: Decimal = ZERO
    take_profit: Decimal = ZERO
    stop_loss: Decimal = ZERO
    tp_trigger_by: str = "LastPrice"
    sl_trigger_by: str = "LastPrice"
    trailing_stop: Decimal = ZERO
    active_price: Decimal = ZERO
    trailing_best: Decimal = ZERO
    partials: list[PartialStop] = field(default_factory=list)
    created_ms: int = field(default_factory=now_ms)
    updated_ms: int = field(default_factory=now_ms)
    seq: int = 0

    @property
    def is_open(self) -> bool:
        """Return True if the row holds a non-zero size."""
        return self.size > 0

    @property
    def is_long(self) -> bool:
        """Return True for a Buy (long) row."""
        return self.side == "Buy"

    def trailing_trigger(self) -> Decimal:
        """Return the price at which the active trailing stop fires (0 if none is active)."""
        if not self.trailing_stop or not self.trailing_best:
            return ZERO
        return (self.trailing_best - self.trailing_stop if self.is_long
                else self.trailing_best + self.trailing_stop)

    def clear_stops(self) -> None:
        """Forget TP/SL, trailing stop and partial TP/SLs (the position went flat)."""
        self.take_profit = self.stop_loss = self.trailing_stop = ZERO
        self.active_price = self.trailing_best = ZERO
        self.tp_trigger_by = self.sl_trigger_by = "LastPrice"
        self.partials.clear()

    def unrealised_pnl(self, mark: Decimal) -> Decimal:
        """Return the unrealised PnL at ``mark``."""
        if not self.is_open:
            return ZERO
        direction = 1 if self.is_long else -1
        return (mark - self.avg_price) * self.size * direction

    def initial_margin(self, leverage: Decimal) -> Decimal:
        """Return size × avgPrice / leverage."""
        return self.size * self.avg_price / leverage

    def break_even(self) -> Decimal:
        """Return Bybit's ``breakEvenPrice``: (entry × qty − realised) / (qty − |qty| ×
        max(taker fee, 0.00055)), qty negative for a short, realised = ``cur_realised_pnl``."""
        if not self.is_open:
            return ZERO
        qty = self.size if self.is_long else -self.size
        rate = max(LINEAR_TAKER_FEE, Decimal("0.00055"))
        price = (self.avg_price * qty - self.cur_realised_pnl) / (qty - self.size * rate)
        return price.quantize(_BREAK_EVEN_PLACES)

    def as_json(self, mark: Decimal, leverage: Decimal) -> dict[str, Any]:
        """Return one /v5/position/list item."""
        value = self.size * self.avg_price
        liq = ""
        if self.is_open:
            shift = 1 / leverage - MAINTENANCE_RATE
            factor = 1 - shift if self.is_long else 1 + shift
            liq = fmt((self.avg_price * factor).quantize(Decimal("0.01")))
        return {
            "positionIdx": self.position_idx, "riskId": 1, "riskLimitValue": "2000000",
            "symbol": self.symbol, "side": self.side, "size": fmt(self.size),
            "avgPrice": fmt(self.avg_price), "positionValue": fmt(value),
            "tradeMode": 0, "autoAddMargin": 0, "positionStatus": "Normal",
            "leverage": fmt(leverage), "markPrice": fmt(mark), "liqPrice": liq,
            "bustPrice": "", "positionIM": fmt(value / leverage),
            "positionMM": fmt(value * MAINTENANCE_RATE), "positionBalance": fmt(value / leverage),
            "takeProfit": fmt(self.take_profit), "stopLoss": fmt(self.stop_loss),
            "trailingStop": fmt(self.trailing_stop), "sessionAvgPrice": "", "delta": "",
            "gamma": "", "vega": "", "theta": "", "unrealisedPnl": fmt(self.unrealised_pnl(mark)),
            "curRealisedPnl": fmt(self.cur_realised_pnl),
            "cumRealisedPnl": fmt(self.cum_realised_pnl), "adlRankIndicator": 0,
            "isReduceOnly": False, "mmrSysUpdatedTime": "", "leverageSysUpdatedTime": "",
            "breakEvenPrice": fmt(self.break_even()), "tpslMode": "Full",
            "createdTime": str(self.created_ms), "updatedTime": str(self.updated_ms),
            "seq": self.seq,
        }


@dataclass
class Order:
    """One order as the exchange keeps it; fills update the cum* fields. Orders the system
    creates (a triggered TP/SL/trailing stop) carry ``stop_order_type``/``create_type``."""

    order_id: str
    order_link_id: str
    category: str
    symbol: str
    side: str
    order_type: str
    qty: Decimal
    price: Decimal
    position_idx: int
    reduce_only: bool
    market_unit: str
    take_profit: Decimal
    stop_loss: Decimal
    time_in_force: str
    last_price: Decimal = ZERO
    status: str = "New"
    avg_price: Decimal = ZERO
    cum_exec_qty: Decimal = ZERO
    cum_exec_value: Decimal = ZERO
    cum_exec_fee: Decimal = ZERO
    closed_pnl: Decimal = ZERO
    fee_currency: str = "USDT"
    cancel_type: str = "UNKNOWN"
    reject_reason: str = "EC_NoError"
    stop_order_type: str = ""
    create_type: str = "CreateByUser"
    trigger_price: Decimal = ZERO
    trigger_by: str = ""
    close_on_trigger: bool = False
    tpsl_mode: str = ""
    created_ms: int = field(default_factory=now_ms)
    updated_ms: int = field(default_factory=now_ms)

    @property
    def is_open(self) -> bool:
        """Return True while the order can still fill."""
        return self.status in ("New", "PartiallyFilled", "Untriggered")

    @property
    def leaves_qty(self) -> Decimal:
        """Return what is left to fill (0 once the order is closed)."""
        return self.qty - self.cum_exec_qty if self.is_open else ZERO

    def as_json(self) -> dict[str, Any]:
        """Return one /v5/order/realtime (or history) item."""
        leaves = self.leaves_qty
        tpsl_mode = self.tpsl_mode or ("Full" if self.take_profit or self.stop_loss else "")
        return {
            "orderId": self.order_id, "orderLinkId": self.order_link_id, "blockTradeId": "",
            "symbol": self.symbol, "price": fmt(self.price), "qty": fmt(self.qty),
            "side": self.side, "isLeverage": "", "positionIdx": self.position_idx,
            "orderStatus": self.status, "cancelType": self.cancel_type,
            "rejectReason": self.reject_reason,
            "avgPrice": fmt(self.avg_price) if self.cum_exec_qty else "",
            "leavesQty": fmt(leaves), "leavesValue": fmt(leaves * self.price),
            "cumExecQty": fmt(self.cum_exec_qty), "cumExecValue": fmt(self.cum_exec_value),
            "cumExecFee": fmt(self.cum_exec_fee),
            "cumFeeDetail": {self.fee_currency: fmt(self.cum_exec_fee)},
            "timeInForce": self.time_in_force, "orderType": self.order_type,
            "stopOrderType": self.stop_order_type, "orderIv": "",
            "marketUnit": self.market_unit, "triggerPrice": fmt(self.trigger_price),
            "takeProfit": fmt(self.take_profit), "stopLoss": fmt(self.stop_loss),
            "tpTriggerBy": "", "slTriggerBy": "", "tpLimitPrice": "0", "slLimitPrice": "0",
            "triggerDirection": 0, "triggerBy": self.trigger_by,
            "lastPriceOnCreated": fmt(self.last_price or self.price),
            "reduceOnly": self.reduce_only, "closeOnTrigger": self.close_on_trigger,
            "placeType": "", "smpType": "None", "smpGroup": 0, "smpOrderId": "",
            "tpslMode": tpsl_mode, "createType": self.create_type,
            "createdTime": str(self.created_ms), "updatedTime": str(self.updated_ms),
        }


@dataclass(frozen=True)
class Execution:
    """One fill."""

    exec_id: str
    order_id: str
    order_link_id: str
    category: str
    symbol: str
    side: str
    order_type: str
    order_qty: Decimal
    exec_price: Decimal
    exec_qty: Decimal
    exec_value: Decimal
    exec_fee: Decimal
    fee_rate: Decimal
    fee_currency: str
    closed_size: Decimal
    exec_ms: int
    seq: int
    exec_pnl: Decimal = ZERO  # gross PnL of the part that closed a position (streams only)
    order_price: Decimal = ZERO
    leaves_qty: Decimal = ZERO
    is_maker: bool = False
    mark_price: Decimal = ZERO
    stop_order_type: str = ""
    create_type: str = "CreateByUser"

    def as_json(self) -> dict[str, Any]:
        """Return one /v5/execution/list item."""
        return {
            "symbol": self.symbol, "orderId": self.order_id, "orderLinkId": self.order_link_id,
            "side": self.side, "orderPrice": fmt(self.order_price or self.exec_price),
            "orderQty": fmt(self.order_qty), "leavesQty": fmt(self.leaves_qty),
            "createType": self.create_type, "orderType": self.order_type,
            "stopOrderType": self.stop_order_type, "execFee": fmt(self.exec_fee),
            "execFeeV2": "", "feeCurrency": self.fee_currency, "execId": self.exec_id,
            "execPrice": fmt(self.exec_price), "execQty": fmt(self.exec_qty),
            "execType": "Trade", "execValue": fmt(self.exec_value), "execTime": str(self.exec_ms),
            "feeRate": fmt(self.fee_rate), "tradeIv": "", "markIv": "",
            "markPrice": fmt(self.mark_price or self.exec_price), "indexPrice": "",
            "underlyingPrice": "", "blockTradeId": "", "closedSize": fmt(self.closed_size),
            "seq": self.seq, "isMaker": self.is_maker, "extraFees": "",
        }
