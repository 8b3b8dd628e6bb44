"""Observation side of the fake Bybit: what it saw and what it accepted, for assertions.

``Recording`` is the part of ``FakeBybit`` (which inherits it) that keeps ``requests`` (every
request, params decoded) and ``order_log`` (every order accepted from a client, by create or
create-batch; not the orders Bybit itself makes when a TP/SL fires), and answers
``wait_for_orders(n)``, ``duplicate_link_ids()`` and ``orders_for(key)``. The HTTP server
lives in ``tests/fakes/bybit.py``.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from decimal import Decimal
from typing import NamedTuple

from tests.fakes.bybit_wire import Params


class RecordedRequest(NamedTuple):
    """One request as the fake saw it (params decoded: query for GET, JSON body for POST)."""

    method: str
    path: str
    params: Params
    api_key: str | None


class AcceptedOrder(NamedTuple):
    """One order the fake accepted (placed), in arrival order."""

    api_key: str
    order_link_id: str
    symbol: str
    side: str
    qty: Decimal
    reduce_only: bool
    position_idx: int
    category: str
    take_profit: Decimal
    stop_loss: Decimal
    order_id: str
    order_type: str


class Recording:
    """The request and order logs of ``FakeBybit``, and waiting on the order log."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[RecordedRequest] = []
        self.order_log: list[AcceptedOrder] = []
        self._order_waiters: list[tuple[int, asyncio.Future[None]]] = []

    async def wait_for_orders(
        self, n: int, timeout: float = 5.0
    ) -> list[AcceptedOrder]:
        """Wait until at least ``n`` orders were accepted; return the order log."""
        if len(self.order_log) < n:
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._order_waiters.append((n, future))
            try:
                await asyncio.wait_for(future, timeout)
            except TimeoutError:
                raise TimeoutError(f"expected {n} accepted orders, got {len(self.order_log)}: "
                                   f"{self.order_log}") from None
        return list(self.order_log)

    def duplicate_link_ids(self) -> list[str]:
        """Return orderLinkIds accepted more than once (over all accounts; must stay empty)."""
        counts = Counter(o.order_link_id for o in self.order_log if o.order_link_id)
        return sorted(link for link, count in counts.items() if count > 1)

    def orders_for(self, api_key: str) -> list[AcceptedOrder]:
        """Return the accepted orders of one account."""
        return [o for o in self.order_log if o.api_key == api_key]

    def _wake_order_waiters(self) -> None:
        pending = []
        for n, future in self._order_waiters:
            if len(self.order_log) >= n and not future.done():
                future.set_result(None)
            elif not future.done():
                pending.append((n, future))
        self._order_waiters = pending
