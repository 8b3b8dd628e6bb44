"""Property-based fuzzing of every Telegram command's arguments, as a trader and as an admin."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import Service, default_settings
from bot.config import Config
from bot.handlers.registry import COMMANDS
from bot.i18n import t
from tests.conftest import ADMIN_ID, BOT_TOKEN
from tests.fakes.telegram import FakeTelegram

TRADER = 8080
CANCEL_REPLIES = "|".join(re.escape(t(lang, key)) for lang in ("en", "ar")
                          for key in ("keys.cancelled", "keys.nothing_to_cancel"))
WORDS = st.sampled_from(["market", "amount", "leverage", "account", "pyramiding", "spot",
                         "futures", "paper", "demo", "real", "on", "off", "0", "-1", "1e9",
                         "NaN", "10x", "٥", "100", "'; DROP TABLE users;--", "<b>", "\x00",
                         "ar", "en", "999999999999", "8080", "BTCUSDT"])
ARGS = st.lists(WORDS | st.text(max_size=12).filter(lambda t: t.strip() == t and t),
                max_size=4).map(" ".join)


def test_no_command_argument_crashes_a_handler(make_config: Callable[..., Config],
                                               fake_bybit: object,
                                               caplog: pytest.LogCaptureFixture) -> None:
    loop = asyncio.new_event_loop()
    fake = FakeTelegram(token=BOT_TOKEN, bot_username="botbybit_test_bot")
    loop.run_until_complete(fake.start())
    config = make_config(telegram={"base_url": fake.base_url, "admin_ids": [ADMIN_ID],
                                   "per_chat_interval_s": 0},
                         bybit={"base_url": "http://127.0.0.1:9"},
                         env={"TELEGRAM_BOT_TOKEN": BOT_TOKEN})
    service = Service(config)
    loop.run_until_complete(service.start())
    loop.run_until_complete(fake.wait_for_call("getUpdates"))
    loop.run_until_complete(service.users.create_user(
        TRADER, defaults=default_settings(config), is_active=True))
    loop.run_until_complete(service.users.create_user(
        ADMIN_ID, defaults=default_settings(config), is_active=True, is_admin=True))
    caplog.set_level(logging.ERROR)
    names = [command.name for command in COMMANDS]

    def say(chat: int, text: str) -> None:
        """Queue an update from inside the loop, so the fake wakes the bot's long poll."""
        async def send() -> None:
            fake.send_message(chat, text, first_name="Fuzz")

        loop.run_until_complete(send())

    @settings(max_examples=120, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(name=st.sampled_from(names), args=ARGS, as_admin=st.booleans())
    def check(name: str, args: str, as_admin: bool) -> None:
        chat = ADMIN_ID if as_admin else TRADER
        mark = fake.mark()
        say(chat, f"/{name} {args}".strip())
        reply = loop.run_until_complete(fake.wait_for_message(chat, r"\S", since=mark))
        assert "went wrong on our side" not in (reply.text or ""), (name, args, reply.text)
        # End any guided flow, and wait for that answer: updates are handled one at a time,
        # so once it is sent, every reply to this example has been sent too.
        mark = fake.mark()
        say(chat, "/cancel")
        loop.run_until_complete(fake.wait_for_message(chat, CANCEL_REPLIES, since=mark))

    try:
        check()
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert errors == [], [r.getMessage() for r in errors][:3]
        assert loop.run_until_complete(service.orders.recent(TRADER)) == []
        settings_now = loop.run_until_complete(service.users.get_settings(TRADER))
        assert settings_now.leverage >= 1 and settings_now.trade_amount > 0
        assert settings_now.account_type == "paper"  # no keys were ever valid
    finally:
        loop.run_until_complete(service.stop())
        loop.run_until_complete(fake.stop())
        loop.close()
