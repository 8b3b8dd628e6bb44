"""How many WebSocket connections may be opened: Bybit's limit per domain, kept with room.

Bybit: "Do not establish more than 500 connections within a 5-minute window", counted per
WebSocket domain (stream.bybit.com, stream-demo.bybit.com, …: the private and public streams
of a domain together), and "do not frequently connect and disconnect"; an IP over the limit
has its connections refused — every user's streams at once. So every opening of every stream
(the first, a reconnect, one that then fails) takes a place in its domain's rolling window
first. When the window is full the opening waits, in turn, until the oldest one leaves it;
meanwhile its account reads REST, as whenever its stream is down. The public tickers go to
the front of the line: the prices of every account and the paper stops depend on them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

# Bybit's 500 less room for what this process cannot count: the openings of a previous run
# of the service within the same 5 minutes (a restart), and any other client on the IP.
OPENINGS_PER_WINDOW = 300
WINDOW_S = 300.0  # Bybit's window: 5 minutes
RECHECK_S = 1.0  # a waiting opening looks at the clock at least this often


class _Domain:
    def __init__(self) -> None:
        self.opened: deque[float] = deque()  # when each opening in the window took its place
        self.waiting: deque[asyncio.Future[None]] = deque()
        self.pump: asyncio.Task[None] | None = None


class OpeningBudget:
    """The openings of every stream, counted per domain in a rolling window."""

    def __init__(self, *, limit: int = OPENINGS_PER_WINDOW, window_s: float = WINDOW_S,
                 clock: Callable[[], float] = time.monotonic,
                 recheck_s: float = RECHECK_S) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._recheck = recheck_s
        self._domains: dict[str, _Domain] = {}
        self.held_back = 0  # openings that had to wait for room, since the start

    def take(self, url: str) -> bool:
        """Take a place for an opening to `url` now; False if it must `wait` its turn."""
        _, domain = self._domain(url)
        if domain.waiting or not self._room(domain):
            return False
        domain.opened.append(self._clock())
        return True

    async def wait(self, url: str, *, urgent: bool = False) -> None:
        """Wait until an opening to `url` has its place (an `urgent` one before the others).
        Cancelled with its stream, it gives its turn up."""
        host, domain = self._domain(url)
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (domain.waiting.appendleft if urgent else domain.waiting.append)(turn)
        self.held_back += 1
        if domain.pump is None or domain.pump.done():
            log.warning("stream openings to %s held back: %d in the last %.0f s, at most %d",
                        host, len(domain.opened), self.window_s, self.limit)
            domain.pump = asyncio.create_task(self._pump(host, domain),
                                              name=f"stream-openings-{host}")
        await turn

    def status(self) -> dict[str, Any]:
        """For /healthz: the window, and per domain the openings in it and those waiting."""
        domains = {}
        for host, domain in self._domains.items():
            self._room(domain)
            domains[host] = {"opened": len(domain.opened),
                             "waiting": sum(1 for turn in domain.waiting if not turn.done())}
        return {"limit": self.limit, "window_s": self.window_s, "held_back": self.held_back,
                "domains": domains}

    async def close(self) -> None:
        pumps = [d.pump for d in self._domains.values() if d.pump is not None]
        for pump in pumps:
            pump.cancel()
        for domain in self._domains.values():
            for turn in domain.waiting:
                turn.cancel()
            domain.waiting.clear()
        await asyncio.gather(*pumps, return_exceptions=True)

    def _domain(self, url: str) -> tuple[str, _Domain]:
        host = urlsplit(url).hostname or url
        return host, self._domains.setdefault(host, _Domain())

    def _room(self, domain: _Domain) -> bool:
        """Let the openings older than the window go; True if another fits."""
        since = self._clock() - self.window_s
        while domain.opened and domain.opened[0] <= since:
            domain.opened.popleft()
        return len(domain.opened) < self.limit

    async def _pump(self, host: str, domain: _Domain) -> None:
        """Give the waiting openings their places, in turn, as the window moves."""
        given = 0
        while domain.waiting:
            turn = domain.waiting[0]
            if turn.done():  # its stream was closed meanwhile
                domain.waiting.popleft()
            elif self._room(domain):
                domain.opened.append(self._clock())
                domain.waiting.popleft()
                turn.set_result(None)
                given += 1
            else:
                due = domain.opened[0] + self.window_s - self._clock()
                await asyncio.sleep(max(0.0, min(due, self._recheck)))
        log.info("stream openings to %s no longer held back (%d waited their turn)",
                 host, given)
