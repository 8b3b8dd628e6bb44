"""WebSocket streams of the fake Bybit: the private stream, the public tickers, and test controls.

``Streaming`` is the part of ``FakeBybit`` (which inherits it) that serves, on the REST port,

* ``GET /v5/private``: ``auth`` (``"GET/realtime" + expires`` signed with HMAC-SHA256),
  ``subscribe``/``unsubscribe`` to ``order``, ``execution``, ``position``, ``wallet`` (or the
  categorised ``order.linear`` …), ``ping``; and pushes topic messages when an account's state
  changes (``_publish`` of the engine's recorded changes, ``_position_changed``,
  ``_price_moved``, called by the REST handlers and ``set_price``);
* ``GET /v5/public/linear`` and ``/v5/public/spot``: ``tickers.<SYMBOL>`` (a snapshot on
  subscribe, then linear deltas / spot snapshots on every ``set_price``), ``ping``.

Frames are built in ``bybit_stream_frames.py``; each connection's ordered outbox is in
``bybit_stream_conn.py``. The controls (``private_streams``, ``drop_streams``, ``mute_streams``
…) are documented in ``tests/fakes/bybit.py``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from aiohttp import web

from tests.fakes import bybit_stream_frames as frames
from tests.fakes.bybit_fills import Change
from tests.fakes.bybit_market import LINEAR, SPOT, Market
from tests.fakes.bybit_state import Account
from tests.fakes.bybit_stream_conn import StreamConn
from tests.fakes.bybit_stream_frames import PRIVATE, PRIVATE_TOPICS

# ret_msg of a failed auth. "Params Error" is what live V5 answers to an expired ``expires``
# (pybit#152, #300); the others are the fake's wording: key off ``success``, not the text.
EXPIRED, UNKNOWN_KEY, BAD_SIGN = "Params Error", "Invalid apikey", "Invalid sign"
REFUSED, REPEAT_AUTH = "Service unavailable, please try again later", "Repeat auth"
NOT_AUTHORIZED = "Request not authorized"  # a private subscribe before a successful auth
GOING_AWAY = 1001  # close code sent to every connection by ``stop()``


class StreamMessage(NamedTuple):
    """One pushed topic message: ``target`` is the api key (private) or the category."""

    target: str
    topic: str
    data: Any


class Streaming:
    """WebSocket connections of ``FakeBybit``, what they receive, and the test controls."""

    if TYPE_CHECKING:
        market: Market
        _accounts: dict[str, Account]

        def server_ms(self) -> int: ...

    def __init__(self) -> None:
        super().__init__()
        self.stream_url = ""
        self.stream_log: list[StreamMessage] = []
        self.stream_connects: Counter[str] = Counter()
        self.stream_opens: Counter[str] = Counter()  # WebSocket upgrades: private, linear, spot
        self.stream_auths: Counter[str] = Counter()  # auths asked per claimed key, refused or not
        self.stream_auth_failures = 0
        self._conns: list[StreamConn] = []
        self._refused: set[str] = set()
        self._muted: set[str] = set()
        self._dropped_topics: set[tuple[str, str]] = set()
        self._stream_waiters: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []
        self._cross_seq = itertools.count(1)
        self._streams_closed = False  # stop() began: new upgrades get HTTP 503

    # ------------------------------------------------------------ controls: observe

    def private_streams(self, api_key: str | None = None, *, topic: str | None = None) -> int:
        """Count open private connections authenticated (with ``api_key``, or any key), and
        subscribed to ``topic`` when given."""
        return sum(1 for c in self._private(api_key) if topic is None or topic in c.topics)

    def public_subscriptions(self, category: str) -> set[str]:
        """Return the symbols whose ``tickers.<symbol>`` an open ``category`` connection has."""
        return {t.removeprefix("tickers.") for c in self._conns
                if c.live and c.kind == category for t in c.topics}

    async def wait_for_private_streams(self, api_key: str | None, n: int, timeout: float = 5.0,
                                       *, topic: str | None = None) -> None:
        """Wait until ``private_streams(api_key, topic=topic) == n`` (0 waits for the end)."""
        await self._wait_streams(lambda: self.private_streams(api_key, topic=topic) == n,
                                 timeout, f"{n} private streams of {api_key!r} ({topic=})")

    async def wait_for_public_subscription(self, category: str, symbol: str,
                                           present: bool = True, timeout: float = 5.0) -> None:
        """Wait until ``symbol`` is (``present``) or is no longer subscribed in ``category``."""
        await self._wait_streams(
            lambda: (symbol in self.public_subscriptions(category)) == present, timeout,
            f"{category} tickers.{symbol} {'subscribed' if present else 'unsubscribed'}")

    # ------------------------------------------------------------ controls: misbehave

    async def drop_streams(self, api_key: str | None = None, *, clean: bool = True,
                           public: bool = False) -> int:
        """End the private connections of ``api_key`` (every private one, authenticated or
        not, when None), and every public one too if ``public``. ``clean``: frames queued
        before are sent, then a close frame (1000) and the socket closes; otherwise the TCP
        transport is aborted with no close frame. Returns how many were ended; on return
        they no longer count and the close frame has left (or the socket is gone)."""
        chosen = [c for c in self._conns if c.live and (
            (c.kind == PRIVATE and api_key in (None, c.api_key))
            or (public and c.kind != PRIVATE))]
        await self._end(chosen, 1000 if clean else None)
        return len(chosen)

    def refuse_streams(self, api_key: str, refuse: bool = True) -> None:
        """Answer every new ``auth`` of ``api_key`` with success false (``REFUSED``), socket
        kept open, until called with ``refuse=False``. Open connections are left alone."""
        (self._refused.add if refuse else self._refused.discard)(api_key)

    def mute_streams(self, target: str, mute: bool = True) -> None:
        """Send nothing more on the connections of ``target`` (an api key, or ``"linear"`` /
        ``"spot"`` for public ones): no answers, no pongs, no protocol PONGs, no topic
        messages (they are discarded, not delayed). The sockets stay open."""
        (self._muted.add if mute else self._muted.discard)(target)

    def drop_topic(self, api_key: str, topic: str, drop: bool = True) -> None:
        """Silently discard ``topic`` messages (``"order"``, ``"execution"``, ``"position"``,
        ``"wallet"``; categorised variants included) for ``api_key``."""
        (self._dropped_topics.add if drop else self._dropped_topics.discard)((api_key, topic))

    # ---------------------------------------------------------------- lifecycle

    def _add_stream_routes(self, app: web.Application) -> None:
        self._streams_closed = False
        app.router.add_get("/v5/private", self._private_stream)
        app.router.add_get("/v5/public/{category}", self._public_stream)

    async def _close_streams(self) -> None:
        """Send every connection a close frame (1001), give the closing handshakes a moment,
        then abort what is left, so that shutting down never waits on a silent client."""
        self._streams_closed = True  # a client reconnecting now would hold the shutdown up
        conns = [c for c in self._conns if not c.ended.is_set()]
        await self._end(conns, GOING_AWAY)
        await _wait_events([c.ended for c in conns], 0.25)
        for conn in conns:
            if not conn.ended.is_set():
                conn.abort()

    async def _end(self, conns: list[StreamConn], code: int | None) -> None:
        for conn in conns:
            conn.end(code)
        self._notify_streams()
        await _wait_events([c.close_sent for c in conns], 2.0)
        for conn in conns:
            if not conn.close_sent.is_set():  # a writer stuck on a client that does not read
                conn.abort()

    async def _private_stream(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, PRIVATE)

    async def _public_stream(self, request: web.Request) -> web.StreamResponse:
        category = request.match_info["category"]
        if category not in (LINEAR, SPOT):
            raise web.HTTPNotFound()
        return await self._serve(request, category)

    async def _serve(self, request: web.Request, kind: str) -> web.StreamResponse:
        if self._streams_closed:
            raise web.HTTPServiceUnavailable()
        ws = web.WebSocketResponse(autoping=False, compress=False, timeout=1.0)
        await ws.prepare(request)
        self.stream_opens[kind] += 1
        conn = StreamConn(request, ws, kind)
        self._conns.append(conn)
        try:
            await conn.serve(self._on_text, lambda c: not self._is_muted(c))
        finally:
            self._conns.remove(conn)
            self._notify_streams()
        return ws

    # ----------------------------------------------------------------------- ops

    def _is_muted(self, conn: StreamConn, claimed_key: str | None = None) -> bool:
        target = (conn.api_key or claimed_key) if conn.kind == PRIVATE else conn.kind
        return target in self._muted

    def _on_text(self, conn: StreamConn, text: str) -> None:
        try:
            request = json.loads(text)
        except ValueError:
            request = None
        if not isinstance(request, dict):
            request = {"op": ""}
        op, req_id = str(request.get("op", "")), request.get("req_id")
        args = request.get("args")
        args = args if isinstance(args, list) else []
        if conn.kind == PRIVATE:
            self._private_op(conn, op, req_id, args)
        else:
            self._public_op(conn, op, req_id, args)

    def _private_op(self, conn: StreamConn, op: str, req_id: Any, args: list[Any]) -> None:
        if op == "ping":
            if not self._is_muted(conn):
                conn.send(frames.private_pong(conn.conn_id, req_id, self.server_ms()))
            return
        claimed = str(args[0]) if op == "auth" and args else None
        if op == "auth":
            self.stream_auths[str(claimed)] += 1
            error = self._auth_error(conn, args)
        elif op in ("subscribe", "unsubscribe"):
            error = self._topics_error(conn, args)
        else:
            error = f"Unrecognized request type: {op!r}"
        if error is None and op == "auth":
            conn.api_key = claimed
            self.stream_connects[str(claimed)] += 1
        elif error is None:
            change = conn.topics.update if op == "subscribe" else conn.topics.difference_update
            change(str(a) for a in args)
        elif op == "auth":
            self.stream_auth_failures += 1
        if not self._is_muted(conn, claimed):
            conn.send(frames.private_answer(op, conn.conn_id, req_id, error is None,
                                            error or ""))
        self._notify_streams()

    def _auth_error(self, conn: StreamConn, args: list[Any]) -> str | None:
        if conn.api_key is not None:
            return REPEAT_AUTH
        if len(args) != 3:
            return EXPIRED
        key, expires, signature = str(args[0]), str(args[1]), str(args[2])
        account = self._accounts.get(key)
        if account is None:
            return UNKNOWN_KEY
        if key in self._refused:
            return REFUSED
        if not expires.isdigit() or int(expires) <= self.server_ms():
            return EXPIRED
        expected = hmac.new(account.api_secret.encode(), f"GET/realtime{expires}".encode(),
                            hashlib.sha256).hexdigest()
        return None if hmac.compare_digest(expected, signature) else BAD_SIGN

    @staticmethod
    def _topics_error(conn: StreamConn, args: list[Any]) -> str | None:
        if conn.api_key is None:
            return NOT_AUTHORIZED
        unknown = [str(a) for a in args if a not in PRIVATE_TOPICS]
        if not args or unknown:
            return f"Invalid topic: {unknown or args}"
        if len({"." in str(a) for a in args}) > 1:
            return ("All-In-One topic and Categorised topic cannot be in the same "
                    "subscription request")
        return None

    def _public_op(self, conn: StreamConn, op: str, req_id: Any, args: list[Any]) -> None:
        category = conn.kind
        topics = [str(a) for a in args]
        error: str | None = None
        if op == "ping":
            ret_msg = "pong"
        elif op in ("subscribe", "unsubscribe"):
            ret_msg = op if category == SPOT else ""
            error = self._ticker_error(conn, op, topics)
        else:
            ret_msg, error = "", f"Unrecognized request type: {op!r}"
        if error is None and op == "subscribe":
            conn.topics.update(topics)
        elif error is None and op == "unsubscribe":
            conn.topics.difference_update(topics)
        if not self._is_muted(conn):
            conn.send(frames.public_answer(category, op, conn.conn_id, req_id, error is None,
                                           error or ret_msg))
            if error is None and op == "subscribe":
                for topic in topics:
                    symbol = topic.removeprefix("tickers.")
                    self._push_ticker([conn], category, symbol, "snapshot")
        self._notify_streams()

    def _ticker_error(self, conn: StreamConn, op: str, topics: list[str]) -> str | None:
        if not topics:
            return "args is empty"
        for topic in topics:
            symbol = topic.removeprefix("tickers.")
            if not topic.startswith("tickers.") or symbol not in self.market.rules[conn.kind]:
                return f"Invalid symbol :[{topic}]"
            if op == "subscribe" and topic in conn.topics:
                return f"error:already subscribed,topic:{topic}"
        return None

    # -------------------------------------------------------------------- pushes

    def _publish(self, changes: list[Change]) -> None:
        """Push what order events changed, in order: for each, order, execution (if it
        filled), position (linear) and wallet (after a fill) — snapshots taken when it
        happened (``bybit_fills.Change``)."""
        for change in changes:
            key, category = change.api_key, change.category
            self._push(key, "order", category, _given([change.order]))
            if change.executions:
                self._push(key, "execution", category, _given(change.executions))
            if category == LINEAR:
                self._push(key, "position", LINEAR, _given(change.positions))
            if change.wallet is not None:
                self._push(key, "wallet", None, _given([change.wallet]))

    def _position_changed(self, account: Account, symbol: str) -> None:
        """Push every positionIdx row of ``symbol`` (after an order event or set-leverage)."""
        self._push(account.api_key, "position", LINEAR,
                   lambda: frames.position_items(account, self.market, symbol))

    def _price_moved(self, symbol: str, changes: list[Change] | None = None,
                     skip: frozenset[str] = frozenset()) -> None:
        """Push the ticker to public subscribers, then what the move set off (``changes``),
        then the position to holders of ``symbol`` (not to the accounts in ``skip``: their
        order events already pushed it)."""
        for category in (LINEAR, SPOT):
            if symbol in self.market.rules[category]:
                subscribers = [c for c in self._conns if c.live and c.kind == category
                               and f"tickers.{symbol}" in c.topics]
                self._push_ticker(subscribers, category, symbol,
                                  "delta" if category == LINEAR else "snapshot")
        self._publish(changes or [])
        for account in self._accounts.values():
            held = [row for (name, _), row in account.positions.items() if name == symbol]
            if account.api_key not in skip and any(row.is_open for row in held):
                self._position_changed(account, symbol)

    def _push(self, api_key: str, topic: str, category: str | None,
              build: Callable[[], list[dict[str, Any]]]) -> None:
        """Send ``topic`` to the subscribed connections of ``api_key``; ``build`` makes the
        data only if one will receive it (so nobody listening changes nothing)."""
        if (api_key, topic) in self._dropped_topics or api_key in self._muted:
            return
        names = {conn: next((t for t in (topic, f"{topic}.{category}") if t in conn.topics),
                            None) for conn in self._private(api_key)}
        recipients = {conn: name for conn, name in names.items() if name is not None}
        if not recipients:
            return
        data = build()
        for conn, name in recipients.items():
            conn.send(frames.topic_frame(name, data, self.server_ms()))
        self.stream_log.append(StreamMessage(api_key, topic, data))

    def _push_ticker(self, conns: list[StreamConn], category: str, symbol: str,
                     kind: str) -> None:
        conns = [c for c in conns if not self._is_muted(c)]
        if not conns:
            return
        data = (frames.ticker_delta(self.market, symbol) if kind == "delta"
                else frames.ticker_snapshot(self.market, category, symbol))
        frame = frames.ticker_frame(symbol, kind, data, next(self._cross_seq), self.server_ms())
        for conn in conns:
            conn.send(frame)
        self.stream_log.append(StreamMessage(category, f"tickers.{symbol}", data))

    # ------------------------------------------------------------------- helpers

    def _private(self, api_key: str | None) -> list[StreamConn]:
        return [c for c in self._conns if c.live and c.kind == PRIVATE
                and c.api_key is not None and api_key in (None, c.api_key)]

    async def _wait_streams(self, ready: Callable[[], bool], timeout: float,
                            what: str) -> None:
        if ready():
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiter = (ready, future)
        self._stream_waiters.append(waiter)
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise TimeoutError(f"timed out waiting for {what}") from None
        finally:
            self._stream_waiters.remove(waiter)

    def _notify_streams(self) -> None:
        for ready, future in self._stream_waiters:
            if not future.done() and ready():
                future.set_result(None)


def _given(data: list[dict[str, Any]]) -> Callable[[], list[dict[str, Any]]]:
    """Return a ``build`` for ``_push`` that answers ``data`` (already snapshotted)."""
    return lambda: data


async def _wait_events(events: list[asyncio.Event], timeout: float) -> None:
    """Wait (at most ``timeout`` seconds) until every event is set."""
    waits = [asyncio.ensure_future(e.wait()) for e in events if not e.is_set()]
    if waits:
        _, pending = await asyncio.wait(waits, timeout=timeout)
        for wait in pending:
            wait.cancel()
