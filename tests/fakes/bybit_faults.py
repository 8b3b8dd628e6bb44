"""Fault side of the fake Bybit: injected faults, held requests and latency.

``FaultInjection`` is the part of ``FakeBybit`` (which inherits it) that keeps the bookkeeping:
``inject`` queues faults per path, ``hold`` parks requests until released (``hold_key``: the
next request of one API key, any path), ``set_latency`` delays every request.
``FakeBybit._handle`` takes the next hold and fault of a request's path and applies them before
or after processing it. The HTTP server lives in
``tests/fakes/bybit.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from aiohttp import web

from tests.fakes.bybit_wire import envelope

_DEFAULT_FAULT_MESSAGES = {
    10006: "Too many visits!",
    10016: "Internal server error.",
    10029: "The requested symbol is invalid.",
    10002: "invalid request, please check your server timestamp or recv_window param",
}
GARBAGE_BODY = "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>"


@dataclass
class _Fault:
    ret_code: int | None
    ret_msg: str
    http_status: int | None
    delay: float
    garbage: bool
    close: bool
    after: bool
    remaining: int


class Hold:
    """A parked request: ``await held.arrived()`` then ``held.release()``."""

    def __init__(self, path: str, after: bool) -> None:
        self.path = path
        self.after = after
        self._arrived = asyncio.Event()
        self._released = asyncio.Event()

    async def arrived(self, timeout: float = 5.0) -> None:
        """Wait until a request to ``path`` reached the fake and is being held."""
        await asyncio.wait_for(self._arrived.wait(), timeout)

    def release(self) -> None:
        """Let the held request continue (it is then processed and answered)."""
        self._released.set()

    @property
    def has_arrived(self) -> bool:
        """Return True once a request was caught by this hold."""
        return self._arrived.is_set()

    async def _park(self) -> None:
        self._arrived.set()
        await self._released.wait()


class FaultInjection:
    """Pending faults, holds and latency of ``FakeBybit``; ``_stopping`` cuts every delay short."""

    def __init__(self) -> None:
        super().__init__()
        self._faults: dict[str, list[_Fault]] = {}
        self._holds: dict[str, list[Hold]] = {}
        self._key_holds: dict[str, list[Hold]] = {}
        self._every_hold: list[Hold] = []
        self._latency = 0.0
        self._stopping = asyncio.Event()

    def inject(self, path: str, *, ret_code: int | None = None, ret_msg: str = "",
               http_status: int | None = None, delay: float = 0.0, times: int = 1,
               garbage: bool = False, close: bool = False, after: bool = False) -> None:
        """Make the next ``times`` requests to ``path`` misbehave.

        First wait ``delay`` seconds, then drop the connection (``close``), or answer a
        non-JSON body (``garbage``), an HTTP ``http_status``, or a ``ret_code`` envelope.
        With only ``delay`` the request is then served normally. With ``after=True`` the
        request is processed for real first and the fault replaces its answer.
        """
        fault = _Fault(ret_code, ret_msg or _DEFAULT_FAULT_MESSAGES.get(ret_code or 0, "error"),
                       http_status, delay, garbage, close, after, times)
        self._faults.setdefault(path, []).append(fault)

    def hold(self, path: str, *, after: bool = False) -> Hold:
        """Park the next request to ``path`` until ``release()``; ``after`` parks it once
        processed (the order exists, the answer is still pending)."""
        held = Hold(path, after)
        self._holds.setdefault(path, []).append(held)
        self._every_hold.append(held)
        return held

    def hold_key(self, api_key: str, *, after: bool = False) -> Hold:
        """Park the next request signed with ``api_key``, whatever its path, until
        ``release()``: one account stuck while every other account is served."""
        held = Hold(f"key:{api_key}", after)
        self._key_holds.setdefault(api_key, []).append(held)
        self._every_hold.append(held)
        return held

    def set_latency(self, seconds: float) -> None:
        """Delay every request by ``seconds``."""
        self._latency = seconds

    def clear_faults(self) -> None:
        """Remove pending faults, latency, and release every hold."""
        self._faults.clear()
        for held in self._every_hold:
            held.release()
        self._holds.clear()
        self._key_holds.clear()
        self._latency = 0.0

    async def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), seconds)

    def _take_hold(self, path: str, api_key: str | None = None) -> Hold | None:
        queue = self._key_holds.get(api_key) if api_key else None
        if not queue:
            queue = self._holds.get(path)
        return queue.pop(0) if queue else None

    def _take_fault(self, path: str) -> _Fault | None:
        queue = self._faults.get(path)
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.pop(0)
        return fault

    async def _fault_answer(self, request: web.Request, fault: _Fault) -> web.Response | None:
        await self._sleep(fault.delay)
        if fault.close:
            if request.transport is not None:
                request.transport.close()
            return web.Response()  # never reaches the client: the socket is closed
        if fault.garbage:
            return web.Response(status=fault.http_status or 200, text=GARBAGE_BODY,
                                content_type="text/html")
        if fault.http_status is not None:
            return web.Response(status=fault.http_status, text=f"HTTP {fault.http_status}")
        if fault.ret_code is not None:
            return envelope(fault.ret_code, fault.ret_msg, {})
        return None
