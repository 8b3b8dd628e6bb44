"""Acknowledgement: the service against the bare-aiohttp baseline, under the same load.

Three loads, each on a fresh service (new database, 200 futures users on demo keys; execution
either parked at the exchange or running live behind the acks) and, parked, on the baseline:
closed-loop connections for throughput and one connection for one at a time, both driven by
wrk (a C load generator: a Python client on these 2 cores caps the bare server at a quarter of
its speed), and a fixed offered rate from the Python client (wrk offers no fixed rate; 500/s is
well within the client's reach). Parked, the baseline and the service alternate, round after
round, and the report takes medians. Every alert is unique (its own `id` and price), so no
duplicate check short-cuts the journal.
Before a live load each user sends two warm-up signals, so its private stream is open, synced
and knows the user's position (as many as will sync); after the load the bench waits until
execution caught up and counts the exchange requests the load cost.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bench import load, wrk
from bench.machine import CpuShare, CpuWatch, wait_quiet
from bench.service import BaselineRun, ServiceRun, Trader, fresh_service

ACK_USERS = range(1001, 1201)
# (load, execution): "parked" holds every exchange call, so the acks are measured alone, as
# the baseline is; "live" lets execution run behind the acks at the pace the gate allows, the
# exchange answering in LIVE_EXCHANGE_LATENCY_S (a round trip to Bybit from a nearby host).
LOADS = (("one", "parked"), ("rate", "parked"), ("throughput", "parked"),
         ("rate", "live"), ("throughput", "live"))
LIVE_EXCHANGE_LATENCY_S = 0.05
WRK_CONNECTIONS = 50  # throughput: wrk -c50 (one thread: the other core is the server's)


def alert(index: int, tag: str, action: str = "buy", symbol: str = "BTCUSDT") -> bytes:
    """A unique alert: its own client id and its own price."""
    price = f"{50000 + index // 100}.{index % 100:02d}"
    return (f'{{"symbol":"{symbol}","action":"{action}","price":{price},'
            f'"id":"{tag}-{index}"}}').encode()


async def warm_up(service: ServiceRun, http: aiohttp.ClientSession, traders: list[Trader],
                  tag: str, *, done: int = 0, teach: bool = False) -> dict[str, Any]:
    """Each user's first signal, a `close` with nothing open: its position is read over REST
    and its private stream opened. Then wait for the streams to sync (as many as will);
    return /healthz's streams. `teach`: a second `close` once they are synced — that REST
    read happens with the stream live, so the stream learns the symbol's position mode and
    the next signals read their position from it (the first read, made while the stream was
    still connecting, taught it nothing)."""
    async def close(index: int, trader: Trader, label: str) -> None:
        async with http.post(trader.url(service.base), data=alert(index, label, "close"),
                             headers=load.HEADERS) as response:
            if response.status != 200:
                raise RuntimeError(f"warm-up alert refused with {response.status}")

    for step in range(2 if teach else 1):
        await asyncio.gather(*(close(n, t, f"{tag}{step}") for n, t in enumerate(traders)))
        done += len(traders)
        await service.wait_idle(http, done, timeout=120)
        streams = await service.wait_synced(http, len(traders))
    return streams


def requests_to(urls: list[str], tag: str) -> load.RequestFor:
    """The n-th request goes to user n mod len(urls)."""
    count = len(urls)

    def request_for(index: int) -> tuple[str, bytes]:
        return urls[index % count], alert(index, tag)

    return request_for


@dataclass
class Round:
    """One load against one server."""

    run: load.Run | wrk.WrkRun
    cpu: CpuShare
    server_cpu_s: float  # CPU seconds the server process spent during the load
    threads: dict[str, float] | None = None  # the service's CPU seconds by thread

    def thread_us(self, name: str) -> float:
        """CPU µs per request of one of the service's threads (loop, database)."""
        if not self.threads or not self.run.sent:
            return float("nan")
        return self.threads[name] / self.run.sent * 1e6

    @property
    def cpu_us_per_request(self) -> float:
        return self.server_cpu_s / self.run.sent * 1e6 if self.run.sent else float("nan")


class MedianRun:
    """The median of a load's rounds on one server: rate and each percentile on their own."""

    def __init__(self, runs: list[load.Run | wrk.WrkRun]) -> None:
        self.runs = runs
        self.rate = statistics.median(r.rate for r in runs)
        self.sent = sum(r.sent for r in runs)
        self.capped = any(r.capped for r in runs)

    def percentile(self, p: float) -> float:
        return statistics.median(r.percentile(p) for r in self.runs)


@dataclass
class Measured:
    """Every round of one load against one server, and what wrote it (wrk or python)."""

    rounds: list[Round]
    tool: str

    @property
    def run(self) -> MedianRun:
        return MedianRun([r.run for r in self.rounds])

    @property
    def cpu_us_per_request(self) -> float:
        return statistics.median(r.cpu_us_per_request for r in self.rounds)

    def thread_us(self, name: str) -> float:
        return statistics.median(r.thread_us(name) for r in self.rounds)

    @property
    def others(self) -> float:
        """Cores other processes used during the rounds (median)."""
        return statistics.median(r.cpu.others for r in self.rounds)

    def summary(self) -> dict[str, Any]:
        run = self.run
        return {"tool": self.tool, "rounds": len(self.rounds), "sent": run.sent,
                "rate": round(run.rate, 1), "p50_ms": round(run.percentile(50), 3),
                "p99_ms": round(run.percentile(99), 3), "capped": run.capped,
                "server_cpu_us_per_request": round(self.cpu_us_per_request, 1),
                "cores_others": round(self.others, 2),
                **({"generator_lag_ms": round(max(r.run.generator_lag_ms for r in self.rounds),
                                              1)} if self.tool == "python" else {}),
                **({"loop_us": round(self.thread_us("loop")),
                    "database_us": round(self.thread_us("database"))}
                   if self.rounds[0].threads else {}),
                "by_round": [round(r.run.rate) for r in self.rounds]}


def ratio(pair: dict[str, Measured], of: str = "service") -> float:
    """The service's (or the floor's) rate over the baseline's: the median of the rounds'
    ratios (each round measured the servers back to back, so a busy neighbour weighs on
    all of them)."""
    ours, base = pair[of].rounds, pair["baseline"].rounds
    return statistics.median(s.run.rate / b.run.rate for s, b in zip(ours, base, strict=True)
                             if b.run.rate)


async def _measure(server: ServiceRun | BaselineRun, kind: str, urls: list[str], tag: str,
                   settings: dict[str, Any]) -> Round:
    """The 500/s offered load, from the Python client (wrk offers no fixed rate)."""
    await asyncio.to_thread(wait_quiet)
    request_for = requests_to(urls, tag)
    watch = CpuWatch([server.cpu_s])
    before = server.cpu_s()
    watch.start()
    run = await load.fixed_rate(request_for, rate=settings["rate"], count=settings["rate_count"],
                                time_cap_s=settings["time_cap_s"])
    share = watch.stop()
    if run.ok != run.sent:
        raise RuntimeError(f"{server.base} answered {dict(run.statuses)} in the {kind} load: "
                           "not every alert was accepted")
    return Round(run, share, server.cpu_s() - before)


async def _measure_wrk(server: ServiceRun | BaselineRun, kind: str, paths: list[str], tag: str,
                       settings: dict[str, Any], scratch: Path, *,
                       duration_s: float | None = None) -> Round:
    """wrk's closed loop: 50 connections for throughput, one for one at a time."""
    await asyncio.to_thread(wait_quiet, 0.3, settings["quiet_s"])
    watch = CpuWatch([server.cpu_s])
    before = server.cpu_s()
    threads = server.thread_cpu_s() if isinstance(server, ServiceRun) else {}
    watch.start()
    run = await wrk.run(settings["wrk"], server.base, paths, tag=tag,
                        connections=WRK_CONNECTIONS if kind == "throughput" else 1,
                        threads=1, duration_s=duration_s or settings["wrk_s"], scratch=scratch)
    share = watch.stop()
    # wrk is a child of this process: its CPU is ours, not a neighbour's.
    share.others = max(0.0, share.others - run.cpu_s / share.wall_s)
    share.ours += run.cpu_s / share.wall_s
    if run.failed:
        raise RuntimeError(f"{server.base} answered with errors in the {kind} load "
                           f"({run.errors}): not every alert was accepted")
    if isinstance(server, ServiceRun):
        threads = {k: v - threads[k] for k, v in server.thread_cpu_s().items()}
    return Round(run, share, server.cpu_s() - before, threads or None)


@dataclass
class LiveExchange:
    """What execution cost behind a live load: from the load's start until it caught up."""

    signals: int  # alerts accepted during the load
    calls: Counter[str]  # REST requests at the fake, by path
    orders: int
    catch_up_s: float  # after the load's last answer, until every signal had finished
    streams: dict[str, Any]  # /healthz's streams after the warm-up
    cpu_s: dict[str, float]  # the service's CPU by thread, from the load's start to caught up

    @property
    def private_per_signal(self) -> float:
        private = sum(n for p, n in self.calls.items() if not p.startswith("/v5/market/"))
        return private / self.signals if self.signals else float("nan")


@dataclass
class AckResults:
    loads: dict[str, dict[str, Measured]]  # one | rate | throughput -> baseline | service
    startups: list[float]  # seconds to the first /healthz 200, per fresh service
    live: dict[str, LiveExchange]  # rate-live | throughput-live
    wrk: bool = True  # False: wrk is not installed, so throughput and one-at-a-time are absent


async def measure_acks(root: Path, fake: Any, settings: dict[str, Any],
                       say: Callable[[str], None]) -> AckResults:
    """Run each load on the baseline and on a fresh service; without wrk, say so and skip its
    loads (throughput and one at a time)."""
    results: dict[str, dict[str, Measured]] = {}
    live: dict[str, LiveExchange] = {}
    startups: list[float] = []
    found = wrk.find()
    if found is None:
        say(f"  {wrk.MISSING}: skipping the throughput and one-at-a-time loads")
    settings = {**settings, "wrk": found}
    baseline = BaselineRun()
    await baseline.start()
    floor = BaselineRun(journal=root / "floor" / "floor.db")
    await floor.start()
    try:
        for kind, execution in LOADS:
            name = f"{kind}-{execution}"
            if kind != "rate" and found is None:
                continue
            service, traders = await fresh_service(root, f"ack-{name}", fake,
                                                   [(ACK_USERS, "futures")],
                                                   bybit={"timeout_s": 120})
            startups.append(service.startup_s)
            try:
                got = await _one_load(kind, execution, service, (baseline, floor), traders,
                                      fake, settings, root)
            finally:
                fake.unpark()
                await service.stop()
            results[name] = got[0]
            for target, measured in got[0].items():
                say(f"  ack {name:18} {target:8} {measured.summary()}")
            if got[1] is not None:
                live[name] = got[1]
                say(f"  ack {name:18} exchange: {got[1].private_per_signal:.2f} private REST "
                    f"requests per signal ({dict(got[1].calls)}), {got[1].orders} orders, "
                    f"caught up {got[1].catch_up_s:.1f} s after the load; streams "
                    f"{got[1].streams['private']}")
    finally:
        await baseline.stop()
        await floor.stop()
    return AckResults(results, startups, live, found is not None)


async def _one_load(kind: str, execution: str, service: ServiceRun,
                    baselines: tuple[BaselineRun, BaselineRun], traders: list[Trader],
                    fake: Any, settings: dict[str, Any], root: Path,
                    ) -> tuple[dict[str, Measured], LiveExchange | None]:
    """One load on this fresh service (and, parked, on the baseline, round for round; the
    throughput also on the durable floor: the baseline storing each alert, nothing more)."""
    baseline, floor = baselines
    name = f"{kind}-{execution}"
    urls = [trader.url(service.base) for trader in traders]
    paths = [url.removeprefix(service.base) for url in urls]
    streams: dict[str, Any] = {}
    if execution == "live":
        async with aiohttp.ClientSession() as http:
            streams = await warm_up(service, http, traders, f"warm-{name}", teach=True)
    calls, orders, sent = Counter(fake.calls), len(fake.order_log), 0
    cpu = service.thread_cpu_s()
    fake.set_latency(LIVE_EXCHANGE_LATENCY_S)
    if execution == "parked":
        fake.park()
    servers: list[tuple[str, ServiceRun | BaselineRun]] = [("service", service)]
    if execution == "parked":
        servers.insert(0, ("baseline", baseline))
        if kind == "throughput":
            servers.insert(1, ("floor", floor))
    rounds: dict[str, list[Round]] = {target: [] for target, _ in servers}
    if kind != "rate":  # open each server's connections and warm its caches, untimed
        for target, server in servers:
            warm = await wrk.run(settings["wrk"], server.base, paths, tag=f"w{target[0]}{name}",
                                 connections=WRK_CONNECTIONS if kind == "throughput"
                                 else 1, threads=1, duration_s=1, scratch=root)
            sent += warm.requests if target == "service" else 0
    # Alternate the servers, the order flipped every round, and keep every round: a busy
    # neighbour weighs on both servers of a round, and the report takes medians. The fixed
    # rate runs once: each of its alerts stays parked in its lane, so a second round on the
    # same service would measure the first one's backlog, not the ack.
    repeat = settings["wrk_rounds"] if execution == "parked" and kind != "rate" else 1
    for round_ in range(repeat):
        for target, server in servers if round_ % 2 == 0 else servers[::-1]:
            tag = f"{target[0]}{name}{round_}"
            if kind == "rate":
                where = urls if target == "service" else [baseline.base + p for p in paths]
                measured = await _measure(server, kind, where, tag, settings)
            else:
                measured = await _measure_wrk(
                    server, kind, paths, tag, settings, root,
                    duration_s=settings["live_s"] if execution == "live" else None)
            sent += measured.run.sent if target == "service" else 0
            rounds[target].append(measured)
    out = {target: Measured(got, "python" if kind == "rate" else "wrk")
           for target, got in rounds.items()}
    if execution != "live":
        return out, None
    ended = time.perf_counter()
    async with aiohttp.ClientSession() as http:
        caught_up = await service.wait_idle(http, 2 * len(traders) + sent, 300)
    return out, LiveExchange(sent, Counter(fake.calls) - calls, len(fake.order_log) - orders,
                             caught_up - ended, streams,
                             {k: v - cpu[k] for k, v in service.thread_cpu_s().items()})
