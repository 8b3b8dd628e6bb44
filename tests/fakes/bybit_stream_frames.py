"""JSON shapes of the fake Bybit's WebSocket streams: topic items and the answers to ops.

Pure functions over the state in ``bybit_state.py`` and the prices in ``bybit_market.py``;
the connections that send them live in ``bybit_stream_conn.py`` and ``bybit_streams.py``.
Shapes follow Bybit's V5 docs (``docs/v5/websocket/private/*.mdx``, ``public/ticker.mdx``,
``wss-authentication.mdx``).
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.fakes.bybit_market import LINEAR, SPOT, Market, fmt
from tests.fakes.bybit_state import Account, Execution, Order

PRIVATE = "private"
# The all-in-one topics and the categorised ones this fake serves (position is derivatives
# only). Bybit also knows ``greeks`` and ``execution.fast``; the fake refuses them.
PRIVATE_TOPICS = frozenset({
    "order", "execution", "position", "wallet",
    "order.linear", "order.spot", "execution.linear", "execution.spot", "position.linear",
})

_LINEAR_TICKER_FIELDS = (
    "symbol", "tickDirection", "price24hPcnt", "lastPrice", "prevPrice24h", "highPrice24h",
    "lowPrice24h", "prevPrice1h", "markPrice", "indexPrice", "openInterest",
    "openInterestValue", "turnover24h", "volume24h", "nextFundingTime", "fundingRate",
    "bid1Price", "bid1Size", "ask1Price", "ask1Size",
)
_SPOT_TICKER_FIELDS = (
    "symbol", "lastPrice", "highPrice24h", "lowPrice24h", "prevPrice24h", "volume24h",
    "turnover24h", "price24hPcnt", "usdIndexPrice",
)


# ------------------------------------------------------------------ private topics


def topic_frame(topic: str, data: list[dict[str, Any]], creation_ms: int) -> dict[str, Any]:
    """Return Bybit's private envelope ``{id, topic, creationTime, data}``."""
    return {"id": str(uuid.uuid4()), "topic": topic, "creationTime": creation_ms, "data": data}


def order_item(order: Order, fills: list[Execution]) -> dict[str, Any]:
    """Return one ``order`` item: the REST order JSON plus ``category``, ``feeCurrency`` (spot
    only, ``""`` otherwise, as Bybit documents it) and ``closedPnl`` (the gross PnL of the
    order's fills so far that closed a position)."""
    item = order.as_json()
    item["category"] = order.category
    item["feeCurrency"] = order.fee_currency if order.category == SPOT and fills else ""
    item["closedPnl"] = fmt(order.closed_pnl)
    if order.category == SPOT:  # "Spot, Option do not have this key" (createType, tpslMode)
        item.pop("createType", None)
        item.pop("tpslMode", None)
    return item


def execution_item(fill: Execution) -> dict[str, Any]:
    """Return one ``execution`` item: the /v5/execution/list item plus ``category``,
    ``execPnl`` and ``isLeverage``."""
    item = fill.as_json()
    item["category"] = fill.category
    item["execPnl"] = fmt(fill.exec_pnl)
    item["isLeverage"] = "0" if fill.category == SPOT else ""
    return item


def position_items(account: Account, market: Market, symbol: str) -> list[dict[str, Any]]:
    """Return the ``position`` items of every positionIdx row of ``symbol``: the REST row
    with ``category``, and ``entryPrice`` in place of REST's ``avgPrice`` (Bybit's stream
    names it so)."""
    items = []
    for row in account.position_rows(symbol):
        item = row.as_json(market.price(symbol), account.leverage_for(symbol))
        item["entryPrice"] = item.pop("avgPrice")
        item["category"] = LINEAR
        items.append(item)
    return items


def wallet_item(account: Account, market: Market) -> dict[str, Any]:
    """Return the ``wallet`` item: the UNIFIED account of /v5/account/wallet-balance."""
    item: dict[str, Any] = account.wallet_json(market, None)["list"][0]
    return item


# -------------------------------------------------------------------- public tickers


def ticker_snapshot(market: Market, category: str, symbol: str) -> dict[str, Any]:
    """Return the full ``tickers.<symbol>`` data of ``category``."""
    rest = market.ticker_json(category, symbol)
    if category == LINEAR:
        rest["tickDirection"] = "ZeroPlusTick"
        return {key: rest[key] for key in _LINEAR_TICKER_FIELDS}
    return {key: rest[key] for key in _SPOT_TICKER_FIELDS}


def ticker_delta(market: Market, symbol: str) -> dict[str, Any]:
    """Return a linear ``delta``: only what a price move changes."""
    price = fmt(market.price(symbol))
    return {"symbol": symbol, "lastPrice": price, "markPrice": price}


def ticker_frame(symbol: str, kind: str, data: dict[str, Any], cs: int,
                 ts: int) -> dict[str, Any]:
    """Return Bybit's public envelope ``{topic, type, data, cs, ts}``."""
    return {"topic": f"tickers.{symbol}", "type": kind, "data": data, "cs": cs, "ts": ts}


# --------------------------------------------------------------------- op answers


def private_answer(op: str, conn_id: str, req_id: Any, success: bool,
                   ret_msg: str) -> dict[str, Any]:
    """Return the private answer to auth/subscribe/unsubscribe (``req_id`` only if sent)."""
    answer: dict[str, Any] = {"success": success, "ret_msg": ret_msg, "op": op,
                              "conn_id": conn_id}
    if req_id is not None:
        answer["req_id"] = req_id
    return answer


def private_pong(conn_id: str, req_id: Any, server_ms: int) -> dict[str, Any]:
    """Return the private pong ``{req_id, op: "pong", args: [ms], conn_id}``."""
    answer: dict[str, Any] = {}
    if req_id is not None:
        answer["req_id"] = req_id
    answer.update({"op": "pong", "args": [str(server_ms)], "conn_id": conn_id})
    return answer


def public_answer(category: str, op: str, conn_id: str, req_id: Any, success: bool,
                  ret_msg: str) -> dict[str, Any]:
    """Return the public answer: linear always carries ``req_id`` (``""`` if none was sent),
    spot only when one was sent (Bybit's examples)."""
    answer: dict[str, Any] = {"success": success, "ret_msg": ret_msg, "conn_id": conn_id}
    if category == LINEAR or req_id is not None:
        answer["req_id"] = "" if req_id is None else req_id
    answer["op"] = op
    return answer
