"""Read endpoints of the fake Bybit for an account's trading: open orders and order history,
executions and positions.

``QueryEndpoints`` is the part of ``FakeBybit`` (which inherits it) that answers
``GET /v5/order/realtime`` (open orders, and any order asked for by orderId/orderLinkId),
``/v5/order/history``, ``/v5/execution/list`` and ``/v5/position/list``, newest first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.fakes.bybit_market import LINEAR, SPOT, BybitError, Market
from tests.fakes.bybit_state import Account, positions_json
from tests.fakes.bybit_wire import Params, category_param, limit_param


class QueryEndpoints:
    """Order, execution and position queries of ``FakeBybit``."""

    if TYPE_CHECKING:
        market: Market

    def _open_orders(self, account: Account | None, params: Params) -> Params:
        return self._order_query(account, params, open_only=True)

    def _order_history(self, account: Account | None, params: Params) -> Params:
        return self._order_query(account, params, open_only=False)

    def _order_query(self, account: Account | None, params: Params, *,
                     open_only: bool) -> Params:
        assert account is not None
        category = category_param(params, (LINEAR, SPOT))
        if open_only and category == LINEAR and not any(
                params.get(k) for k in ("symbol", "baseCoin", "settleCoin")):
            raise BybitError(10001, "Missing some parameters that must be filled in, "
                             "symbol or settleCoin or baseCoin")
        order_id, link = params.get("orderId"), params.get("orderLinkId")
        found = [o for o in reversed(account.orders.values())
                 if o.category == category
                 and params.get("symbol") in (None, o.symbol)
                 and order_id in (None, o.order_id)
                 and link in (None, o.order_link_id)
                 and (o.is_open or not open_only or order_id or link)]
        found = found[:limit_param(params, 20, 50)]
        return {"category": category, "list": [o.as_json() for o in found],
                "nextPageCursor": ""}

    def _executions(self, account: Account | None, params: Params) -> Params:
        assert account is not None
        category = category_param(params, (LINEAR, SPOT))
        found = [e for e in reversed(account.executions)
                 if e.category == category
                 and params.get("symbol") in (None, e.symbol)
                 and params.get("orderId") in (None, e.order_id)
                 and params.get("orderLinkId") in (None, e.order_link_id)]
        found = found[:limit_param(params, 50, 100)]
        return {"category": category, "list": [e.as_json() for e in found],
                "nextPageCursor": ""}

    def _positions(self, account: Account | None, params: Params) -> Params:
        assert account is not None
        category_param(params, (LINEAR,))
        symbol, settle = params.get("symbol"), params.get("settleCoin")
        if symbol:
            self.market.linear(symbol)
            rows = account.position_rows(symbol)
        elif settle:
            rows = [p for p in account.open_positions() if settle == "USDT"]
        else:
            raise BybitError(10001, "Missing some parameters that must be filled in, "
                             "symbol or settleCoin")
        return positions_json(account, self.market, rows[:limit_param(params, 20, 200)])
