"""Matching engine of the fake Bybit: validate /v5/order/create like Bybit, fill or rest it.

Market orders fill at once, completely, at the current price (taker). A ``Limit`` order whose
price crosses the market (Buy at or above the price, Sell at or below) fills at once as a
taker at the current price — the book's best price, never worse than its limit — unless it is
``PostOnly`` (then it is cancelled, ``EC_PostOnlyWillTakeLiquidity``); otherwise it rests
(``GTC``; ``IOC``/``FOK`` are cancelled, nothing being there to fill them) until a price move
crosses it (``bybit_triggers.py``) or it is cancelled. Error codes and messages follow the live
exchange where known. Filling and cancelling are in ``bybit_fills.py``.
"""

from __future__ import annotations

import re
import uuid
from decimal import ROUND_DOWN, Decimal
from typing import Any

from tests.fakes.bybit_fills import CANCEL_BY_USER, Change
from tests.fakes.bybit_market import (
    LINEAR,
    LINEAR_TAKER_FEE,
    SPOT,
    SPOT_TAKER_FEE,
    BybitError,
    LinearRules,
    Market,
    SpotRules,
    fmt,
    is_multiple,
    parse_wire_number,
)
from tests.fakes.bybit_state import HEDGE, ZERO, Account, Order, Position
from tests.fakes.bybit_tpsl import stop_loss_error, take_profit_error
from tests.fakes.bybit_triggers import Triggers

__all__ = ["LINEAR_TAKER_FEE", "SPOT_TAKER_FEE", "Change", "MatchingEngine"]

_LINK_ID = re.compile(r"^[A-Za-z0-9_-]{1,36}$")
_TIME_IN_FORCE = ("GTC", "IOC", "FOK", "PostOnly")
_NOT_FOUND = "order not exists or too late to cancel"
_CLOSED = "The order has been completed or cancelled."


def _flag(raw: Any) -> bool:
    """Read a JSON boolean the lenient way Bybit does (true, "true", 1)."""
    return raw is True or str(raw).lower() in ("true", "1")


def _optional_price(params: dict[str, Any], key: str) -> Decimal:
    raw = params.get(key)
    if raw in (None, "", "0"):
        return ZERO
    return parse_wire_number(raw, BybitError(10001, f"params error: {key} invalid"))


def _crosses(side: str, price: Decimal, last: Decimal) -> bool:
    return price >= last if side == "Buy" else price <= last


class MatchingEngine(Triggers):
    """Apply orders to accounts using the prices and rules of ``market``."""

    def __init__(self, market: Market) -> None:
        super().__init__(market)

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
        if params["orderType"] == "Limit" and params.get("timeInForce") not in (
                None, "", *_TIME_IN_FORCE):
            raise BybitError(10001, "params error: timeInForce invalid")
        link = str(params.get("orderLinkId") or "")
        if link and not _LINK_ID.match(link):
            raise BybitError(10001, "params error: orderLinkId invalid")
        if link and link in account.link_ids:
            raise BybitError(110072, "OrderLinkedID is duplicate")
        if category == LINEAR:
            return self._place_linear(account, self.market.linear(symbol), params, link)
        return self._place_spot(account, self.market.spot(symbol), params, link)

    def cancel(self, account: Account, params: dict[str, Any]) -> Order:
        """Cancel an open (Limit) order by orderId (first) or orderLinkId: ``110001`` if no
        such order, ``110008`` if it is already filled or cancelled."""
        order = account.orders.get(str(params.get("orderId") or ""))
        if order is None and params.get("orderLinkId"):
            order = account.order_by_link(str(params["orderLinkId"]))
        if order is None or (order.symbol, order.category) != (
                params.get("symbol", order.symbol), params.get("category", order.category)):
            raise BybitError(110001, _NOT_FOUND)
        if not order.is_open:
            raise BybitError(110008, _CLOSED)
        self._cancel(account, order, CANCEL_BY_USER)
        return order

    def cancel_all(self, account: Account, params: dict[str, Any]) -> list[Order]:
        """Cancel every open order of ``category`` (and ``symbol``, ``baseCoin`` or
        ``settleCoin``, one of which linear needs); return them in placing order."""
        category = params.get("category")
        if category not in (LINEAR, SPOT):
            raise BybitError(10001, "params error: category invalid")
        symbol, base, settle = (params.get(k) for k in ("symbol", "baseCoin", "settleCoin"))
        if category == LINEAR and not (symbol or base or settle):
            raise BybitError(10001, "Missing some parameters that must be filled in, symbol "
                             "or settleCoin or baseCoin")
        chosen = [o for o in account.resting.values() if o.category == category and (
            o.symbol == symbol if symbol else
            self.market.rules[category][o.symbol].base_coin == base if base else
            settle in (None, "USDT"))]
        for order in chosen:
            self._cancel(account, order, CANCEL_BY_USER)
        return chosen

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
        last = self.market.price(rules.symbol)
        price = self._order_price(params, rules.tick_size, last)

        position = account.position(rules.symbol, idx)
        open_qty = self._split(account, position, side, qty, reduce_only)
        if open_qty:
            self._check_open(account, rules, side, qty, open_qty, price, take_profit, stop_loss)
        order = self._new_order(account, LINEAR, rules.symbol, params, link, qty, price, idx,
                                reduce_only, "", take_profit, stop_loss)
        if is_market:
            self._match(account, order, last, maker=False)
        else:
            self._place_limit(account, order)
        return order

    def _place_limit(self, account: Account, order: Order) -> None:
        """Fill a new Limit order at once as a taker if it crosses the market, else rest it
        (PostOnly that would take, and IOC/FOK that cannot, are cancelled)."""
        last = self.market.price(order.symbol)
        crossing = _crosses(order.side, order.price, last)
        if crossing and order.time_in_force == "PostOnly":
            self._cancel(account, order, "UNKNOWN", "EC_PostOnlyWillTakeLiquidity")
        elif crossing:
            self._match(account, order, last, maker=False)
        elif order.time_in_force in ("IOC", "FOK"):
            reason = "EC_NoImmediateQtyToFill" if order.time_in_force == "IOC" else (
                "EC_CancelForNoFullFill")
            self._cancel(account, order, "UNKNOWN", reason)
        else:
            account.resting[order.order_id] = order
            self._note(account, order, [])

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
               reduce_only: bool) -> Decimal:
        """Return the qty of an order of ``side`` that would open (or add to) the row;
        raise 110017 for a closing or reduce-only order with nothing to close."""
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
            return qty
        if reduce_only or account.position_mode == HEDGE:
            return ZERO
        return max(qty - position.size, ZERO)

    def _check_open(self, account: Account, rules: LinearRules, side: str, qty: Decimal,
                    open_qty: Decimal, price: Decimal, take_profit: Decimal,
                    stop_loss: Decimal) -> None:
        if qty * price < rules.min_notional_value:
            raise BybitError(110094, "The order value is lower than the minimum order value "
                             f"of {fmt(rules.min_notional_value)}USDT")
        error = (take_profit_error(side, take_profit, price) if take_profit else None) or (
            stop_loss_error(side, stop_loss, price) if stop_loss else None)
        if error is not None:
            raise error
        margin = open_qty * price / account.leverage_for(rules.symbol)
        if margin + qty * price * LINEAR_TAKER_FEE > account.available_usdt(self.market):
            raise BybitError(110007, "ab not enough for new order")

    # -------------------------------------------------------------------- spot

    def _place_spot(self, account: Account, rules: SpotRules, params: dict[str, Any],
                    link: str) -> Order:
        side = str(params["side"])
        is_market = params["orderType"] == "Market"
        default_unit = "quoteCoin" if side == "Buy" and is_market else "baseCoin"
        unit = str(params.get("marketUnit") or default_unit) if is_market else "baseCoin"
        qty = parse_wire_number(params.get("qty"), BybitError(10001, "Qty invalid"))
        last = self.market.price(rules.symbol)
        price = self._order_price(params, rules.tick_size, last)
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
            self._match(account, order, last, maker=False, base=base)
        else:
            self._place_limit(account, order)
        return order

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
            last_price=self.market.price(symbol),
        )
        account.orders[order.order_id] = order
        if link:
            account.link_ids[link] = order.order_id
        return order
