"""The in-process event hub: the intake and the processor publish, dashboards subscribe.

An event is a dict (a signal queued, refused or processing; a position's target filled) or a
`SignalFinished` (bot/outcomes.py): what a signal came to, as data, which each dashboard
writes in its page's language when it sends it. Publishing never waits. Each subscriber has a
bounded queue; a subscriber that falls behind is dropped (its page reconnects and gets the
state again) rather than slow anyone down.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any, TypeAlias

from bot.signals import Signal

if TYPE_CHECKING:
    from bot.outcomes import SignalFinished

Event: TypeAlias = "dict[str, Any] | SignalFinished"

log = logging.getLogger(__name__)

QUEUE_SIZE = 256


def signal_event(signal_id: int, status: str, signal: Signal | None, **extra: Any
                 ) -> dict[str, Any]:
    """The event the dashboard receives for a signal's change of state."""
    event: dict[str, Any] = {"type": "signal", "id": signal_id, "status": status,
                             "at": time.time()}
    if signal is not None:
        event.update(symbol=signal.symbol, action=signal.action,
                     price=None if signal.price is None else str(signal.price))
    event.update(extra)
    return event


class Subscription:
    """One listener's queue; `closed` once the hub dropped it."""

    def __init__(self, user_id: int, size: int) -> None:
        self.user_id = user_id
        self.queue: asyncio.Queue[Event | None] = asyncio.Queue(maxsize=size)
        self.closed = False

    async def next(self) -> Event | None:
        """The next event, or None once dropped."""
        if self.closed and self.queue.empty():
            return None
        return await self.queue.get()


class EventHub:
    """Fan events out to each user's subscribers without ever blocking the publisher."""

    def __init__(self, queue_size: int = QUEUE_SIZE) -> None:
        self._size = queue_size
        self._subscribers: dict[int, set[Subscription]] = {}
        self.published = 0
        self.dropped = 0

    def subscribe(self, user_id: int, *, size: int | None = None) -> Subscription:
        subscription = Subscription(user_id, size or self._size)
        self._subscribers.setdefault(user_id, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        group = self._subscribers.get(subscription.user_id)
        if group is not None:
            group.discard(subscription)
            if not group:
                del self._subscribers[subscription.user_id]

    def watched(self, user_id: int) -> bool:
        """Whether anyone follows this user's events: the ack builds none for nobody."""
        return user_id in self._subscribers

    def subscribers(self, user_id: int | None = None) -> int:
        if user_id is not None:
            return len(self._subscribers.get(user_id, ()))
        return sum(len(group) for group in self._subscribers.values())

    def publish(self, user_id: int, event: Event) -> None:
        """Give `event` to every subscriber of `user_id`; drop those that are full."""
        self.published += 1
        for subscription in list(self._subscribers.get(user_id, ())):
            try:
                subscription.queue.put_nowait(event)
            except asyncio.QueueFull:
                self._drop(subscription)

    def _drop(self, subscription: Subscription) -> None:
        self.dropped += 1
        subscription.closed = True
        self.unsubscribe(subscription)
        # Wake the reader with an end marker: make room for it if needed.
        while True:
            try:
                subscription.queue.put_nowait(None)
                break
            except asyncio.QueueFull:
                subscription.queue.get_nowait()
        log.info("dashboard subscriber of user=%s fell behind and was dropped",
                 subscription.user_id)
