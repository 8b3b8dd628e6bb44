"""Fixtures for the webhook tests: a running service and registered users."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from bot.app import Service, default_settings
from bot.db import UserRepo
from bot.models import User
from tests.conftest import base_url
from tests.fakes.bybit import FakeBybit


@dataclass
class Client:
    """Posts alerts to one service and returns (status, json, headers)."""

    http: aiohttp.ClientSession
    url: str
    users: UserRepo | None = None  # to open a user's sealed token, as /webhook does

    def token(self, user: User) -> str:
        assert self.users is not None, "Client(..., users) to post to personal URLs"
        return self.users.webhook_token(user)

    async def post(self, path: str, body: Any = None, *, raw: bytes | None = None,
                   params: dict[str, str] | None = None,
                   headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any], Any]:
        import json

        data = raw if raw is not None else json.dumps(body).encode()
        async with self.http.post(self.url + path, data=data, params=params,
                                  headers=headers or {"Content-Type": "text/plain"}) as response:
            answer = await response.json(content_type=None)
            return response.status, answer, response.headers

    async def personal(self, user: User, body: Any = None, **kwargs: Any
                       ) -> tuple[int, dict[str, Any], Any]:
        params = kwargs.pop("params", {"token": self.token(user)})
        return await self.post(f"/personal/{user.id}/webhook", body, params=params, **kwargs)


@pytest.fixture
async def webhook_service(make_config: Callable[..., Any], start_service: Callable[..., Any],
                          fake_bybit: FakeBybit) -> Service:
    config = make_config(bybit={"base_url": fake_bybit.url},
                         limits={"per_user_per_minute": 0, "per_ip_per_minute": 0})
    return await start_service(config)


@pytest.fixture
async def client(http: aiohttp.ClientSession, webhook_service: Service) -> Client:
    return Client(http, base_url(webhook_service), webhook_service.users)


@pytest.fixture
def add_user(webhook_service: Service) -> Callable[..., Awaitable[User]]:
    async def add(user_id: int, *, active: bool = True, **settings: Any) -> User:
        user, _ = await webhook_service.users.create_user(
            user_id, defaults=default_settings(webhook_service.config), is_active=active,
            first_name=f"User{user_id}")
        if settings:
            await webhook_service.users.update_user_settings(user_id, **settings)
        return user

    return add


@pytest.fixture
async def watcher_factory() -> AsyncIterator[Callable[..., Any]]:
    from tests.watch import SignalWatcher

    made: list[SignalWatcher] = []

    def make(service: Service, user_ids: list[int]) -> SignalWatcher:
        watcher = SignalWatcher(service.events, user_ids)
        made.append(watcher)
        return watcher

    yield make
    for watcher in made:
        await watcher.close()
