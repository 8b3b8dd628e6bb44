"""Follow signals through the event hub, so tests wait on events, never on sleeps."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from bot.events import EventHub
from bot.outcomes import SignalFinished
from bot.web.feed import finished_frame

FINAL = {"done", "failed", "expired", "rejected", "duplicate"}


class SignalWatcher:
    """Record every signal event of some users, with a buffer big enough never to drop."""

    def __init__(self, hub: EventHub, user_ids: Iterable[int]) -> None:
        self.events: list[dict[str, Any]] = []
        self.final: dict[int, dict[str, Any]] = {}
        self.started: dict[int, list[int]] = defaultdict(list)  # user -> ids as they began
        self._changed = asyncio.Condition()
        self._hub = hub
        self._subs = [hub.subscribe(user_id, size=1_000_000) for user_id in user_ids]
        self._tasks = [asyncio.create_task(self._follow(sub)) for sub in self._subs]

    async def _follow(self, sub: Any) -> None:
        while (event := await sub.next()) is not None:
            if isinstance(event, SignalFinished):  # data: read as a dashboard shows it
                event = finished_frame(event, "en")
            if event.get("type") != "signal":
                continue
            async with self._changed:
                self.events.append(event)
                if event["status"] == "processing":
                    self.started[sub.user_id].append(event["id"])
                if event["status"] in FINAL:
                    self.final[event["id"]] = event
                self._changed.notify_all()

    async def wait_final(self, ids: Iterable[int], timeout: float = 30) -> dict[int, str]:
        """Wait until every id reached a final status; return id -> status."""
        wanted = set(ids)

        async def wait() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: wanted <= self.final.keys())

        try:
            await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            missing = sorted(wanted - self.final.keys())
            raise AssertionError(f"signals never finished: {missing[:20]}") from None
        return {signal_id: self.final[signal_id]["status"] for signal_id in wanted}

    async def wait_for_route(self, route: str, timeout: float = 30) -> int:
        """Wait for the first signal that came in by `route`; return its id."""
        def found() -> int | None:
            return next((e["id"] for e in self.events if e.get("route") == route), None)

        async def wait() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: found() is not None)

        try:
            await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            raise AssertionError(f"no signal came in by {route}") from None
        signal_id = found()
        assert signal_id is not None
        return signal_id

    async def close(self) -> None:
        for sub in self._subs:
            self._hub.unsubscribe(sub)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
