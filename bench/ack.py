"""Acknowledgement: the service against the bare-aiohttp baseline, under the same load.

Three loads, each sent to the baseline and then to a fresh service (new database, 200 futures
users on demo keys; execution either parked at the exchange or running live behind the acks):
one request at a time, a fixed offered rate, and closed-loop senders for throughput.
Every alert is unique (its own `id` and price), so no duplicate check short-cuts the journal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import load
from bench.machine import CpuShare, CpuWatch, wait_quiet
from bench.service import BaselineRun, ServiceRun, fresh_service

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
class AckResults:
    loads: dict[str, dict[str, Measured]]  # one | rate | throughput -> baseline | service
    startups: list[float]  # seconds to the first /healthz 200, per fresh service


async def measure_acks(root: Path, fake: Any, settings: dict[str, Any],
                       say: Callable[[str], None]) -> AckResults:
    """Run each load on the baseline and on a fresh service."""
    results: dict[str, dict[str, Measured]] = {}
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
                        best = results[name].get(target)
                        if best is None or measured.run.rate > best.run.rate:
                            results[name][target] = measured
            finally:
                fake.unpark()
                await service.stop()
            for target, measured in results[name].items():
                say(f"  ack {name:18} {target:8} {measured.summary()}")
    finally:
        await baseline.stop()
    return AckResults(results, startups)
