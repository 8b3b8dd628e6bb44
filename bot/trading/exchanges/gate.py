"""Every pybit call goes through one gate: a bounded thread pool and the IP-wide budget.

pybit blocks (requests), so calls run in worker threads, never on the event loop. Bybit allows
one IP 600 requests per 5 s across all users; the gate spends a token per call and waits when
the budget is empty, rather than let Bybit ban the address for ten minutes.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

BYBIT_IP_BUDGET_PER_5S = 500  # Bybit's limit is 600; keep a margin for the unexpected


class BybitGate:
    """Run blocking pybit calls off the loop, within Bybit's per-IP request budget."""

    def __init__(self, max_workers: int = 64, *, per_5s: int = BYBIT_IP_BUDGET_PER_5S) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="pybit")
        self._capacity = float(per_5s)
        self._rate = per_5s / 5.0
        self._tokens = self._capacity
        self._stamp = time.monotonic()
        self._lock = asyncio.Lock()
        self.calls = 0

    async def _take(self) -> None:
        async with self._lock:  # FIFO: callers get tokens in arrival order
            while True:
                now = time.monotonic()
                self._tokens = min(self._capacity, self._tokens + (now - self._stamp) * self._rate)
                self._stamp = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await asyncio.sleep((1 - self._tokens) / self._rate)

    async def call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run `fn(*args, **kwargs)` in a worker thread once the budget allows.

        If the caller is cancelled, this still returns only once the thread is done with the
        call: the caller's session (a `requests.Session`) must never serve two threads.
        """
        await self._take()
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

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
