"""A channel's refused alert is told to the admin who made the channel — TradingView shows the
provider nobody the 4xx, and every subscriber silently misses the alert — at most once per
(channel, reason) per `limits.refusal_notice_s`, with the fix, in the owner's language. A
request that fails authentication (unknown code, wrong token) is told to nobody, and the
subscribers are never told: their own signal never existed."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import aiohttp

from bot.app import Service
from bot.config import Config
from bot.models import User
from tests.conftest import ADMIN_ID
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_records import as_read
from tests.telegram.channel_kit import followed_channel, make_channel, rows
from tests.telegram.conftest import Person, post_signal, register
from tests.telegram.rules import assert_arabic_words, assert_right_to_left
from tests.telegram.test_refusals_told import later, told

Approve = Callable[[Person], Awaitable[User]]
BUY = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}
PLACEHOLDER = {"symbol": "{{ticker}}", "action": "buy", "price": 50000}


def signals_of(service: Service, user_id: int) -> int:
    return int(rows(service, "SELECT COUNT(*) FROM signals WHERE user_id = ?", user_id)[0][0])


async def test_a_bad_body_and_a_paused_channel_are_told_to_its_owner_once_per_reason(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        admin: Person, trader: Person, approved: Approve) -> None:
    channel = await followed_channel(admin, trader, approved)
    token = channel.url.split("token=", 1)[1]
    head = (f"📡 Your channel <b>Gold Signals</b> ({channel.code})\n"
            "⛔ <b>Alert refused</b>")
    mark = fake_telegram.mark()
    for _ in range(2):  # the same reason twice within the window: told once
        status, answer = await post_signal(http, service, channel.url, PLACEHOLDER)
        assert (status, answer["error"]) == (400, "bad_symbol")
    status, answer = await post_signal(http, service, channel.url,
                                       {"symbol": "BTCUSDT", "action": token})
    assert status == 400 and token not in answer["message"]  # another reason, quoting it
    notices = await told(service, fake_telegram, ADMIN_ID, mark)
    assert len(notices) == 2
    assert notices[0].startswith(head) and "channel alert #1" in notices[0]
    assert "placeholder that was not filled in" in notices[0]
    assert "not told again for 5 minutes" in notices[0] and "/trades" not in notices[0]
    assert "***" in notices[1] and all(token[:8] not in text for text in notices)

    await admin.ask(f"/channel pause {channel.code}", "is paused")
    mark = fake_telegram.mark()
    for _ in range(2):
        status, answer = await post_signal(http, service, channel.url, BUY)
        assert (status, answer["error"]) == (403, "channel_paused")
    [paused] = await told(service, fake_telegram, ADMIN_ID, mark)
    assert paused.startswith(head) and "· <b>BTCUSDT</b> · buy · channel alert #4" in paused
    assert f"this channel is paused: its admin can send /channel resume {channel.code}" in paused
    later(service, 301)
    status, _ = await post_signal(http, service, channel.url, BUY)
    assert status == 403
    assert len(await told(service, fake_telegram, ADMIN_ID, mark)) == 2  # after the window

    assert [status for (status,) in rows(
        service, "SELECT status FROM channel_alerts ORDER BY id")] == ["rejected"] * 6
    assert fake_telegram.sent_messages(trader.id, since=mark) == []  # the subscriber: nothing
    assert signals_of(service, trader.id) == 0


async def test_an_unknown_code_or_a_wrong_token_tells_nobody(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        admin: Person, trader: Person, approved: Approve) -> None:
    channel = await followed_channel(admin, trader, approved)
    token = channel.url.split("token=", 1)[1]
    mark = fake_telegram.mark()
    for url, expected in ((channel.url.replace(token, token[:-1] + "x"), 401),
                          (channel.url.split("?", 1)[0], 401),
                          (channel.url.replace(f"/{channel.code}/", "/zzzzzz/"), 404)):
        for body in (PLACEHOLDER, BUY):  # a bad body or a paused channel behind it: the same
            status, _ = await post_signal(http, service, url, body)
            assert status == expected, url
    await admin.ask(f"/channel pause {channel.code}", "is paused")
    status, _ = await post_signal(http, service, channel.url.replace(token, "x" * 8), BUY)
    assert status == 401
    assert await told(service, fake_telegram, ADMIN_ID, mark) == []
    assert await told(service, fake_telegram, trader.id, mark) == []
    status, _ = await post_signal(http, service, channel.url, BUY)
    assert status == 403  # the right token: told
    assert len(await told(service, fake_telegram, ADMIN_ID, mark)) == 1


async def test_an_arabic_owner_is_told_in_arabic(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        admin: Person) -> None:
    await admin.ask("/start", "You are an admin")
    channel = await make_channel(admin)
    await admin.ask("/language ar", "اللغة")
    stale = {**BUY, "timestamp": time.time() - 3600}
    mark = fake_telegram.mark()
    for n in range(2):
        status, answer = await post_signal(http, service, channel.url, {**stale, "id": f"s{n}"})
        assert (status, answer["error"]) == (400, "stale_signal")
    [text] = await told(service, fake_telegram, ADMIN_ID, mark)
    assert_right_to_left(text, "a channel's refusal")
    assert_arabic_words(text, "a channel's refusal")
    seen = as_read(text)
    assert seen.startswith(f"📡 قناتك <b>Gold Signals</b> ({channel.code})\n")
    assert "رُفض تنبيه" in seen and "عمر التنبيه" in seen and "تنبيه القناة #1" in seen
    assert "Alert refused" not in text and "older than" not in text
    assert channel.url.split("token=", 1)[1] not in text


async def test_a_channel_rate_limited_is_told_once_a_minute(
        telegram_config: Callable[..., Config], start_service: Callable[..., Awaitable[Service]],
        fake_telegram: FakeTelegram, http: aiohttp.ClientSession, admin: Person,
        trader: Person) -> None:
    config = telegram_config(limits={"per_user_per_minute": 2, "refusal_notice_s": 0})
    service = await start_service(config)
    await fake_telegram.wait_for_call("getUpdates")
    await admin.ask("/start", "You are an admin")
    channel = await make_channel(admin)
    await register(trader, admin)
    await trader.ask(f"/subscribe {channel.code}", "You follow")
    mark = fake_telegram.mark()
    statuses = [(await post_signal(http, service, channel.url, {**BUY, "id": f"a{n}"}))[0]
                for n in range(5)]
    assert statuses == [200, 200, 429, 429, 429]
    notices = await told(service, fake_telegram, ADMIN_ID, mark)
    assert len(notices) == 1 and "more than 2 alerts a minute for this channel" in notices[0]
    assert "channel alert #" not in notices[0]  # not journaled: no number
    assert "not told again for 1 minute" in notices[0]
    await service.dispatcher.join()
    assert signals_of(service, trader.id) == 2  # the two accepted; the refused: no row
    assert await told(service, fake_telegram, trader.id, mark) == []
