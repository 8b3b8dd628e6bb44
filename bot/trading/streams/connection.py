"""One supervised Bybit WebSocket: connect, say hello, read, ping — and always come back.

Every way a stream can end — the server closes it cleanly, the connection drops, a ping goes
unanswered, the hello fails, our own message handler raises — ends in the same place: the
connection is marked down, and after a backoff it is opened again, the hello (auth, subscribe)
repeated, and `on_ready` run (the owner's REST resync), because whatever happened while it was
down was never pushed. Every opening first takes its place in its domain's budget of
openings (`budget.py`), waiting there while Bybit's limit is near. One end is for good: a
hello refused `max_refusals` times in a row (Bybit will not take the account's key).
Messages are handled here, on the event loop. A handler's exception is logged and never ends
the stream: the owner's state may have missed that message, so `on_ready` runs again — the
same REST resync a reconnect would buy, without the gap.

aiohttp's client, not pybit's `WebSocket`: one coroutine per connection on the loop that
already runs everything, instead of two threads per connection and callbacks on them
(docs/ARCHITECTURE.md has the measurement).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from bot.trading.streams.budget import OpeningBudget

log = logging.getLogger(__name__)

PING_INTERVAL_S = 20.0  # Bybit: send a ping every 20 s; silent connections are cut after 10 min
PING_TIMEOUT_S = 10.0
HELLO_TIMEOUT_S = 10.0
BACKOFF_S = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)

Message = dict[str, Any]
_req_ids = itertools.count(1)


class StreamRefused(Exception):
    """The server answered the hello with success false (bad keys, unknown topic)."""


class StreamDown(Exception):
    """The owner cannot use this connection now (its resync failed): reconnect later."""


class Hello:
    """What a connection says after it opens; the answers come back through `answer`."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._ws = ws
        self._waiting: dict[str, asyncio.Future[Message]] = {}

    async def request(self, op: str, args: list[Any]) -> Message:
        """Send `{"op": op, "args": args}` and wait for the answer with its req_id."""
        req_id = f"{op}-{next(_req_ids)}"
        answer: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._waiting[req_id] = answer
        try:
            await self._ws.send_str(json.dumps({"req_id": req_id, "op": op, "args": args}))
            async with asyncio.timeout(HELLO_TIMEOUT_S):
                reply = await answer
        finally:
            self._waiting.pop(req_id, None)
        if reply.get("success") is False:
            raise StreamRefused(f"{op}: {reply.get('ret_msg') or 'refused'}")
        return reply

    def answer(self, message: Message) -> bool:
        """Deliver an answer to its request; False if nobody waits for it."""
        waiter = self._waiting.get(str(message.get("req_id", "")))
        if waiter is None or waiter.done():
            return False
        waiter.set_result(message)
        return True


class StreamConnection:
    """A WebSocket to `url` that a supervisor task keeps open until `close()`.

    `hello(hello)` authenticates and subscribes on each new connection; `on_message` gets each
    topic message; `on_ready` runs after every successful hello; `on_down` whenever the
    connection is lost; `on_stop(reason)` once, if the hello was refused `max_refusals` times
    in a row: then it reconnects no more. `send_request` lets the owner subscribe or
    unsubscribe while it is up. Each opening takes a place in `budget` first (an `urgent` one
    ahead of the others).
    """

    def __init__(self, name: str, url: str, session: aiohttp.ClientSession, *,
                 hello: Callable[[Hello], Awaitable[None]],
                 on_message: Callable[[Message], None],
                 on_ready: Callable[[], Awaitable[None]] | None = None,
                 on_down: Callable[[], None] | None = None,
                 on_stop: Callable[[str], None] | None = None,
                 max_refusals: int | None = None,
                 budget: OpeningBudget | None = None, urgent: bool = False,
                 ping_interval_s: float = PING_INTERVAL_S,
                 ping_timeout_s: float = PING_TIMEOUT_S,
                 backoff_s: tuple[float, ...] = BACKOFF_S) -> None:
        self.name = name
        self.url = url
        self._session = session
        self._hello = hello
        self._on_message = on_message
        self._on_ready = on_ready
        self._on_down = on_down
        self._on_stop = on_stop
        self._max_refusals = max_refusals
        self._refusals = 0  # hellos refused in a row
        self._budget = budget
        self._urgent = urgent
        self._ping_interval = ping_interval_s
        self._ping_timeout = ping_timeout_s
        self._backoff = backoff_s
        self._task: asyncio.Task[None] | None = None
        self._requests: Hello | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._resync: asyncio.Task[None] | None = None
        self._up = asyncio.Event()
        self._closing = False
        self._changed = asyncio.Condition()
        self._notices: set[asyncio.Task[None]] = set()
        self.connected = False  # hello done: subscribed and receiving
        self.held = False  # its opening waits for room in the budget
        self.stopped: str | None = None  # why it gave up (it reconnects no more)
        self.connects = 0
        self.reconnects = 0
        self.handler_errors = 0
        self.last_message_at = 0.0

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._supervise(), name=f"stream-{self.name}")

    async def close(self) -> None:
        """Stop for good: the supervisor ends and the socket closes."""
        task, self._task = self._task, None
        self._closing = True
        while task is not None and not task.done():
            task.cancel()  # again if a wait swallowed it: the loop checks `_closing` too
            await asyncio.wait({task}, timeout=1.0)
        self._set_down()

    async def wait_connected(self, timeout: float) -> bool:
        return await self.wait_until(lambda: self.connected, timeout)

    async def wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Wait until `condition()` holds, checked whenever the connection changes (up, down,
        ready); False after `timeout`."""
        async def wait() -> None:
            async with self._changed:
                await self._changed.wait_for(condition)

        try:
            async with asyncio.timeout(timeout):
                await wait()
        except TimeoutError:
            return False
        return True

    def changed(self) -> None:
        """Wake whoever waits on this connection's state (it, or its owner's, moved on)."""
        async def notify() -> None:
            async with self._changed:
                self._changed.notify_all()

        task = asyncio.get_running_loop().create_task(notify())
        self._notices.add(task)
        task.add_done_callback(self._notices.discard)

    async def send_request(self, op: str, args: list[Any]) -> bool:
        """Send a request on the open connection; False if it is down (the next hello covers
        it) or the server refused it."""
        requests = self._requests
        if requests is None or not self.connected:
            return False
        try:
            await requests.request(op, args)
        except (StreamRefused, TimeoutError, aiohttp.ClientError, ConnectionError) as exc:
            log.warning("stream %s: %s %s failed: %s", self.name, op, args, exc)
            return False
        return True

    # --- the supervisor ----------------------------------------------------------------------

    async def _supervise(self) -> None:
        failures = 0
        while not self._closing:
            try:
                await self._wait_for_budget()
                if await self._run_once():
                    failures = 0
            except asyncio.CancelledError:
                raise
            except StreamRefused as exc:
                self._refusals += 1
                if self._max_refusals is None:
                    log.warning("stream %s: %s", self.name, exc)
                elif self._refusals < self._max_refusals:  # the owner warns if it gives up
                    log.info("stream %s: %s (%d of %d in a row)", self.name, exc,
                             self._refusals, self._max_refusals)
                else:
                    self.stopped = f"{exc} ({self._refusals} times in a row)"
            except StreamDown as exc:
                log.warning("stream %s: %s", self.name, exc)
            except (aiohttp.ClientError, ConnectionError, TimeoutError, OSError) as exc:
                log.info("stream %s could not connect: %s", self.name, exc or type(exc).__name__)
            except Exception:
                log.exception("stream %s failed", self.name)
            finally:
                self._set_down()
            if self.stopped is not None:
                if self._on_stop is not None:
                    self._on_stop(self.stopped)
                return
            delay = self._backoff[min(failures, len(self._backoff) - 1)]
            failures += 1
            self.reconnects += 1
            self.changed()
            await asyncio.sleep(delay * random.uniform(0.8, 1.2))

    async def _wait_for_budget(self) -> None:
        """Take this opening's place in the budget, waiting (reported as `held`) if full."""
        if self._budget is None or self._budget.take(self.url):
            return
        self.held = True
        self.changed()
        try:
            await self._budget.wait(self.url, urgent=self._urgent)
        finally:
            self.held = False

    async def _run_once(self) -> bool:
        """One connection from open to end; True if it got as far as receiving."""
        async with self._session.ws_connect(self.url, autoping=True, heartbeat=None,
                                            timeout=aiohttp.ClientWSTimeout(ws_close=2.0),
                                            max_msg_size=4 * 1024 * 1024) as ws:
            self._ws = ws
            self._requests = requests = Hello(ws)
            reader = asyncio.create_task(self._read(ws, requests), name=f"read-{self.name}")
            try:
                await self._hello(requests)
                self._refusals = 0
                self.connected = True
                self.connects += 1
                self._up.set()
                self.changed()
                log.info("stream %s up (connect #%d)", self.name, self.connects)
                if self._on_ready is not None:
                    await self._on_ready()
                    self.changed()
                await reader
            finally:
                reader.cancel()
                await asyncio.gather(reader, return_exceptions=True)
        log.info("stream %s ended (close code %s); reconnecting", self.name, ws.close_code)
        return self.connected

    async def _read(self, ws: aiohttp.ClientWebSocketResponse, requests: Hello) -> None:
        """Read until the connection ends; ping when it is quiet, give up when pings go
        unanswered."""
        pinged = False
        while not self._closing:
            try:
                frame = await ws.receive(timeout=self._ping_timeout if pinged
                                         else self._ping_interval)
            except TimeoutError:
                if pinged:
                    log.warning("stream %s: no answer to a ping within %.0f s; reconnecting",
                                self.name, self._ping_timeout)
                    return
                await ws.send_str(json.dumps({"req_id": f"ping-{next(_req_ids)}",
                                              "op": "ping"}))
                pinged = True
                continue
            if frame.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING,
                              aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                return
            pinged = False
            self.last_message_at = time.monotonic()
            if frame.type != aiohttp.WSMsgType.TEXT:
                continue
            try:
                message = json.loads(frame.data)
            except ValueError:
                log.warning("stream %s: a frame that is not JSON was ignored", self.name)
                continue
            if not isinstance(message, dict) or requests.answer(message):
                continue
            if "topic" not in message:
                continue  # a pong, or the answer to a request nobody waits for any more
            try:
                self._on_message(message)
            except Exception:
                self.handler_errors += 1
                log.exception("stream %s: handling a %s message failed; the stream goes on "
                              "and its state is read again", self.name, message.get("topic"))
                self._resync_soon()

    def _resync_soon(self) -> None:
        """Run `on_ready` again (once at a time) while the connection stays open."""
        if self._on_ready is None or (self._resync is not None and not self._resync.done()):
            return

        async def resync() -> None:
            assert self._on_ready is not None
            try:
                await self._on_ready()
                self.changed()
            except Exception as exc:
                log.warning("stream %s: resync failed (%s); reconnecting", self.name, exc)
                await self._drop()

        self._resync = asyncio.create_task(resync(), name=f"resync-{self.name}")

    async def _drop(self) -> None:
        ws = self._ws
        if ws is not None and not ws.closed:
            await ws.close()

    def _set_down(self) -> None:
        was_up = self.connected
        self.connected = False
        self._requests = None
        self._ws = None
        if self._resync is not None:
            self._resync.cancel()
        self._up.clear()
        if was_up and self._on_down is not None:
            self._on_down()
        with contextlib.suppress(RuntimeError):  # no running loop: closing at exit
            self.changed()
