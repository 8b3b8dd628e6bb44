"""Position management's REST cost in steady state, private streams on and REST only (issue 14).

30 demo futures users on a fresh service, the fake answering at once. One warm-up signal per
user (a `close` with nothing open: it reads the position over REST and opens the user's
private stream), then the bench waits until `/healthz` counts the private streams synced. Then
a position's life, each step for every user at once, each counted apart at the fake (`STEPS`):

1. a buy at leverage 5 (the account holds 10×, so this first opening sets it) with a stop-loss
   price and a 3-target ladder (1 %/40 %, 2 %/30 %, 3 %/the rest),
   `be_after` 1;
2. a `close` with `qty_percent` 50;
3. the fake's price moved past target 1 (short of target 2): target 1 fills at the fake, the
   stream tells the service, the keeper moves the stop to break-even;
4. a `close` of what is left, targets 2 and 3 resting;
5. the same entry again (the leverage already set);
6. the fake's price moved through the stop: Bybit's stop-loss closes the position, the three
   targets resting;
7. a buy with a percent stop-loss, a 1 % trailing stop and the ladder;
8. the price moved through the trailing stop: it closes the position, the targets resting.

The fake's own cancel of a flat position's reduce-only orders is switched off
(`cancel_reduce_only_when_flat = False`), so the service's cancel is the one measured. A step
ends when the fake shows its effect for every user (`Step.test`) — or after `EFFECT_S` — and
then received nothing for `QUIET_S`; counted: every request from the step's start until then,
so a follow-up that runs after the signal finished (the keeper's cancel, the break-even move)
is in the step that caused it. The same steps on a service with `bybit.max_private_streams: 0`
(REST only) are the baseline; there nothing tells the service that a target filled or that a
position went flat, so those steps end after `EFFECT_S` with what the fake shows then.

    python -m bench --only positions [--users N]
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp

from bench.ack import warm_up
from bench.exchange import TimedFakeBybit
from bench.execution import post
from bench.service import ServiceRun, Trader, fresh_service
from bench.steady import split

POSITION_USERS = 30
SYMBOL = "BTCUSDT"
LEVERAGE = 5  # the fake's accounts hold 10× (the users' setting): the first opening sets it
QUIET_S = 0.5
VARIANTS = {"streams": {}, "rest only": {"max_private_streams": 0}}
EFFECT_S = {"streams": 30.0, "rest only": 3.0}  # how long a step waits for its effect
LADDER = [{"percent": "1%", "qty_percent": 40}, {"percent": "2%", "qty_percent": 30},
          {"percent": "3%"}]
PRICES = {"first entry": Decimal("50000"), "break-even move": Decimal("50750"),
          "stop-loss fires": Decimal("49500"), "trailing fires": Decimal("48800")}
STOP_PRICE = {"first entry": "49000", "entry": "49700"}  # 2 % under the entry, as a price
P = "/v5/order/create", "/v5/order/create-batch", "/v5/position/trading-stop"
CANCEL, LEVERAGE_PATH = "/v5/order/cancel-batch", "/v5/position/set-leverage"
# step -> (what is done, the requests it should cost with streams: DESIGN §10/§11)
STEPS: dict[str, tuple[str, dict[str, int]]] = {
    "first entry": ("buy, stop-loss price, 3-target ladder, first at leverage 5",
                    {P[0]: 1, P[1]: 1, LEVERAGE_PATH: 1}),
    "partial close": ("close 50 %", {P[0]: 1}),
    "break-even move": ("target 1 fills, stop to break-even", {P[2]: 1}),
    "close, targets left": ("close, targets 2 and 3 resting", {P[0]: 1, CANCEL: 1}),
    "entry": ("buy, stop-loss price, 3-target ladder", {P[0]: 1, P[1]: 1}),
    "stop-loss fires": ("Bybit's stop-loss closes it, 3 targets resting", {CANCEL: 1}),
    "percent entry": ("buy, 2 % stop-loss, 1 % trailing, 3-target ladder",
                      {P[0]: 1, P[1]: 1, P[2]: 1}),
    "trailing fires": ("the trailing stop closes it, 3 targets resting", {CANCEL: 1}),
}


@dataclass
class Step:
    name: str
    calls: Counter[str]  # every REST request from the step's start until the fake was quiet
    users: int
    done: int  # users whose effect the fake shows
    seconds: float  # from the step's start until every effect was seen (or the wait ended)

    @property
    def expected(self) -> Counter[str]:
        return Counter({p: n * self.users for p, n in STEPS[self.name][1].items()})

    @property
    def target(self) -> int:
        return sum(STEPS[self.name][1].values())

    @property
    def private(self) -> Counter[str]:
        return split(self.calls)[0]

    @property
    def per_user(self) -> float:
        return sum(self.private.values()) / self.users

    @property
    def extra(self) -> Counter[str]:
        """Private requests beyond what the step should cost."""
        return self.private - self.expected

    @property
    def missing(self) -> Counter[str]:
        return self.expected - self.private

    @property
    def met(self) -> bool:
        return self.done == self.users and self.per_user <= self.target + 1e-9

    def paths(self) -> str:
        return ", ".join(f"{p.removeprefix('/v5/')} {n / self.users:.2f}"
                         for p, n in sorted(self.private.items()))


@dataclass
class Positions:
    label: str
    users: int
    synced: int
    warmup_calls: Counter[str]
    steps: dict[str, Step] = field(default_factory=dict)
    stream_status: dict[str, Any] = field(default_factory=dict)
    stop_moves: tuple[Decimal, Decimal, Decimal] | None = None  # one user: entry, stop, after
    closes: Counter[str] = field(default_factory=Counter)  # Bybit's closes, by route

    def summary(self) -> str:
        return f"{self.label}: {self.synced} of {self.users} streams synced; " + "; ".join(
            f"{s.name}: {s.per_user:.2f}/user ({s.paths() or 'none'}), {s.done} of {s.users} "
            f"done in {s.seconds:.1f} s" for s in self.steps.values())


def body(index: int, tag: str, action: str, price: Decimal, **fields: Any) -> bytes:
    return json.dumps({"symbol": SYMBOL, "action": action, "price": str(price),
                       "id": f"{tag}-{index}", **fields}).encode()


async def quiet(fake: TimedFakeBybit, quiet_s: float = QUIET_S, cap_s: float = 15.0) -> None:
    """Until the fake received no request for `quiet_s` (at most `cap_s`)."""
    began, seen, since = time.perf_counter(), fake.total_calls(), time.perf_counter()
    while time.perf_counter() - since < quiet_s and time.perf_counter() - began < cap_s:
        await asyncio.sleep(0.05)
        if fake.total_calls() != seen:
            seen, since = fake.total_calls(), time.perf_counter()


class Run:
    """One service, its users, and the steps counted at the fake."""

    def __init__(self, fake: TimedFakeBybit, service: ServiceRun, traders: list[Trader],
                 http: aiohttp.ClientSession, label: str) -> None:
        self.fake, self.service, self.traders, self.http = fake, service, traders, http
        self.label, self.completed, self.effect_s = label, 0, EFFECT_S[label]
        self.price = PRICES["first entry"]
        self.resting: dict[int, int] = {}  # user -> resting orders at the step's start
        self.stops: dict[int, Decimal] = {}  # user -> the stop after its entry
        self.sizes: dict[int, Decimal] = {}  # user -> the size after its entry

    def position(self, trader: Trader) -> Any:
        return self.fake.account(trader.api_key).position(SYMBOL)

    def resting_now(self, trader: Trader) -> int:
        return len(self.fake.account(trader.api_key).resting)

    async def signals(self, step: str, action: str, **fields: Any) -> None:
        tag = f"pos-{self.label}-{step}".replace(" ", "-").replace(",", "")
        await asyncio.gather(*(post(self.http, t.url(self.service.base),
                                    body(n, tag, action, self.price, **fields))
                               for n, t in enumerate(self.traders)))
        self.completed += len(self.traders)
        await self.service.wait_idle(self.http, self.completed, timeout=120)

    async def move(self, step: str) -> None:
        self.price = PRICES[step]
        self.fake.set_price(SYMBOL, self.price)

    async def step(self, name: str, act: Callable[[], Awaitable[None]],
                   test: Callable[[Trader], bool]) -> Step:
        self.resting = {t.id: self.resting_now(t) for t in self.traders}
        start, began = Counter(self.fake.calls), time.perf_counter()
        await act()
        deadline = began + self.effect_s
        while True:
            done = sum(1 for t in self.traders if test(t))
            if done == len(self.traders) or time.perf_counter() >= deadline:
                break
            await asyncio.sleep(0.02)
        seconds = time.perf_counter() - began
        await quiet(self.fake)
        return Step(name, Counter(self.fake.calls) - start, len(self.traders), done, seconds)

    # --- what each step's effect looks like at the fake ----------------------------------------

    def entered(self, t: Trader, *, trailing: bool = False) -> bool:
        p = self.position(t)
        if p.size > 0 and p.stop_loss and (p.trailing_stop or not trailing) \
                and self.resting_now(t) == self.resting[t.id] + 3:
            self.sizes[t.id], self.stops[t.id] = p.size, p.stop_loss
            return True
        return False

    def halved(self, t: Trader) -> bool:
        return self.position(t).size * 2 == self.sizes.get(t.id)

    def stop_moved(self, t: Trader) -> bool:
        p = self.position(t)
        return bool(p.stop_loss) and p.stop_loss != self.stops.get(t.id)

    def flat_and_clean(self, t: Trader) -> bool:
        return self.position(t).size == 0 and self.resting_now(t) == 0


async def position_management(root: Path, fake: TimedFakeBybit, *, label: str,
                              first_user: int, say: Callable[[str], None],
                              users: int = POSITION_USERS) -> Positions:
    ids = range(first_user, first_user + users)
    service, traders = await fresh_service(root, f"positions-{label.replace(' ', '-')}", fake,
                                           [(ids, "futures")], bybit=VARIANTS[label])
    price_before = fake.market.prices[SYMBOL]
    fake.set_price(SYMBOL, PRICES["first entry"])
    fake.cancel_reduce_only_when_flat = False  # the service's own cancel is measured
    try:
        async with aiohttp.ClientSession() as http:
            run = Run(fake, service, traders, http, label)
            before = Counter(fake.calls)
            warm = await warm_up(service, http, traders, f"pos-{label}-warm")
            run.completed = len(traders)
            result = Positions(label, len(traders), warm["private"]["synced"],
                               Counter(fake.calls) - before)
            await quiet(fake)
            await _life(run, result)
            result.stream_status = (await service.health(http))["streams"]
        result.closes = _bybit_closes(service)
    finally:
        fake.cancel_reduce_only_when_flat = True
        await service.stop()
        fake.set_price(SYMBOL, price_before)
    say(f"  position management, {result.summary()}")
    return result


async def _life(run: Run, result: Positions) -> None:
    """The eight steps of `STEPS`, in order."""
    ladder = {"tps": LADDER, "be_after": 1, "leverage": LEVERAGE}
    steps = result.steps

    async def buy(name: str, **exits: Any) -> None:
        await run.signals(name, "buy", **ladder, **exits)

    steps["first entry"] = await run.step(
        "first entry", lambda: buy("first entry", sl=STOP_PRICE["first entry"]), run.entered)
    steps["partial close"] = await run.step(
        "partial close", lambda: run.signals("partial close", "close", qty_percent=50),
        run.halved)
    steps["break-even move"] = await run.step(
        "break-even move", lambda: run.move("break-even move"), run.stop_moved)
    first = run.position(run.traders[0])
    result.stop_moves = (first.avg_price, run.stops.get(run.traders[0].id, Decimal(0)),
                         first.stop_loss)
    steps["close, targets left"] = await run.step(
        "close, targets left", lambda: run.signals("close", "close"), run.flat_and_clean)
    await _clear_leftovers(run)
    steps["entry"] = await run.step(
        "entry", lambda: buy("entry", sl=STOP_PRICE["entry"]), run.entered)
    steps["stop-loss fires"] = await run.step(
        "stop-loss fires", lambda: run.move("stop-loss fires"), run.flat_and_clean)
    await _clear_leftovers(run)
    steps["percent entry"] = await run.step(
        "percent entry", lambda: buy("percent entry", sl="2%", trailing="1%"),
        lambda t: run.entered(t, trailing=True))
    steps["trailing fires"] = await run.step(
        "trailing fires", lambda: run.move("trailing fires"), run.flat_and_clean)
    await _clear_leftovers(run)


async def _clear_leftovers(run: Run) -> None:
    """REST only, the targets of a flat position stay (nothing tells the service): cancel
    them at the fake, uncounted, so the next step starts from the same place as with
    streams. With streams there is nothing to clear."""
    engine = run.fake.engine
    for trader in run.traders:
        account = run.fake.account(trader.api_key)
        if run.position(trader).size == 0 and account.resting:
            engine.cancel_all(account, {"category": "linear", "symbol": SYMBOL})


def _bybit_closes(service: ServiceRun) -> Counter[str]:
    """The signals the service journaled for Bybit's own stops (route stop_loss, …)."""
    with sqlite3.connect(service.db_path) as conn:
        rows = conn.execute("SELECT route, COUNT(*) FROM signals WHERE route IN "
                            "('stop_loss', 'take_profit', 'trailing_stop') GROUP BY route")
        return Counter({route: n for route, n in rows})
