"""REST requests per executed signal in steady state: private streams on, and REST only.

50 demo futures users each alternate open and close — buy, close, sell, close, … — for a few
rounds. First, one warm-up signal per user: a `close` with nothing open, which reads the
position (mode and leverage) over REST and opens the user's private stream; with streams on,
the bench then waits until `/healthz` counts every private stream synced. Each step sends one
alert per user at once and waits until all of them finished; the fake Bybit counts the
requests it received, by path. The same run with `bybit.max_private_streams: 0` (REST only) is
the baseline row.
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

from bench.ack import alert, warm_up
from bench.exchange import TimedFakeBybit
from bench.execution import post
from bench.service import ServiceRun, Trader, fresh_service

STEADY_USERS = 50
ACTIONS = ("buy", "close", "sell", "close")
VARIANTS = {"streams": {}, "rest only": {"max_private_streams": 0}}
PUBLIC_PREFIX = "/v5/market/"


def split(calls: Counter[str]) -> tuple[Counter[str], Counter[str]]:
    """(private, public) requests: public market data is every /v5/market/ path."""
    private = Counter({p: n for p, n in calls.items() if not p.startswith(PUBLIC_PREFIX)})
    public = Counter({p: n for p, n in calls.items() if p.startswith(PUBLIC_PREFIX)})
    return private, public


@dataclass
class Steady:
    """One variant's measured steps."""

    label: str
    users: int
    signals: int  # alerts sent after the warm-up
    orders: int  # orders the fake accepted for them
    calls: Counter[str]  # every REST request after the warm-up, by path
    warmup_calls: Counter[str]
    synced: int  # private streams /healthz counted synced before the first step
    by_round: list[Counter[str]] = field(default_factory=list)
    seconds: float = 0.0
    stream_status: dict[str, Any] = field(default_factory=dict)  # /healthz streams at the end
    slow_steps: int = 0  # steps that took a second or more (a step is ~0.1 s otherwise)

    @property
    def private(self) -> Counter[str]:
        return split(self.calls)[0]

    @property
    def public(self) -> Counter[str]:
        return split(self.calls)[1]

    @property
    def per_signal(self) -> float:
        """Private REST requests per executed signal (one order each)."""
        return sum(self.private.values()) / self.orders if self.orders else float("nan")

    @property
    def public_per_signal(self) -> float:
        return sum(self.public.values()) / self.orders if self.orders else float("nan")

    def round_per_signal(self, index: int) -> float:
        private = sum(split(self.by_round[index])[0].values())
        return private / (self.users * len(ACTIONS))

    def summary(self) -> str:
        paths = ", ".join(f"{p} {n}" for p, n in sorted(self.calls.items()))
        return (f"{self.label}: {self.signals} signals, {self.orders} orders, {self.synced} "
                f"streams synced; private REST {sum(self.private.values())} = "
                f"{self.per_signal:.2f}/signal, public {sum(self.public.values())} "
                f"({paths or 'none'}); by round "
                + ", ".join(f"{self.round_per_signal(i):.2f}" for i in range(len(self.by_round)))
                + f"; {self.slow_steps} step(s) over 1 s")


async def _step(service: ServiceRun, http: aiohttp.ClientSession, traders: list[Trader],
                action: str, tag: str, done: int, slow: list[float] | None = None) -> int:
    """One alert per user at once; wait until every one of them finished."""
    began = time.perf_counter()
    await asyncio.gather(*(post(http, t.url(service.base), alert(n, tag, action))
                           for n, t in enumerate(traders)))
    done += len(traders)
    await service.wait_idle(http, done, timeout=120)
    if slow is not None and time.perf_counter() - began >= 1.0:
        slow.append(time.perf_counter() - began)
    return done


async def steady_state(root: Path, fake: TimedFakeBybit, *, label: str, first_user: int,
                       rounds: int, say: Callable[[str], None]) -> Steady:
    ids = range(first_user, first_user + STEADY_USERS)
    service, traders = await fresh_service(root, f"steady-{label.replace(' ', '-')}", fake,
                                           [(ids, "futures")], bybit=VARIANTS[label])
    try:
        async with aiohttp.ClientSession() as http:
            before = Counter(fake.calls)
            warm = await warm_up(service, http, traders, f"steady-{label}-warm")
            done, synced = len(traders), warm["private"]["synced"]
            start = Counter(fake.calls)
            orders_before = len(fake.order_log)
            began = time.perf_counter()
            by_round, slow = [], []
            for round_ in range(rounds):
                round_start = Counter(fake.calls)
                for step, action in enumerate(ACTIONS):
                    done = await _step(service, http, traders, action,
                                       f"steady-{label}-{round_}-{step}", done, slow)
                by_round.append(Counter(fake.calls) - round_start)
            seconds = time.perf_counter() - began
            status = (await service.health(http))["streams"]
        result = Steady(label, len(traders), rounds * len(ACTIONS) * len(traders),
                        len(fake.order_log) - orders_before, Counter(fake.calls) - start,
                        start - before, synced, by_round, seconds, status, len(slow))
    finally:
        await service.stop()
    say(f"  steady state, {result.summary()}")
    return result
