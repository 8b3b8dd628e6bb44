"""Bounded load from an aiohttp client: closed-loop senders, a fixed offered rate, one at a time.

Every run sends at most `count` requests and stops at `time_cap_s`, whichever comes first.
Latency is measured from just before the request is handed to aiohttp until the whole
answer is read. A run records every status it saw, so a refusal never passes for speed.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import aiohttp

# (url, body): the n-th request of a run; bodies are bytes, so encoding costs nothing here.
RequestFor = Callable[[int], tuple[str, bytes]]

HEADERS = {"Content-Type": "text/plain"}  # what TradingView sends


@dataclass
class Run:
    """What one load run measured."""

    sent: int = 0
    elapsed_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    answers: list[dict] = field(default_factory=list)
    capped: bool = False  # stopped by the time cap before sending `count`
    generator_lag_ms: float = 0.0  # fixed_rate: the most the generator's own loop woke late

    @property
    def rate(self) -> float:
        return self.sent / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def ok(self) -> int:
        return self.statuses.get(200, 0)

    def percentile(self, p: float) -> float:
        return percentile(self.latencies_ms, p)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def client_session(connections: int) -> aiohttp.ClientSession:
    """A keep-alive client session (TradingView's senders reuse connections too)."""
    connector = aiohttp.TCPConnector(limit=connections, limit_per_host=connections,
                                     force_close=False, enable_cleanup_closed=False)
    return aiohttp.ClientSession(connector=connector, headers=HEADERS,
                                 timeout=aiohttp.ClientTimeout(total=30))


async def _send(session: aiohttp.ClientSession, run: Run, url: str, body: bytes,
                keep_answers: bool) -> None:
    start = time.perf_counter()
    async with session.post(url, data=body) as response:
        payload = await response.read()
        status = response.status
    run.latencies_ms.append((time.perf_counter() - start) * 1000)
    run.statuses[status] += 1
    if keep_answers:
        import json

        run.answers.append(json.loads(payload))


async def concurrent(request_for: RequestFor, *, count: int, senders: int,
                     time_cap_s: float, keep_answers: bool = False) -> Run:
    """`senders` loops, each sending its next request as soon as the previous one answered."""
    run = Run()
    next_index = iter(range(count))
    async with client_session(senders) as session:
        # One warm-up request per sender opens its connection outside the measurement.
        health = request_for(0)[0].split("/personal")[0] + "/healthz"

        async def warm() -> None:
            async with session.get(health) as response:
                await response.read()

        await asyncio.gather(*(warm() for _ in range(senders)))
        start = time.perf_counter()
        deadline = start + time_cap_s

        async def sender() -> None:
            for index in next_index:
                if time.perf_counter() > deadline:
                    run.capped = True
                    return
                url, body = request_for(index)
                run.sent += 1
                await _send(session, run, url, body, keep_answers)

        await asyncio.gather(*(sender() for _ in range(senders)))
        run.elapsed_s = time.perf_counter() - start
    return run


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage-collector pause of this process inside a measurement. The bench process
    holds the fake Bybit's state too: a full collection of it stalled the generator's loop
    for 30–40 ms in the middle of a 500/s load (2026-12-02), and those were the run's slowest
    acks — the generator's pauses, timed as the service's latency."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


async def fixed_rate(request_for: RequestFor, *, rate: float, count: int,
                     time_cap_s: float) -> Run:
    """Offer `rate` requests a second on schedule, whether or not earlier ones answered;
    with this process's collector paused, and how late its own loop woke up at worst kept
    beside the latencies (`generator_lag_ms`), so a stall of the generator shows."""
    run = Run()
    with collector_paused():
        watcher = asyncio.create_task(_watch_lag(run))
        try:
            await _offer(run, request_for, rate=rate, count=count, time_cap_s=time_cap_s)
        finally:
            watcher.cancel()
    return run


async def _watch_lag(run: Run, tick_s: float = 0.001) -> None:
    while True:
        asked = time.perf_counter()
        await asyncio.sleep(tick_s)
        late = (time.perf_counter() - asked - tick_s) * 1000
        run.generator_lag_ms = max(run.generator_lag_ms, late)


async def _offer(run: Run, request_for: RequestFor, *, rate: float, count: int,
                 time_cap_s: float) -> None:
    async with client_session(256) as session:
        start = time.perf_counter()
        tasks = []
        for index in range(count):
            due = start + index / rate
            if due - start > time_cap_s:
                run.capped = True
                break
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            url, body = request_for(index)
            run.sent += 1
            tasks.append(asyncio.create_task(_send(session, run, url, body, False)))
        await asyncio.gather(*tasks)
        run.elapsed_s = time.perf_counter() - start


async def one_at_a_time(request_for: RequestFor, *, count: int, time_cap_s: float,
                        warmup: int = 0, pause_s: float = 0.0) -> Run:
    """Send the next request only after the previous answer; the first `warmup` don't count."""
    run = Run()
    async with client_session(1) as session:
        warm = Run()
        for index in range(warmup):
            url, body = request_for(index)
            await _send(session, warm, url, body, False)
        start = time.perf_counter()
        for index in range(warmup, warmup + count):
            if time.perf_counter() - start > time_cap_s:
                run.capped = True
                break
            url, body = request_for(index)
            run.sent += 1
            await _send(session, run, url, body, False)
            if pause_s:
                await asyncio.sleep(pause_s)
        run.elapsed_s = time.perf_counter() - start
        run.statuses.update(warm.statuses)
    return run
