"""Wire side of the fake Bybit: the response envelope, request params, and HMAC authentication.

``authenticate`` checks a request the way Bybit v5 does: the four ``X-BAPI-*`` headers (HTTP
401 without them), a known key (10003), the timestamp within ``recv_window`` of the fake's
clock (10002), and the HMAC-SHA256 signature over timestamp + key + window + payload (10004).
The HTTP server that uses all this lives in ``tests/fakes/bybit.py``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from aiohttp import web

from tests.fakes.bybit_market import BybitError
from tests.fakes.bybit_state import Account

_AUTH_HEADERS = ("X-BAPI-API-KEY", "X-BAPI-SIGN", "X-BAPI-TIMESTAMP", "X-BAPI-RECV-WINDOW")

Params = dict[str, Any]


class Answer(NamedTuple):
    """A handler's answer that also fills ``retExtInfo`` (the batch endpoints' per-item
    ``{"list": [{"code", "msg"}, ...]}``)."""

    result: Any
    ext: Any


class HttpStatus(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def category_param(params: Params, allowed: tuple[str, ...]) -> str:
    """Return ``params["category"]`` if it is one of ``allowed``, else raise Bybit's 10001."""
    category = str(params.get("category", ""))
    if category not in allowed:
        raise BybitError(10001, "params error: category invalid")
    return category


def limit_param(params: Params, default: int, maximum: int) -> int:
    """Return the ``limit`` param (``default`` when absent), 10001 outside 1..``maximum``."""
    try:
        value = int(params.get("limit", default))
    except ValueError:
        raise BybitError(10001, "params error: limit invalid") from None
    if not 1 <= value <= maximum:
        raise BybitError(10001, "params error: limit invalid")
    return value


def envelope(ret_code: int, ret_msg: str, result: Any, status: int = 200,
             ext: Any = None) -> web.Response:
    body = {"retCode": ret_code, "retMsg": ret_msg, "result": result,
            "retExtInfo": {} if ext is None else ext, "time": int(time.time() * 1000)}
    now = int(time.time() * 1000)
    headers = {"X-Bapi-Limit": "10", "X-Bapi-Limit-Status": "9",
               "X-Bapi-Limit-Reset-Timestamp": str(now + 100)}
    return web.json_response(body, status=status, headers=headers)


def request_params(request: web.Request, body: str) -> Params:
    if request.method == "GET":
        return dict(request.query)
    try:
        loaded = json.loads(body) if body else {}
    except json.JSONDecodeError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def authenticate(request: web.Request, body: str, accounts: Mapping[str, Account],
                 clock: Callable[[], int]) -> Account:
    headers = request.headers
    values = [headers.get(name) for name in _AUTH_HEADERS]
    if not all(values):
        raise HttpStatus(401)
    key, sign, stamp, window = (str(v) for v in values)
    account = accounts.get(key)
    if account is None:
        raise BybitError(10003, "API key is invalid.")
    server = clock()
    try:
        in_window = server - int(window) <= int(stamp) < server + 1000
    except ValueError:
        in_window = False
    if not in_window:
        raise BybitError(10002, "invalid request, please check your server timestamp or "
                         f"recv_window param. req_timestamp[{stamp}],"
                         f"server_timestamp[{server}],recv_window[{window}]")
    payload = request.rel_url.raw_query_string if request.method == "GET" else body
    origin = stamp + key + window + payload
    expected = hmac.new(account.api_secret.encode(), origin.encode(),
                        hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, sign):
        raise BybitError(10004, f"error sign! origin_string[{origin}]")
    return account
