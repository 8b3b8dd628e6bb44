"""API keys: private chat only, messages deleted, checked before storing, never echoed."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import pytest

from bot.app import Service
from bot.models import User
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.telegram.conftest import Person

Approve = Callable[[Person], Awaitable[User]]
KEY, SECRET = "KeyAbCdEf123456", "SecretZyXwV9876543210"


def assert_never_shown(fake: FakeTelegram, caplog: pytest.LogCaptureFixture,
                       *secrets: str) -> None:
    sent = [m.text or "" for m in fake.sent_messages()]
    for secret in secrets:
        assert not [text for text in sent if secret in text]
        assert secret not in caplog.text


async def test_guided_flow_deletes_both_messages_and_stores_working_keys(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit, trader: Person,
        approved: Approve, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await approved(trader)
    fake_bybit.add_account(KEY, SECRET, env="real", usdt="1234.5")
    choose = await trader.ask("/keys", "Which account")
    await trader.press(choose, "real", "Send the <b>API key</b>")
    mark = fake_telegram.mark()
    key_message = trader.say(KEY)
    await fake_telegram.wait_for_message(trader.id, "API secret", since=mark)
    secret_message = trader.say(SECRET)
    stored = await fake_telegram.wait_for_message(trader.id, "keys work", since=mark)
    deleted = [c.params["message_id"] for c in fake_telegram.calls_to("deleteMessage", mark)]
    assert deleted == [key_message, secret_message]
    assert "1,234.5" in (stored.text or "") and "/set account real" in (stored.text or "")
    keys = await service.users.get_api_keys(trader.id, "real")
    assert keys is not None and (keys.api_key, keys.api_secret) == (KEY, SECRET)
    assert_never_shown(fake_telegram, caplog, SECRET, KEY)


async def test_keys_for_another_environment_are_reported_and_not_stored(
        service: Service, fake_telegram: FakeTelegram, trader: Person, approved: Approve,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await approved(trader)  # the fake Bybit knows no such key: retCode 10003
    mark = fake_telegram.mark()
    sent = trader.say(f"/keys demo {KEY} {SECRET}")
    await fake_telegram.wait_for_message(trader.id, "does not know these keys on the demo",
                                         since=mark)
    assert [c.params["message_id"] for c in fake_telegram.calls_to("deleteMessage", mark)] \
        == [sent]
    assert await service.users.get_api_keys(trader.id, "demo") is None
    assert_never_shown(fake_telegram, caplog, SECRET, KEY)


async def test_keys_without_trade_permission_are_reported(
        service: Service, fake_bybit: FakeBybit, trader: Person, approved: Approve) -> None:
    await approved(trader)
    fake_bybit.add_account(KEY, SECRET, env="demo")
    fake_bybit.inject("/v5/account/wallet-balance", ret_code=10005,
                      ret_msg="Permission denied, please check your API key permissions.")
    await trader.ask(f"/keys demo {KEY} {SECRET}", "may not trade.*Orders and Positions")
    assert await service.users.get_api_keys(trader.id, "demo") is None


async def test_new_keys_replace_the_cached_exchange(
        service: Service, fake_bybit: FakeBybit, trader: Person, approved: Approve) -> None:
    await approved(trader)
    fake_bybit.add_account("OLDKEY000001", "OLDSECRET000001", env="demo", usdt="100")
    fake_bybit.add_account(KEY, SECRET, env="demo", usdt="777")
    await trader.ask("/keys demo OLDKEY000001 OLDSECRET000001", "keys work")
    await trader.ask("/set account demo", "Account set to demo")
    await trader.ask("/balance", "Balance: 100.00 USDT")
    await trader.ask(f"/keys demo {KEY} {SECRET}", "keys work")
    await trader.ask("/balance", "Balance: 777.00 USDT")


@pytest.mark.parametrize("command", [f"/keys demo {KEY}", f"/keys testnet {KEY} {SECRET}",
                                     f"/keys demo {KEY} {SECRET} extra"])
async def test_a_malformed_keys_command_is_deleted_and_explained(
        service: Service, fake_telegram: FakeTelegram, trader: Person, approved: Approve,
        command: str) -> None:
    await approved(trader)
    mark = fake_telegram.mark()
    sent = trader.say(command)
    await fake_telegram.wait_for_message(trader.id, "/keys demo &lt;api_key&gt;", since=mark)
    assert [c.params["message_id"] for c in fake_telegram.calls_to("deleteMessage", mark)] \
        == [sent]


async def test_keys_are_refused_in_a_group_and_the_message_is_deleted(
        service: Service, fake_telegram: FakeTelegram, trader: Person, approved: Approve) -> None:
    await approved(trader)
    in_group = Person(fake_telegram, trader.id, first_name="Sara", chat_id=-100777,
                      chat_type="supergroup")
    mark = fake_telegram.mark()
    sent = in_group.say(f"/keys demo {KEY} {SECRET}")
    await fake_telegram.wait_for_message(-100777, "only accepted in a private chat", since=mark)
    assert [c.params["message_id"] for c in fake_telegram.calls_to("deleteMessage", mark)] \
        == [sent]
    assert await service.users.get_api_keys(trader.id, "demo") is None


async def test_an_inactive_users_keys_message_is_deleted_too(
        service: Service, fake_telegram: FakeTelegram, stranger: Person) -> None:
    await stranger.ask("/start", "approve")
    mark = fake_telegram.mark()
    sent = stranger.say(f"/keys demo {KEY} {SECRET}")
    await fake_telegram.wait_for_message(stranger.id, "waiting for approval", since=mark)
    assert [c.params["message_id"] for c in fake_telegram.calls_to("deleteMessage", mark)] \
        == [sent]


async def test_cancel_and_other_commands_end_the_guided_flow(
        service: Service, fake_telegram: FakeTelegram, trader: Person, approved: Approve) -> None:
    await approved(trader)
    choose = await trader.ask("/keys", "Which account")
    await trader.press(choose, "demo", "Send the <b>API key</b>")
    await trader.ask("/cancel", "Cancelled")
    await trader.ask("/cancel", "nothing to cancel")
    choose = await trader.ask("/keys", "Which account")
    await trader.press(choose, "demo", "Send the <b>API key</b>")
    await trader.ask("/settings", "Your settings")  # another command leaves the flow…
    mark = fake_telegram.mark()
    await trader.ask("just chatting", "I work with commands")  # …so text is not a key
    assert fake_telegram.calls_to("deleteMessage", mark) == []
    mark = fake_telegram.mark()
    assert choose.message_id is not None
    fake_telegram.press_button(trader.id, "keys:real", message_id=choose.message_id)
    answer = await fake_telegram.wait_for_call("answerCallbackQuery", since=mark)
    assert "expired" in answer.params.get("text", "")


async def test_a_key_sent_after_a_deactivation_mid_flow_is_deleted(
        service: Service, fake_telegram: FakeTelegram, trader: Person, admin: Person,
        approved: Approve) -> None:
    await approved(trader)
    choose = await trader.ask("/keys", "Which account")
    await trader.press(choose, "demo", "Send the <b>API key</b>")
    await admin.ask(f"/deactivate {trader.id}", "is deactivated")
    mark = fake_telegram.mark()
    sent = trader.say(KEY)  # the flow asked for it: it is a key, refused or not
    await fake_telegram.wait_for_message(trader.id, "waiting for approval", since=mark)
    assert [c.params["message_id"] for c in fake_telegram.calls_to("deleteMessage", mark)] \
        == [sent]


async def test_a_key_pasted_before_the_account_is_chosen_is_deleted(
        service: Service, fake_telegram: FakeTelegram, trader: Person, approved: Approve,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await approved(trader)
    await trader.ask("/keys", "Which account")
    mark = fake_telegram.mark()
    sent = trader.say(KEY)  # "which account are these keys for?" — answered with the key
    again = await fake_telegram.wait_for_message(trader.id, "choose the account", since=mark)
    assert [c.params["message_id"] for c in fake_telegram.calls_to("deleteMessage", mark)] \
        == [sent]
    await trader.press(again, "demo", "Send the <b>API key</b>")  # the flow goes on
    assert_never_shown(fake_telegram, caplog, KEY)
