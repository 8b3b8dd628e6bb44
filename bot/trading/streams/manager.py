"""Every stream of the server: the public tickers, and one private stream per live account.

Private streams are opened for accounts as they trade (and, at start, for accounts that
traded in the last hours), at most `bybit.max_private_streams` at once: the least recently
used one is closed to make room, and its account simply reads REST again — unless it was used
within `KEEP_RECENT_S` itself. Then the newcomer reads REST instead: when more accounts trade
in turn than there may be streams (one alert of a signal channel to a thousand subscribers),
closing the least recently used would close a stream that is about to be needed again, and
every account would pay a stream's opening and REST resync on every signal, more than REST
alone. The symbols an account holds are watched on the public tickers while it holds them.

Every stream's openings, public and private, share one budget per domain (`budget.py`), below
Bybit's limit on connections. A private stream whose key Bybit refused `AUTH_REFUSALS` times
in a row is closed, and its account reads REST: with the same key it is not opened again for
`REFUSED_PAUSE_S` — a new key (/keys) opens it at once — rather than spend that budget, for
every user, on a key that will not do.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import aiohttp

from bot.trading.models import OrderResult
from bot.trading.streams.account import Held, Snapshot
from bot.trading.streams.budget import OpeningBudget
from bot.trading.streams.connection import BACKOFF_S
from bot.trading.streams.private import AccountStream
from bot.trading.streams.tickers import TickerFeed
from bot.trading.streams.urls import private_url
from bot.vocabulary import AccountType, Category

log = logging.getLogger(__name__)

AccountKey = tuple[int, AccountType]
KEEP_RECENT_S = 300.0  # a stream used this recently is not closed to make room for another
AUTH_REFUSALS = 3  # Bybit refused the key this many times in a row: the stream is closed
REFUSED_PAUSE_S = 3600.0  # and not opened again with that key for this long (keys fixed on
# Bybit's side, e.g. this server's IP whitelisted, are tried again on the next trade after it)


class StreamManager:
    """Opens, bounds and closes the streams; reports them for /healthz."""

    def __init__(self, *, stream_url: str, max_private: int, ping_interval_s: float = 20.0,
                 ping_timeout_s: float = 10.0, backoff_s: tuple[float, ...] = BACKOFF_S,
                 keep_recent_s: float = KEEP_RECENT_S, auth_refusals: int = AUTH_REFUSALS,
                 refused_pause_s: float = REFUSED_PAUSE_S, budget: OpeningBudget | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._stream_url = stream_url
        self._max_private = max_private
        self._keep_recent = keep_recent_s
        self._auth_refusals = auth_refusals
        self._refused_pause = refused_pause_s
        self.budget = budget if budget is not None else OpeningBudget()
        self._refused: dict[AccountKey, tuple[str, float]] = {}  # the key Bybit refused, when
        self._clock = clock
        self._used: dict[AccountKey, float] = {}  # when each open stream's account last traded
        self._ping = (ping_interval_s, ping_timeout_s)
        self._backoff = backoff_s
        self._session: aiohttp.ClientSession | None = None
        self._tickers: TickerFeed | None = None
        self._private: OrderedDict[AccountKey, AccountStream] = OrderedDict()
        self._held: dict[AccountKey, set[str]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.evicted = 0
        self.crowded = 0  # accounts left on REST: every stream was in recent use

    async def start(self) -> None:
        # No connection limit: aiohttp's default of 100 would leave streams 101…500 waiting.
        self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        self._tickers = TickerFeed(self._stream_url, self._session,
                                   ping_interval_s=self._ping[0], ping_timeout_s=self._ping[1],
                                   backoff_s=self._backoff, budget=self.budget)

    @property
    def tickers(self) -> TickerFeed:
        assert self._tickers is not None, "StreamManager.start() first"
        return self._tickers

    def open_private(self, key: AccountKey, *, api_key: str, api_secret: str,
                     resync: Callable[[], Awaitable[Snapshot]],
                     on_closed: Callable[[], None] | None = None) -> AccountStream | None:
        """The account's private stream, opened now if it has none; None if streams are off."""
        if self._max_private <= 0 or self._session is None:
            return None
        stream = self._private.get(key)
        now = self._clock()
        if stream is not None and not stream.closed:
            self._private.move_to_end(key)
            self._used[key] = now
            return stream
        refused = self._refused.get(key)
        if refused is not None:
            if refused[0] == api_key and now - refused[1] < self._refused_pause:
                return None  # Bybit refused this key lately: REST
            del self._refused[key]
        if stream is None and len(self._private) >= self._max_private:
            oldest = next(iter(self._private))
            if now - self._used.get(oldest, float("-inf")) < self._keep_recent:
                self.crowded += 1
                log.debug("user=%s %s reads REST: all %d private streams used in the last "
                          "%.0f s", key[0], key[1], self._max_private, self._keep_recent)
                return None
        user_id, account_type = key

        def refused_now(reason: str) -> None:
            self._refused_key(key, opened, api_key, reason)

        stream = opened = AccountStream(
            f"private-{user_id}-{account_type}", private_url(self._stream_url, account_type),
            self._session, api_key=api_key, api_secret=api_secret, resync=resync,
            ping_interval_s=self._ping[0], ping_timeout_s=self._ping[1],
            backoff_s=self._backoff, budget=self.budget, max_refusals=self._auth_refusals,
            on_refused=refused_now)
        stream.state.watchers.append(_TickerWatch(self, key))
        stream.on_closed = on_closed
        self._private[key] = stream
        self._private.move_to_end(key)
        self._used[key] = now
        stream.start()
        while len(self._private) > self._max_private:
            old_key, old = self._private.popitem(last=False)
            self._used.pop(old_key, None)
            self.evicted += 1
            log.info("private stream of user=%s %s closed: least recently used of %d",
                     old_key[0], old_key[1], self._max_private)
            self._held_now(old_key, set())
            self._closing(old)
        return stream

    def private(self, key: AccountKey) -> AccountStream | None:
        """The account's open private stream, if it has one."""
        return self._private.get(key)

    def touch(self, key: AccountKey) -> None:
        """The account traded now: it is the most recently used."""
        if key in self._private:
            self._private.move_to_end(key)
            self._used[key] = self._clock()

    async def close_private(self, key: AccountKey) -> None:
        """Close the account's stream (its keys changed: a refused key is forgotten too)."""
        stream = self._private.pop(key, None)
        self._used.pop(key, None)
        self._refused.pop(key, None)
        if stream is not None:
            self._held_now(key, set())
            await stream.close()

    def status(self) -> dict[str, Any]:
        streams = list(self._private.values())
        now = self._clock()
        return {
            "private": {"open": len(streams),
                        "connected": sum(1 for s in streams if s.live),
                        "synced": sum(1 for s in streams if s.state.synced),
                        "held": sum(1 for s in streams if s.connection.held),
                        "reconnects": sum(s.connection.reconnects for s in streams),
                        "evicted": self.evicted, "crowded": self.crowded,
                        "refused": sum(1 for _, at in self._refused.values()
                                       if now - at < self._refused_pause),
                        "max": self._max_private},
            "public": self._tickers.status() if self._tickers is not None else {},
            "openings": self.budget.status(),
        }

    async def close(self) -> None:
        for stream in list(self._private.values()):
            await stream.close()
        self._private.clear()
        self._used.clear()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._tickers is not None:
            await self._tickers.close()
        await self.budget.close()
        if self._session is not None:
            await self._session.close()

    def _held_now(self, key: AccountKey, symbols: set[str]) -> None:
        """Watch the prices of what the account holds, and only that."""
        before = self._held.get(key, set())
        if self._tickers is None or symbols == before:
            return
        for symbol in symbols - before:
            self._tickers.watch(Category.LINEAR, symbol, key)
        for symbol in before - symbols:
            self._tickers.unwatch(Category.LINEAR, symbol, key)
        self._held[key] = set(symbols)

    def _refused_key(self, key: AccountKey, stream: AccountStream, api_key: str,
                     reason: str) -> None:
        """Bybit keeps refusing the account's key: close its stream, the account reads REST."""
        self._refused[key] = (api_key, self._clock())
        if self._private.get(key) is not stream:
            return  # closed already (evicted, or its keys changed)
        del self._private[key]
        self._used.pop(key, None)
        self._held_now(key, set())
        log.warning("private stream of user=%s %s closed: Bybit refused the key %s… (%s); "
                    "the account reads REST until its keys change, or for %.0f min",
                    key[0], key[1], api_key[:4], reason, self._refused_pause / 60)
        self._closing(stream)

    def _closing(self, stream: AccountStream) -> None:
        stream.closed = True  # from now on its account reads REST
        if stream.on_closed is not None:
            stream.on_closed()  # its owner lets go of it: an evicted stream's state is freed
        task = asyncio.create_task(stream.close())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


class _TickerWatch:
    """Watch the prices of what an account holds."""

    def __init__(self, manager: StreamManager, key: AccountKey) -> None:
        self._manager, self._key = manager, key

    def held_changed(self, before: set[Held], after: set[Held]) -> None:
        self._manager._held_now(self._key, {symbol for symbol, _ in after})

    def order_final(self, result: OrderResult, symbol: str) -> None:
        return None

    def exit_triggered(self, result: OrderResult, symbol: str, kind: str,
                       pnl: Decimal | None) -> None:
        return None
