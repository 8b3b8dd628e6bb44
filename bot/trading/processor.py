"""Run one journaled signal: settings, exchange, executor, journal, report.

This is the dispatcher's runner. It knows nothing of Telegram or HTTP: it tells a `Reporter`
(the notifier) and the event hub what happened, and neither may slow it down.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bot.db import Journal, SignalRecord, UserRepo
from bot.db.orders import OrderRepo
from bot.errors import Failure, TradeError
from bot.events import EventHub, signal_event
from bot.models import UserSettings
from bot.outcomes import Outcome, Reporter, SignalFinished
from bot.signals import Signal
from bot.trading.dispatcher import Job
from bot.trading.exchanges.registry import ExchangeRegistry
from bot.trading.executor import Execution, Executor
from bot.trading.summary import describe
from bot.vocabulary import FUTURES_LEGS, SPOT_LEGS, OrderStatus, OutcomeKind, SignalStatus

log = logging.getLogger(__name__)

EXPIRING_LEGS = frozenset(FUTURES_LEGS + SPOT_LEGS)  # a signal's own orders (not its exits)


def _failure(signal: Signal, failure: Failure) -> Outcome:
    return Outcome(SignalStatus.FAILED, OutcomeKind.FAILED, signal.symbol, action=signal.action,
                   failure=failure)


class SignalProcessor:
    """Execute jobs handed over by the dispatcher, one at a time per user."""

    def __init__(self, *, journal: Journal, users: UserRepo, orders: OrderRepo,
                 registry: ExchangeRegistry, executor: Executor, events: EventHub,
                 reporter: Reporter, max_signal_age_s: int) -> None:
        self._journal = journal
        self._users = users
        self._orders = orders
        self._registry = registry
        self._executor = executor
        self._events = events
        self.reporter = reporter
        self._max_age = max_signal_age_s

    def is_too_old(self, received_at: float) -> bool:
        return bool(self._max_age) and time.time() - received_at > self._max_age

    async def run(self, job: Job) -> None:
        ids = f"signal={job.signal_id} user={job.user_id}"
        if self.is_too_old(job.received_at):  # a replay may have placed legs before a crash
            await self.expire(job.signal_id, job.user_id, job.signal, job.route,
                              started=job.replay)
            return
        if not await self._journal.mark_processing(job.signal_id):
            log.info("%s already final; skipped", ids)
            return
        self._events.publish(job.user_id, signal_event(job.signal_id, "processing", job.signal))
        settings: UserSettings | None = None
        try:
            settings = await self._users.get_settings(job.user_id)
            log.info("%s executing %s on %s %s (amount=%s leverage=%s)%s", ids,
                     job.signal.describe(), settings.account_type, settings.market_type,
                     settings.trade_amount, settings.leverage, " [replay]" if job.replay else "")
            exchange = await self._registry.get(job.user_id, settings.account_type)
            outcome = await self._executor.execute(exchange, Execution(
                job.signal_id, job.user_id, job.signal, settings, replay=job.replay))
        except TradeError as exc:
            outcome = _failure(job.signal, exc.failure)
        except Exception:
            log.exception("%s failed on an internal error", ids)
            outcome = _failure(job.signal, Failure("internal"))
        await self.finished(SignalFinished(job.signal_id, job.user_id, job.route, job.signal,
                                           outcome))

    async def finished(self, event: SignalFinished) -> None:
        """Journal a final outcome (as data, and the English line for operators), publish it
        on the hub and hand it to the reporter."""
        outcome, ids = event.outcome, f"signal={event.signal_id} user={event.user_id}"
        summary = describe(outcome)
        await self._journal.finish(
            event.signal_id, outcome.status, result=summary if outcome.done else None,
            error_code=outcome.error_code, error=None if outcome.done else summary,
            failure=outcome.failure, outcome=outcome.to_json())
        log.info("%s %s: %s", ids, "executed" if outcome.done else outcome.status, summary)
        if outcome.failure is not None:
            log.info("%s error %s", ids, outcome.failure)
        self._events.publish(event.user_id, event)
        self.reporter.report(event)

    async def expire(self, signal_id: int, user_id: int, signal: Signal | None,
                     route: str, *, started: bool = False) -> None:
        """Too old to trade now: mark it expired and tell the owner what was done before.

        A signal that had `started` may have placed a leg the crash kept from being recorded:
        those are looked up at the exchange first, so the message tells the whole truth.
        """
        failure = Failure("expired", params={"max_age": self._max_age})
        if started and signal is not None:
            unchecked = await self._record_placed_legs(signal_id, user_id, signal)
            if unchecked is not None:
                failure = Failure("expired", "expired.unchecked",
                                  {"max_age": self._max_age, "cause": unchecked})
        legs = tuple(o for o in await self._orders.for_signal(signal_id)
                     if o.status != OrderStatus.FAILED and o.leg in EXPIRING_LEGS)
        outcome = Outcome(SignalStatus.EXPIRED, OutcomeKind.EXPIRED,
                          signal.symbol if signal else "",
                          action=signal.action if signal else None, legs=legs, failure=failure)
        await self.finished(SignalFinished(signal_id, user_id, route, signal, outcome))

    async def _record_placed_legs(self, signal_id: int, user_id: int,
                                  signal: Signal) -> Failure | None:
        """Look the signal's legs up at the exchange; why that was impossible, if it was."""
        try:
            settings = await self._users.get_settings(user_id)
            exchange = await self._registry.get(user_id, settings.account_type)
            await self._executor.placed_legs(exchange, Execution(
                signal_id, user_id, signal, settings, replay=True))
        except TradeError as exc:
            log.warning("signal=%s user=%s could not check its orders: %s", signal_id, user_id,
                        exc)
            return exc.failure
        return None

    async def recover(self, submit: Callable[[Job], object]) -> tuple[int, int]:
        """Pick up rows a previous run left open: replay the fresh, expire the old."""
        replayed = expired = 0
        for record in await self._journal.open_signals():
            if record.signal is None:
                failure = Failure("internal", "internal.unreadable")
                await self._journal.finish(record.id, SignalStatus.FAILED, failure=failure,
                                           error=failure.english)
                continue
            if self.is_too_old(record.received_at):
                await self.expire(record.id, record.user_id, record.signal, record.route,
                                  started=record.status == SignalStatus.PROCESSING)
                expired += 1
                continue
            log.info("signal=%s user=%s picked up again after a restart (was %s)", record.id,
                     record.user_id, record.status)
            submit(Job(record.id, record.user_id, record.signal, record.received_at,
                       record.route, replay=True))
            replayed += 1
        return replayed, expired

    async def unreported(self, since: float) -> list[SignalRecord]:
        return await self._journal.unnotified(since)

