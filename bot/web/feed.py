"""Forward one subscriber's events from the hub to one browser, never holding the hub up.

The hub gives each dashboard a bounded queue and drops it when the queue is full; this loop
only ever waits on its own queue and its own socket. Events are re-built field by field, so
whatever a publisher adds later reaches a browser only once it is listed here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.events import Subscription
from bot.vocabulary import EXECUTED_STATUSES
from bot.web.dashboard import signal_reason

Frame = dict[str, Any]
Send = Callable[[Frame], Awaitable[None]]
Settled = Callable[[], Awaitable[None]]

SIGNAL_FIELDS = ("id", "status", "at", "symbol", "action", "price", "route", "kind",
                 "summary", "duplicate_of")
ORDER_FIELDS = ("leg", "side", "symbol", "qty", "price", "reduce_only", "status", "pnl")


def public_event(event: dict[str, Any]) -> Frame | None:
    """The browser's copy of a hub event; None for kinds a dashboard does not show."""
    if event.get("type") != "signal":
        return None
    frame: Frame = {"type": "signal"}
    frame.update({key: event[key] for key in SIGNAL_FIELDS if key in event})
    if isinstance(event.get("orders"), list):
        frame["orders"] = [{key: order.get(key) for key in ORDER_FIELDS}
                           for order in event["orders"] if isinstance(order, dict)]
    frame["reason"] = signal_reason(str(event.get("status")), result=event.get("summary"),
                                    error=event.get("error"),
                                    duplicate_of=event.get("duplicate_of"))
    return frame


async def forward(subscription: Subscription, send: Send, *,
                  settled: Settled | None = None) -> str:
    """Send events until the hub drops this subscriber; return "dropped".

    After a signal reaches a final state, `settled` runs once the queue is momentarily empty,
    so a burst of signals costs one refresh, not one per signal.
    """
    dirty = False
    while True:
        event = await subscription.next()
        if event is None:
            return "dropped"
        frame = public_event(event)
        if frame is not None:
            await send(frame)
            dirty = dirty or frame.get("status") in EXECUTED_STATUSES
        if dirty and settled is not None and subscription.queue.empty():
            dirty = False
            await settled()
