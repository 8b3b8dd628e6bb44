"""Accept a channel's alert: authenticate, validate, journal once, start its expansion.

`POST /channel/{code}/webhook` follows the personal route's rules (bot/intake.py: the same
body parsing, limits, age and duplicate rules, the per-address limit shared with it): unknown
code 404, missing or wrong token 401 (its keyed hash, compared in constant time), too many
alerts for the channel 429, bad body 400, paused channel 403. The 200 goes out once the
alert's one row is on disk: its cost does not grow with the subscribers, who get their signals
from the fan-out after the answer (bot/channels/fanout.py).

A refusal after authentication (429, 400, 403) is also told to the channel's owner in Telegram
(DESIGN §13), through the personal route's notifier and throttle: once per (channel, reason)
per `limits.refusal_notice_s`. An unknown code or a wrong token is told to nobody — the sender
is not known to be the provider, as on a personal URL — and subscribers are never told: their
own signal never existed.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from bot.channels.fanout import ChannelFanout
from bot.config import Config
from bot.db import DatabaseUnavailable
from bot.db.channel_alerts import ChannelAlertAck, ChannelAlertEntry, ChannelAlertRepo
from bot.db.channels import Channel, ChannelRepo
from bot.errors import (
    BotError,
    Failure,
    Forbidden,
    RateLimited,
    ServiceUnavailable,
    Unauthorized,
    UnknownUser,
)
from bot.intake import (
    SignalIntake,
    decode_body,
    mask_secrets,
    payload_hash,
    redact_body,
    refusal_data,
)
from bot.ratelimit import RateLimiter
from bot.refusals import RefusalNotice
from bot.signals import Signal, SignalLimits, parse_signal
from bot.vocabulary import ChannelAlertStatus

log = logging.getLogger(__name__)

_CODE_RE = re.compile(r"^[a-z0-9]{1,32}$")


@dataclass(frozen=True)
class ChannelAlert:
    """One request to a channel's webhook, as the HTTP layer saw it."""

    code: str
    body: bytes
    source_ip: str
    query_token: str | None


@dataclass(frozen=True)
class ChannelAck:
    """What the provider is told: the alert's id, queued (or duplicate), and how many
    subscribers it goes to."""

    alert_id: int
    status: str  # queued | duplicate
    subscribers: int
    duplicate_of: int | None = None
    channel_id: int | None = None  # set when the alert is new: `expand` starts its fan-out


class ChannelIntake:
    """The channel webhook's domain side: from raw request to a journaled, expanding alert."""

    def __init__(self, config: Config, channels: ChannelRepo, alerts: ChannelAlertRepo,
                 fanout: ChannelFanout, personal: SignalIntake) -> None:
        self._channels = channels
        self._alerts = alerts
        self._fanout = fanout
        self._personal = personal  # the address limit, the age rule, refusals told: shared
        self._limits = SignalLimits(config.limits.max_trade_amount, config.limits.max_leverage)
        self._per_minute = config.limits.per_user_per_minute
        self._channel_limit = RateLimiter(self._per_minute)

    def check_ip(self, source_ip: str) -> None:
        """The allowlist and the per-address limit, the same bucket as personal alerts."""
        self._personal.check_ip(source_ip)

    async def accept(self, alert: ChannelAlert) -> ChannelAck:
        """Authenticate, validate and journal one alert. A new one's expansion starts with
        `expand(ack)`, once the answer is on its way."""
        received_at = time.time()
        data, body_error = decode_body(alert.body)
        channel, subscribers = await self._authenticate(alert, data)
        wait = self._channel_limit.hit(channel.id)
        if wait:
            limited = RateLimited("rate_limited.channel", limit=self._per_minute, wait=wait,
                                  retry_after=wait)
            self._tell(channel, limited, None, None, limited.failure)  # not journaled
            raise limited
        raw = redact_body(alert.body, data, alert.query_token)
        signal: Signal | None = None
        try:
            if body_error is not None:
                raise body_error
            assert data is not None
            signal = parse_signal(data, self._limits)
            self._personal.check_age(signal, received_at)
            if channel.paused:
                raise Forbidden("channel_paused", channel=channel.code)
        except BotError as refusal:
            failure = refusal_data(refusal, alert.query_token, data)
            masked = mask_secrets(refusal.message, alert.query_token, data)
            if masked != refusal.message:
                refusal.message = masked
            alert_id = await self._journal_refusal(alert, channel, raw, signal, refusal,
                                                   received_at)
            self._tell(channel, refusal, signal, alert_id, failure)
            raise
        digest = None if signal.client_id is not None else payload_hash(
            {key: value for key, value in data.items() if key != "token"})
        ack = await self._write(ChannelAlertEntry(channel.id, alert.source_ip, raw, signal,
                                                  digest, received_at))
        ids = f"channel={channel.id} alert={ack.alert_id}"
        if ack.status == ChannelAlertStatus.DUPLICATE:
            log.info("%s received %s; duplicate of alert=%s: not expanded again", ids,
                     signal.describe(), ack.duplicate_of)
            return ChannelAck(ack.alert_id, ack.status, subscribers, ack.duplicate_of)
        log.info("%s received %s ip=%s; %d subscriber(s); queued", ids, signal.describe(),
                 alert.source_ip, subscribers)
        return ChannelAck(ack.alert_id, "queued", subscribers, channel_id=channel.id)

    def expand(self, ack: ChannelAck) -> None:
        """Start a new alert's fan-out (returns at once). The HTTP layer calls it after the
        answer is written: the first step (up to 200 subscribers' rows, their log lines and
        jobs) would otherwise share the loop and the interpreter lock with writing the 200,
        and the ack would grow with the subscribers. Alerts not expanded (the process died
        in between) are resumed at the next start, like any interrupted expansion."""
        if ack.channel_id is not None:
            self._fanout.start(ack.alert_id, ack.channel_id)

    async def _authenticate(self, alert: ChannelAlert,
                            data: dict[str, Any] | None) -> tuple[Channel, int]:
        code = alert.code.strip().lower()
        found = None
        if _CODE_RE.match(code):
            try:
                found = await self._channels.cached(code)
            except DatabaseUnavailable as exc:
                raise ServiceUnavailable("unavailable.database") from exc
        if found is None:
            raise UnknownUser("unknown_channel", channel=repr(alert.code[:24]))
        channel, subscribers = found
        body_token = data.get("token") if data else None
        given = alert.query_token or (body_token if isinstance(body_token, str) else None)
        if not self._channels.token_matches(channel, given):
            log.warning("channel webhook refused: wrong or missing token channel=%s ip=%s",
                        channel.id, alert.source_ip)
            raise Unauthorized("unauthorized.channel_wrong" if given
                               else "unauthorized.channel_missing")
        return channel, subscribers

    async def _write(self, entry: ChannelAlertEntry) -> ChannelAlertAck:
        try:
            return await self._alerts.record(entry)
        except DatabaseUnavailable as exc:
            log.error("channel=%s alert could not be journaled: %s", entry.channel_id, exc)
            raise ServiceUnavailable("unavailable.journal") from exc

    async def _journal_refusal(self, alert: ChannelAlert, channel: Channel, raw: str,
                               signal: Signal | None, refusal: BotError,
                               received_at: float) -> int | None:
        entry = ChannelAlertEntry(channel.id, alert.source_ip, raw, signal, None, received_at,
                                  status=ChannelAlertStatus.REJECTED, error_code=refusal.code,
                                  error=refusal.message)
        try:
            ack = await self._alerts.record(entry)
        except DatabaseUnavailable:
            log.error("channel=%s could not journal a refused alert", channel.id)
            return None
        log.info("channel=%s alert=%s rejected ip=%s: %s", channel.id, ack.alert_id,
                 alert.source_ip, refusal.message)
        return ack.alert_id

    def _tell(self, channel: Channel, refusal: BotError, signal: Signal | None,
              alert_id: int | None, failure: Failure | None) -> None:
        """Hand the refusal to the channel's owner's notifier, unless one of its kind was told
        just now. Its message is masked already; `failure` is None when a value quoted the
        token (then only that masked sentence is told)."""
        notice = RefusalNotice(
            channel.owner_id, "channel", refusal.code, refusal.message,
            params=failure.params if failure else {}, symbol=signal.symbol if signal else None,
            action=signal.action if signal else None,
            key=failure.key if failure is not None else "", channel=channel.code,
            channel_name=channel.name, alert_id=alert_id)
        if not self._personal.tell(notice):
            log.info("channel=%s alert=%s refusal %s not told again so soon", channel.id,
                     alert_id, refusal.code)
