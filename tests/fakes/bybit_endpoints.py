"""Trading endpoints of the fake Bybit: orders one by one and in batches, and trading-stop.

``OrderEndpoints`` is the part of ``FakeBybit`` (which inherits it) that answers

* ``POST /v5/order/create`` and ``/v5/order/cancel``;
* ``POST /v5/order/create-batch``: at most 20 linear / 10 spot orders (more: ``10001`` for the
  whole request); each is placed like ``create``, in order, and may fail alone —
  ``result.list`` has one ``{category, symbol, orderId, orderLinkId, createAt}`` per item
  (ids empty for a failed one) and ``retExtInfo.list`` one ``{code, msg}``;
* ``POST /v5/order/cancel-batch``: the same per-item shape (without ``createAt``); an item
  already filled or cancelled gets ``110008``, an unknown one ``110001``;
* ``POST /v5/order/cancel-all``: ``{list: [{orderId, orderLinkId}], success: "1"}``;
* ``POST /v5/position/trading-stop`` (``bybit_tpsl.py``): ``result`` ``{}``, and the position
  pushed on the stream.

The engine records what each call changed; ``FakeBybit._process`` pushes it on the streams.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.fakes.bybit_market import LINEAR, SPOT, BybitError, Market, now_ms
from tests.fakes.bybit_orders import MatchingEngine
from tests.fakes.bybit_records import AcceptedOrder
from tests.fakes.bybit_state import Account, Order
from tests.fakes.bybit_tpsl import apply_trading_stop
from tests.fakes.bybit_wire import Answer, Params, category_param

BATCH_LIMITS = {LINEAR: 20, SPOT: 10}
_OK = {"code": 0, "msg": "OK"}


def _trader(account: Account | None) -> Account:
    assert account is not None
    if not account.can_trade:
        raise BybitError(10005, "Permission denied, please check your API key permissions.")
    return account


def _batch(params: Params, category: str) -> list[Any]:
    items = params.get("request")
    if not isinstance(items, list) or not items:
        raise BybitError(10001, "params error: request invalid")
    if len(items) > BATCH_LIMITS[category]:
        raise BybitError(10001, f"params error: a batch holds at most "
                         f"{BATCH_LIMITS[category]} {category} orders")
    return items


class OrderEndpoints:
    """Order and trading-stop handlers of ``FakeBybit``."""

    if TYPE_CHECKING:
        market: Market
        engine: MatchingEngine
        order_log: list[AcceptedOrder]

        def _wake_order_waiters(self) -> None: ...

        def _position_changed(self, account: Account, symbol: str) -> None: ...

    def _accepted(self, account: Account, order: Order) -> None:
        self.order_log.append(AcceptedOrder(
            account.api_key, order.order_link_id, order.symbol, order.side, order.qty,
            order.reduce_only, order.position_idx, order.category, order.take_profit,
            order.stop_loss, order.order_id, order.order_type))
        self._wake_order_waiters()

    def _create_order(self, account: Account | None, params: Params) -> Params:
        trader = _trader(account)
        order = self.engine.place(trader, params)
        self._accepted(trader, order)
        return {"orderId": order.order_id, "orderLinkId": order.order_link_id}

    def _cancel_order(self, account: Account | None, params: Params) -> Params:
        trader = _trader(account)
        category_param(params, (LINEAR, SPOT))
        order = self.engine.cancel(trader, params)
        return {"orderId": order.order_id, "orderLinkId": order.order_link_id}

    def _create_batch(self, account: Account | None, params: Params) -> Answer:
        trader = _trader(account)
        category = category_param(params, (LINEAR, SPOT))
        results, codes = [], []
        for item in _batch(params, category):
            body = item if isinstance(item, dict) else {}
            try:
                order = self.engine.place(trader, {**body, "category": category})
            except BybitError as exc:
                results.append({"category": category, "symbol": str(body.get("symbol", "")),
                                "orderId": "", "orderLinkId": str(body.get("orderLinkId") or ""),
                                "createAt": ""})
                codes.append({"code": exc.ret_code, "msg": exc.ret_msg})
                continue
            self._accepted(trader, order)
            results.append({"category": category, "symbol": order.symbol,
                            "orderId": order.order_id, "orderLinkId": order.order_link_id,
                            "createAt": str(order.created_ms)})
            codes.append(_OK)
        return Answer({"list": results}, {"list": codes})

    def _cancel_batch(self, account: Account | None, params: Params) -> Answer:
        trader = _trader(account)
        category = category_param(params, (LINEAR, SPOT))
        results, codes = [], []
        for item in _batch(params, category):
            body = item if isinstance(item, dict) else {}
            found = {"category": category, "symbol": str(body.get("symbol", "")),
                     "orderId": str(body.get("orderId") or ""),
                     "orderLinkId": str(body.get("orderLinkId") or "")}
            try:
                if not (found["orderId"] or found["orderLinkId"]):
                    raise BybitError(10001, "params error: orderId or orderLinkId is required")
                order = self.engine.cancel(trader, {**body, "category": category})
            except BybitError as exc:
                results.append(found)
                codes.append({"code": exc.ret_code, "msg": exc.ret_msg})
                continue
            results.append(found | {"orderId": order.order_id,
                                    "orderLinkId": order.order_link_id})
            codes.append(_OK)
        return Answer({"list": results}, {"list": codes})

    def _cancel_all(self, account: Account | None, params: Params) -> Params:
        cancelled = self.engine.cancel_all(_trader(account), params)
        return {"list": [{"orderId": o.order_id, "orderLinkId": o.order_link_id}
                         for o in cancelled], "success": "1"}

    def _trading_stop(self, account: Account | None, params: Params) -> Params:
        trader = _trader(account)
        position = apply_trading_stop(self.market, trader, params)
        position.updated_ms = now_ms()
        self._position_changed(trader, position.symbol)
        return {}
