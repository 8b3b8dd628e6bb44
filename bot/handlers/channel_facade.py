"""What the Telegram handlers may do with signal channels: `HandlerFacade.channels`.

Declared here, by the layer that uses it, like `HandlerFacade`; `bot.channels.desk` answers it
from the service's parts.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from bot.db.channel_alerts import AlertStats
from bot.db.channels import Channel, Subscription
from bot.vocabulary import SignalStatus


class ChannelFacade(Protocol):
    """Channels, subscriptions and confirmations, as the handlers see them."""

    @property
    def max_signal_age_s(self) -> int:
        """How long a confirm-mode question waits for its answer (0: no limit)."""
        ...

    # --- the admin's side ---

    async def create(self, owner_id: int, name: str) -> Channel:
        """A new channel with its own code and token."""
        ...

    async def find(self, code: str) -> Channel | None:
        """The channel with this code (any case), or None."""
        ...

    def webhook_url(self, channel: Channel) -> str:
        """The channel's webhook URL, token included: only for its admin's eyes."""
        ...

    async def rotate(self, channel: Channel) -> Channel:
        """A new token: the old URL stops working at once."""
        ...

    async def set_paused(self, channel: Channel, paused: bool) -> Channel: ...

    async def owned_by(self, owner_id: int) -> list[tuple[Channel, int]]:
        """The admin's channels, each with its active subscribers."""
        ...

    async def subscriber_count(self, channel: Channel) -> int: ...

    async def subscriber_ids(self, channel: Channel) -> list[int]: ...

    async def stats(self, channel: Channel, limit: int) -> list[AlertStats]:
        """What became of the channel's last alerts, newest first."""
        ...

    async def realised(self, channel: Channel) -> tuple[Decimal, int]:
        """The subscribers' realised futures PnL after fees from the channel's signals, and
        the number of closing fills it comes from."""
        ...

    # --- the subscriber's side ---

    async def subscribe(self, channel: Channel, user_id: int) -> tuple[Subscription, bool]:
        """Follow a channel (again); True if the subscription was not active before."""
        ...

    async def unsubscribe(self, channel: Channel, user_id: int) -> bool:
        """Stop following; False if the user did not follow it."""
        ...

    async def subscription(self, channel: Channel, user_id: int) -> Subscription | None: ...

    async def set_copy(self, wanted: Subscription) -> Subscription | None:
        """Store a subscription's sizing and mode; None if it does not exist."""
        ...

    async def subscriptions(self, user_id: int) -> list[tuple[Channel, Subscription]]:
        """The channels the user follows, oldest subscription first."""
        ...

    async def confirm(self, user_id: int, signal_id: int) -> SignalStatus | None:
        """Execute pressed: queue the signal if it still waits and is fresh. Returns its status
        now (queued: this press queued it; expired: too late); None if it is not theirs."""
        ...

    async def skip(self, user_id: int, signal_id: int) -> SignalStatus | None:
        """Skip pressed: the signal ends `skipped` if it still waits."""
        ...

    async def channel_of_signal(self, signal_id: int) -> Channel | None:
        """The channel a signal came from, if it came from one."""
        ...
