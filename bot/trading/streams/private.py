"""One account's private stream: kept open, authenticated, subscribed, and re-read over REST
each time it (re)connects; what it pushes goes to the account's `AccountState`
(bot/trading/streams/account.py). Given up when Bybit refuses its key again and again.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from bot.errors import BotError
from bot.trading.streams.account import AccountState, Snapshot
from bot.trading.streams.budget import OpeningBudget
from bot.trading.streams.connection import BACKOFF_S, Hello, StreamConnection, StreamDown

log = logging.getLogger(__name__)

TOPICS = ["position", "execution", "order", "wallet"]
AUTH_VALID_S = 10  # the auth frame's `expires`, from now


def auth_args(api_key: str, api_secret: str, now: float | None = None) -> list[Any]:
    """Bybit's private-stream auth: the key, an expiry (ms), HMAC-SHA256("GET/realtime"+expiry)."""
    expires = int(((now if now is not None else time.time()) + AUTH_VALID_S) * 1000)
    signature = hmac.new(api_secret.encode(), f"GET/realtime{expires}".encode(),
                         hashlib.sha256).hexdigest()
    return [api_key, expires, signature]


class AccountStream:
    """The private stream of one account, kept open, with its state and REST resync; given up
    (`on_refused(reason)`) when Bybit refused its key `max_refusals` times in a row."""

    def __init__(self, name: str, url: str, session: aiohttp.ClientSession, *, api_key: str,
                 api_secret: str, resync: Callable[[], Awaitable[Snapshot]],
                 ping_interval_s: float = 20.0, ping_timeout_s: float = 10.0,
                 backoff_s: tuple[float, ...] = BACKOFF_S, budget: OpeningBudget | None = None,
                 max_refusals: int | None = None,
                 on_refused: Callable[[str], None] | None = None) -> None:
        self.state = AccountState()
        self._key, self._secret = api_key, api_secret
        self._resync = resync
        self.resyncs = 0
        self.closed = False
        self.on_closed: Callable[[], None] | None = None
        self.connection = StreamConnection(
            name, url, session, hello=self._hello, on_message=self.state.apply,
            on_ready=self._ready, on_down=self.state.unsync, on_stop=on_refused,
            max_refusals=max_refusals, budget=budget,
            ping_interval_s=ping_interval_s, ping_timeout_s=ping_timeout_s, backoff_s=backoff_s)

    def start(self) -> None:
        self.connection.start()

    async def close(self) -> None:
        self.closed = True
        await self.connection.close()

    @property
    def live(self) -> bool:
        """Connected and subscribed: our orders' messages will arrive."""
        return not self.closed and self.connection.connected

    async def _hello(self, hello: Hello) -> None:
        await hello.request("auth", auth_args(self._key, self._secret))
        await hello.request("subscribe", TOPICS)

    async def _ready(self) -> None:
        started = int(time.time() * 1000)
        self.state.unsync()
        try:
            snapshot = await self._resync()
        except BotError as exc:
            raise StreamDown(f"resync failed: {exc}") from exc
        self.state.apply_snapshot(snapshot, started)
        self.resyncs += 1
        log.info("stream %s synced: %d open position(s)", self.connection.name,
                 len(self.state.held_symbols()))

