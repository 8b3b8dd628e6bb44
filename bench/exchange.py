"""The fake Bybit of the tests, in the bench process, noting when each order request arrives.

`tests/fakes/bybit.py` verifies pybit's HMAC and keeps real positions; this subclass only adds
a clock: the moment `/v5/order/create` reaches the fake (before any injected latency), by
orderLinkId, and a count of every request, so a phase can say how many exchange calls it cost;
and a count of the JSON pings its private streams answered (proof that idle streams ping).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter
from typing import Any

from aiohttp import web

from tests.fakes.bybit import FakeBybit
from tests.fakes.bybit_stream_conn import StreamConn

ORDER_CREATE = "/v5/order/create"
ORDER_REALTIME = "/v5/order/realtime"
PARKED_S = 3600.0


class AbandonedHandshakes(logging.Filter):
    """aiohttp's server logs a traceback for every WebSocket upgrade whose client went away
    before the answer was written (the service closing a stream it evicts while it connects).
    Count them instead of printing them."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and "closing transport" in str(error):
            self.count += 1
            return False
        return True


class TimedFakeBybit(FakeBybit):
    """FakeBybit plus arrival times of order requests and a request count per path."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: dict[str, float] = {}  # orderLinkId -> perf_counter at arrival
        self.lookups: dict[str, float] = {}  # orderLinkId -> first realtime lookup
        self.calls: Counter[str] = Counter()
        self.stream_pings = 0  # `{"op": "ping"}` received on private streams
        self.abandoned = AbandonedHandshakes()
        logging.getLogger("aiohttp.server").addFilter(self.abandoned)
        self._waiters: dict[str, asyncio.Future[float]] = {}

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        now = time.perf_counter()
        self.calls[request.path] += 1
        if request.path == ORDER_CREATE:
            link = _link_of(await request.text())
            if link:
                self.arrivals.setdefault(link, now)
                self._wake(link, now)
        elif request.path == ORDER_REALTIME:
            link = request.query.get("orderLinkId", "")
            if link:
                self.lookups.setdefault(link, now)
                self._wake("lookup:" + link, now)
        return await super()._handle(request)

    def _private_op(self, conn: StreamConn, op: str, req_id: Any, args: list[Any]) -> None:
        if op == "ping":
            self.stream_pings += 1
        super()._private_op(conn, op, req_id, args)

    def _wake(self, key: str, now: float) -> None:
        waiter = self._waiters.pop(key, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(now)

    async def wait_for(self, key: str, timeout: float = 10.0) -> float:
        """The arrival time of order `key` (or of `lookup:<key>`), waiting if needed."""
        known = (self.lookups.get(key.removeprefix("lookup:")) if key.startswith("lookup:")
                 else self.arrivals.get(key))
        if known is not None:
            return known
        future = self._waiters.setdefault(key, asyncio.get_running_loop().create_future())
        return await asyncio.wait_for(asyncio.shield(future), timeout)

    def park(self) -> None:
        """Hold every request from now on (no answer, no CPU) until `unpark`."""
        self.set_latency(PARKED_S)

    def unpark(self) -> None:
        """Answer at once again, and release the requests parked so far."""
        self.set_latency(0.0)
        self._stopping.set()  # wakes every request sleeping in the fake's latency
        self._stopping.clear()

    def total_calls(self) -> int:
        return sum(self.calls.values())

    def forget_requests(self) -> None:
        """Drop the recorded request list (it only grows); counts and arrivals stay."""
        self.requests.clear()


def _link_of(body: str) -> str:
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        return ""
    return str(data.get("orderLinkId", "")) if isinstance(data, dict) else ""
