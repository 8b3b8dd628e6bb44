"""Accept an alert: authenticate, validate, journal durably, hand over to the dispatcher.

The HTTP layer calls `SignalIntake.accept` and turns its answer or its `BotError` into a
response. Nothing here waits for the exchange.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.config import Config
from bot.db import DatabaseUnavailable, Journal, Journaled, JournalEntry, UserRepo
from bot.errors import (
    BadSignal,
    BotError,
    Failure,
    Forbidden,
    RateLimited,
    ServiceUnavailable,
    StaleSignal,
    Unauthorized,
    UnknownUser,
)
from bot.events import EventHub, signal_event
from bot.logging_setup import PRE_REDACTED, REDACTOR
from bot.models import LEGACY_USER_ID, User, UserSettings
from bot.ratelimit import RateLimiter
from bot.refusals import NullRefusalSink, RefusalNotice, RefusalSink, RefusalThrottle
from bot.signals import Signal, SignalLimits, check_qty_margin, parse_body, parse_signal
from bot.trading.dispatcher import Dispatcher, Job
from bot.vocabulary import Intent, MarketType, SignalStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Alert:
    """One request as the HTTP layer saw it."""

    route: str  # personal | legacy
    user_id: int | None  # from the path; None on the legacy route
    body: bytes
    source_ip: str
    query_token: str | None


def tokens_match(given: str | None, expected: str) -> bool:
    """Compare in constant time, so the answer's timing says nothing about the secret (the
    legacy route's; a user's token is checked by its keyed hash, `UserRepo.token_matches`)."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode())


# Built once: json.dumps with these options would build a new encoder for every alert.
_CANONICAL = json.JSONEncoder(sort_keys=True, default=str, separators=(",", ":"))


def payload_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(_CANONICAL.encode(data).encode()).hexdigest()


class SignalIntake:
    """The webhook's domain side: from raw request to a journaled, dispatched signal.

    A refusal of a known account's alert is also handed to `refusals` (the notifier, once the
    bot runs) as a `RefusalNotice`, spaced by `refusal_throttle`; handing over never waits.
    """

    def __init__(self, config: Config, users: UserRepo, journal: Journal,
                 dispatcher: Dispatcher, *, events: EventHub | None = None) -> None:
        self._config = config
        self._events = events or EventHub()
        self.refusals: RefusalSink = NullRefusalSink()
        self.refusal_throttle = RefusalThrottle(config.limits.refusal_notice_s)
        self._users = users
        self._journal = journal
        self._dispatcher = dispatcher
        self._signal_limits = SignalLimits(config.limits.max_trade_amount,
                                           config.limits.max_leverage)
        self._user_limit = RateLimiter(config.limits.per_user_per_minute)
        self._ip_limit = RateLimiter(config.limits.per_ip_per_minute)

    def check_ip(self, source_ip: str) -> None:
        """Apply the source allowlist and the per-address rate limit."""
        allowed = self._config.server.allowed_ips
        if allowed and source_ip not in allowed:
            raise Forbidden("address_not_allowed", ip=source_ip)
        wait = self._ip_limit.hit(source_ip)
        if wait:
            raise RateLimited("rate_limited.address", wait=wait, retry_after=wait)

    async def accept(self, alert: Alert) -> Journaled:
        """Authenticate, validate and journal one alert; dispatch it if it is new."""
        received_at = time.time()
        data, body_error = _decode(alert.body)
        try:
            user, settings = await self._authenticate(alert, data)
        except Unauthorized as refusal:
            if alert.route == "legacy":  # the admins' own set-up: a wrong secret is theirs
                legacy = self._config.legacy_webhook.user_id
                self._tell(alert, LEGACY_USER_ID if legacy is None else legacy, refusal, None,
                           None, _as_data(refusal, alert.query_token, data))
            raise
        wait = self._user_limit.hit(user.id)
        if wait:
            limited = RateLimited("rate_limited.user", wait=wait, retry_after=wait,
                                  limit=self._config.limits.per_user_per_minute)
            self._tell(alert, user.id, limited, None, None,  # not journaled: that is the flood
                       limited.failure)
            raise limited
        raw = _redacted_body(alert.body, data, alert.query_token)
        signal: Signal | None = None
        try:
            if body_error is not None:
                raise body_error
            assert data is not None
            signal = parse_signal(data, self._signal_limits)
            self.check_age(signal, received_at)
            if not user.is_active:
                raise Forbidden("inactive")
            _check_pause(settings, signal)
            if signal.qty is not None and signal.price is not None:
                _check_qty(signal.qty, signal.price, signal, settings, self._signal_limits)
        except BotError as refusal:
            failure = _as_data(refusal, alert.query_token, data)
            masked = _mask(refusal.message, alert.query_token, data)
            if masked != refusal.message:
                refusal.message = masked
            signal_id = await self._journal_refusal(alert, user, raw, signal, refusal,
                                                    received_at, failure)
            self._tell(alert, user.id, refusal, signal, signal_id, failure)
            raise
        # The identical-body rule is for alerts without an `id` (DESIGN §3); with one, the id
        # rule decides and the hash would never be looked up.
        digest = None if signal.client_id is not None else payload_hash(
            {key: value for key, value in data.items() if key != "token"})
        entry = JournalEntry(user.id, alert.route, alert.source_ip, raw, signal, digest,
                             received_at)
        outcome = await self._write(entry)
        _log_accepted(outcome, alert, user, settings, signal, data)
        if self._events.watched(user.id):
            self._events.publish(user.id, signal_event(
                outcome.signal_id, outcome.status, signal, route=alert.route,
                duplicate_of=outcome.duplicate_of))
        if outcome.status == SignalStatus.QUEUED:
            self._dispatcher.submit(Job(outcome.signal_id, user.id, signal, received_at,
                                        alert.route))
        return outcome

    async def _authenticate(self, alert: Alert,
                            data: dict[str, Any] | None) -> tuple[User, UserSettings]:
        body_token = data.get("token") if data else None
        given = alert.query_token or (body_token if isinstance(body_token, str) else None)
        if alert.route == "legacy":
            return await self._legacy_account(alert, data, given)
        assert alert.user_id is not None
        account = await self._read_account(alert.user_id)
        if account is None or account[0].is_legacy:
            raise UnknownUser("unknown_user.webhook", user=alert.user_id)
        # The keyed hash of what was given against the one cached with the user: one HMAC,
        # one constant-time compare, no decryption (bot/db/tokens.py).
        if not self._users.token_matches(account[0], given):
            log.warning("webhook refused: wrong or missing token user=%s ip=%s",
                        alert.user_id, alert.source_ip)
            raise Unauthorized("unauthorized.wrong" if given else "unauthorized.missing")
        return account

    async def _legacy_account(self, alert: Alert, data: dict[str, Any] | None,
                              given: str | None) -> tuple[User, UserSettings]:
        legacy = self._config.legacy_webhook
        if not legacy.enabled:
            raise UnknownUser("legacy_disabled")
        if legacy.secret:
            secret = data.get("secret") if data else None
            given = given or (secret if isinstance(secret, str) else None)
            if not tokens_match(given, legacy.secret):
                log.warning("legacy webhook refused: wrong or missing secret ip=%s",
                            alert.source_ip)
                raise Unauthorized("unauthorized.secret")
        user_id = legacy.user_id if legacy.user_id is not None else LEGACY_USER_ID
        account = await self._read_account(user_id)
        if account is None:
            raise ServiceUnavailable("legacy_misconfigured", user=user_id)
        return account

    async def _read_account(self, user_id: int) -> tuple[User, UserSettings] | None:
        try:
            return await self._users.get_account(user_id)
        except DatabaseUnavailable as exc:
            raise ServiceUnavailable("unavailable.database") from exc

    def check_age(self, signal: Signal, received_at: float) -> None:
        """Refuse an alert whose `timestamp` is older than `limits.max_signal_age_s`."""
        max_age = self._config.limits.max_signal_age_s
        if max_age and signal.timestamp is not None and received_at - signal.timestamp > max_age:
            age = int(received_at - signal.timestamp)
            raise StaleSignal("stale_signal", age=age, max_age=max_age)

    async def _write(self, entry: JournalEntry) -> Journaled:
        try:
            return await self._journal.record(entry)
        except DatabaseUnavailable as exc:
            log.error("journal write failed user=%s: %s", entry.user_id, exc)
            raise ServiceUnavailable("unavailable.journal") from exc

    async def _journal_refusal(self, alert: Alert, user: User, raw: str,
                               signal: Signal | None, refusal: BotError, received_at: float,
                               failure: Failure | None = None) -> int | None:
        entry = JournalEntry(user.id, alert.route, alert.source_ip, raw, signal, None,
                             received_at, status=SignalStatus.REJECTED, error_code=refusal.code,
                             error=refusal.message, failure=failure)
        try:
            outcome = await self._journal.record(entry)
        except DatabaseUnavailable:
            log.error("could not journal a refused alert user=%s", user.id)
            return None
        log.info("signal=%s user=%s rejected route=%s ip=%s: %s", outcome.signal_id, user.id,
                 alert.route, alert.source_ip, refusal.message)
        self._events.publish(user.id, signal_event(outcome.signal_id, "rejected", signal,
                                                   route=alert.route, error=refusal.message))
        return outcome.signal_id

    def _tell(self, alert: Alert, user_id: int, refusal: BotError, signal: Signal | None,
              signal_id: int | None, failure: Failure | None = None) -> None:
        """Hand the refusal to the notifier, unless one of its kind was told just now.

        A refused close is always told: its position is still open. The message of an
        `Unauthorized` (legacy route) names no secret: it says one is missing or wrong.
        """
        closing = signal is not None and signal.intent.side is None
        notice = RefusalNotice(
            user_id, alert.route, refusal.code, refusal.message,
            params=getattr(refusal, "params", None) or {}, signal_id=signal_id,
            symbol=signal.symbol if signal else None, action=signal.action if signal else None,
            always=closing, key=failure.key if failure is not None else "")
        if not self.tell(notice):
            log.info("signal=%s user=%s refusal %s not told again so soon", signal_id, user_id,
                     refusal.code)

    def tell(self, notice: RefusalNotice) -> bool:
        """Hand a notice to the notifier, unless one of its kind was told just now (the
        channel webhook's too: one throttle, keyed by account, channel and reason)."""
        if not self.refusal_throttle.allow(notice):
            return False
        self.refusals.report_refusal(notice)
        return True


def _log_accepted(outcome: Journaled, alert: Alert, user: User, settings: UserSettings,
                  signal: Signal, data: dict[str, Any]) -> None:
    """One line for an accepted alert, with `signal= user=` like every step of its life, so
    `grep signal=<id>` tells the whole story: what was received, the user's settings, queued
    (or the duplicate it repeats). One line, not one per step: this is the ack's hottest code.

    Its values are numbers, enums and our settings, but for what came from outside as text —
    the symbol, the alert's `id` and the address (X-Forwarded-For, when trusted) — which is
    masked here: the token the alert came with, then any registered or shaped secret.
    """
    symbol, client_id, source_ip = REDACTOR.redact_fields(
        signal.symbol,
        _mask(signal.client_id, alert.query_token, data) if signal.client_id else None,
        alert.source_ip)
    if outcome.status == SignalStatus.DUPLICATE:
        log.info("signal=%s user=%s received route=%s ip=%s symbol=%s action=%s position=%s "
                 "price=%s qty=%s amount=%s leverage=%s qty_percent=%s id=%s; duplicate of "
                 "signal=%s (%s): not executed again", outcome.signal_id, user.id, alert.route,
                 source_ip, symbol, signal.action, signal.position, signal.price, signal.qty,
                 signal.amount, signal.leverage, signal.qty_percent, client_id,
                 outcome.duplicate_of, outcome.original_status, extra=PRE_REDACTED)
        return
    log.info("signal=%s user=%s received route=%s ip=%s symbol=%s action=%s position=%s "
             "price=%s qty=%s amount=%s leverage=%s qty_percent=%s id=%s; user active; settings "
             "market=%s account=%s amount=%s leverage=%s; queued", outcome.signal_id, user.id,
             alert.route, source_ip, symbol, signal.action, signal.position,
             signal.price, signal.qty, signal.amount, signal.leverage, signal.qty_percent,
             client_id, settings.market_type, settings.account_type, settings.trade_amount,
             settings.leverage, extra=PRE_REDACTED)


def _check_pause(settings: UserSettings, signal: Signal) -> None:
    """Refuse what the trader paused: everything, or what would open a position. A side that
    `position` turned may open nothing (the account already on it is kept as it is): the
    planner, which knows the account, refuses it only if it would open (bot/trading/planner)."""
    if settings.paused:
        raise Forbidden("paused")
    if settings.entries_paused and signal.intent.side is not None and not signal.position_turned:
        raise Forbidden("entries_paused", action=signal.action)


def _check_qty(qty: Decimal, price: Decimal, signal: Signal, settings: UserSettings,
               limits: SignalLimits) -> None:
    """An opening's `qty` at its `price` puts up at most `limits.max_trade_amount`: on
    futures at the alert's leverage, else the user's; on spot a buy (a sell sells what this
    bot bought). Checked here, not in parse_signal: the market and leverage are the user's."""
    if settings.market_type == MarketType.SPOT:
        if signal.intent == Intent.BUY:
            check_qty_margin(qty, price, None, limits)
    elif signal.intent.side is not None:
        check_qty_margin(qty, price, signal.leverage or settings.leverage, limits)


def _decode(body: bytes) -> tuple[dict[str, Any] | None, BadSignal | None]:
    try:
        return parse_body(body), None
    except BadSignal as exc:
        return None, exc


def _as_data(refusal: BotError, token: str | None,
             data: dict[str, Any] | None) -> Failure | None:
    """The refusal as data (its key and values), for each reader's own words; None when it
    was written as an English sentence here, or when a value quotes a secret (then only its
    masked English sentence is kept and told)."""
    if refusal.english_given is not None:
        return None
    if any(isinstance(value, str) and _mask(value, token, data) != value
           for value in refusal.params.values()):
        return None
    return refusal.failure


def _mask(message: str, token: str | None, data: dict[str, Any] | None) -> str:
    """An error may quote a field; never let it quote a token sent in the wrong field.

    Called after authentication, so the token given (query or body) is the user's own.
    """
    secrets = [token] if token else []
    secrets += [data[key] for key in ("token", "secret")
                if data and isinstance(data.get(key), str) and data[key]]
    for secret in secrets:
        if secret[:8] not in message:
            continue  # every prefix masked below starts with these 8 (the common case)
        # Quoted values may be shortened: mask the longest prefix of the secret that shows.
        for length in range(len(secret), 7, -1):
            if secret[:length] in message:
                message = message.replace(secret[:length], "***")
                break
    return message


def _redacted_body(body: bytes, data: dict[str, Any] | None, token: str | None = None) -> str:
    """The raw body for the journal, with any token or secret in it masked: the body's own
    and the URL's (`token`), wherever the body quotes it — a field of another name, or a
    message that is not JSON (the whole URL pasted into it)."""
    text = body.decode("utf-8", "replace")
    secrets = [token] if token else []
    secrets += [data[key] for key in ("token", "secret")
                if data and isinstance(data.get(key), str) and data[key]]
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


# The channel webhook (bot/channels/intake.py) reads, masks and hashes bodies by these rules.
decode_body = _decode
mask_secrets = _mask
redact_body = _redacted_body
refusal_data = _as_data
