"""The Bybit request budget is shared fairly: owners waiting for a token are served in turn.

A fake clock whose `sleep` moves time on: no real waiting, and the order of service is exact.
"""

from __future__ import annotations

import asyncio

from bot.trading.exchanges.gate import FairBudget


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def budget_of(per_5s: int) -> tuple[FairBudget, FakeTime]:
    time = FakeTime()
    return FairBudget(per_5s, clock=time.clock, sleep=time.sleep), time


async def served_in_order(budget: FairBudget, calls: list[str]) -> list[str]:
    """Start one waiting call per entry (its owner), in this order; the order they get their
    tokens in."""
    served: list[str] = []

    async def call(owner: str) -> None:
        await budget.take(owner)
        served.append(owner)

    tasks = [asyncio.create_task(call(owner)) for owner in calls]
    await asyncio.gather(*tasks)
    return served


async def test_a_burst_of_one_owner_does_not_delay_the_first_call_of_others() -> None:
    budget, time = budget_of(5)  # one token a second, five at most
    for _ in range(5):
        await budget.take("subscriber-1")  # its burst spends the budget at once
    assert time.now == 0
    order = await served_in_order(budget, ["subscriber-1"] * 4 + ["subscriber-2",
                                                                  "subscriber-3"])
    # A FIFO would serve subscriber-1's four retries first; in turn, the others wait one token.
    assert order == ["subscriber-1", "subscriber-2", "subscriber-3", "subscriber-1",
                     "subscriber-1", "subscriber-1"]
    assert time.now == 6  # the budget stays the ceiling: one token a second
    assert budget.waiting == 0


async def test_each_owner_keeps_its_own_order_and_a_newcomer_joins_the_turn() -> None:
    budget, _ = budget_of(5)
    for _ in range(5):
        await budget.take("market")
    served: list[str] = []

    async def call(owner: str, n: int) -> None:
        await budget.take(owner)
        served.append(f"{owner}{n}")

    first = [asyncio.create_task(call(owner, n)) for owner, n in
             (("a", 1), ("a", 2), ("b", 1), ("b", 2), ("a", 3))]
    await asyncio.sleep(0)
    late = asyncio.create_task(call("c", 1))
    await asyncio.gather(*first, late)
    assert served == ["a1", "b1", "c1", "a2", "b2", "a3"]


async def test_a_caller_that_gives_up_leaves_its_token_to_the_next() -> None:
    budget, time = budget_of(5)
    for _ in range(5):
        await budget.take("a")
    gone = asyncio.create_task(budget.take("b"))
    stays = asyncio.create_task(budget.take("c"))
    await asyncio.sleep(0)
    gone.cancel()
    await stays
    assert time.now == 1  # c got the first token that came
    assert gone.cancelled() and budget.waiting == 0


async def test_with_tokens_left_nobody_waits() -> None:
    budget, time = budget_of(500)
    assert await served_in_order(budget, ["a", "b", "a", "c"]) == ["a", "b", "a", "c"]
    assert time.now == 0
