"""500 private streams in one process: ours (aiohttp) against pybit's `WebSocket`.

Each kind runs in its own process (`python -m bench.ws_clients`, nothing else in it), against
the fake Bybit in the bench process. Read from /proc/<pid>: VmRSS and Threads from `status`,
open descriptors from `fd/`, user + system CPU from `stat`. Memory and threads are the values
after every stream is open and idle minus those just before the first was opened (libraries
already imported). CPU is over an idle window with the pings running (every 20 s for both, as
shipped); the fake counts the JSON pings it answered in that window. Open time runs from the
`open` command until the fake counts every connection authenticated and subscribed to all four
topics.

Ours runs as shipped: the `StreamManager`'s own session, whose connector limit the client
reports (aiohttp's default, 100 connections, once held 100 of 500 streams), so the footprint
is also the check that every stream connects.

Then the behaviours the choice turns on, two accounts per kind: the server closes a stream
cleanly (close frame 1000: `fake.drop_streams(key, clean=True)`) or drops it without one; and
a callback raises on its first message. Each time the bench checks whether the connection
came back (a new authentication at the fake), and whether a later message still reaches the
callback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.exchange import TimedFakeBybit
from bench.machine import wait_quiet
from bench.service import CLOCK_TICKS, ROOT
from bench.ws_clients import TOPICS, keys
from bot.trading.market import make_session

KINDS = ("aiohttp", "pybit")
OURS = "aiohttp"
# label -> (kind, extra arguments, seconds to wait for every stream)
RUNS = {OURS: ("aiohttp", ["--open-timeout", "60"], 60.0), "pybit": ("pybit", [], 300.0)}


class Client:
    """One `python -m bench.ws_clients` process and the events it printed."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.events: list[dict[str, Any]] = []
        self._arrived = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, kind: str, url: str, count: int, log: Path,
                    raise_first: str | None = None, extra: tuple[str, ...] = ()) -> Client:
        extra = (*extra, *(["--raise-first", raise_first] if raise_first else []))
        with log.open("ab") as stderr:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bench.ws_clients", kind, "--url", url,
                "--count", str(count), *extra, cwd=ROOT, stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE, stderr=stderr)
        return cls(proc)

    async def _read(self) -> None:
        assert self.proc.stdout is not None
        while line := await self.proc.stdout.readline():
            self.events.append(json.loads(line))
            self._arrived.set()

    async def expect(self, event: str, timeout: float,
                     where: Callable[[dict[str, Any]], bool] = lambda _: True,
                     after: int = 0) -> dict[str, Any] | None:
        """The first `event` (from index `after`) that satisfies `where`; None on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            for seen in self.events[after:]:
                if seen["event"] == event and where(seen):
                    return seen
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.returncode is not None:
                return None
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), left)

    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{command}\n".encode())

    def vitals(self) -> dict[str, float]:
        """RSS (MB), threads and open descriptors of the process now, and its CPU seconds."""
        pid = self.proc.pid
        status = dict(line.split(":", 1) for line in
                      Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return {"rss_mb": int(status["VmRSS"].split()[0]) / 1024,
                "threads": int(status["Threads"]),
                "fds": len(os.listdir(f"/proc/{pid}/fd")),
                "cpu_s": (int(stat[11]) + int(stat[12])) / CLOCK_TICKS}

    async def stop(self) -> None:
        if self.proc.returncode is None:
            self.proc.terminate()  # pybit's threads are daemons; ours closes on its loop
            try:
                await asyncio.wait_for(self.proc.wait(), 10)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)


def subscribed(fake: TimedFakeBybit) -> int:
    """Private connections authenticated and subscribed to every topic."""
    return min(fake.private_streams(None, topic=topic) for topic in TOPICS)


@dataclass
class Footprint:
    kind: str
    count: int
    open_s: float
    authenticated: int  # as the client saw it
    subscribed: int  # as the fake counted, after the idle window
    before: dict[str, float]
    after: dict[str, float]
    window_s: float
    cpu_s: float
    pings: int
    peak_threads: int
    races: int  # pybit: subscribe answers that came before pybit recorded the subscription
    connector_limit: int | None = None  # ours: the session's connections at most (0: none)

    @property
    def limit_text(self) -> str:
        limit = self.connector_limit
        return "none" if limit == 0 else "not reported" if limit is None else \
            f"{limit} connections"

    @property
    def rss_mb(self) -> float:
        return self.after["rss_mb"] - self.before["rss_mb"]

    @property
    def threads(self) -> int:
        return int(self.after["threads"] - self.before["threads"])

    @property
    def cpu_per_min(self) -> float:
        return self.cpu_s / self.window_s * 60

    def summary(self) -> str:
        return (f"{self.kind}: {self.subscribed}/{self.count} streams, opened in "
                f"{self.open_s:.1f} s; +{self.rss_mb:.1f} MB RSS "
                f"({self.before['rss_mb']:.0f} → {self.after['rss_mb']:.0f}), +{self.threads} "
                f"threads (peak {self.peak_threads}), +{self.after['fds'] - self.before['fds']:.0f}"
                f" fds; CPU {self.cpu_s:.2f} s in {self.window_s:.0f} s idle "
                f"({self.pings} pings answered)"
                + (f"; {self.races} subscribe answers beat pybit's record" if self.races else ""))


async def footprint(fake: TimedFakeBybit, label: str, count: int, window_s: float, log: Path,
                    say: Callable[[str], None]) -> Footprint:
    kind, extra, open_timeout = RUNS[label]
    await asyncio.to_thread(wait_quiet)
    client = await Client.start(kind, fake.stream_url, count, log, extra=tuple(extra))
    try:
        if await client.expect("ready", 60) is None:
            raise RuntimeError(f"{kind} client did not start; see {log}")
        await asyncio.sleep(1.0)
        before = client.vitals()
        began = time.perf_counter()
        client.send("open")
        opened = await client.expect("opened", open_timeout + 60) or {}
        for topic in TOPICS:  # every connection authenticated and subscribed to each
            left = open_timeout - (time.perf_counter() - began)
            with contextlib.suppress(TimeoutError):
                await fake.wait_for_private_streams(None, count, max(left, 0.01), topic=topic)
        open_s = time.perf_counter() - began
        await asyncio.sleep(2.0)  # the last answers and timers settle
        start, pings = client.vitals(), fake.stream_pings
        peak = int(start["threads"])
        window_began = time.perf_counter()
        while time.perf_counter() - window_began < window_s:
            await asyncio.sleep(1.0)
            peak = max(peak, int(client.vitals()["threads"]))
        after = client.vitals()
        result = Footprint(label, count, open_s, int(opened.get("authenticated", 0)),
                           subscribed(fake), before, after, time.perf_counter() - window_began,
                           after["cpu_s"] - start["cpu_s"], fake.stream_pings - pings, peak,
                           int(opened.get("races", 0)), opened.get("connector_limit"))
    finally:
        await client.stop()
    say(f"  {count} private streams, {result.summary()}")
    return result


@dataclass
class Check:
    """What happened to one stream after one event."""

    event: str
    came_back_s: float | None  # a new authentication at the fake, seconds after the event
    still_open: bool  # the same connection, still authenticated, a few seconds later
    later_message: bool  # a message pushed afterwards reached the callback
    client_view: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        back = (f"reconnected in {self.came_back_s:.1f} s" if self.came_back_s is not None
                else "did not reconnect")
        open_ = "connection kept" if self.still_open else "connection gone"
        later = "later messages delivered" if self.later_message else "later messages lost"
        return f"{self.event}: {open_ if self.came_back_s is None else back}; {later}"


async def _push(fake: TimedFakeBybit, key: str, secret: str, leverage: int) -> None:
    """A `position` message to the account's streams: set its BTCUSDT leverage over REST."""
    session = make_session(api_key=key, api_secret=secret, demo=True, base_url=fake.url,
                           timeout=5)
    await asyncio.to_thread(session.set_leverage, category="linear", symbol="BTCUSDT",
                            buyLeverage=str(leverage), sellLeverage=str(leverage))


async def _check(fake: TimedFakeBybit, client: Client, key: str, secret: str, event: str,
                 act: Callable[[], Any], leverage: int, wait_s: float = 15.0) -> Check:
    connects = fake.stream_connects[key]
    began = time.perf_counter()
    await act()
    came_back = None
    while time.perf_counter() - began < wait_s:
        if fake.stream_connects[key] > connects and fake.private_streams(key, topic="position"):
            came_back = time.perf_counter() - began
            break
        await asyncio.sleep(0.05)
    still_open = came_back is None and fake.private_streams(key) > 0
    mark = len(client.events)
    await _push(fake, key, secret, leverage)
    later = await client.expect("message", 3.0, lambda e: e["key"] == key, after=mark)
    client.send("status")
    status = await client.expect("status", 5.0, after=mark) or {}
    return Check(event, came_back, still_open, later is not None,
                 status.get("streams", {}).get(key, {}))


async def behaviours(fake: TimedFakeBybit, kind: str, log: Path,
                     say: Callable[[str], None]) -> list[Check]:
    (close_key, close_secret), (raise_key, raise_secret) = keys(2)
    for key in (close_key, raise_key):
        await fake.wait_for_private_streams(key, 0, timeout=15)
    client = await Client.start(kind, fake.stream_url, 2, log, raise_first=raise_key)
    try:
        await client.expect("ready", 60)
        client.send("open")
        await client.expect("opened", 60)
        checks = [
            await _check(fake, client, close_key, close_secret, "server closes cleanly (1000)",
                         lambda: fake.drop_streams(close_key, clean=True), 5),
            await _check(fake, client, close_key, close_secret, "connection dropped, no close "
                         "frame", lambda: fake.drop_streams(close_key, clean=False), 6),
            await _check(fake, client, raise_key, raise_secret, "callback raises",
                         lambda: _push(fake, raise_key, raise_secret, 5), 6, wait_s=5.0),
        ]
    finally:
        await client.stop()
    for check in checks:
        say(f"  {kind}: {check.text()} {check.client_view}")
    return checks


@dataclass
class Comparison:
    footprints: dict[str, Footprint]
    checks: dict[str, list[Check]]


async def compare(fake: TimedFakeBybit, root: Path, count: int, window_s: float,
                  say: Callable[[str], None]) -> Comparison:
    for key, secret in keys(count):
        fake.add_account(key, secret, env="demo")
    footprints, checks = {}, {}
    for label in RUNS:
        log = root / f"ws-{label.replace(', ', '-').replace(' ', '-')}.log"
        footprints[label] = await footprint(fake, label, count, window_s, log, say)
        await fake.wait_for_private_streams(None, 0, timeout=30)
    for kind in KINDS:
        checks[kind] = await behaviours(fake, kind, root / f"ws-{kind}-behaviour.log", say)
    return Comparison(footprints, checks)
