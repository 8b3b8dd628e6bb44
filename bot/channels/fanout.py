"""Expand a channel's alert into one signal per subscriber, and run each in its owner's lane.

The provider got its 200 once the alert's one row was on disk (bot/channels/intake.py). Here
the alert is expanded in steps of `EXPAND_BATCH` subscribers, each step one transaction that
writes their signal rows and moves the alert's cursor past them (bot/db/channel_expansion.py), so
a crash in the middle resumes at the cursor: nobody is skipped, and the unique index on
(channel_alert_id, user_id) means nobody is traded twice. After each step its rows go out:
`queued` ones to the dispatcher (each in its subscriber's lane, with orderLinkIds from its own
signal id), `awaiting` ones (confirm mode) to the subscriber with Execute / Skip buttons, and
`rejected` ones (the subscriber cannot trade now) to the subscriber with the reason.

One worker per channel expands its alerts in the order they came, so a subscriber's lane gets
a channel's alerts in that order too. At start-up, `resume` finishes every expansion a crash
interrupted *without* dispatching: the processor's recovery, which runs next, submits every
queued row in id order, old and new alike. Alerts accepted before that (the server listens
first) wait for it: expanded earlier, their rows would take lower ids than the older alert's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque

from bot.db.channel_alerts import ChannelAlertRepo
from bot.db.channel_expansion import CHANNEL_ROUTE, EXPAND_BATCH, Expanded, Expansion
from bot.db.journal import Journal
from bot.errors import Failure
from bot.events import EventHub, signal_event
from bot.outcomes import NullReporter, Outcome, Reporter, SignalFinished
from bot.signals import Signal
from bot.trading.dispatcher import Dispatcher, Job
from bot.vocabulary import OutcomeKind, SignalStatus

log = logging.getLogger(__name__)

EXPIRY_CHECK_S = 30.0  # how often confirmations not given in time are expired
REPORT_LOOKBACK_S = 24 * 3600


class ChannelFanout:
    """Expand channel alerts, per channel in order, and hand out what each step wrote."""

    def __init__(self, alerts: ChannelAlertRepo, journal: Journal, dispatcher: Dispatcher, *,
                 max_signal_age_s: int, events: EventHub | None = None,
                 batch: int = EXPAND_BATCH) -> None:
        self._alerts = alerts
        self._events = events or EventHub()
        self._journal = journal
        self._dispatcher = dispatcher
        self._max_age = max_signal_age_s
        self.batch = batch  # subscribers given their rows in one step
        self.reporter: Reporter = NullReporter()  # the notifier, once the bot runs
        self._queues: dict[int, deque[int]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._expiry: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self._held = True  # until `resume` has finished what a previous run left
        self.expanded = 0  # signal rows written since start

    # --- alerts as they come --------------------------------------------------------------

    def start(self, alert_id: int, channel_id: int) -> None:
        """Queue an alert's expansion behind the channel's earlier ones; returns at once."""
        queue = self._queues.setdefault(channel_id, deque())
        queue.append(alert_id)
        self._idle.clear()
        if not self._held:
            self._start_worker(channel_id, queue)

    def _start_worker(self, channel_id: int, queue: deque[int]) -> None:
        if channel_id not in self._workers:
            self._workers[channel_id] = asyncio.create_task(
                self._work(channel_id, queue), name=f"channel-{channel_id}")

    async def _work(self, channel_id: int, queue: deque[int]) -> None:
        try:
            while queue:
                alert_id = queue[0]
                try:
                    await self.expand(alert_id, dispatch=True)
                except Exception:
                    # The alert stays `expanding` at its cursor: the next start resumes it.
                    log.exception("channel=%s alert=%s expansion stopped; it resumes at the "
                                  "next start", channel_id, alert_id)
                queue.popleft()
        finally:
            self._workers.pop(channel_id, None)
            if not queue:
                self._queues.pop(channel_id, None)
            if not self._workers:
                self._idle.set()

    async def expand(self, alert_id: int, *, dispatch: bool) -> int:
        """Expand an alert to its end; return the signal rows written."""
        written = 0
        began = time.perf_counter()
        while True:
            if dispatch:
                await self._room_for_a_step(alert_id)
            step = await self._alerts.expand(alert_id, self.batch)
            written += len(step.rows)
            self.expanded += len(step.rows)
            self._hand_out(step, dispatch=dispatch)
            if step.done:
                break
        log.info("channel=%s alert=%s expanded: %d signal(s) in %.0f ms", step.channel_id,
                 alert_id, written, (time.perf_counter() - began) * 1000)
        return written

    async def _room_for_a_step(self, alert_id: int) -> None:
        """Back-pressure: write the next step only while the lanes hold less than two steps'
        worth of unfinished jobs. The expansion stays a step ahead of execution (which the
        request budget paces), and what is not expanded yet waits on disk, not in memory."""
        limit = max(2 * self.batch, 2 * self._dispatcher.max_parallel)
        if self._dispatcher.unfinished >= limit:
            log.info("alert=%s expansion waits for the lanes (%d signal(s) unfinished)",
                     alert_id, self._dispatcher.unfinished)
            await self._dispatcher.wait_below(limit)

    def _hand_out(self, step: Expansion, *, dispatch: bool) -> None:
        for row in step.rows:
            log.info("signal=%s user=%s channel=%s alert=%s %s%s", row.signal_id, row.user_id,
                     step.channel_id, step.alert_id, row.status,
                     f" ({row.error_code})" if row.error_code else "")
            self._events.publish(row.user_id, signal_event(
                row.signal_id, row.status, row.signal, route=CHANNEL_ROUTE, error=row.error))
            if row.status == SignalStatus.QUEUED:
                if dispatch:
                    self._dispatcher.submit(Job(row.signal_id, row.user_id, row.signal,
                                                step.received_at, CHANNEL_ROUTE))
            else:
                self.reporter.report(self._report(row))

    @staticmethod
    def _report(row: Expanded) -> SignalFinished:
        """A confirm-mode subscriber's question, or a refusal's reason."""
        return _not_executed(row.signal_id, row.user_id, row.signal, row.status,
                             row.error_code, row.error)

    async def join(self) -> None:
        """Wait until every alert queued so far is expanded."""
        await self._idle.wait()

    # --- start-up and shutdown ------------------------------------------------------------

    async def resume(self) -> int:
        """Finish what a crash interrupted; call before the processor's recovery.

        Expansions resume at their cursor (their queued rows are left to the recovery, which
        submits every queued row in order); confirmations not given in time expire; questions
        and refusals never delivered are sent now. Returns the alerts resumed.
        """
        # Read before the expansions: the questions and refusals they write are handed out
        # by them, and would still look untold until the notifier has delivered them.
        untold = await self._alerts.untold(time.time() - REPORT_LOOKBACK_S)
        pending = await self._alerts.expanding()
        for alert_id, channel_id in pending:
            log.info("channel=%s alert=%s expansion resumed after a restart", channel_id,
                     alert_id)
            await self.expand(alert_id, dispatch=False)
        if self._max_age:
            expired = await self._alerts.expire_awaiting(time.time() - self._max_age)
            if expired:
                log.info("%d confirmation(s) not given in time expired", expired)
        for signal_id in untold:
            record = await self._journal.get(signal_id)
            # (A question the expiry just answered has nothing more to tell.)
            if (record is not None and record.signal is not None
                    and record.status in (SignalStatus.AWAITING, SignalStatus.REJECTED)):
                self.reporter.report(_not_executed(
                    record.id, record.user_id, record.signal, record.status,
                    record.error_code, record.error))
        if self._max_age and self._expiry is None:
            self._expiry = asyncio.create_task(self._expire_late(), name="channel-expiry")
        # Alerts accepted meanwhile: those read above are expanded already (a step finds
        # nothing left), later ones come after them.
        self._held = False
        for channel_id, queue in list(self._queues.items()):
            self._start_worker(channel_id, queue)
        return len(pending)

    async def _expire_late(self) -> None:
        """Expire confirmations not given within `limits.max_signal_age_s`."""
        interval = min(EXPIRY_CHECK_S, max(1.0, self._max_age / 4))
        while True:
            await asyncio.sleep(interval)
            try:
                await self._alerts.expire_awaiting(time.time() - self._max_age)
            except Exception as exc:  # the database is closing or busy: try again later
                log.warning("could not expire late confirmations: %s", exc)

    async def close(self, timeout: float) -> None:
        """Let running expansions finish their step within `timeout`, then stop; what is left
        stays `expanding` at its cursor and resumes at the next start."""
        tasks = list(self._workers.values())
        if self._expiry is not None:
            self._expiry.cancel()
            tasks.append(self._expiry)
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*tasks, return_exceptions=True)


def _not_executed(signal_id: int, user_id: int, signal: Signal, status: SignalStatus,
                  code: str | None, line: str | None) -> SignalFinished:
    """A channel signal that waits for its subscriber's answer, or was refused for them (the
    channel's views say which, by its code)."""
    outcome = Outcome(status, OutcomeKind.FAILED, signal.symbol, action=signal.action,
                      failure=Failure(code) if code else None)
    return SignalFinished(signal_id, user_id, CHANNEL_ROUTE, signal, outcome,
                          stored_line=line or None)
