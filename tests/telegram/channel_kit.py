"""Helpers for the signal-channel stories: an admin's channel and its subscribers, through the
fake Bot API like everyone else."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.app import Service
from tests.fakes.telegram import FakeTelegram, SentMessage
from tests.telegram.conftest import Person


@dataclass(frozen=True)
class MadeChannel:
    code: str
    url: str  # the webhook URL, token included, as /channel new showed it


def read_channel(message: SentMessage) -> MadeChannel:
    """The code and the webhook URL a /channel new (or url, or rotate) reply shows, each on a
    copyable line of its own."""
    text = message.text or ""
    code = re.search(r"\n\u200f?<code>([a-z0-9]{6})</code>\n", text)
    url = re.search(r"\n\u200f?<code>(https?://\S+?/channel/([a-z0-9]+)/webhook\?token=[^<\s]+)"
                    r"</code>", text)
    assert code and url, text
    assert url.group(2) == code.group(1)
    return MadeChannel(code.group(1), url.group(1))


async def make_channel(admin: Person, name: str = "Gold Signals") -> MadeChannel:
    return read_channel(await admin.ask(f"/channel new {name}", "is ready"))


async def followed_channel(admin: Person, follower: Person,
                           approve: Callable[[Person], Awaitable[object]]) -> MadeChannel:
    """An admin's new channel, and one approved trader who follows it."""
    await admin.ask("/start", "You are an admin")
    channel = await make_channel(admin)
    await approve(follower)
    await follower.ask(f"/subscribe {channel.code}", "You follow")
    return channel


def subscriber(fake: FakeTelegram, user_id: int, name: str, **extra: Any) -> Person:
    return Person(fake, user_id, first_name=name, **extra)


def rows(service: Service, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Read the service's database directly, as an operator would (WAL: a reader is fine)."""
    with sqlite3.connect(service.config.database.path) as conn:
        return conn.execute(sql, params).fetchall()


def orders_of(service: Service, user_id: int) -> list[tuple[str, str, Decimal, int | None]]:
    """(symbol, side, qty, leverage) of every order the user's signals placed."""
    return [(symbol, side, Decimal(qty), leverage) for symbol, side, qty, leverage in rows(
        service, "SELECT symbol, side, COALESCE(filled_qty, qty), leverage FROM orders"
        " WHERE user_id = ? ORDER BY id", user_id)]


def statuses(service: Service, alert_id: int) -> dict[int, str]:
    """Each subscriber's signal status for one channel alert."""
    return dict(rows(service, "SELECT user_id, status FROM signals WHERE channel_alert_id = ?",
                     alert_id))
