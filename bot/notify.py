"""The one outbound path to Telegram for notifications.

`report()` only queues and returns, so a trade never waits for Telegram. Each chat has its own
ordered queue sent at most one message a second (Telegram's per-chat limit; PTB's rate limiter
covers only the global 30/s); `RetryAfter` is honoured; while Telegram is unreachable messages
wait and are retried with backoff, then given up after a bound and logged.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.outcomes import PositionEvent, SignalReport
from bot.refusals import RefusalNotice

log = logging.getLogger(__name__)

PER_CHAT_INTERVAL_S = 1.0
GIVE_UP_AFTER_S = 15 * 60
MAX_BACKOFF_S = 30.0

# A report's messages: (chat_id, HTML text, inline buttons or None) for each reader.
Formatter = Callable[[SignalReport],
                     Awaitable[list[tuple[int, str, InlineKeyboardMarkup | None]]]]
EventFormatter = Callable[[PositionEvent], Awaitable[list[tuple[int, str]]]]
RefusalFormatter = Callable[[RefusalNotice],
                            Awaitable[list[tuple[int, str, InlineKeyboardMarkup | None]]]]
Delivered = Callable[[int], Awaitable[None]]


@dataclass(frozen=True)
class Outgoing:
    chat_id: int
    text: str  # HTML, already escaped where it holds user data
    signal_id: int | None = None
    queued_at: float = 0.0
    reply_markup: InlineKeyboardMarkup | None = None


def escape(text: object) -> str:
    return html.escape(str(text), quote=False)


class Notifier:
    """Queue messages per chat and deliver them within Telegram's limits."""

    def __init__(self, bot: Bot, *, format_report: Formatter, delivered: Delivered,
                 format_event: EventFormatter | None = None,
                 format_refusal: RefusalFormatter | None = None,
                 interval_s: float = PER_CHAT_INTERVAL_S,
                 give_up_after_s: float = GIVE_UP_AFTER_S) -> None:
        self._bot = bot
        self._format = format_report
        self._format_event = format_event
        self._format_refusal = format_refusal
        self._delivered = delivered
        self._interval = interval_s
        self._give_up = give_up_after_s
        self._chats: dict[int, deque[Outgoing]] = {}
        self._senders: dict[int, asyncio.Task[None]] = {}
        self._last_sent: dict[int, float] = {}
        self._pending_reports: set[asyncio.Task[None]] = set()
        self.sent = 0
        self.failed = 0

    @property
    def backlog(self) -> int:
        return sum(len(queue) for queue in self._chats.values())

    async def join(self) -> None:
        """Wait until everything queued so far is sent (or given up)."""
        while self._pending_reports or self._senders:
            await asyncio.wait([*self._pending_reports, *self._senders.values()])

    def report(self, report: SignalReport) -> None:
        """Queue the owner's message about a signal; returns at once."""
        self._spawn(self._queue_report(report))

    def report_event(self, event: PositionEvent) -> None:
        """Queue the owner's message about a position event; returns at once."""
        if self._format_event is None:
            return
        self._spawn(self._queue_event(event, self._format_event))

    def report_refusal(self, notice: RefusalNotice) -> None:
        """Queue the message about a refused alert (the intake spaced them); returns at once."""
        if self._format_refusal is None:
            return
        self._spawn(self._queue_refusal(notice, self._format_refusal))

    def _spawn(self, formatting: Coroutine[Any, Any, None]) -> None:
        """Run a message's formatting as a task kept until it ends (`join` waits for it)."""
        task = asyncio.create_task(formatting)
        self._pending_reports.add(task)
        task.add_done_callback(self._pending_reports.discard)

    async def _queue_refusal(self, notice: RefusalNotice,
                             format_refusal: RefusalFormatter) -> None:
        try:
            messages = await format_refusal(notice)
        except Exception:
            log.exception("signal=%s user=%s could not format a refusal notice",
                          notice.signal_id, notice.user_id)
            return
        for chat_id, text, markup in messages:
            self.send(chat_id, text, signal_id=notice.signal_id, reply_markup=markup)

    async def _queue_event(self, event: PositionEvent, format_event: EventFormatter) -> None:
        try:
            messages = await format_event(event)
        except Exception:
            log.exception("signal=%s user=%s could not format a position event",
                          event.signal_id, event.user_id)
            return
        for chat_id, text in messages:
            self.send(chat_id, text)

    async def _queue_report(self, report: SignalReport) -> None:
        try:
            messages = await self._format(report)
        except Exception:
            log.exception("signal=%s user=%s could not format its notification",
                          report.signal_id, report.user_id)
            return
        for chat_id, text, markup in messages:
            self.send(chat_id, text, signal_id=report.signal_id, reply_markup=markup)

    def send(self, chat_id: int, text: str, *, signal_id: int | None = None,
             reply_markup: InlineKeyboardMarkup | None = None) -> None:
        """Queue a message (HTML) for a chat; returns at once."""
        queue = self._chats.setdefault(chat_id, deque())
        queue.append(Outgoing(chat_id, text, signal_id, time.monotonic(), reply_markup))
        if chat_id not in self._senders:
            self._senders[chat_id] = asyncio.create_task(self._drain(chat_id, queue),
                                                         name=f"notify-{chat_id}")

    async def _drain(self, chat_id: int, queue: deque[Outgoing]) -> None:
        try:
            while queue:
                message = queue[0]
                wait = self._last_sent.get(chat_id, 0.0) + self._interval - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)  # Telegram: one message a second per chat
                await self._deliver(message)
                queue.popleft()
                self._last_sent[chat_id] = time.monotonic()
        finally:
            self._senders.pop(chat_id, None)
            if not queue:
                self._chats.pop(chat_id, None)

    async def _deliver(self, message: Outgoing) -> None:
        backoff = 1.0
        ids = f"signal={message.signal_id} user={message.chat_id}"
        while True:
            try:
                await self._bot.send_message(message.chat_id, message.text,
                                             parse_mode=ParseMode.HTML,
                                             disable_web_page_preview=True,
                                             reply_markup=message.reply_markup)
            except RetryAfter as exc:
                delay = _seconds(exc.retry_after)
                log.warning("%s Telegram asked to wait %.1f s before the next message", ids,
                            delay)
                await asyncio.sleep(delay)
                continue
            except (Forbidden, BadRequest) as exc:
                self.failed += 1
                log.warning("%s notification not delivered: %s", ids, exc.message)
                return
            except (NetworkError, TimedOut) as exc:
                if time.monotonic() - message.queued_at > self._give_up:
                    self.failed += 1
                    log.error("%s notification given up after %.0f s: Telegram unreachable "
                              "(%s)", ids, self._give_up, exc.message)
                    return
                log.warning("%s Telegram unreachable (%s); retrying in %.0f s", ids,
                            exc.message, backoff)
                await asyncio.sleep(backoff)
                backoff = min(MAX_BACKOFF_S, backoff * 2)
                continue
            self.sent += 1
            if message.signal_id is not None:
                try:
                    await self._delivered(message.signal_id)
                except Exception as exc:  # the journal is closing; the message went out
                    log.warning("%s delivered but not marked: %s", ids, exc)
            return

    async def stop(self, timeout: float) -> None:
        """Give queued messages `timeout` seconds to go out, then stop."""
        if self._pending_reports:
            await asyncio.wait(list(self._pending_reports), timeout=timeout)
        tasks = list(self._senders.values())
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=timeout)
            for task in pending:
                task.cancel()
            if pending:
                log.warning("shutdown: %d chat(s) still had unsent notifications; they are "
                            "sent after the next start", len(pending))
            await asyncio.gather(*pending, return_exceptions=True)


def _seconds(value: Any) -> float:
    """RetryAfter.retry_after is a timedelta with PTB_TIMEDELTA set, else a number."""
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)
