"""Run one journaled signal: settings, exchange, executor, journal, report.

This is the dispatcher's runner. It knows nothing of Telegram or HTTP: it tells a `Reporter`
(the notifier) and the event hub what happened, and neither may slow it down.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from bot.db import Journal, SignalRecord, UserRepo
from bot.db.orders import OrderRecord, OrderRepo
from bot.errors import TradeError
from bot.events import EventHub, signal_event
from bot.models import UserSettings
from bot.outcomes import Failure, Outcome, Reporter, SignalReport
from bot.signals import Signal
from bot.trading.dispatcher import Job
from bot.trading.exchanges.registry import ExchangeRegistry
from bot.trading.executor import Execution, Executor
from bot.trading.summary import describe
from bot.vocabulary import OrderStatus, OutcomeKind, SignalStatus

log = logging.getLogger(__name__)


def _failure(signal: Signal, code: str, message: str) -> Outcome:
    return Outcome(SignalStatus.FAILED, OutcomeKind.FAILED, signal.symbol, action=signal.action,
                   failure=Failure(code, message))


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
        if self.is_too_old(job.received_at):
            await self.expire(job.signal_id, job.user_id, job.signal, job.route)
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
            outcome = _failure(job.signal, exc.code, exc.message)
        except Exception:
            log.exception("%s failed on an internal error", ids)
            outcome = _failure(job.signal, "internal", "an internal error stopped this signal; "
                               "the operator can see why in the log")
        summary = describe(outcome)
        await self._journal.finish(
            job.signal_id, outcome.status, result=summary if outcome.done else None,
            error_code=outcome.error_code, error=None if outcome.done else summary)
        log.info("%s %s: %s", ids, "executed" if outcome.done else "failed", summary)
        self._events.publish(job.user_id, signal_event(
            job.signal_id, outcome.status, job.signal, kind=outcome.kind, summary=summary,
            orders=[_order_event(o) for o in outcome.legs]))
        self.reporter.report(SignalReport(
            job.signal_id, job.user_id, job.route, job.signal, outcome.status, summary,
            outcome, outcome.error_code, settings))

    async def expire(self, signal_id: int, user_id: int, signal: Signal | None,
                     route: str, *, started: bool = False) -> None:
        """Too old to trade now: mark it expired and tell the owner what was done before.

        A signal that had `started` may have placed a leg the crash kept from being recorded:
        those are looked up at the exchange first, so the message tells the whole truth.
        """
        unchecked = ""
        if started and signal is not None:
            unchecked = await self._record_placed_legs(signal_id, user_id, signal)
        legs = await self._orders.for_signal(signal_id)
        done = "; ".join(f"{o.side} {o.filled_qty or o.qty} {o.symbol} was done before"
                         for o in legs if o.status != OrderStatus.FAILED)
        age = self._max_age
        message = (f"expired: it waited more than {age} s (the server was down or busy), so it "
                   "was not traded late" + (f"; {done}" if done else "") + unchecked)
        await self._journal.finish(signal_id, SignalStatus.EXPIRED, error_code="expired",
                                   error=message)
        log.info("signal=%s user=%s expired: %s", signal_id, user_id, message)
        self._events.publish(user_id, signal_event(signal_id, SignalStatus.EXPIRED, signal,
                                                   summary=message))
        outcome = Outcome(SignalStatus.EXPIRED, OutcomeKind.EXPIRED,
                          signal.symbol if signal else "", failure=Failure("expired", message))
        self.reporter.report(SignalReport(signal_id, user_id, route, signal,
                                          SignalStatus.EXPIRED, message, outcome, "expired"))

    async def _record_placed_legs(self, signal_id: int, user_id: int, signal: Signal) -> str:
        """Look the signal's legs up at the exchange; return a note if that was impossible."""
        try:
            settings = await self._users.get_settings(user_id)
            exchange = await self._registry.get(user_id, settings.account_type)
            await self._executor.placed_legs(exchange, Execution(
                signal_id, user_id, signal, settings, replay=True))
        except TradeError as exc:
            log.warning("signal=%s user=%s could not check its orders: %s", signal_id, user_id,
                        exc.message)
            return ("; whether an order of it went out before could not be checked "
                    f"({exc.message}): look at your positions")
        return ""

    async def recover(self, submit: Callable[[Job], object]) -> tuple[int, int]:
        """Pick up rows a previous run left open: replay the fresh, expire the old."""
        replayed = expired = 0
        for record in await self._journal.open_signals():
            if record.signal is None:
                await self._journal.finish(record.id, SignalStatus.FAILED, error_code="internal",
                                           error="the stored signal could not be read back")
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


def _order_event(order: OrderRecord) -> dict[str, Any]:
    return {"leg": order.leg, "side": order.side, "symbol": order.symbol,
            "qty": str(order.filled_qty or order.qty),
            "price": None if order.avg_price is None else str(order.avg_price),
            "reduce_only": order.reduce_only, "status": order.status,
            "pnl": None if order.realised_pnl is None else str(order.realised_pnl)}
