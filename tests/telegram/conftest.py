"""Fixtures for the Telegram stories: the real service and PTB against the fake Bot API."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest

from bot.app import Service
from bot.config import Config
from bot.models import User
from bot.trading.dispatcher import Job
from tests.conftest import ADMIN_ID, BOT_TOKEN, base_url
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram, SentMessage

TRADER_ID = 5001
OTHER_ID = 5002


@dataclass
class Person:
    """One Telegram user talking to the bot through the fake Bot API."""

    fake: FakeTelegram
    id: int
    first_name: str = "Trader"
    language_code: str | None = "en"
    username: str | None = None
    chat_id: int | None = None
    chat_type: str = "private"
    extra: dict[str, Any] = field(default_factory=dict)

    def say(self, text: str) -> int:
        """Send a message; return its message_id."""
        return self.fake.send_message(self.id, text, chat_id=self.chat_id,
                                      chat_type=self.chat_type, first_name=self.first_name,
                                      username=self.username, language_code=self.language_code)

    async def ask(self, text: str, expect: str, *, timeout: float = 5) -> SentMessage:
        """Send `text` and return the first reply in this chat matching `expect`."""
        mark = self.fake.mark()
        self.say(text)
        return await self.fake.wait_for_message(self.chat, expect, since=mark, timeout=timeout)

    async def press(self, message: SentMessage, label: str, expect: str) -> SentMessage:
        """Press a button (by label) and return the reply or edit matching `expect`."""
        return await self.press_data(message, message.button_data(label), expect)

    async def press_data(self, message: SentMessage, data: str, expect: str) -> SentMessage:
        """Press a button with any callback data (a forged one too)."""
        mark = self.fake.mark()
        assert message.message_id is not None
        self.fake.press_button(self.id, data, message_id=message.message_id,
                               chat_id=self.chat, language_code=self.language_code,
                               first_name=self.first_name)
        return await self.fake.wait_for_message(self.chat, expect, since=mark)

    @property
    def chat(self) -> int:
        return self.chat_id if self.chat_id is not None else self.id

    def messages(self, since: int = 0) -> list[SentMessage]:
        return self.fake.sent_messages(self.chat, since=since)


@pytest.fixture
def telegram_config(make_config: Callable[..., Config], fake_telegram: FakeTelegram,
                    fake_bybit: FakeBybit) -> Callable[..., Config]:
    """A config pointing at both fakes; keyword sections are merged in."""
    def build(**sections: dict[str, Any]) -> Config:
        telegram = {"base_url": fake_telegram.base_url, "admin_ids": [ADMIN_ID],
                    "per_chat_interval_s": 0.05} | sections.pop("telegram", {})
        return make_config(telegram=telegram, bybit={"base_url": fake_bybit.url},
                           env={"TELEGRAM_BOT_TOKEN": BOT_TOKEN}, **sections)

    return build


@pytest.fixture
async def service(telegram_config: Callable[..., Config],
                  start_service: Callable[[Config], Awaitable[Service]],
                  fake_telegram: FakeTelegram) -> Service:
    """The whole service, its bot polling the fake Bot API."""
    started = await start_service(telegram_config())
    await fake_telegram.wait_for_call("getUpdates")
    return started


@pytest.fixture
def admin(fake_telegram: FakeTelegram) -> Person:
    return Person(fake_telegram, ADMIN_ID, first_name="Admin")


@pytest.fixture
def trader(fake_telegram: FakeTelegram) -> Person:
    return Person(fake_telegram, TRADER_ID, first_name="Sara", username="sara_trades")


@pytest.fixture
def stranger(fake_telegram: FakeTelegram) -> Person:
    return Person(fake_telegram, OTHER_ID, first_name="Mallory")


async def register(person: Person, admin: Person, *, greeting: str = "approve",
                   active: str = "active") -> SentMessage:
    """/start, then the admin approves by button; return the user's approval message. The
    patterns are what the person reads: `greeting="أهلًا", active="تم تفعيل"` in Arabic."""
    await person.ask("/start", greeting)
    request = await admin.fake.wait_for_message(admin.id, f"<code>{person.id}</code>")
    mark = person.fake.mark()
    await admin.press(request, "Approve", "approved")
    return await person.fake.wait_for_message(person.chat, active, since=mark)


ARABIC = {"greeting": "أهلًا", "active": "تم تفعيل"}  # register(..., **ARABIC)


@pytest.fixture
def approved(service: Service, admin: Person) -> Callable[..., Awaitable[User]]:
    """Register and approve a person through the bot (`**ARABIC` for an Arabic Telegram);
    return their stored user."""
    async def approve(person: Person, **words: str) -> User:
        await register(person, admin, **words)
        user = await service.users.get_user(person.id)
        assert user is not None and user.is_active
        return user

    return approve


def webhook_url(service: Service, user: User) -> str:
    """The user's personal webhook URL, as /webhook shows it."""
    return service.handlers_facade.webhook_url(user)


async def post_signal(http: aiohttp.ClientSession, service: Service, url: str,
                      body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """POST an alert the way TradingView does (text/plain JSON) to a full webhook URL."""
    path = re.sub(r"^https?://[^/]+", "", url)
    async with http.post(base_url(service) + path, data=json.dumps(body),
                         headers={"Content-Type": "text/plain"}) as response:
        return response.status, await response.json(content_type=None)


def url_in(message: SentMessage) -> str:
    """The personal webhook URL shown in a message (inside <code>…</code>)."""
    assert message.text is not None
    found = re.search(r"<code>(https?://\S+?/personal/\d+/webhook\?token=[^<\s]+)</code>",
                      message.text)
    assert found, message.text
    return found.group(1)


@pytest.fixture
def submitted(service: Service, monkeypatch: pytest.MonkeyPatch) -> list[Job]:
    """Every job handed to the dispatcher (each still runs)."""
    jobs: list[Job] = []
    original = service.dispatcher.submit

    def spy(job: Job) -> bool:
        jobs.append(job)
        return original(job)

    monkeypatch.setattr(service.dispatcher, "submit", spy)
    return jobs
