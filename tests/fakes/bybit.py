"""A fake Bybit v5 REST server on 127.0.0.1 for tests: real HTTP, real HMAC, Bybit's error codes.

    fake = FakeBybit()
    await fake.start()                      # fake.url == "http://127.0.0.1:<port>"
    fake.add_account("key", "secret", position_mode="hedge")
    session = HTTP(api_key="key", api_secret="secret"); session.endpoint = fake.url
    ...
    await fake.stop()

Faults: ``inject`` (retCode, HTTP status, garbage body, dropped connection, delay; with
``after=True`` the request is processed first and only the answer is lost), ``hold`` (park a
request until released), ``set_latency``. Observation: ``requests``, ``order_log``,
``account(key)``, ``wait_for_orders(n)``, ``duplicate_link_ids()``.

The state lives in ``bybit_state.py``, the rules and prices in ``bybit_market.py`` and the
matching engine in ``bybit_orders.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import socket
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple
from urllib.parse import unquote

from aiohttp import web

from tests.fakes.bybit_market import (
    LINEAR,
    SPOT,
    BybitError,
    LinearRules,
    Market,
    Rules,
    dec,
    is_multiple,
)
from tests.fakes.bybit_orders import MatchingEngine
from tests.fakes.bybit_state import (
    HEDGE,
    ONE_WAY,
    Account,
    PositionMode,
    positions_json,
)

__all__ = ["AcceptedOrder", "Account", "BybitError", "FakeBybit", "Hold", "RecordedRequest"]

_AUTH_HEADERS = ("X-BAPI-API-KEY", "X-BAPI-SIGN", "X-BAPI-TIMESTAMP", "X-BAPI-RECV-WINDOW")
_DEFAULT_FAULT_MESSAGES = {
    10006: "Too many visits!",
    10016: "Internal server error.",
    10029: "The requested symbol is invalid.",
    10002: "invalid request, please check your server timestamp or recv_window param",
}
GARBAGE_BODY = "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>"

Params = dict[str, Any]
_Handler = Callable[[Account | None, Params], Params]


class RecordedRequest(NamedTuple):
    """One request as the fake saw it (params decoded: query for GET, JSON body for POST)."""

    method: str
    path: str
    params: Params
    api_key: str | None


class AcceptedOrder(NamedTuple):
    """One order the fake accepted (placed), in arrival order."""

    api_key: str
    order_link_id: str
    symbol: str
    side: str
    qty: Decimal
    reduce_only: bool
    position_idx: int
    category: str
    take_profit: Decimal
    stop_loss: Decimal
    order_id: str
    order_type: str


@dataclass
class _Fault:
    ret_code: int | None
    ret_msg: str
    http_status: int | None
    delay: float
    garbage: bool
    close: bool
    after: bool
    remaining: int


class Hold:
    """A parked request: ``await held.arrived()`` then ``held.release()``."""

    def __init__(self, path: str, after: bool) -> None:
        self.path = path
        self.after = after
        self._arrived = asyncio.Event()
        self._released = asyncio.Event()

    async def arrived(self, timeout: float = 5.0) -> None:
        """Wait until a request to ``path`` reached the fake and is being held."""
        await asyncio.wait_for(self._arrived.wait(), timeout)

    def release(self) -> None:
        """Let the held request continue (it is then processed and answered)."""
        self._released.set()

    @property
    def has_arrived(self) -> bool:
        """Return True once a request was caught by this hold."""
        return self._arrived.is_set()

    async def _park(self) -> None:
        self._arrived.set()
        await self._released.wait()


class _HttpStatus(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _envelope(ret_code: int, ret_msg: str, result: Any, status: int = 200) -> web.Response:
    body = {"retCode": ret_code, "retMsg": ret_msg, "result": result, "retExtInfo": {},
            "time": int(time.time() * 1000)}
    now = int(time.time() * 1000)
    headers = {"X-Bapi-Limit": "10", "X-Bapi-Limit-Status": "9",
               "X-Bapi-Limit-Reset-Timestamp": str(now + 100)}
    return web.json_response(body, status=status, headers=headers)


def _limit(params: Params, default: int, maximum: int) -> int:
    try:
        value = int(params.get("limit", default))
    except ValueError:
        raise BybitError(10001, "params error: limit invalid") from None
    if not 1 <= value <= maximum:
        raise BybitError(10001, "params error: limit invalid")
    return value


def _category(params: Params, allowed: tuple[str, ...]) -> str:
    category = str(params.get("category", ""))
    if category not in allowed:
        raise BybitError(10001, "params error: category invalid")
    return category


class FakeBybit:
    """Fake Bybit v5 REST exchange serving pybit over real HTTP on 127.0.0.1."""

    def __init__(self) -> None:
        self.market = Market()
        self.engine = MatchingEngine(self.market)
        self.url = ""
        self.requests: list[RecordedRequest] = []
        self.order_log: list[AcceptedOrder] = []
        self.clock_offset_ms = 0
        self._accounts: dict[str, Account] = {}
        self._faults: dict[str, list[_Fault]] = {}
        self._holds: dict[str, list[Hold]] = {}
        self._every_hold: list[Hold] = []
        self._latency = 0.0
        self._order_waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._routes: dict[tuple[str, str], tuple[_Handler, bool]] = {
            ("GET", "/v5/market/time"): (self._server_time, False),
            ("GET", "/v5/market/tickers"): (self._tickers, False),
            ("GET", "/v5/market/instruments-info"): (self._instruments, False),
            ("POST", "/v5/order/create"): (self._create_order, True),
            ("POST", "/v5/order/cancel"): (self._cancel_order, True),
            ("GET", "/v5/order/realtime"): (self._open_orders, True),
            ("GET", "/v5/order/history"): (self._order_history, True),
            ("GET", "/v5/execution/list"): (self._executions, True),
            ("GET", "/v5/position/list"): (self._positions, True),
            ("POST", "/v5/position/set-leverage"): (self._set_leverage, True),
            ("POST", "/v5/position/switch-mode"): (self._switch_mode, True),
            ("GET", "/v5/account/wallet-balance"): (self._wallet_balance, True),
            ("GET", "/v5/account/info"): (self._account_info, True),
            ("GET", "/v5/user/query-api"): (self._api_key_info, True),
        }

    # ------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port and set ``self.url``."""
        self._stopping.clear()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        site = web.SockSite(self._runner, sock)
        await site.start()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"

    async def stop(self) -> None:
        """Release held and delayed requests and shut the server down."""
        self._stopping.set()
        for held in self._every_hold:
            held.release()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBybit:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --------------------------------------------------------------- set-up

    def add_account(self, api_key: str, api_secret: str, *, env: str = "real",
                    usdt: Decimal | str | int = Decimal("10000"),
                    position_mode: PositionMode = ONE_WAY, can_trade: bool = True,
                    coins: Mapping[str, Decimal | str | int] | None = None) -> Account:
        """Create an account; ``coins`` adds other balances (e.g. ``{"BTC": "0.5"}``)."""
        if position_mode not in (ONE_WAY, HEDGE):
            raise ValueError(f"position_mode must be {ONE_WAY!r} or {HEDGE!r}")
        balances = {"USDT": dec(usdt)} | {c: dec(v) for c, v in (coins or {}).items()}
        account = Account(api_key=api_key, api_secret=api_secret, env=env,
                          position_mode=position_mode, can_trade=can_trade, balances=balances)
        self._accounts[api_key] = account
        return account

    def account(self, api_key: str) -> Account:
        """Return the live state of the account with ``api_key`` (for assertions)."""
        return self._accounts[api_key]

    def set_price(self, symbol: str, price: Decimal | str | int | float) -> None:
        """Set the last/mark price of ``symbol`` (linear and spot share it)."""
        self.market.set_price(symbol, price)

    def set_instrument(self, category: str, symbol: str, **overrides: Any) -> Rules:
        """Override instrument rules, e.g. ``set_instrument("linear", "BTCUSDT",
        max_mkt_order_qty="1")`` (camelCase keys such as ``maxMktOrderQty`` work too)."""
        return self.market.set_instrument(category, symbol, **overrides)

    def set_clock_offset(self, seconds: float) -> None:
        """Shift the fake's clock (server time and the 10002 timestamp check)."""
        self.clock_offset_ms = int(seconds * 1000)

    def server_ms(self) -> int:
        """Return the fake's clock in milliseconds."""
        return int(time.time() * 1000) + self.clock_offset_ms

    # --------------------------------------------------------------- faults

    def inject(self, path: str, *, ret_code: int | None = None, ret_msg: str = "",
               http_status: int | None = None, delay: float = 0.0, times: int = 1,
               garbage: bool = False, close: bool = False, after: bool = False) -> None:
        """Make the next ``times`` requests to ``path`` misbehave.

        First wait ``delay`` seconds, then drop the connection (``close``), or answer a
        non-JSON body (``garbage``), an HTTP ``http_status``, or a ``ret_code`` envelope.
        With only ``delay`` the request is then served normally. With ``after=True`` the
        request is processed for real first and the fault replaces its answer.
        """
        fault = _Fault(ret_code, ret_msg or _DEFAULT_FAULT_MESSAGES.get(ret_code or 0, "error"),
                       http_status, delay, garbage, close, after, times)
        self._faults.setdefault(path, []).append(fault)

    def hold(self, path: str, *, after: bool = False) -> Hold:
        """Park the next request to ``path`` until ``release()``; ``after`` parks it once
        processed (the order exists, the answer is still pending)."""
        held = Hold(path, after)
        self._holds.setdefault(path, []).append(held)
        self._every_hold.append(held)
        return held

    def set_latency(self, seconds: float) -> None:
        """Delay every request by ``seconds``."""
        self._latency = seconds

    def clear_faults(self) -> None:
        """Remove pending faults, latency, and release every hold."""
        self._faults.clear()
        for held in self._every_hold:
            held.release()
        self._holds.clear()
        self._latency = 0.0

    # ---------------------------------------------------------- observation

    async def wait_for_orders(
        self, n: int, timeout: float = 5.0
    ) -> list[AcceptedOrder]:
        """Wait until at least ``n`` orders were accepted; return the order log."""
        if len(self.order_log) < n:
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._order_waiters.append((n, future))
            try:
                await asyncio.wait_for(future, timeout)
            except TimeoutError:
                raise TimeoutError(f"expected {n} accepted orders, got {len(self.order_log)}: "
                                   f"{self.order_log}") from None
        return list(self.order_log)

    def duplicate_link_ids(self) -> list[str]:
        """Return orderLinkIds accepted more than once (over all accounts; must stay empty)."""
        counts = Counter(o.order_link_id for o in self.order_log if o.order_link_id)
        return sorted(link for link, count in counts.items() if count > 1)

    def orders_for(self, api_key: str) -> list[AcceptedOrder]:
        """Return the accepted orders of one account."""
        return [o for o in self.order_log if o.api_key == api_key]

    # ----------------------------------------------------------------- HTTP

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.text()
        params = self._params(request, body)
        path = request.path
        self.requests.append(RecordedRequest(request.method, path, params,
                                             request.headers.get("X-BAPI-API-KEY")))
        await self._sleep(self._latency)
        held = self._take_hold(path)
        fault = self._take_fault(path)
        if held is not None and not held.after:
            await held._park()
        if fault is not None and not fault.after:
            answer = await self._fault_answer(request, fault)
            if answer is not None:
                return answer
        response = self._process(request, body, params)
        if held is not None and held.after:
            await held._park()
        if fault is not None and fault.after:
            answer = await self._fault_answer(request, fault)
            if answer is not None:
                return answer
        return response

    @staticmethod
    def _params(request: web.Request, body: str) -> Params:
        if request.method == "GET":
            return dict(request.query)
        try:
            loaded = json.loads(body) if body else {}
        except json.JSONDecodeError:
            return {}
        return loaded if isinstance(loaded, dict) else {}

    async def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), seconds)

    def _take_hold(self, path: str) -> Hold | None:
        queue = self._holds.get(path)
        return queue.pop(0) if queue else None

    def _take_fault(self, path: str) -> _Fault | None:
        queue = self._faults.get(path)
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.pop(0)
        return fault

    async def _fault_answer(self, request: web.Request, fault: _Fault) -> web.Response | None:
        await self._sleep(fault.delay)
        if fault.close:
            if request.transport is not None:
                request.transport.close()
            return web.Response()  # never reaches the client: the socket is closed
        if fault.garbage:
            return web.Response(status=fault.http_status or 200, text=GARBAGE_BODY,
                                content_type="text/html")
        if fault.http_status is not None:
            return web.Response(status=fault.http_status, text=f"HTTP {fault.http_status}")
        if fault.ret_code is not None:
            return _envelope(fault.ret_code, fault.ret_msg, {})
        return None

    def _process(self, request: web.Request, body: str, params: Params) -> web.Response:
        """Authenticate and run one endpoint; synchronous, so state changes are atomic."""
        route = self._routes.get((request.method, request.path))
        if route is None:
            return web.Response(status=404, text="404 page not found")
        handler, needs_auth = route
        try:
            account = self._authenticate(request, body) if needs_auth else None
            if request.method == "POST" and body and not params:
                raise BybitError(10001, "params error: invalid JSON body")
            result = handler(account, params)
        except _HttpStatus as exc:
            return web.Response(status=exc.status, text=f"HTTP {exc.status}")
        except BybitError as exc:
            return _envelope(exc.ret_code, exc.ret_msg, {})
        return _envelope(0, "OK", result)

    def _authenticate(self, request: web.Request, body: str) -> Account:
        headers = request.headers
        values = [headers.get(name) for name in _AUTH_HEADERS]
        if not all(values):
            raise _HttpStatus(401)
        key, sign, stamp, window = (str(v) for v in values)
        account = self._accounts.get(key)
        if account is None:
            raise BybitError(10003, "API key is invalid.")
        server = self.server_ms()
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

    # ------------------------------------------------------------ endpoints

    def _server_time(self, _: Account | None, __: Params) -> Params:
        ms = self.server_ms()
        return {"timeSecond": str(ms // 1000), "timeNano": str(ms * 1_000_000)}

    def _tickers(self, _: Account | None, params: Params) -> Params:
        category = _category(params, (LINEAR, SPOT))
        symbol = params.get("symbol")
        if symbol is not None and symbol not in self.market.rules[category]:
            raise BybitError(10001, "params error: symbol invalid")
        symbols = [symbol] if symbol else list(self.market.rules[category])
        return {"category": category,
                "list": [self.market.ticker_json(category, s) for s in symbols]}

    def _instruments(self, _: Account | None, params: Params) -> Params:
        category = _category(params, (LINEAR, SPOT))
        rules = list(self.market.rules[category].values())
        symbol = params.get("symbol")
        if symbol is not None:
            rules = [r for r in rules if r.symbol == symbol]
        next_cursor = ""
        if category == LINEAR:
            start = int(unquote(params.get("cursor") or "page=0").removeprefix("page="))
            end = start + _limit(params, 500, 1000)
            next_cursor = f"page%3D{end}" if end < len(rules) else ""
            rules = rules[start:end]
        return {"category": category, "list": [r.as_json() for r in rules],
                "nextPageCursor": next_cursor}

    def _create_order(self, account: Account | None, params: Params) -> Params:
        assert account is not None
        if not account.can_trade:
            raise BybitError(10005, "Permission denied, please check your API key permissions.")
        order = self.engine.place(account, params)
        self.order_log.append(AcceptedOrder(
            account.api_key, order.order_link_id, order.symbol, order.side, order.qty,
            order.reduce_only, order.position_idx, order.category, order.take_profit,
            order.stop_loss, order.order_id, order.order_type))
        self._wake_order_waiters()
        return {"orderId": order.order_id, "orderLinkId": order.order_link_id}

    def _wake_order_waiters(self) -> None:
        pending = []
        for n, future in self._order_waiters:
            if len(self.order_log) >= n and not future.done():
                future.set_result(None)
            elif not future.done():
                pending.append((n, future))
        self._order_waiters = pending

    def _cancel_order(self, account: Account | None, params: Params) -> Params:
        assert account is not None
        _category(params, (LINEAR, SPOT))
        order = self.engine.cancel(account, params)
        return {"orderId": order.order_id, "orderLinkId": order.order_link_id}

    def _open_orders(self, account: Account | None, params: Params) -> Params:
        return self._order_query(account, params, open_only=True)

    def _order_history(self, account: Account | None, params: Params) -> Params:
        return self._order_query(account, params, open_only=False)

    def _order_query(self, account: Account | None, params: Params, *,
                     open_only: bool) -> Params:
        assert account is not None
        category = _category(params, (LINEAR, SPOT))
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
        found = found[:_limit(params, 20, 50)]
        return {"category": category, "list": [o.as_json() for o in found],
                "nextPageCursor": ""}

    def _executions(self, account: Account | None, params: Params) -> Params:
        assert account is not None
        category = _category(params, (LINEAR, SPOT))
        found = [e for e in reversed(account.executions)
                 if e.category == category
                 and params.get("symbol") in (None, e.symbol)
                 and params.get("orderId") in (None, e.order_id)
                 and params.get("orderLinkId") in (None, e.order_link_id)]
        found = found[:_limit(params, 50, 100)]
        return {"category": category, "list": [e.as_json() for e in found],
                "nextPageCursor": ""}

    def _positions(self, account: Account | None, params: Params) -> Params:
        assert account is not None
        _category(params, (LINEAR,))
        symbol, settle = params.get("symbol"), params.get("settleCoin")
        if symbol:
            self.market.linear(symbol)
            rows = account.position_rows(symbol)
        elif settle:
            rows = [p for p in account.open_positions() if settle == "USDT"]
        else:
            raise BybitError(10001, "Missing some parameters that must be filled in, "
                             "symbol or settleCoin")
        return positions_json(account, self.market, rows[:_limit(params, 20, 200)])

    def _set_leverage(self, account: Account | None, params: Params) -> Params:
        assert account is not None
        if not account.can_trade:
            raise BybitError(10005, "Permission denied, please check your API key permissions.")
        _category(params, (LINEAR,))
        rules: LinearRules = self.market.linear(str(params.get("symbol", "")))
        try:
            buy, sell = Decimal(str(params["buyLeverage"])), Decimal(str(params["sellLeverage"]))
        except (KeyError, InvalidOperation):
            raise BybitError(10001, "params error: buyLeverage/sellLeverage invalid") from None
        if buy != sell:
            raise BybitError(10001, "buy leverage must equal sell leverage in cross margin")
        if not (rules.min_leverage <= buy <= rules.max_leverage
                and is_multiple(buy, rules.leverage_step)):
            raise BybitError(10001, f"leverage invalid: must be between "
                             f"{rules.min_leverage} and {rules.max_leverage}")
        if buy == account.leverage_for(rules.symbol):
            raise BybitError(110043, "Set leverage not modified")
        account.leverage[rules.symbol] = buy
        return {}

    def _switch_mode(self, account: Account | None, params: Params) -> Params:
        assert account is not None
        _category(params, (LINEAR,))
        modes: dict[str, PositionMode] = {"0": ONE_WAY, "3": HEDGE}
        mode = modes.get(str(params.get("mode")))
        if mode is None:
            raise BybitError(10001, "params error: mode invalid")
        if mode == account.position_mode:
            raise BybitError(110025, "Position mode is not modified")
        if account.open_positions():
            raise BybitError(110024, "You have existing positions, so position mode "
                             "cannot be switched")
        if any(o.is_open and o.category == LINEAR for o in account.orders.values()):
            raise BybitError(110028, "You have existing open orders, so position mode "
                             "cannot be switched")
        account.position_mode = mode
        account.positions.clear()
        return {}

    def _wallet_balance(self, account: Account | None, params: Params) -> Params:
        assert account is not None
        if params.get("accountType") != "UNIFIED":
            raise BybitError(10001, "accountType only support UNIFIED.")
        coins = params.get("coin")
        return account.wallet_json(self.market, coins.split(",") if coins else None)

    def _account_info(self, account: Account | None, _: Params) -> Params:
        assert account is not None
        return account.account_info_json(self.server_ms())

    def _api_key_info(self, account: Account | None, _: Params) -> Params:
        assert account is not None
        return account.api_key_json()
