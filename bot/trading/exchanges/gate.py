"""Every pybit call goes through one gate: a bounded thread pool and the IP-wide budget.

pybit blocks (requests), so calls run in worker threads, never on the event loop. Bybit allows
one IP 600 requests per 5 s across all users; the gate spends a token per call and waits when
the budget is empty, rather than let Bybit ban the address for ten minutes.

If Bybit bans it all the same (HTTP 403, "access too frequent": another program on the
address, or a restricted region), every call of every user is refused here, without a request,
for `IP_BAN_PAUSE_S`: Bybit says to stop all requests and wait at least ten minutes, and an
address that keeps asking is banned for good.

The budget is shared fairly. Each call names its owner (a user id; market data and key checks
have owners of their own); while the budget is empty, waiting callers queue per owner and the
owners are served one token each in turn (round robin). So when one alert of a signal channel
becomes a thousand orders, no subscriber's first order waits behind another's retries or
burst: with k owners waiting, each is at most k-1 tokens from its next one.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from pybit.exceptions import FailedRequestError

log = logging.getLogger(__name__)

T = TypeVar("T")

BYBIT_IP_BUDGET_PER_5S = 500  # Bybit's limit is 600; keep a margin for the unexpected
ANONYMOUS = "anonymous"  # the owner of a call that names none (a key check, a test)
IP_BANNED = 403  # Bybit's HTTP status for a banned address
IP_BAN_PAUSE_S = 600.0  # Bybit: "wait for at least 10 minutes"


class FairBudget:
    """A token bucket (`per_5s` tokens, refilled continuously) whose waiters are served
    round robin by owner, each owner's own calls in arrival order.

    `clock` and `sleep` are injectable so the order of service can be tested without time.
    """

    def __init__(self, per_5s: int, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._capacity = float(per_5s)
        self._rate = per_5s / 5.0
        self._tokens = self._capacity
        self._clock = clock
        self._sleep = sleep
        self._stamp = clock()
        # owner -> its waiters in arrival order; the dict's order is the round robin's turn.
        self._waiting: OrderedDict[Hashable, deque[asyncio.Future[None]]] = OrderedDict()
        self._pump: asyncio.Task[None] | None = None

    @property
    def waiting(self) -> int:
        """Callers waiting for a token."""
        return sum(len(queue) for queue in self._waiting.values())

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self._capacity, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now

    async def take(self, owner: Hashable) -> None:
        """Spend one token for `owner`, waiting for its turn when the budget is empty."""
        if not self._waiting:
            self._refill()
            if self._tokens >= 1:
                self._tokens -= 1
                return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(owner, deque()).append(future)
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._serve(), name="bybit-budget")
        await future

    async def _serve(self) -> None:
        """Hand out tokens as they refill: one per owner in turn, until nobody waits."""
        while self._waiting:
            self._refill()
            if self._tokens < 1:
                await self._sleep((1 - self._tokens) / self._rate)
                continue
            owner, queue = next(iter(self._waiting.items()))
            future = queue.popleft()
            if queue:
                self._waiting.move_to_end(owner)  # its next call waits for everyone else's
            else:
                del self._waiting[owner]
            if future.cancelled():
                continue  # its caller went away: the token stays for the next one
            self._tokens -= 1
            future.set_result(None)


class BybitGate:
    """Run blocking pybit calls off the loop, within Bybit's per-IP request budget."""

    def __init__(self, max_workers: int = 64, *, per_5s: int = BYBIT_IP_BUDGET_PER_5S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="pybit")
        self.budget = FairBudget(per_5s)
        self.calls = 0
        self._clock = clock
        self._banned_until = float("-inf")

    async def call(self, fn: Callable[..., T], /, *args: Any, owner: Hashable = ANONYMOUS,
                   **kwargs: Any) -> T:
        """Run `fn(*args, **kwargs)` in a worker thread once the budget allows `owner` a call.

        If the caller is cancelled, this still returns only once the thread is done with the
        call: the caller's session (a `requests.Session`) must never serve two threads.
        While the address is banned it raises pybit's 403 at once, without a request.
        """
        self._refuse_while_banned()
        await self.budget.take(owner)
        self._refuse_while_banned()  # the ban may have begun while it waited for its token
        self.calls += 1
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            await asyncio.wait([future])
            if not future.cancelled():
                future.exception()  # retrieved: nobody is left to see it
            raise
        except FailedRequestError as exc:
            if exc.status_code == IP_BANNED:
                self._banned_until = self._clock() + IP_BAN_PAUSE_S
                log.error("Bybit refused this server's address (HTTP 403): no request to "
                          "Bybit for %.0f s", IP_BAN_PAUSE_S)
            raise

    def _refuse_while_banned(self) -> None:
        if self._clock() < self._banned_until:
            raise FailedRequestError(request="not sent: the address is banned",
                                     message="Bybit banned this server's address",
                                     status_code=IP_BANNED, time=time.strftime("%H:%M:%S"),
                                     resp_headers=None)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
