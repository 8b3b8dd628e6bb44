"""Signal channels: one provider alert to 1,000 subscribers, on paper and on demo accounts.

    python -m bench --only channels [--subscribers N] [--no-write]

Each phase starts its own service (`python main.py`, a fresh database) with a bot talking to
the fake Telegram Bot API and Bybit at the fake Bybit, both in this process (one clock,
`time.monotonic`). Before the process starts, the bench writes 1,000 active subscribers (paper,
or demo with their own keys at the fake), a channel owned by one more user, every subscriber
on it in auto mode, and a second channel with one paper subscriber (the ack baseline), with the
project's own repositories, as `/channel new` and `/subscribe` would.

Then: 20 alerts to the one-subscriber channel, one at a time (their acks are the same-run
baseline), and one alert to the 1,000-subscriber channel — on demo a second one (a close) once
the first was traded and told, when every subscriber's account is known (exchange session,
position, private stream for as many as `max_private_streams` allows). From just before each
POST:
- **ack**: until its 200 is read;
- **last trade**: until the last subscriber's order — paper: the latest `orders.created_at`
  of its signals (the service's wall clock, compared with this process's); demo: the moment
  the fake Bybit received the last `/v5/order/create` of them;
- **last notification**: until the fake Telegram received the last subscriber's
  `sendMessage` about it.
Demo: the fake answers every REST request after 50 ms; thread pool, parallel executions, the
IP request budget and private streams as shipped. The budget is the floor: N orders need at
least N requests, and after the first `budget` (the bucket starts full) they come at
`budget / 5` a second; the calls the phase really made give the second, higher floor.
Telegram: python-telegram-bot's `AIORateLimiter` sends at most 30 messages a second for the
bot (a bucket of 30, then 30 a second), so 1,000 notifications take at least 32 s however
fast the trades are.
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp

from bench.exchange import TimedFakeBybit
from bench.execution import SHIPPED, SHIPPED_PARALLEL, link_prefix
from bench.load import HEADERS
from bench.service import MASTER_KEY, ServiceRun, free_port, service_config
from bot.crypto import SecretBox
from bot.db import Database, UserRepo
from bot.db.channels import ChannelRepo
from bot.models import UserSettings
from tests.fakes.telegram import FakeTelegram

SUBSCRIBERS = 1000
OWNER = {"paper": 70000, "demo": 72000}  # subscribers: OWNER + 1 … OWNER + N
BASELINE_SUBSCRIBER = 1  # offset after the subscribers: the small channel's only member
BASELINE_ALERTS = 20
EXCHANGE_LATENCY_S = 0.05
TELEGRAM_PER_S = 30  # PTB's AIORateLimiter: the bot's overall limit, as Telegram asks
TIMEOUT_S = 300.0


@dataclass
class ChannelRun:
    """One alert to every subscriber of a channel, on one kind of account."""

    label: str
    account: str  # paper | demo
    subscribers: int
    budget_per_5s: int
    max_workers: int
    parallel_executions: int
    latency_s: float
    ack_ms: float
    baseline_ack_ms: list[float]  # one-subscriber channel, same service, one at a time
    answered: int  # `subscribers` in the 200
    first_trade_s: float
    last_trade_s: float
    executed_s: float  # until /healthz counted every signal finished
    notified_s: float  # until the last subscriber's notification reached the fake Telegram
    orders: int  # orders of the alert's signals
    one_each: bool  # every subscriber exactly one order, no orderLinkId twice
    notified: int
    statuses: Counter[str]
    calls: Counter[str]  # REST requests the fake Bybit received during the phase, by path
    cpu_s: float  # the service's CPU during the phase
    streams: dict[str, Any]  # /healthz's private streams once all were told
    max_streams: int  # bybit.max_private_streams as shipped

    @property
    def baseline_p50_ms(self) -> float:
        return statistics.median(self.baseline_ack_ms)

    @property
    def rate(self) -> float:
        return self.budget_per_5s / 5

    def gate_floor(self, requests: int) -> float:
        """Seconds the IP budget needs for `requests` calls: a full bucket at once, then
        budget / 5 a second."""
        return max(0, requests - self.budget_per_5s) / self.rate

    @property
    def order_floor_s(self) -> float:
        return self.gate_floor(self.orders)

    @property
    def call_floor_s(self) -> float:
        return self.gate_floor(sum(self.calls.values()))

    @property
    def notify_floor_s(self) -> float:
        """The bot's limiter is a bucket of TELEGRAM_PER_S: that many at once, then that
        many a second."""
        return max(0, self.subscribers - TELEGRAM_PER_S) / TELEGRAM_PER_S

    @property
    def calls_per_order(self) -> float:
        return sum(self.calls.values()) / self.orders if self.orders else float("nan")


async def prepare(db_path: Path, account: str, subscribers: int
                  ) -> tuple[tuple[str, str], tuple[str, str]]:
    """The users, their keys (demo: `key-<id>`), the big channel and the small one; returns
    (code, token) of each."""
    db = Database(db_path)
    await db.open()
    try:
        users = UserRepo(db, SecretBox(MASTER_KEY.encode()))
        owner = OWNER[account]
        ids = range(owner + 1, owner + subscribers + 1)
        small_id = owner + subscribers + BASELINE_SUBSCRIBER

        async def one(user_id: int, kind: str) -> None:
            settings = UserSettings(market_type="futures", trade_amount=Decimal(100),
                                    leverage=10, account_type=kind)
            await users.create_user(user_id, defaults=settings, is_active=True,
                                    first_name=f"bench{user_id}")
            if kind == "demo":
                await users.set_api_keys(user_id, "demo", f"key-{user_id}", f"secret-{user_id}")

        await one(owner, "paper")
        await one(small_id, "paper")
        every = list(ids)
        for start in range(0, len(every), 250):  # concurrent writes share group commits
            await asyncio.gather(*(one(i, account) for i in every[start:start + 250]))
        channels = ChannelRepo(db, users.tokens)
        big, big_token = await channels.create(owner, f"Bench {account}")
        small, small_token = await channels.create(owner, f"Bench {account} (one)")
        for start in range(0, len(every), 250):
            await asyncio.gather(*(channels.subscribe(big.id, i)
                                   for i in every[start:start + 250]))
        await channels.subscribe(small.id, small_id)
        return (big.code, big_token), (small.code, small_token)
    finally:
        await db.close()


def _alert(index: int, tag: str, action: str = "buy") -> bytes:
    return (f'{{"symbol":"BTCUSDT","action":"{action}","price":50000,'
            f'"id":"{tag}-{index}"}}').encode()


async def _post(http: aiohttp.ClientSession, url: str, body: bytes) -> tuple[float, dict]:
    began = time.monotonic()
    async with http.post(url, data=body, headers=HEADERS) as response:
        answer = await response.json(content_type=None)
        took = time.monotonic() - began
        if response.status != 200 or answer.get("status") != "queued":
            raise RuntimeError(f"channel alert refused with {response.status}: {answer}")
        return took, answer


def _rows(db_path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        return conn.execute(sql, params).fetchall()


async def _until(check: Callable[[], bool], what: str, timeout: float = TIMEOUT_S,
                 poll_s: float = 0.02) -> float:
    """Poll until `check()`; return the monotonic time it was first seen true."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen in {timeout:.0f} s")
        await asyncio.sleep(poll_s)
    return time.monotonic()


def _sent_to(telegram: FakeTelegram, chats: set[int], since: int) -> list[float]:
    """Arrival times of the messages sent to these chats after call number `since`."""
    return [call.time for call in telegram.calls[since:]
            if call.method == "sendMessage" and int(call.params.get("chat_id", 0)) in chats]


@dataclass
class Phase:
    """One service: its database, the fakes, and the subscribers' chats."""

    service: ServiceRun
    telegram: FakeTelegram
    fake: TimedFakeBybit
    account: str
    chats: set[int]
    completed: int = 0  # signals /healthz should count finished so far


async def _one_alert(phase: Phase, http: aiohttp.ClientSession, url: str, action: str,
                     label: str, baseline: list[float]) -> ChannelRun:
    """Send one alert to every subscriber; wait until all traded and were told."""
    service, telegram, fake, chats = phase.service, phase.telegram, phase.fake, phase.chats
    calls_before = Counter(fake.calls)
    cpu_before = service.cpu_s()
    mark = len(telegram.calls)
    wall = time.time()
    began = time.monotonic()
    took, answer = await _post(http, url, _alert(phase.completed, label, action))
    phase.completed += len(chats)
    done = await service.wait_idle(http, phase.completed, timeout=TIMEOUT_S)
    notified = await _until(lambda: len(_sent_to(telegram, chats, mark)) >= len(chats),
                            "every subscriber's notification")
    cpu = service.cpu_s() - cpu_before
    streams = (await service.health(http))["streams"]["private"]
    calls = Counter(fake.calls)
    calls.subtract(calls_before)
    alert_id = answer["channel_alert_id"]
    db = service.db_path
    signals = {sid for (sid,) in _rows(db, "SELECT id FROM signals WHERE channel_alert_id = ?",
                                       alert_id)}
    statuses = Counter(s for (s,) in _rows(
        db, "SELECT status FROM signals WHERE channel_alert_id = ?", alert_id))
    orders = _rows(db, "SELECT o.user_id, o.order_link_id, o.created_at FROM orders o"
                       " JOIN signals s ON s.id = o.signal_id WHERE s.channel_alert_id = ?",
                   alert_id)
    per_user = Counter(user_id for user_id, _, _ in orders)
    links = [link for _, link, _ in orders]
    one_each = per_user == Counter(dict.fromkeys(chats, 1)) and len(set(links)) == len(links)
    if phase.account == "demo":
        prefix = link_prefix(db)
        arrived = [at for link, at in fake.arrivals.items() if link.startswith(prefix + "-")
                   and int(link.split("-")[-2]) in signals]
        stamps = [at - began for at in arrived]
    else:
        stamps = [created - wall for _, _, created in orders]
    first, last = (min(stamps), max(stamps)) if stamps else (float("nan"), float("nan"))
    latency = EXCHANGE_LATENCY_S if phase.account == "demo" else 0.0
    return ChannelRun(
        label, phase.account, len(chats), SHIPPED.requests_per_5s, SHIPPED.max_workers,
        SHIPPED_PARALLEL, latency, took * 1000, baseline, answer["subscribers"], first, last,
        done - began, notified - began, len(orders), one_each,
        len(_sent_to(telegram, chats, mark)), statuses, +calls, cpu, streams,
        SHIPPED.max_private_streams)


async def channel_alerts(root: Path, fake: TimedFakeBybit, account: str, *,
                         subscribers: int = SUBSCRIBERS,
                         say: Callable[[str], None]) -> list[ChannelRun]:
    """One phase: a fresh service, `subscribers` on `account`; one alert to all of them (on
    demo a second one too, a close, once every subscriber's account is known)."""
    telegram = FakeTelegram()
    await telegram.start()
    workdir = root / f"channels-{account}"
    config = service_config(workdir, free_port(), fake.url)
    config["telegram"] = {"token": telegram.token, "base_url": telegram.base_url}
    service = ServiceRun(workdir, config)
    (big, big_token), (small, small_token) = await prepare(service.db_path, account,
                                                           subscribers)
    owner = OWNER[account]
    phase = Phase(service, telegram, fake, account,
                  set(range(owner + 1, owner + subscribers + 1)))
    if account == "demo":
        for user_id in phase.chats:
            fake.add_account(f"key-{user_id}", f"secret-{user_id}", env="demo")
    found: list[ChannelRun] = []
    await service.start(timeout=60)
    try:
        await _until(lambda: any(c.method == "getUpdates" for c in telegram.calls),
                     "the bot's first getUpdates", timeout=30)
        async with aiohttp.ClientSession() as http:
            small_url = f"{service.base}/channel/{small}/webhook?token={small_token}"
            baseline = []
            for n in range(BASELINE_ALERTS):
                took, _ = await _post(http, small_url, _alert(n, f"{account}-one"))
                baseline.append(took * 1000)
            phase.completed = BASELINE_ALERTS
            await service.wait_idle(http, phase.completed, timeout=60)
            fake.set_latency(EXCHANGE_LATENCY_S if account == "demo" else 0.0)
            url = f"{service.base}/channel/{big}/webhook?token={big_token}"
            steps = (("buy", "first alert, every account cold"),
                     ("close", "second alert (close), accounts known")) \
                if account == "demo" else (("buy", "one alert"),)
            for action, label in steps:
                run = await _one_alert(phase, http, url, action, label, baseline)
                found.append(run)
                say(f"  {account}, {label}: ack {run.ack_ms:.1f} ms (one-subscriber channel "
                    f"p50 {run.baseline_p50_ms:.1f} ms); trades {run.first_trade_s:.2f}–"
                    f"{run.last_trade_s:.2f} s, all finished {run.executed_s:.2f} s, last "
                    f"notification {run.notified_s:.2f} s; {run.orders} orders (one each: "
                    f"{run.one_each}), {sum(run.calls.values())} REST calls "
                    f"({run.calls_per_order:.2f} per order), service CPU {run.cpu_s:.1f} s")
    finally:
        fake.set_latency(0.0)
        await service.stop()
        await telegram.stop()
    return found


async def run_channels(root: Path, fake: TimedFakeBybit, say: Callable[[str], None], *,
                       subscribers: int = SUBSCRIBERS) -> list[ChannelRun]:
    """Both phases, paper first."""
    found = []
    for account in ("paper", "demo"):
        found += await channel_alerts(root, fake, account, subscribers=subscribers, say=say)
        fake.forget_requests()
    return found
