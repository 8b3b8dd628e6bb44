"""Admin commands and buttons: only admins, checked on commands and on button presses."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiohttp
import pytest

from bot.app import Service, default_settings
from bot.config import Config
from bot.models import User
from tests.conftest import ADMIN_ID
from tests.fakes.telegram import FakeTelegram
from tests.telegram.conftest import Person, post_signal, url_in, webhook_url

Approve = Callable[[Person], Awaitable[User]]


@pytest.mark.parametrize("command", ["/users", "/activate 5002", "/deactivate 5001", "/stats"])
async def test_non_admins_cannot_use_admin_commands(
        service: Service, trader: Person, approved: Approve, command: str,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    await approved(trader)
    await service.users.create_user(5002, defaults=default_settings(service.config))
    await trader.ask(command, "for admins only")
    assert not (await service.users.get_user(5002)).is_active  # type: ignore[union-attr]
    assert (await service.users.get_user(trader.id)).is_active  # type: ignore[union-attr]
    assert f"user={trader.id}" in caplog.text


@pytest.mark.parametrize("data", ["adm:approve:5002", "adm:users:0", "adm:reject:5001",
                                  "nonsense:button"])
async def test_forged_admin_buttons_are_refused_and_logged(
        service: Service, fake_telegram: FakeTelegram, stranger: Person, trader: Person,
        approved: Approve, data: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    await approved(trader)
    await stranger.ask("/start", "approve")
    mark = fake_telegram.mark()
    fake_telegram.press_button(stranger.id, data, message_id=1)
    answer = await fake_telegram.wait_for_call("answerCallbackQuery", since=mark)
    assert "admins only" in answer.params["text"] and answer.params["show_alert"] is True
    assert not (await service.users.get_user(stranger.id)).is_active  # type: ignore[union-attr]
    assert (await service.users.get_user(trader.id)).is_active  # type: ignore[union-attr]
    assert "refused an admin button" in caplog.text
    assert [c for c in fake_telegram.calls_to("editMessageText", mark)] == []


async def test_activate_and_deactivate_by_command_tell_the_user(
        service: Service, fake_telegram: FakeTelegram, admin: Person, stranger: Person,
        http: aiohttp.ClientSession) -> None:
    await stranger.ask("/start", "approve")
    mark = fake_telegram.mark()
    await admin.ask(f"/activate {stranger.id}", "is active")
    approval = await fake_telegram.wait_for_message(stranger.id, "account is active", since=mark)
    mark = fake_telegram.mark()
    await admin.ask(f"/deactivate {stranger.id}", "is deactivated")
    await fake_telegram.wait_for_message(stranger.id, "not active", since=mark)
    status, answer = await post_signal(http, service, url_in(approval),
                                       {"symbol": "BTCUSDT", "action": "buy", "price": 50000})
    assert status == 403 and answer["error"] == "inactive"
    await stranger.ask("/webhook", "waiting for approval")


@pytest.mark.parametrize(("command", "reply"), [
    ("/activate", r"Send the user's Telegram id: <code>/activate 123456789</code>"),
    ("/activate sara", r"<code>/activate 123456789</code>"),
    ("/deactivate -3", r"<code>/deactivate 123456789</code>"),
    ("/activate 424242", r"no user with id 424242"),
    ("/activate 9223372036854775808", r"<code>/activate 123456789</code>"),  # over SQLite's
    ("/deactivate ²", r"<code>/deactivate 123456789</code>"),  # a digit int() cannot read
])
async def test_admin_commands_explain_bad_arguments(
        service: Service, admin: Person, command: str, reply: str) -> None:
    await admin.ask(command, reply)


async def test_users_are_listed_a_page_at_a_time(
        service: Service, fake_telegram: FakeTelegram, admin: Person) -> None:
    for user_id in range(7001, 7013):
        await service.users.create_user(user_id, defaults=default_settings(service.config),
                                        first_name=f"<User{user_id}>",
                                        is_active=user_id % 2 == 0)
    first = await admin.ask("/users", "Users 1–10 of 12")
    assert "&lt;User7001&gt;" in (first.text or "")  # names are escaped
    assert "⏳ <code>7001</code>" in (first.text or "")
    assert "✅ <code>7002</code>" in (first.text or "")
    assert [label for label, _ in first.buttons()] == ["Next ▶️"]
    second = await admin.press(first, "Next", "Users 11–12 of 12")
    assert "7012" in (second.text or "") and "7001" not in (second.text or "")
    back = await admin.press(second, "Previous", "Users 1–10 of 12")
    assert back.message_id == first.message_id


async def test_stats_count_users_signals_and_the_queue(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        admin: Person, trader: Person, stranger: Person, approved: Approve) -> None:
    user = await approved(trader)
    await stranger.ask("/start", "approve")
    url = webhook_url(service, user)
    assert (await post_signal(http, service, url, {"symbol": "BTCUSDT", "action": "buy",
                                                   "price": 50000}))[0] == 200
    assert (await post_signal(http, service, url, {"symbol": "BTCUSDT"}))[0] == 400
    await service.dispatcher.join()
    stats = await admin.ask("/stats", "Statistics")
    text = stats.text or ""
    assert "Users: 2 (1 active, 1 waiting or blocked, 1 admins)" in text
    assert "Signals today (UTC): 2 — done 1 · refused 1" in text
    assert "Queue: 0 waiting, 0 executing" in text


async def test_an_admin_marked_in_the_database_is_an_admin(
        service: Service, fake_telegram: FakeTelegram, trader: Person, stranger: Person,
        approved: Approve) -> None:
    await approved(trader)
    await service.users.set_admin(trader.id, True)
    mark = fake_telegram.mark()
    await stranger.ask("/start", "approve")
    request = await fake_telegram.wait_for_message(trader.id, "Access request", since=mark)
    await fake_telegram.wait_for_message(ADMIN_ID, "Access request", since=mark)
    await trader.press(request, "Approve", "approved by Sara")
    assert (await service.users.get_user(stranger.id)).is_active  # type: ignore[union-attr]


async def test_every_admin_gets_the_request_and_the_user_hears_once(
        telegram_config: Callable[..., Config], start_service: Callable[..., Awaitable[Service]],
        fake_telegram: FakeTelegram, admin: Person, stranger: Person) -> None:
    second = Person(fake_telegram, 9002, first_name="Omar")
    service = await start_service(telegram_config(telegram={"admin_ids": [ADMIN_ID, second.id]}))
    await fake_telegram.wait_for_call("getUpdates")
    mark = fake_telegram.mark()
    await stranger.ask("/start", "approve")
    first_request = await fake_telegram.wait_for_message(ADMIN_ID, "Access request", since=mark)
    second_request = await fake_telegram.wait_for_message(second.id, "Access request",
                                                          since=mark)
    await admin.press(first_request, "Approve", "approved by Admin")
    await fake_telegram.wait_for_message(stranger.id, "account is active", since=mark)
    await second.press(second_request, "Approve", "approved by Omar")
    await second.ask("/help", "BotByBit")  # updates run one at a time: that press is done
    await service.bot.notifier.join()  # and whatever it queued is delivered
    approvals = [m for m in fake_telegram.sent_messages(stranger.id, since=mark)
                 if "account is active" in (m.text or "")]
    assert len(approvals) == 1


async def test_a_reject_pressed_after_the_approval_does_not_block_the_trader(
        service: Service, fake_telegram: FakeTelegram, admin: Person, stranger: Person) -> None:
    mark = fake_telegram.mark()
    await stranger.ask("/start", "approve")
    request = await fake_telegram.wait_for_message(admin.id, "Access request", since=mark)
    await admin.press(request, "Approve", "approved by Admin")  # or another admin did
    await fake_telegram.wait_for_message(stranger.id, "account is active", since=mark)
    mark = fake_telegram.mark()
    answer = await admin.press(request, "Reject", "approved already and is active")
    assert f"/deactivate {stranger.id}" in (answer.text or "")
    await admin.ask("/help", "BotByBit")  # updates run one at a time: that press is done
    await service.bot.notifier.join()
    assert (await service.users.get_user(stranger.id)).is_active  # type: ignore[union-attr]
    assert fake_telegram.sent_messages(stranger.id, since=mark) == []


async def test_when_the_gate_fails_no_handler_runs(
        service: Service, fake_telegram: FakeTelegram, stranger: Person,
        monkeypatch: pytest.MonkeyPatch) -> None:
    await stranger.ask("/start", "approve")

    async def unreadable(*args: object) -> None:
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(service.users, "get_account", unreadable)
    mark = fake_telegram.mark()
    fake_telegram.press_button(stranger.id, f"adm:approve:{stranger.id}", message_id=1)
    await fake_telegram.wait_for_message(stranger.id, "Sorry, something went wrong", since=mark)
    await stranger.ask("/help", "Sorry")  # updates run in order: the press is finished
    monkeypatch.undo()
    assert not (await service.users.get_user(stranger.id)).is_active  # type: ignore[union-attr]
    sorry = [m for m in fake_telegram.sent_messages(stranger.id, since=mark)
             if "Sorry" in (m.text or "")]
    assert len(sorry) == 2  # one per update, not one per handler group
