"""Acknowledgement: the service against the bare-aiohttp baseline, under the same load.

Three loads, each sent to the baseline and then to a fresh service (new database, 200 futures
users on demo keys; execution either parked at the exchange or running live behind the acks):
one request at a time, a fixed offered rate, and closed-loop senders for throughput.
Every alert is unique (its own `id` and price), so no duplicate check short-cuts the journal.
Before a live load each user sends two warm-up signals, so its private stream is open, synced
and knows the user's position (as many as will sync); after the load the bench waits until
execution caught up and counts the exchange requests the load cost.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bench import load
from bench.machine import CpuShare, CpuWatch, wait_quiet
from bench.service import BaselineRun, ServiceRun, Trader, fresh_service

ACK_USERS = range(1001, 1201)
# (load, execution): "parked" holds every exchange call, so the acks are measured alone, as
# the baseline is; "live" lets execution run behind the acks at the pace the gate allows, the
# exchange answering in LIVE_EXCHANGE_LATENCY_S (a round trip to Bybit from a nearby host).
LOADS = (("one", "parked"), ("rate", "parked"), ("throughput", "parked"),
         ("rate", "live"), ("throughput", "live"))
LIVE_EXCHANGE_LATENCY_S = 0.05


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
class Measured:
    """One load against one server."""

    run: load.Run
    cpu: CpuShare
    server_cpu_s: float  # CPU seconds the server process spent during the load

    @property
    def cpu_us_per_request(self) -> float:
        return self.server_cpu_s / self.run.sent * 1e6 if self.run.sent else float("nan")

    def summary(self) -> dict[str, Any]:
        run = self.run
        return {"sent": run.sent, "ok": run.ok, "statuses": dict(run.statuses),
                "rate": round(run.rate, 1), "p50_ms": round(run.percentile(50), 3),
                "p99_ms": round(run.percentile(99), 3), "capped": run.capped,
                "server_cpu_us_per_request": round(self.cpu_us_per_request, 1),
                "cores_ours": round(self.cpu.ours, 2), "cores_others": round(self.cpu.others, 2)}


async def _measure(server: ServiceRun | BaselineRun, kind: str, urls: list[str], tag: str,
                   settings: dict[str, Any]) -> Measured:
    await asyncio.to_thread(wait_quiet)
    request_for = requests_to(urls, tag)
    watch = CpuWatch([server.cpu_s])
    before = server.cpu_s()
    watch.start()
    if kind == "one":
        run = await load.one_at_a_time(request_for, count=settings["one_count"],
                                       warmup=settings["one_warmup"],
                                       time_cap_s=settings["time_cap_s"])
    elif kind == "rate":
        run = await load.fixed_rate(request_for, rate=settings["rate"],
                                    count=settings["rate_count"],
                                    time_cap_s=settings["time_cap_s"])
    else:
        run = await load.concurrent(request_for, count=settings["throughput_count"],
                                    senders=settings["senders"],
                                    time_cap_s=settings["time_cap_s"])
    share = watch.stop()
    return Measured(run, share, server.cpu_s() - before)


def _check_all_accepted(measured: Measured, kind: str, target: str,
                        settings: dict[str, Any]) -> None:
    expected = measured.run.sent + (settings["one_warmup"] if kind == "one" else 0)
    if measured.run.ok != expected:
        raise RuntimeError(f"{target} answered {dict(measured.run.statuses)} in the {kind} "
                           "load: not every alert was accepted")


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


async def measure_acks(root: Path, fake: Any, settings: dict[str, Any],
                       say: Callable[[str], None]) -> AckResults:
    """Run each load on the baseline and on a fresh service."""
    results: dict[str, dict[str, Measured]] = {}
    live: dict[str, LiveExchange] = {}
    startups: list[float] = []
    baseline = BaselineRun()
    await baseline.start()
    try:
        for kind, execution in LOADS:
            name = f"{kind}-{execution}"
            service, traders = await fresh_service(root, f"ack-{name}", fake,
                                                   [(ACK_USERS, "futures")],
                                                   bybit={"timeout_s": 120})
            startups.append(service.startup_s)
            urls = [trader.url(service.base) for trader in traders]
            results[name] = {}
            try:
                streams: dict[str, Any] = {}
                if execution == "live":
                    async with aiohttp.ClientSession() as http:
                        streams = await warm_up(service, http, traders, f"warm-{name}",
                                                teach=True)
                calls, orders, sent = Counter(fake.calls), len(fake.order_log), 0
                cpu = service.thread_cpu_s()
                fake.set_latency(LIVE_EXCHANGE_LATENCY_S)
                if execution == "parked":
                    fake.park()
                base_urls = [url.replace(service.base, baseline.base) for url in urls]
                # Throughput is the figure a busy neighbour skews most: alternate the two
                # servers and keep each one's best round.
                for round_ in range(settings["rounds"] if kind == "throughput" else 1):
                    for target, server, where in (("baseline", baseline, base_urls),
                                                  ("service", service, urls)):
                        if target == "baseline" and execution == "live":
                            continue
                        measured = await _measure(server, kind, where,
                                                  f"{target[0]}{name}{round_}", settings)
                        _check_all_accepted(measured, kind, target, settings)
                        sent += measured.run.sent if target == "service" else 0
                        best = results[name].get(target)
                        if best is None or measured.run.rate > best.run.rate:
                            results[name][target] = measured
                if execution == "live":
                    ended = time.perf_counter()
                    async with aiohttp.ClientSession() as http:
                        caught_up = await service.wait_idle(http, 2 * len(traders) + sent, 300)
                    live[name] = LiveExchange(
                        sent, Counter(fake.calls) - calls, len(fake.order_log) - orders,
                        caught_up - ended, streams,
                        {k: v - cpu[k] for k, v in service.thread_cpu_s().items()})
            finally:
                fake.unpark()
                await service.stop()
            for target, measured in results[name].items():
                say(f"  ack {name:18} {target:8} {measured.summary()}")
            if name in live:
                got = live[name]
                say(f"  ack {name:18} exchange: {got.private_per_signal:.2f} private REST "
                    f"requests per signal ({dict(got.calls)}), {got.orders} orders, caught up "
                    f"{got.catch_up_s:.1f} s after the load; streams {got.streams['private']}")
    finally:
        await baseline.stop()
    return AckResults(results, startups, live)
