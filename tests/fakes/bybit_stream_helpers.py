"""Helpers for the tests of the fake Bybit's WebSocket streams: a bare aiohttp client that
speaks Bybit's V5 frames (auth, subscribe, ping), so the tests see exactly what goes over the
wire. The fake's stream side lives in ``bybit_streams.py``."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, ClassVar

import aiohttp

from tests.fakes.bybit import FakeBybit
from tests.fakes.conftest import KEY, SECRET

ALL_TOPICS = ("order", "execution", "position", "wallet")
BOUND = 0.3  # how long "nothing arrives" is given to prove itself (a bound, not a sync)


class _RememberedWebSocket(aiohttp.ClientWebSocketResponse):
    """A client socket that ``stream_session`` closes at the end if the test left it open
    (an aiohttp socket still open when its session closes warns when collected)."""

    opened: ClassVar[list[aiohttp.ClientWebSocketResponse]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opened.append(self)


@asynccontextmanager
async def stream_session() -> AsyncIterator[aiohttp.ClientSession]:
    """An aiohttp session whose WebSockets are all closed when it ends."""
    async with aiohttp.ClientSession(ws_response_class=_RememberedWebSocket) as session:
        try:
            yield session
        finally:
            while _RememberedWebSocket.opened:
                await _RememberedWebSocket.opened.pop().close()


def signature(secret: str, expires: int | str) -> str:
    """Return hex(HMAC_SHA256(secret, "GET/realtime" + expires))."""
    return hmac.new(secret.encode(), f"GET/realtime{expires}".encode(),
                    hashlib.sha256).hexdigest()


def auth(fake: FakeBybit, key: str = KEY, secret: str = SECRET, *, expires: int | None = None,
         req_id: str | None = "auth-1") -> dict[str, Any]:
    """Return an ``auth`` request valid for 10 s of the fake's clock (unless ``expires``)."""
    expires = fake.server_ms() + 10_000 if expires is None else expires
    request: dict[str, Any] = {"op": "auth", "args": [key, expires, signature(secret, expires)]}
    if req_id is not None:
        request["req_id"] = req_id
    return request


async def receive(ws: aiohttp.ClientWebSocketResponse, timeout: float = 5.0) -> dict[str, Any]:
    """Return the next text frame as JSON (fails on anything else)."""
    message = await ws.receive(timeout)
    assert message.type is aiohttp.WSMsgType.TEXT, (message.type, message.data)
    loaded: dict[str, Any] = json.loads(message.data)
    return loaded


async def ask(ws: aiohttp.ClientWebSocketResponse, request: dict[str, Any]) -> dict[str, Any]:
    """Send ``request`` and return the next frame (its answer, when nothing else is queued)."""
    await ws.send_json(request)
    return await receive(ws)


async def connect_private(http: aiohttp.ClientSession, fake: FakeBybit, key: str = KEY,
                          secret: str = SECRET, topics: tuple[str, ...] = ALL_TOPICS,
                          **options: Any) -> aiohttp.ClientWebSocketResponse:
    """Open ``/v5/private``, authenticate and subscribe to ``topics`` (both must succeed)."""
    ws = await http.ws_connect(f"{fake.stream_url}/v5/private", **options)
    answer = await ask(ws, auth(fake, key, secret))
    assert answer["success"] is True, answer
    if topics:
        answer = await ask(ws, {"req_id": "sub-1", "op": "subscribe", "args": list(topics)})
        assert answer["success"] is True, answer
    return ws


async def connect_public(http: aiohttp.ClientSession, fake: FakeBybit, category: str,
                         *symbols: str) -> aiohttp.ClientWebSocketResponse:
    """Open ``/v5/public/<category>`` and subscribe to the tickers of ``symbols``; the answer
    and the snapshots are consumed."""
    ws = await http.ws_connect(f"{fake.stream_url}/v5/public/{category}")
    if symbols:
        answer = await ask(ws, {"op": "subscribe", "args": [f"tickers.{s}" for s in symbols]})
        assert answer["success"] is True, answer
        for _ in symbols:
            assert (await receive(ws))["type"] == "snapshot"
    return ws


async def topics(ws: aiohttp.ClientWebSocketResponse, n: int) -> list[dict[str, Any]]:
    """Return the next ``n`` frames."""
    return [await receive(ws) for _ in range(n)]


async def assert_nothing_queued(ws: aiohttp.ClientWebSocketResponse) -> None:
    """Prove that nothing was sent before now: the answer to a ping comes next (the fake
    sends each connection's frames in the order it produced them)."""
    answer = await ask(ws, {"req_id": "barrier", "op": "ping"})
    assert answer.get("op") in ("pong", "ping") and answer.get("req_id") == "barrier", answer
