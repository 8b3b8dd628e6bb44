"""Matching engine of the fake Bybit: validate /v5/order/create like Bybit, fill Market orders.

Market orders fill at once, completely, at the current price. Limit orders are validated and
left ``New`` (they never fill). Error codes and messages follow the live exchange where known.
"""

from __future__ import annotations

import itertools
import re
import uuid
from decimal import ROUND_DOWN, Decimal
from typing import Any

from tests.fakes.bybit_market import (
    LINEAR,
    SPOT,
    BybitError,
    LinearRules,
    Market,
    SpotRules,
    fmt,
    is_multiple,
    now_ms,
    parse_wire_number,
)
from tests.fakes.bybit_state import HEDGE, ZERO, Account, Execution, Order, Position

LINEAR_TAKER_FEE = Decimal("0.00055")
SPOT_TAKER_FEE = Decimal("0.001")
_LINK_ID = re.compile(r"^[A-Za-z0-9_-]{1,36}$")
_PRICE_PLACES = Decimal("0.00000001")


def _flag(raw: Any) -> bool:
    """Read a JSON boolean the lenient way Bybit does (true, "true", 1)."""
    return raw is True or str(raw).lower() in ("true", "1")


def _optional_price(params: dict[str, Any], key: str) -> Decimal:
    raw = params.get(key)
    if raw in (None, "", "0"):
        return ZERO
    return parse_wire_number(raw, BybitError(10001, f"params error: {key} invalid"))


class MatchingEngine:
    """Apply orders to accounts using the prices and rules of ``market``."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self._seq = itertools.count(1)

    def place(self, account: Account, params: dict[str, Any]) -> Order:
        """Validate and apply one /v5/order/create body; raise BybitError when Bybit would."""
        category = params.get("category")
        if category not in (LINEAR, SPOT):
            raise BybitError(10001, "params error: category invalid")
        symbol = str(params.get("symbol", ""))
        side = params.get("side")
        if side not in ("Buy", "Sell"):
            raise BybitError(10001, "params error: side invalid")
        if params.get("orderType") not in ("Market", "Limit"):
            raise BybitError(10001, "params error: orderType invalid")
        link = str(params.get("orderLinkId") or "")
        if link and not _LINK_ID.match(link):
            raise BybitError(10001, "params error: orderLinkId invalid")
        if link and link in account.link_ids:
            raise BybitError(110072, "OrderLinkedID is duplicate")
        if category == LINEAR:
            return self._place_linear(account, self.market.linear(symbol), params, link)
        return self._place_spot(account, self.market.spot(symbol), params, link)

    def cancel(self, account: Account, params: dict[str, Any]) -> Order:
        """Cancel an open (Limit) order by orderId or orderLinkId."""
        order = account.orders.get(str(params.get("orderId", "")))
        if order is None and params.get("orderLinkId"):
            order = account.order_by_link(str(params["orderLinkId"]))
        if order is None or not order.is_open:
            raise BybitError(110001, "order not exists or too late to cancel")
        order.status = "Cancelled"
        order.updated_ms = now_ms()
        return order

    # ------------------------------------------------------------------ linear

    def _place_linear(self, account: Account, rules: LinearRules, params: dict[str, Any],
                      link: str) -> Order:
        side = str(params["side"])
        is_market = params["orderType"] == "Market"
        qty = parse_wire_number(params.get("qty"), BybitError(10001, "Qty invalid"))
        if qty <= 0 or not is_multiple(qty, rules.qty_step):
            raise BybitError(10001, "Qty invalid")
        if qty < rules.min_order_qty:
            raise BybitError(10001, "The number of contracts exceeds minimum limit allowed")
        if qty > (rules.max_mkt_order_qty if is_market else rules.max_order_qty):
            raise BybitError(10001,
                             "The number of contracts exceeds maximum limit allowed: too large")
        idx = self._position_idx(account, params)
        reduce_only = _flag(params.get("reduceOnly", False))
        take_profit = _optional_price(params, "takeProfit")
        stop_loss = _optional_price(params, "stopLoss")
        if reduce_only and (take_profit or stop_loss):
            raise BybitError(10001, "TP/SL is not supported for reduce-only orders")
        price = self._order_price(params, rules.tick_size, self.market.price(rules.symbol))

        position = account.position(rules.symbol, idx)
        close_qty, open_qty = self._split(account, position, side, qty, reduce_only)
        if open_qty:
            self._check_open(account, rules, side, qty, open_qty, price, take_profit, stop_loss)
        order = self._new_order(account, LINEAR, rules.symbol, params, link, qty, price, idx,
                                reduce_only, "", take_profit, stop_loss)
        if is_market:
            self._fill_linear(account, order, position, close_qty, open_qty)
        return order

    @staticmethod
    def _position_idx(account: Account, params: dict[str, Any]) -> int:
        try:
            idx = int(params.get("positionIdx", 0))
        except (TypeError, ValueError):
            raise BybitError(10001, "params error: positionIdx invalid") from None
        if idx not in account.position_indexes():
            raise BybitError(10001, "position idx not match position mode")
        return idx

    @staticmethod
    def _order_price(params: dict[str, Any], tick: Decimal, last: Decimal) -> Decimal:
        if params["orderType"] == "Market":
            return last
        price = parse_wire_number(params.get("price"), BybitError(10001, "params error: price"))
        if price <= 0 or not is_multiple(price, tick):
            raise BybitError(10001, "Order price has too many decimals.")
        return price

    @staticmethod
    def _split(account: Account, position: Position, side: str, qty: Decimal,
               reduce_only: bool) -> tuple[Decimal, Decimal]:
        """Return (qty closing the row, qty opening it) for an order of ``side``."""
        if account.position_mode == HEDGE:
            closing = (position.position_idx == 1) == (side == "Sell")
        else:
            closing = position.is_open and position.side != side
        if closing and not position.is_open:
            raise BybitError(110017, "current position is zero, cannot fix reduce-only order qty")
        if reduce_only and not closing:
            if position.is_open:
                raise BybitError(110017, "Reduce-only rule not satisfied")
            raise BybitError(110017, "current position is zero, cannot fix reduce-only order qty")
        if not closing:
            return ZERO, qty
        close_qty = min(qty, position.size)
        if reduce_only or account.position_mode == HEDGE:
            return close_qty, ZERO
        return close_qty, qty - close_qty

    def _check_open(self, account: Account, rules: LinearRules, side: str, qty: Decimal,
                    open_qty: Decimal, price: Decimal, take_profit: Decimal,
                    stop_loss: Decimal) -> None:
        if qty * price < rules.min_notional_value:
            raise BybitError(110094, "The order value is lower than the minimum order value "
                             f"of {fmt(rules.min_notional_value)}USDT")
        higher, lower = ("higher", "lower") if side == "Buy" else ("lower", "higher")
        if take_profit and (take_profit <= price) == (side == "Buy"):
            raise BybitError(10001, f"TakeProfit:{fmt(take_profit)} set for {side} position "
                             f"should be {higher} than base_price:{fmt(price)}??LastPrice")
        if stop_loss and (stop_loss >= price) == (side == "Buy"):
            raise BybitError(10001, f"StopLoss:{fmt(stop_loss)} set for {side} position "
                             f"should be {lower} than base_price:{fmt(price)}??LastPrice")
        margin = open_qty * price / account.leverage_for(rules.symbol)
        if margin + qty * price * LINEAR_TAKER_FEE > account.available_usdt(self.market):
            raise BybitError(110007, "ab not enough for new order")

    def _fill_linear(self, account: Account, order: Order, position: Position,
                     close_qty: Decimal, open_qty: Decimal) -> None:
        price, qty = order.price, close_qty + open_qty
        value = qty * price
        fee = value * LINEAR_TAKER_FEE
        pnl = ZERO
        if close_qty:
            direction = 1 if position.side == "Buy" else -1
            pnl = (price - position.avg_price) * close_qty * direction
            position.size -= close_qty
            if not position.is_open:
                position.side, position.avg_price = "", ZERO
                position.take_profit = position.stop_loss = ZERO
        if open_qty:
            size = position.size + open_qty
            cost = position.avg_price * position.size + price * open_qty
            position.avg_price = (cost / size).quantize(_PRICE_PLACES).normalize()
            position.size, position.side = size, order.side
            position.take_profit = order.take_profit or position.take_profit
            position.stop_loss = order.stop_loss or position.stop_loss
        realised = pnl - fee
        position.cum_realised_pnl += realised
        position.cur_realised_pnl = realised
        position.updated_ms = now_ms()
        position.seq = seq = next(self._seq)  # the fill and the position share it
        account.balances["USDT"] = account.usdt + realised
        self._record_fill(account, order, qty, value, fee, LINEAR_TAKER_FEE, "USDT", close_qty,
                          pnl, seq)

    # -------------------------------------------------------------------- spot

    def _place_spot(self, account: Account, rules: SpotRules, params: dict[str, Any],
                    link: str) -> Order:
        side = str(params["side"])
        is_market = params["orderType"] == "Market"
        default_unit = "quoteCoin" if side == "Buy" and is_market else "baseCoin"
        unit = str(params.get("marketUnit") or default_unit) if is_market else "baseCoin"
        qty = parse_wire_number(params.get("qty"), BybitError(10001, "Qty invalid"))
        price = self._order_price(params, rules.tick_size, self.market.price(rules.symbol))
        if unit == "quoteCoin":
            if not is_multiple(qty, rules.quote_precision):
                raise BybitError(170148, "Market order amount decimal too long.")
            base = (qty / price).quantize(rules.base_precision, rounding=ROUND_DOWN)
        else:
            if not is_multiple(qty, rules.base_precision):
                raise BybitError(170137, "Order quantity has too many decimals.")
            base = qty
        value = base * price
        notional = qty if unit == "quoteCoin" else value
        if base <= 0 or notional < rules.min_order_amt:
            raise BybitError(170140, "Order value exceeded lower limit.")
        if side == "Buy" and notional > account.usdt:
            raise BybitError(170131, "Insufficient balance.")
        if side == "Sell" and base > account.balance(rules.base_coin):
            raise BybitError(170131, "Insufficient balance.")
        order = self._new_order(account, SPOT, rules.symbol, params, link, qty, price, 0, False,
                                unit, _optional_price(params, "takeProfit"),
                                _optional_price(params, "stopLoss"))
        if is_market:
            self._fill_spot(account, rules, order, base, value)
        return order

    def _fill_spot(self, account: Account, rules: SpotRules, order: Order, base: Decimal,
                   value: Decimal) -> None:
        coin = rules.base_coin
        if order.side == "Buy":
            fee, fee_coin = base * SPOT_TAKER_FEE, coin
            account.balances["USDT"] = account.usdt - value
            account.balances[coin] = account.balance(coin) + base - fee
        else:
            fee, fee_coin = value * SPOT_TAKER_FEE, "USDT"
            account.balances[coin] = account.balance(coin) - base
            account.balances["USDT"] = account.usdt + value - fee
        self._record_fill(account, order, base, value, fee, SPOT_TAKER_FEE, fee_coin, ZERO)

    # ------------------------------------------------------------------ common

    def _new_order(self, account: Account, category: str, symbol: str, params: dict[str, Any],
                   link: str, qty: Decimal, price: Decimal, idx: int, reduce_only: bool,
                   unit: str, take_profit: Decimal, stop_loss: Decimal) -> Order:
        is_market = params["orderType"] == "Market"
        order = Order(
            order_id=str(uuid.uuid4()), order_link_id=link, category=category, symbol=symbol,
            side=str(params["side"]), order_type=str(params["orderType"]), qty=qty, price=price,
            position_idx=idx, reduce_only=reduce_only, market_unit=unit,
            take_profit=take_profit, stop_loss=stop_loss,
            time_in_force="IOC" if is_market else str(params.get("timeInForce") or "GTC"),
        )
        account.orders[order.order_id] = order
        if link:
            account.link_ids[link] = order.order_id
        return order

    def _record_fill(self, account: Account, order: Order, qty: Decimal, value: Decimal,
                     fee: Decimal, rate: Decimal, fee_coin: str, closed: Decimal,
                     pnl: Decimal = ZERO, seq: int | None = None) -> None:
        stamp = now_ms()
        order.status = "Filled"
        order.avg_price = order.price
        order.cum_exec_qty, order.cum_exec_value, order.cum_exec_fee = qty, value, fee
        order.fee_currency, order.updated_ms = fee_coin, stamp
        if order.category == LINEAR and qty < order.qty:
            order.qty = qty  # a reduce-only order larger than the position is capped
        account.executions.append(Execution(
            exec_id=str(uuid.uuid4()), order_id=order.order_id,
            order_link_id=order.order_link_id, category=order.category, symbol=order.symbol,
            side=order.side, order_type=order.order_type, order_qty=order.qty,
            exec_price=order.price, exec_qty=qty, exec_value=value, exec_fee=fee, fee_rate=rate,
            fee_currency=fee_coin, closed_size=closed, exec_ms=stamp,
            seq=next(self._seq) if seq is None else seq, exec_pnl=pnl,
        ))
