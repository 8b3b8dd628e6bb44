"""From alert to order: signal-to-order latency, and many users executing side by side.

Signal-to-order is timed from just before the POST is sent to the moment the fake Bybit (in
this process, same clock) receives `/v5/order/create` for that signal's opening leg. Samples
are taken one at a time on a quiet service: the next alert goes out once the previous signal
has finished (its `/healthz` completion count moved). Fifty users take turns, each warmed up
first (two signals, see `warm_up`) so that its private stream is synced and knows its
position, as in steady state; a user's long is closed (untimed) before its next timed buy.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.ack import alert, warm_up
from bench.exchange import TimedFakeBybit
from bench.load import HEADERS, percentile
from bench.service import ServiceRun, Trader, fresh_service
from bot.config import BybitConfig, LimitsConfig

S2O_USERS = range(20001, 20051)
PARALLEL_USERS = 200
PARALLEL_ACTIONS = ("buy", "close", "buy", "close", "buy")  # 1–3 exchange calls each
SHIPPED = BybitConfig()  # the thread pool and the IP budget as shipped
SHIPPED_PARALLEL = LimitsConfig().max_parallel_executions
# The variant that shows what the lanes and threads do when the IP budget is not the limit.
# Only the fake allows it: real Bybit bans an address that goes over 600 calls per 5 s.
UNTHROTTLED = {"bybit": {"requests_per_5s": 1_000_000, "max_workers": 256},
               "limits": {"max_parallel_executions": 256}}


def link_prefix(db_path: Path) -> str:
    """This installation's orderLinkId prefix, as the service stored it."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT value FROM meta WHERE key = 'link_prefix'").fetchone()[0]


async def post(http: aiohttp.ClientSession, url: str, body: bytes) -> dict[str, Any]:
    async with http.post(url, data=body, headers=HEADERS) as response:
        answer = await response.json(content_type=None)
        if response.status != 200:
            raise RuntimeError(f"alert refused with {response.status}: {answer}")
        return answer


async def _completed(service: ServiceRun, http: aiohttp.ClientSession) -> int:
    return (await service.health(http))["queue"]["completed"]


async def _wait_completed(service: ServiceRun, http: aiohttp.ClientSession, count: int,
                          timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while await _completed(service, http) < count:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"signals did not finish: {count} expected")
        await asyncio.sleep(0.005)


async def signal_to_order(root: Path, fake: TimedFakeBybit, samples: dict[float, int],
                          say: Callable[[str], None]) -> dict[float, list[float]]:
    """Per exchange latency (s): signal-to-order latencies in ms, one signal at a time."""
    service, traders = await fresh_service(root, "s2o", fake, [(S2O_USERS, "futures")])
    results: dict[float, list[float]] = {}
    try:
        prefix = link_prefix(service.db_path)
        async with aiohttp.ClientSession() as http:
            # Warm-up: two closes with nothing to close — the exchange session and the private
            # stream exist, and the stream knows the position.
            streams = await warm_up(service, http, traders, "s2o-warm", teach=True)
            say(f"  signal-to-order: {streams['private']['synced']} of {len(traders)} private "
                "streams synced")
            done, sample, holding = 2 * len(traders), 0, set()
            for latency, count in samples.items():
                fake.set_latency(latency)
                latencies = results[latency] = []
                for _ in range(count):
                    trader = traders[sample % len(traders)]
                    sample += 1
                    if trader.id in holding:  # flat again first, untimed
                        await post(http, trader.url(service.base),
                                   alert(sample, "s2o-flat", "close"))
                        done += 1
                        await _wait_completed(service, http, done)
                    body = alert(sample, f"s2o-{latency}")
                    began = time.perf_counter()
                    answer = await post(http, trader.url(service.base), body)
                    arrived = await fake.wait_for(f"{prefix}-{answer['signal_id']}-o")
                    latencies.append((arrived - began) * 1000)
                    holding.add(trader.id)
                    done += 1
                    await _wait_completed(service, http, done)
                say(f"  signal-to-order {latency * 1000:.0f} ms exchange: "
                    f"p50 {percentile(latencies, 50):.2f} ms p99 {percentile(latencies, 99):.2f}"
                    f" ms ({len(latencies)} signals)")
    finally:
        fake.set_latency(0.0)
        await service.stop()
    return results


@dataclass
class Parallel:
    """200 users x 5 signals against a slow exchange."""

    label: str
    max_workers: int
    parallel_executions: int
    budget_per_5s: int
    signals: int
    total_s: float
    calls: int
    latency_s: float
    orders: int
    in_order: bool
    cpu_s: dict[str, float]  # the service's CPU seconds by thread during the phase
    streams: dict[str, Any] = field(default_factory=dict)  # /healthz's private, at the end

    @property
    def serial_s(self) -> float:
        """One call after another: what a single lane for everyone would take."""
        return self.calls * self.latency_s

    @property
    def lane_floor_s(self) -> float:
        """One user's five signals run in order: their own calls are a chain."""
        return self.calls / PARALLEL_USERS * self.latency_s

    @property
    def thread_floor_s(self) -> float:
        """Calls in flight at once are bounded by the threads and the running executions;
        each holds its slot for the whole exchange latency."""
        slots = min(self.max_workers, self.parallel_executions, PARALLEL_USERS)
        return self.calls * self.latency_s / slots

    @property
    def cpu_floor_s(self) -> float:
        """The CPU the service spent on the run: its Python runs under one interpreter lock,
        so the run cannot take much less wall time than that."""
        return sum(self.cpu_s.values())

    @property
    def gate_floor_s(self) -> float:
        """The IP budget: a full bucket at once, then budget / 5 calls a second."""
        return max(0.0, self.calls - self.budget_per_5s) / (self.budget_per_5s / 5)


async def parallel(root: Path, fake: TimedFakeBybit, *, label: str, first_user: int,
                   latency_s: float, overrides: dict[str, dict[str, Any]],
                   say: Callable[[str], None]) -> Parallel:
    """Send 5 alerts for each of 200 users at once; time until every signal finished."""
    ids = range(first_user, first_user + PARALLEL_USERS)
    service, traders = await fresh_service(root, f"parallel-{label}", fake, [(ids, "futures")],
                                           **overrides)
    bybit, limits = overrides.get("bybit", {}), overrides.get("limits", {})
    try:
        fake.set_latency(latency_s)
        calls_before, orders_before = fake.total_calls(), len(fake.order_log)
        cpu_before = service.thread_cpu_s()
        connector = aiohttp.TCPConnector(limit=50)
        async with aiohttp.ClientSession(connector=connector) as http:
            async def user_alerts(trader: Trader, number: int) -> None:
                for step, action in enumerate(PARALLEL_ACTIONS):
                    index = number * len(PARALLEL_ACTIONS) + step
                    await post(http, trader.url(service.base), alert(index, "par", action))

            began = time.perf_counter()
            await asyncio.gather(*(user_alerts(t, n) for n, t in enumerate(traders)))
            signals = len(traders) * len(PARALLEL_ACTIONS)
            finished = await service.wait_idle(http, signals, timeout=180)
            streams = (await service.health(http))["streams"]["private"]
        cpu = {k: v - cpu_before[k] for k, v in service.thread_cpu_s().items()}
        result = Parallel(label, bybit.get("max_workers", SHIPPED.max_workers),
                          limits.get("max_parallel_executions", SHIPPED_PARALLEL),
                          bybit.get("requests_per_5s", SHIPPED.requests_per_5s),
                          signals, finished - began,
                          fake.total_calls() - calls_before, latency_s,
                          len(fake.order_log) - orders_before, _each_in_order(fake, traders),
                          cpu, streams)
    finally:
        fake.set_latency(0.0)
        await service.stop()
    say(f"  parallel {label}: {result.signals} signals in "
        f"{result.total_s:.1f} s, {result.calls} exchange calls (serial {result.serial_s:.0f} s;"
        f" floors: lane {result.lane_floor_s:.1f} s, threads {result.thread_floor_s:.1f} s, "
        f"gate {result.gate_floor_s:.1f} s, CPU {result.cpu_floor_s:.1f} s), {result.orders} "
        "orders, in order: "
        f"{result.in_order}; service CPU {_cpu_text(result.cpu_s)}")
    return result


def _cpu_text(cpu: dict[str, float]) -> str:
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in cpu.items())


def _each_in_order(fake: TimedFakeBybit, traders: list[Trader]) -> bool:
    """Every user's orders reached the exchange as open, close, open, close, open."""
    expected = [("Buy", False), ("Sell", True), ("Buy", False), ("Sell", True), ("Buy", False)]
    for trader in traders:
        seen = [(o.side, o.reduce_only) for o in fake.orders_for(trader.api_key)]
        if seen != expected:
            return False
    return not fake.duplicate_link_ids()
