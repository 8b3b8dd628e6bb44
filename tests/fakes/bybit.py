"""A fake Bybit v5 server on 127.0.0.1 for tests: real HTTP and WebSockets, real HMAC, Bybit codes.

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

Streams, on the same port (``fake.stream_url`` == ``ws://127.0.0.1:<port>``): ``/v5/private``
(auth, order/execution/position/wallet pushed on every order create/fill/cancel, set-leverage
and, for holders, ``set_price``) and ``/v5/public/linear|spot`` (``tickers.<SYMBOL>``). WebSocket
upgrades are not in ``requests``. Observation: ``private_streams(key=None, topic=None)``,
``public_subscriptions(category)``, ``await wait_for_private_streams(key, n)`` (count == n),
``await wait_for_public_subscription(category, symbol, present=True)``, ``stream_connects[key]``
(successful auths), ``stream_auth_failures``, ``stream_log`` ((key or category, topic, data) of
every message sent). Faults: ``await drop_streams(key=None, clean=True, public=False)`` (close
frame 1000, or ``clean=False``: abort with no close frame), ``refuse_streams(key)`` (new auths
answered success false), ``mute_streams(key or category)`` (nothing sent at all, not even
PONGs), ``drop_topic(key, topic)`` (that topic discarded). ``stop()`` closes every WebSocket
(1001). Details in ``bybit_streams.py``.

The state lives in ``bybit_state.py``, the rules and prices in ``bybit_market.py``, the
matching engine in ``bybit_orders.py``, the envelope and HMAC check in ``bybit_wire.py``, the
fault, hold and latency bookkeeping in ``bybit_faults.py`` and the request and order logs in
``bybit_records.py``; the streams in ``bybit_streams.py``, ``bybit_stream_conn.py`` and
``bybit_stream_frames.py``.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from tests.fakes.bybit_faults import FaultInjection, Hold
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
from tests.fakes.bybit_records import AcceptedOrder, RecordedRequest, Recording
from tests.fakes.bybit_state import (
    HEDGE,
    ONE_WAY,
    Account,
    PositionMode,
    positions_json,
)
from tests.fakes.bybit_streams import Streaming, StreamMessage
from tests.fakes.bybit_wire import HttpStatus, Params, authenticate, envelope, request_params

__all__ = ["AcceptedOrder", "Account", "BybitError", "FakeBybit", "Hold", "RecordedRequest",
           "StreamMessage"]

_Handler = Callable[[Account | None, Params], Params]


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


class FakeBybit(FaultInjection, Recording, Streaming):
    """Fake Bybit v5 exchange serving pybit over real HTTP (and streams) on 127.0.0.1."""

    def __init__(self) -> None:
        super().__init__()
        self.market = Market()
        self.engine = MatchingEngine(self.market)
        self.url = ""
        self.clock_offset_ms = 0
        self._accounts: dict[str, Account] = {}
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
        self._add_stream_routes(app)  # before the catch-all: upgrades never reach _handle
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        site = web.SockSite(self._runner, sock)
        await site.start()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.stream_url = self.url.replace("http", "ws", 1)

    async def stop(self) -> None:
        """Release held and delayed requests, close the WebSockets, shut the server down."""
        self._stopping.set()
        for held in self._every_hold:
            held.release()
        await self._close_streams()
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
        """Set the last/mark price of ``symbol`` (linear and spot share it); streams push it."""
        self.market.set_price(symbol, price)
        self._price_moved(symbol)

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

    # ----------------------------------------------------------------- HTTP

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.text()
        params = request_params(request, body)
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

    def _process(self, request: web.Request, body: str, params: Params) -> web.Response:
        """Authenticate and run one endpoint; synchronous, so state changes are atomic."""
        route = self._routes.get((request.method, request.path))
        if route is None:
            return web.Response(status=404, text="404 page not found")
        handler, needs_auth = route
        try:
            account = (authenticate(request, body, self._accounts, self.server_ms)
                       if needs_auth else None)
            if request.method == "POST" and body and not params:
                raise BybitError(10001, "params error: invalid JSON body")
            result = handler(account, params)
        except HttpStatus as exc:
            return web.Response(status=exc.status, text=f"HTTP {exc.status}")
        except BybitError as exc:
            return envelope(exc.ret_code, exc.ret_msg, {})
        return envelope(0, "OK", result)

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
        before = len(account.executions)
        order = self.engine.place(account, params)
        self.order_log.append(AcceptedOrder(
            account.api_key, order.order_link_id, order.symbol, order.side, order.qty,
            order.reduce_only, order.position_idx, order.category, order.take_profit,
            order.stop_loss, order.order_id, order.order_type))
        self._wake_order_waiters()
        self._order_changed(account, order, account.executions[before:])
        return {"orderId": order.order_id, "orderLinkId": order.order_link_id}

    def _cancel_order(self, account: Account | None, params: Params) -> Params:
        assert account is not None
        _category(params, (LINEAR, SPOT))
        order = self.engine.cancel(account, params)
        self._order_changed(account, order, [])
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
        self._position_changed(account, rules.symbol)
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
