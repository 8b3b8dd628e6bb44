"""Resident memory with 10,000 registered users, and with 1,000 lanes active at once.

9,000 spot users each send one sell with nothing to sell: it is executed in full (their
account is read and cached, their exchange session built) without an order. Then 1,000 futures
users each send a buy while the fake exchange holds every request, so 1,000 lanes are open at
the same moment. VmRSS of the service process is read at each step. As shipped, every account
that trades gets a private stream (at most `bybit.max_private_streams`: the least recently
used is closed for a newcomer unless it was used in the last 5 minutes, else the newcomer reads
REST), and a stream that connects reads the account over REST (its resync); the same
phase with `max_private_streams: 0` (REST only) says what they cost. The fake's request count
during the spot step shows the REST those streams caused (a spot sell with nothing to sell
needs none itself).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench import load
from bench.ack import alert
from bench.exchange import TimedFakeBybit
from bench.service import fresh_service

SPOT_USERS = range(100001, 109001)
LANE_USERS = range(109001, 110001)


@dataclass
class Memory:
    users: int
    register_s: float
    startup_s: float
    rss_idle_mb: float
    rss_seen_mb: float
    rss_lanes_mb: float
    lanes: int
    label: str = "as shipped"
    streams: dict[str, Any] = field(default_factory=dict)  # /healthz's, after the spot users
    seconds: float = 0.0  # the whole phase
    spot_calls: Counter[str] = field(default_factory=Counter)  # REST during the spot step
    spot_s: float = 0.0  # the spot step, from the first sell until every one finished


async def memory(root: Path, fake: TimedFakeBybit, say: Callable[[str], None], *,
                 label: str = "as shipped", bybit: dict[str, Any] | None = None) -> Memory:
    began = time.perf_counter()
    service, traders = await fresh_service(root, f"memory-{label.replace(' ', '-')}", fake,
                                           [(SPOT_USERS, "spot"), (LANE_USERS, "futures")],
                                           bybit={"timeout_s": 120, **(bybit or {})})
    register_s = time.perf_counter() - began - service.startup_s
    try:
        await asyncio.sleep(0.5)
        rss_idle = service.rss_mb()
        spot = [t for t in traders if t.market_type == "spot"]
        futures = [t for t in traders if t.market_type == "futures"]
        urls = [t.url(service.base) for t in spot]
        calls, spot_began = Counter(fake.calls), time.perf_counter()
        run = await load.concurrent(lambda i: (urls[i], alert(i, "mem", "sell")),
                                    count=len(urls), senders=50, time_cap_s=120)
        if run.ok != len(urls):
            raise RuntimeError(f"spot sells answered {dict(run.statuses)}")
        async with aiohttp.ClientSession() as http:
            await service.wait_idle(http, len(urls), timeout=120)
            rss_seen = service.rss_mb()
            spot_calls, spot_s = Counter(fake.calls) - calls, time.perf_counter() - spot_began
            streams = (await service.health(http))["streams"]
            fake.park()
            urls = [t.url(service.base) for t in futures]
            run = await load.concurrent(lambda i: (urls[i], alert(i, "lanes", "buy")),
                                        count=len(urls), senders=50, time_cap_s=60)
            if run.ok != len(urls):
                raise RuntimeError(f"futures buys answered {dict(run.statuses)}")
            lanes = (await service.health(http))["queue"]["lanes"]
            rss_lanes = service.rss_mb()
    finally:
        fake.unpark()
        await service.stop()
    result = Memory(len(traders), register_s, service.startup_s, rss_idle, rss_seen, rss_lanes,
                    lanes, label, streams, time.perf_counter() - began, spot_calls, spot_s)
    say(f"  memory: {result}")
    return result
