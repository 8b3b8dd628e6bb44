"""Forward one subscriber's events from the hub to one browser, never holding the hub up.

The hub gives each dashboard a bounded queue and drops it when the queue is full; this loop
only ever waits on its own queue and its own socket. Events are re-built field by field, so
whatever a publisher adds later reaches a browser only once it is listed here. A finished
signal arrives as data (`SignalFinished`) and is written here in the page's language.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.db.orders import OrderRecord
from bot.events import Event, Subscription
from bot.i18n.errors import for_page
from bot.i18n.results import result_line
from bot.outcomes import SignalFinished
from bot.vocabulary import EXECUTED_STATUSES
from bot.web.dashboard import signal_reason

Frame = dict[str, Any]
Send = Callable[[Frame], Awaitable[None]]
Settled = Callable[[], Awaitable[None]]

SIGNAL_FIELDS = ("id", "status", "at", "symbol", "action", "price", "route", "kind",
                 "summary", "duplicate_of")
ORDER_FIELDS = ("leg", "side", "symbol", "qty", "price", "reduce_only", "status", "pnl")
# A position's plan at work (bot/trading/keeper.py): a ladder target filled, the stop moved.
POSITION_FIELDS = ("event", "signal_id", "symbol", "target", "targets", "qty", "price", "pnl",
                   "stop", "at")
POSITION_EVENTS = frozenset({"target_filled"})


def public_event(event: Event, language: str = "en") -> Frame | None:
    """The browser's copy of a hub event, in the page's language; None for kinds a dashboard
    does not show."""
    if isinstance(event, SignalFinished):
        return finished_frame(event, language)
    if event.get("type") == "position":
        return position_frame(event)
    if event.get("type") != "signal":
        return None
    frame: Frame = {"type": "signal"}
    frame.update({key: event[key] for key in SIGNAL_FIELDS if key in event})
    if isinstance(event.get("orders"), list):
        frame["orders"] = [{key: order.get(key) for key in ORDER_FIELDS}
                           for order in event["orders"] if isinstance(order, dict)]
    frame["reason"] = signal_reason(str(event.get("status")), result=event.get("summary"),
                                    error=event.get("error"),
                                    duplicate_of=event.get("duplicate_of"), language=language)
    return frame


def finished_frame(event: SignalFinished, language: str) -> Frame:
    """A signal's final state: its orders, and what it came to in the reader's words."""
    signal, outcome = event.signal, event.outcome
    frame: Frame = {"type": "signal", "id": event.signal_id, "status": outcome.status,
                    "at": event.at, "route": event.route, "kind": outcome.kind,
                    "symbol": signal.symbol if signal else outcome.symbol,
                    "action": signal.action if signal else outcome.action,
                    "price": None if signal is None or signal.price is None
                    else str(signal.price),
                    "orders": [order_frame(leg) for leg in outcome.legs],
                    "reason": for_page(language, event.stored_line
                                       or result_line(language, outcome))}
    if outcome.failure is not None:
        frame["error_code"] = outcome.failure.code
    return frame


def order_frame(order: OrderRecord) -> Frame:
    """One leg as the page lists it; its PnL is after its own fee."""
    pnl = order.pnl_after_fee
    return {"leg": order.leg, "side": order.side, "symbol": order.symbol,
            "qty": str(order.filled_qty or order.qty),
            "price": None if order.avg_price is None else str(order.avg_price),
            "reduce_only": order.reduce_only, "status": order.status,
            "pnl": None if pnl is None else str(pnl)}


def position_frame(event: dict[str, Any]) -> Frame | None:
    """A position event's listed fields; None for an event this page does not know."""
    if event.get("event") not in POSITION_EVENTS:
        return None
    frame: Frame = {"type": "position"}
    frame.update({key: event[key] for key in POSITION_FIELDS if key in event})
    return frame


def changes_state(frame: Frame) -> bool:
    """Whether the page's orders, positions and charts need reading again after `frame`: a
    signal that reached a final state, or anything that happened to a position."""
    return frame["type"] == "position" or frame.get("status") in EXECUTED_STATUSES


async def forward(subscription: Subscription, send: Send, *,
                  settled: Settled | None = None, language: str = "en") -> str:
    """Send events until the hub drops this subscriber; return "dropped".

    After a signal reaches a final state, or a position event (a target filled), `settled` runs
    once the queue is momentarily empty, so a burst costs one refresh, not one per event.
    """
    dirty = False
    while True:
        event = await subscription.next()
        if event is None:
            return "dropped"
        frame = public_event(event, language)
        if frame is not None:
            await send(frame)
            dirty = dirty or changes_state(frame)
        if dirty and settled is not None and subscription.queue.empty():
            dirty = False
            await settled()
