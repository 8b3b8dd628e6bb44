"""`ChannelFacade` (bot/handlers/channel_facade.py) answered from the channel repositories,
the journal and the dispatcher: what the Telegram commands may do with channels."""

from __future__ import annotations

import logging
import time
from decimal import Decimal

from bot.config import Config
from bot.db.channel_alerts import AlertStats, ChannelAlertRepo
from bot.db.channel_expansion import CHANNEL_ROUTE
from bot.db.channels import Channel, ChannelRepo, Subscription
from bot.db.journal import Journal
from bot.trading.dispatcher import Dispatcher, Job
from bot.urls import channel_url
from bot.vocabulary import SignalStatus

log = logging.getLogger(__name__)


class ChannelDesk:
    """The channels as the Telegram handlers may use them."""

    def __init__(self, config: Config, *, channels: ChannelRepo, alerts: ChannelAlertRepo,
                 journal: Journal, dispatcher: Dispatcher) -> None:
        self._config = config
        self._channels = channels
        self._alerts = alerts
        self._journal = journal
        self._dispatcher = dispatcher

    @property
    def max_signal_age_s(self) -> int:
        return self._config.limits.max_signal_age_s

    # --- the admin's side ---------------------------------------------------------------

    async def create(self, owner_id: int, name: str) -> Channel:
        channel, _ = await self._channels.create(owner_id, name)
        log.info("channel=%s (%s) created by admin=%s", channel.id, channel.code, owner_id)
        return channel

    async def find(self, code: str) -> Channel | None:
        return await self._channels.by_code(code.strip().lower())

    def webhook_url(self, channel: Channel) -> str:
        return channel_url(self._config, channel.code, self._channels.token(channel))

    async def rotate(self, channel: Channel) -> Channel:
        rotated = await self._channels.rotate_token(channel.id)
        log.info("channel=%s token rotated", channel.id)
        return rotated

    async def set_paused(self, channel: Channel, paused: bool) -> Channel:
        changed = await self._channels.set_paused(channel.id, paused)
        log.info("channel=%s %s", channel.id, "paused" if paused else "resumed")
        return changed

    async def owned_by(self, owner_id: int) -> list[tuple[Channel, int]]:
        return await self._channels.owned_by(owner_id)

    async def subscriber_count(self, channel: Channel) -> int:
        found = await self._channels.cached(channel.code)
        return found[1] if found is not None else 0

    async def subscriber_ids(self, channel: Channel) -> list[int]:
        return await self._channels.subscriber_ids(channel.id)

    async def stats(self, channel: Channel, limit: int) -> list[AlertStats]:
        return await self._alerts.stats(channel.id, limit)

    async def realised(self, channel: Channel) -> tuple[Decimal, int]:
        return await self._alerts.realised(channel.id)

    # --- the subscriber's side -----------------------------------------------------------

    async def subscribe(self, channel: Channel, user_id: int) -> tuple[Subscription, bool]:
        found = await self._channels.subscribe(channel.id, user_id)
        log.info("user=%s subscribed to channel=%s", user_id, channel.id)
        return found

    async def unsubscribe(self, channel: Channel, user_id: int) -> bool:
        ended = await self._channels.unsubscribe(channel.id, user_id)
        if ended:
            log.info("user=%s unsubscribed from channel=%s", user_id, channel.id)
        return ended

    async def subscription(self, channel: Channel, user_id: int) -> Subscription | None:
        return await self._channels.subscription(channel.id, user_id)

    async def set_copy(self, wanted: Subscription) -> Subscription | None:
        stored = await self._channels.set_copy(wanted)
        if stored is not None:
            log.info("user=%s channel=%s copy: amount=%s percent=%s leverage=%s mode=%s",
                     wanted.user_id, wanted.channel_id, stored.amount, stored.amount_percent,
                     stored.leverage, stored.mode)
        return stored

    async def subscriptions(self, user_id: int) -> list[tuple[Channel, Subscription]]:
        return await self._channels.subscriptions_of(user_id)

    async def confirm(self, user_id: int, signal_id: int) -> SignalStatus | None:
        status = await self._alerts.confirm(signal_id, user_id, self._fresh_since())
        log.info("signal=%s user=%s Execute pressed: %s", signal_id, user_id, status)
        if status != SignalStatus.QUEUED:
            return status
        record = await self._journal.get(signal_id)
        if record is not None and record.signal is not None:
            self._dispatcher.submit(Job(record.id, user_id, record.signal, record.received_at,
                                        CHANNEL_ROUTE))
        return status

    async def skip(self, user_id: int, signal_id: int) -> SignalStatus | None:
        status = await self._alerts.skip(signal_id, user_id, self._fresh_since())
        log.info("signal=%s user=%s Skip pressed: %s", signal_id, user_id, status)
        return status

    def _fresh_since(self) -> float:
        """An alert received before this is too old for an answer."""
        age = self.max_signal_age_s
        return time.time() - age if age else 0.0

    async def channel_of_signal(self, signal_id: int) -> Channel | None:
        channel_id = await self._alerts.channel_of_signal(signal_id)
        return None if channel_id is None else await self._channels.by_id(channel_id)
