"""Dashboard fixtures: a running service with one trader on the paper account, and helpers
that post alerts and wait on the event hub (never on the clock)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from bot.app import Service, default_settings
from bot.config import Config
from bot.models import User
from bot.outcomes import SignalFinished
from bot.web.facade import DashboardFacade
from bot.web.feed import finished_frame
from bot.web.routes import DASHBOARD_KEY, Dashboard
from tests.conftest import base_url
from tests.fakes.bybit import FakeBybit

TRADER_ID = 4242
OTHER_ID = 5151
FINAL = {"done", "failed", "expired", "rejected", "duplicate"}


@dataclass
class Trader:
    """A service with two registered, active users (the trader and someone else), and a link
    /dashboard would have sent the trader."""

    service: Service
    user: User
    other: User
    http: aiohttp.ClientSession
    key: str = ""

    @property
    def token(self) -> str:
        """The trader's webhook token (it opens the webhook, not the dashboard)."""
        return self.service.users.webhook_token(self.user)

    async def link_key(self, user_id: int | None = None, *,
                       issued_at: int | None = None) -> str:
        """A key /dashboard would send now (or at `issued_at`), for the user's current epoch."""
        user = await self.service.users.get_user(user_id or self.user.id)
        assert user is not None
        return self.service.links.issue(user.id, user.dashboard_epoch,
                                        issued_at=issued_at).key

    @property
    def base(self) -> str:
        return base_url(self.service)

    @property
    def facade(self) -> DashboardFacade:
        """What the dashboard reads the service through."""
        return self.service.dashboard_facade

    @property
    def dashboard(self) -> Dashboard:
        assert self.service._runner is not None
        return self.service._runner.app[DASHBOARD_KEY]

    def url(self, route: str, key: str | None = None, user_id: int | None = None,
            **params: str) -> str:
        """`/personal/<id>/<route>`: the webhook with the trader's token, the page and /ws with
        the trader's link key unless another `key` is given ("" for none)."""
        if route == "webhook":
            query = {"token": self.token, **params}
        else:
            query = {"key": self.key if key is None else key, **params}
        pairs = "&".join(f"{key}={value}" for key, value in query.items() if value != "")
        owner = self.user.id if user_id is None else user_id
        return f"{self.base}/personal/{owner}/{route}" + (f"?{pairs}" if pairs else "")

    async def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Post an alert to the trader's webhook; return the JSON answer."""
        async with self.http.post(self.url("webhook"), data=json.dumps(body)) as response:
            answer = await response.json()
        assert response.status == 200, answer
        return answer

    async def trade(self, body: dict[str, Any]) -> dict[str, Any]:
        """Post an alert and wait, on the event hub, until it reached its final state."""
        watcher = self.service.events.subscribe(self.user.id)
        try:
            answer = await self.post(body)
            while True:
                event = await asyncio.wait_for(watcher.next(), 20)
                assert event is not None, "the test's own watcher was dropped"
                if isinstance(event, SignalFinished):  # as the page gets it
                    event = finished_frame(event, "en")
                if event.get("id") == answer["signal_id"] and event["status"] in FINAL:
                    return event
        finally:
            self.service.events.unsubscribe(watcher)


@pytest.fixture
async def trader(fake_bybit: FakeBybit, make_config: Callable[..., Config],
                 start_service: Callable[[Config], Awaitable[Service]],
                 http: aiohttp.ClientSession) -> AsyncIterator[Trader]:
    config = make_config(bybit={"base_url": fake_bybit.url})
    service = await start_service(config)
    defaults = default_settings(config)
    user, _ = await service.users.create_user(TRADER_ID, defaults=defaults, first_name="Sara",
                                              is_active=True)
    other, _ = await service.users.create_user(OTHER_ID, defaults=defaults, is_active=True)
    trader = Trader(service, user, other, http)
    trader.key = await trader.link_key()
    yield trader


async def receive(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    """The next frame as JSON (a close fails the test with the reason)."""
    message = await asyncio.wait_for(ws.receive(), 20)
    assert message.type == aiohttp.WSMsgType.TEXT, (message.type, message.data, message.extra)
    return json.loads(message.data)


async def receive_until(ws: aiohttp.ClientWebSocketResponse,
                        done: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
    """Frames up to and including the first for which `done` is true."""
    frames = []
    while True:
        frame = await receive(ws)
        frames.append(frame)
        if done(frame):
            return frames
