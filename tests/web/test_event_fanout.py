"""The event hub and the dashboard forwarder: every page gets every event in order, and a
stuck page is dropped without the publisher (the dispatcher) ever waiting for it."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest

from bot.events import EventHub
from bot.web.feed import Frame, forward, public_event

USER = 7


def event(n: int, status: str = "queued", **extra: Any) -> dict[str, Any]:
    return {"type": "signal", "id": n, "status": status, **extra}


async def test_every_subscriber_of_a_user_gets_every_event_in_order_and_no_one_elses() -> None:
    hub = EventHub(queue_size=64)
    pages = [hub.subscribe(USER) for _ in range(3)]
    stranger = hub.subscribe(USER + 1)
    for n in range(50):
        hub.publish(USER, event(n))
    hub.publish(USER + 1, event(999))
    for page in pages:
        assert [(await page.next())["id"] for _ in range(50)] == list(range(50))
        assert page.queue.empty()
    assert (await stranger.next())["id"] == 999 and stranger.queue.empty()
    assert hub.dropped == 0


async def test_publishing_cannot_wait_and_a_full_subscriber_is_dropped_alone() -> None:
    assert not inspect.iscoroutinefunction(EventHub.publish)  # nothing to await, ever
    hub = EventHub(queue_size=4)
    stuck = hub.subscribe(USER)  # never reads
    healthy = hub.subscribe(USER)
    received = []
    for n in range(20):
        hub.publish(USER, event(n))
        received.append((await healthy.next())["id"])  # this one keeps up
        if n < 4:
            assert not stuck.closed
    assert received == list(range(20))
    assert stuck.closed and hub.dropped == 1 and hub.subscribers(USER) == 1
    # The dropped queue ends with the marker that wakes its reader; nothing after the drop.
    leftover = [stuck.queue.get_nowait() for _ in range(stuck.queue.qsize())]
    assert leftover[-1] is None and [e["id"] for e in leftover[:-1]] == [1, 2, 3]
    assert await stuck.next() is None


async def test_a_stuck_page_is_dropped_while_the_other_page_receives_everything() -> None:
    hub = EventHub(queue_size=4)
    release = asyncio.Event()
    stuck_frames: list[Frame] = []
    healthy_frames: list[Frame] = []
    progress = asyncio.Condition()

    async def stuck_send(frame: Frame) -> None:  # a browser that stopped taking data
        stuck_frames.append(frame)
        await release.wait()

    async def healthy_send(frame: Frame) -> None:
        async with progress:
            healthy_frames.append(frame)
            progress.notify_all()

    stuck_sub, healthy_sub = hub.subscribe(USER), hub.subscribe(USER)
    stuck = asyncio.create_task(forward(stuck_sub, stuck_send))
    healthy = asyncio.create_task(forward(healthy_sub, healthy_send))
    for n in range(40):
        hub.publish(USER, event(n))
        async with progress:  # pace the publisher by the healthy page, not by the clock
            await progress.wait_for(lambda n=n: len(healthy_frames) > n)

    assert [f["id"] for f in healthy_frames] == list(range(40))
    assert [f["id"] for f in stuck_frames] == [0]  # still blocked sending the first one
    assert stuck_sub.closed and not healthy_sub.closed and hub.subscribers(USER) == 1
    release.set()
    assert await stuck == "dropped"
    assert [f["id"] for f in stuck_frames] == [0, 2, 3, 4]  # then the end marker
    healthy.cancel()


class Enough(Exception):
    """Ends a forwarder in a test."""


async def test_a_burst_costs_one_refresh_after_the_queue_empties() -> None:
    hub = EventHub(queue_size=64)
    sub = hub.subscribe(USER)
    log: list[str] = []
    first_refresh = asyncio.Event()

    async def send(frame: Frame) -> None:
        log.append(f"{frame['id']}:{frame['status']}")

    async def settled() -> None:
        log.append("refresh")
        if first_refresh.is_set():
            raise Enough
        first_refresh.set()

    for n in range(3):
        hub.publish(USER, event(n, "done"))
    hub.publish(USER, event(3, "processing"))
    task = asyncio.create_task(forward(sub, send, settled=settled))
    await first_refresh.wait()
    hub.publish(USER, event(4, "failed"))
    with pytest.raises(Enough):
        await task
    assert log == ["0:done", "1:done", "2:done", "3:processing", "refresh", "4:failed",
                   "refresh"]


def test_only_known_fields_of_signal_events_reach_a_browser() -> None:
    frame = public_event({
        "type": "signal", "id": 5, "status": "failed", "at": 1.5, "symbol": "BTCUSDT",
        "action": "buy", "price": "1", "summary": "no keys", "token": "T0KEN",
        "raw_body": '{"token": "T0KEN"}', "api_secret": "S3CRET",
        "orders": [{"leg": "o", "side": "Buy", "qty": "1", "order_link_id": "x",
                    "api_key": "K"}]})
    assert frame is not None
    assert set(frame) == {"type", "id", "status", "at", "symbol", "action", "price",
                          "summary", "orders", "reason"}
    assert frame["reason"] == "no keys"
    assert set(frame["orders"][0]) == {"leg", "side", "symbol", "qty", "price",
                                       "reduce_only", "status", "pnl"}
    assert public_event({"type": "admin", "token": "T0KEN"}) is None


def test_a_duplicate_says_which_signal_it_repeats() -> None:
    frame = public_event(event(9, "duplicate", duplicate_of=4))
    assert frame is not None and frame["reason"] == "same alert as signal 4; not executed again"
