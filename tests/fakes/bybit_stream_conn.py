"""One WebSocket connection of the fake Bybit: who it is, what it subscribed, and its outbox.

Everything the server sends on a connection (answers, topic messages, protocol pongs, and the
final close frame or abort) goes through one FIFO outbox drained by one writer task, so frames
leave in the order the fake produced them and a state change can queue its messages
synchronously, in the same event-loop turn. ``FakeBybit`` (``bybit_streams.py``) decides what
to queue; this module only moves frames.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

_numbers = itertools.count(1)


@dataclass(frozen=True)
class _Pong:
    payload: bytes


@dataclass(frozen=True)
class _End:
    code: int | None  # None: abort the TCP transport, no close frame


_Item = str | _Pong | _End


class StreamConn:
    """A served WebSocket: ``kind`` is ``"private"``, ``"linear"`` or ``"spot"``."""

    def __init__(self, request: web.Request, ws: web.WebSocketResponse, kind: str) -> None:
        self.ws = ws
        self.kind = kind
        number = next(_numbers)
        self.conn_id = (f"{uuid.uuid4().hex[:20]}-{number}" if kind == "private"
                        else str(uuid.uuid4()))
        self.api_key: str | None = None  # set by a successful auth
        self.topics: set[str] = set()
        self.ending = False  # an end was queued: no longer counted, nothing more is queued
        self.close_sent = asyncio.Event()  # the close frame left, or the transport is gone
        self.ended = asyncio.Event()  # the connection is over (handshake done or aborted)
        self._transport = request.transport
        self._outbox: asyncio.Queue[_Item] = asyncio.Queue()
        self._end_requested = asyncio.Event()
        self._end_code: int | None = None

    @property
    def live(self) -> bool:
        """Return True while the connection is open and not being ended."""
        return not self.ending and not self.ws.closed

    def send(self, frame: dict[str, Any]) -> None:
        """Queue one JSON text frame."""
        if not self.ending:
            self._outbox.put_nowait(json.dumps(frame))

    def pong(self, payload: bytes) -> None:
        """Queue a protocol PONG answering a PING."""
        if not self.ending:
            self._outbox.put_nowait(_Pong(payload))

    def end(self, code: int | None) -> None:
        """Queue the end: a close frame with ``code``, or (``None``) an abort of the TCP
        transport with no close frame. Frames queued before are sent first."""
        if not self.ending:
            self.ending = True
            self._outbox.put_nowait(_End(code))

    def abort(self) -> None:
        """Abort the transport now (no close frame), whatever is still queued."""
        self.ending = True
        if self._transport is not None:
            self._transport.abort()
        self.close_sent.set()

    async def serve(self, on_text: Callable[[StreamConn, str], None],
                    answers_pings: Callable[[StreamConn], bool]) -> None:
        """Read until the connection ends; text goes to ``on_text``, protocol PINGs are
        answered while ``answers_pings(conn)`` says so (aiohttp's autoping is off). An end
        taken from the outbox stops the reading first, so that ``ws.close`` itself waits
        for the client's close frame (a real closing handshake, bounded by the
        WebSocketResponse ``timeout``)."""
        writer = asyncio.create_task(self._write_all())
        end_requested = asyncio.create_task(self._end_requested.wait())
        try:
            while True:
                receiving = asyncio.ensure_future(self.ws.receive())
                await asyncio.wait({receiving, end_requested},
                                   return_when=asyncio.FIRST_COMPLETED)
                if not receiving.done():
                    receiving.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await receiving
                    await self._finish()
                    return
                message = receiving.result()
                if message.type is WSMsgType.TEXT and not self.ending:
                    on_text(self, message.data)
                elif message.type is WSMsgType.PING and answers_pings(self):
                    self.pong(message.data)
                elif message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED,
                                      WSMsgType.ERROR):
                    return
        finally:
            self.ending = True
            for task in (writer, end_requested):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            self.close_sent.set()
            self.ended.set()

    async def _finish(self) -> None:
        if self._end_code is None:
            self.abort()
            return
        closing = asyncio.ensure_future(self.ws.close(code=self._end_code))
        # One loop turn: tasks run in FIFO order, so close() takes its first step before this
        # one resumes, and that step marks the socket closed and writes the close frame.
        await asyncio.sleep(0)
        self.close_sent.set()
        with contextlib.suppress(Exception):
            await closing

    async def _write_all(self) -> None:
        while True:
            item = await self._outbox.get()
            try:
                if isinstance(item, str):
                    await self.ws.send_str(item)
                elif isinstance(item, _Pong):
                    await self.ws.pong(item.payload)
                else:
                    self._end_code = item.code
                    self._end_requested.set()
                    return
            except (ConnectionError, RuntimeError):
                self.ending = True
                return
