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
(auth, order/execution/position/wallet pushed on every order create/fill/cancel, set-leverage,
trading-stop and, for holders, ``set_price``) and ``/v5/public/linear|spot``
(``tickers.<SYMBOL>``). WebSocket upgrades are not in ``requests``. Observation:
``private_streams(key=None, topic=None)``, ``public_subscriptions(category)``,
``await wait_for_private_streams(key, n)`` (count == n),
``await wait_for_public_subscription(category, symbol, present=True)``, ``stream_connects[key]``
(successful auths), ``stream_auths[key]`` (auths asked, refused or not),
``stream_opens[kind]`` (WebSocket upgrades: ``private``, ``linear``, ``spot``),
``stream_auth_failures``, ``stream_log`` ((key or category, topic, data) of
every message sent). Faults: ``await drop_streams(key=None, clean=True, public=False)`` (close
frame 1000, or ``clean=False``: abort with no close frame), ``refuse_streams(key)`` (new auths
answered success false), ``mute_streams(key or category)`` (nothing sent at all, not even
PONGs), ``drop_topic(key, topic)`` (that topic discarded). ``stop()`` closes every WebSocket
(1001). Details in ``bybit_streams.py``.

Trading (``bybit_orders.py``, ``bybit_fills.py``, ``bybit_triggers.py``): Market orders fill at
once at the current price (taker 0.055 %, spot 0.1 %). Limit orders (linear and spot) rest
(``GTC``) and fill completely, at their own price, as makers (linear 0.02 %, spot 0.1 %) when
``set_price`` crosses them (Buy at or below its price, Sell at or above); one that crosses at
placement fills at once as a taker at the current price (``PostOnly`` is then cancelled,
``IOC``/``FOK`` that cannot fill are cancelled). A reduce-only order never opens or flips: it
fills what the position has left and the rest is ``Cancelled`` (``cancelType``
``CancelByReduceOnly``; a market one is capped instead). When a position goes flat (any way)
its TP/SL, trailing stop and partial TP/SLs are cleared and — switch
``fake.cancel_reduce_only_when_flat`` (default True) — its resting reduce-only orders are
cancelled (``CancelByReduceOnly``, pushed); switched off, they stay until a price reaches them
and are cancelled then. ``breakEvenPrice`` = (entry × qty − curRealisedPnl) / (qty − |qty| ×
0.00055), qty negative for a short; ``curRealisedPnl`` is the realised PnL, fees included, of
the holding since it opened.

``POST /v5/order/create-batch`` (≤ 20 linear / 10 spot, else 10001 for all) places each item
like ``create``: ``result.list`` ``[{category, symbol, orderId, orderLinkId, createAt}]`` and
``retExtInfo.list`` ``[{code, msg}]`` per item (a failed item: empty ids, its own code, e.g.
110072); one request in ``requests``, one ``order_log`` entry per order placed.
``/v5/order/cancel-batch`` answers the same way; ``/v5/order/cancel`` and the batch give
110001 for an unknown order, 110008 for one already filled or cancelled. ``/v5/order/cancel-all``
answers ``{list: [{orderId, orderLinkId}], success: "1"}`` (linear needs symbol, baseCoin or
settleCoin). ``POST /v5/position/trading-stop`` (``bybit_tpsl.py``): ``tpslMode`` and
``positionIdx`` required (10001); ``Full`` sets/replaces ``takeProfit``/``stopLoss`` ("0"
cancels; wrong side of the last price: 10001 ``StopLoss:… set for Buy position should lower
than base_price:…??LastPrice``), ``trailingStop`` (price distance, "0" cancels) with
``activePrice``; nothing changed: 34040 ``not modified``; no position: 10001 ``can not set
tp/sl/ts for zero position``. ``Partial`` adds TP/SLs with ``tpSize``/``slSize`` (Market or
Limit; 110058 over the position, 110061 past 20). The position JSON and stream items show
``takeProfit``, ``stopLoss``, ``trailingStop`` (Bybit shows no activePrice);
``takeProfit``/``stopLoss`` on a create become the position's Full TP/SL when it fills.

``set_price`` then fires what it reaches, nearest the old price first: Full TP/SL and trailing
stops close the whole position by Market at the new price (``stopOrderType``
``TakeProfit``/``StopLoss``/``TrailingStop``, ``createType`` ``CreateBy…``, reduce-only,
``closeOnTrigger``, no orderLinkId, not in ``order_log``); a trailing stop is active at once
or from its activePrice, follows the best price and fires on a retrace of ``trailingStop``;
partial TP/SLs close their size (``PartialTakeProfit``…). Each fill or cancel pushes order,
execution, position and wallet as a create does. Observation: ``account(key).resting`` (open
limit orders), ``account(key).position(symbol)`` (``take_profit``, ``stop_loss``,
``trailing_stop``, ``active_price``, ``trailing_best``, ``partials``).

VERIFY (chosen where the docs are silent): the leftover reduce-only orders of a flat position
end ``Cancelled``/``CancelByReduceOnly`` (the switch above covers the other answer); a filled or
cancelled order's cancel answers 110008 (the live one may say 110001: treat 110001, 110008 and
110010 alike); Full TP/SL are kept on the position only, not also listed as ``Untriggered``
conditional orders as Bybit does; messages quote plain prices where Bybit prints scaled
integers; trading-stop without ``tpslMode`` is refused although live Bybit may default to Full.

The state lives in ``bybit_state.py`` and ``bybit_rows.py``, the rules and prices in
``bybit_market.py``, the matching engine in ``bybit_orders.py`` (fills ``bybit_fills.py``,
price triggers ``bybit_triggers.py``, trading-stop ``bybit_tpsl.py``), the order and query
endpoints in ``bybit_endpoints.py`` and ``bybit_queries.py``, the envelope and HMAC check in
``bybit_wire.py``, the fault, hold and latency bookkeeping in ``bybit_faults.py`` and the
request and order logs in ``bybit_records.py``; the streams in ``bybit_streams.py``,
``bybit_stream_conn.py`` and ``bybit_stream_frames.py``.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from tests.fakes.bybit_endpoints import OrderEndpoints
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
from tests.fakes.bybit_queries import QueryEndpoints
from tests.fakes.bybit_records import AcceptedOrder, RecordedRequest, Recording
from tests.fakes.bybit_state import (
    HEDGE,
    ONE_WAY,
    Account,
    PositionMode,
)
from tests.fakes.bybit_streams import Streaming, StreamMessage
from tests.fakes.bybit_wire import (
    Answer,
    HttpStatus,
    Params,
    authenticate,
    category_param,
    envelope,
    limit_param,
    request_params,
)

__all__ = ["AcceptedOrder", "Account", "BybitError", "FakeBybit", "Hold", "RecordedRequest",
           "StreamMessage"]

_Handler = Callable[[Account | None, Params], Params | Answer]


class FakeBybit(FaultInjection, Recording, Streaming, OrderEndpoints, QueryEndpoints):
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
            ("POST", "/v5/order/create-batch"): (self._create_batch, True),
            ("POST", "/v5/order/cancel-batch"): (self._cancel_batch, True),
            ("POST", "/v5/order/cancel-all"): (self._cancel_all, True),
            ("POST", "/v5/position/trading-stop"): (self._trading_stop, True),
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

    def remove_account(self, api_key: str) -> None:
        """Delete a key, as its owner would at Bybit: its requests are then refused (10003)."""
        del self._accounts[api_key]

    def account(self, api_key: str) -> Account:
        """Return the live state of the account with ``api_key`` (for assertions)."""
        return self._accounts[api_key]

    def set_price(self, symbol: str, price: Decimal | str | int | float) -> None:
        """Set the last/mark price of ``symbol`` (linear and spot share it): resting limit
        orders it crosses fill, TP/SL/trailing stops it reaches fire, then the streams push
        the ticker, the order events and the holders' positions."""
        old = self.market.prices.get(symbol, dec(price))
        self.market.set_price(symbol, price)
        touched = self.engine.price_moved(list(self._accounts.values()), symbol, old)
        changes = self.engine.take_changes()
        self._price_moved(symbol, changes, frozenset(touched))

    @property
    def cancel_reduce_only_when_flat(self) -> bool:
        """When a position goes flat (or flips), cancel its resting reduce-only orders
        (``CancelByReduceOnly``); default True. False: they stay until a price move reaches
        them, and are cancelled then if there is nothing left to reduce."""
        return self.engine.cancel_reduce_only_when_flat

    @cancel_reduce_only_when_flat.setter
    def cancel_reduce_only_when_flat(self, value: bool) -> None:
        self.engine.cancel_reduce_only_when_flat = value

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
        held = self._take_hold(path, request.headers.get("X-BAPI-API-KEY"))
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
        finally:
            self._publish(self.engine.take_changes())
        if isinstance(result, Answer):
            return envelope(0, "OK", result.result, ext=result.ext)
        return envelope(0, "OK", result)

    # ------------------------------------------------------------ endpoints

    def _server_time(self, _: Account | None, __: Params) -> Params:
        ms = self.server_ms()
        return {"timeSecond": str(ms // 1000), "timeNano": str(ms * 1_000_000)}

    def _tickers(self, _: Account | None, params: Params) -> Params:
        category = category_param(params, (LINEAR, SPOT))
        symbol = params.get("symbol")
        if symbol is not None and symbol not in self.market.rules[category]:
            raise BybitError(10001, "params error: symbol invalid")
        symbols = [symbol] if symbol else list(self.market.rules[category])
        return {"category": category,
                "list": [self.market.ticker_json(category, s) for s in symbols]}

    def _instruments(self, _: Account | None, params: Params) -> Params:
        category = category_param(params, (LINEAR, SPOT))
        rules = list(self.market.rules[category].values())
        symbol = params.get("symbol")
        if symbol is not None:
            rules = [r for r in rules if r.symbol == symbol]
        next_cursor = ""
        if category == LINEAR:
            start = int(unquote(params.get("cursor") or "page=0").removeprefix("page="))
            end = start + limit_param(params, 500, 1000)
            next_cursor = f"page%3D{end}" if end < len(rules) else ""
            rules = rules[start:end]
        return {"category": category, "list": [r.as_json() for r in rules],
                "nextPageCursor": next_cursor}

    def _set_leverage(self, account: Account | None, params: Params) -> Params:
        assert account is not None
        if not account.can_trade:
            raise BybitError(10005, "Permission denied, please check your API key permissions.")
        category_param(params, (LINEAR,))
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
        category_param(params, (LINEAR,))
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
