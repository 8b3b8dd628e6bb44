"""Signal channels, the whole story: an admin's channel, subscribers who each copy it their own
way, one provider alert, each subscriber's own order and message, and the admin's stats."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from decimal import Decimal

import aiohttp

from bot.app import Service
from bot.models import User
from tests.fakes.telegram import FakeTelegram
from tests.telegram.channel_kit import (
    followed_channel,
    make_channel,
    orders_of,
    read_channel,
    rows,
    statuses,
)
from tests.telegram.conftest import Person, post_signal
from tests.telegram.rules import assert_right_to_left

Approve = Callable[[Person], Awaitable[User]]
BUY = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}


async def test_one_alert_trades_for_every_subscriber_their_own_way(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        admin: Person, approved: Approve) -> None:
    await admin.ask("/start", "You are an admin")
    channel = await make_channel(admin)
    sara, omar, lina, noor = (Person(fake_telegram, uid, first_name=name) for uid, name in
                              ((6001, "Sara"), (6002, "Omar"), (6003, "Lina"), (6004, "Noor")))
    for person in (sara, omar, lina, noor):
        await approved(person)

    # Sara: a fixed 50 USDT at 5x. Omar joins by the deep link and copies 5% of his balance.
    # Lina and Noor want to be asked first.
    joined = await sara.ask(f"/subscribe {channel.code}", "You follow")
    assert "Gold Signals" in (joined.text or "") and joined.buttons()
    await sara.ask(f"/copy {channel.code} amount=50 leverage=5", "Saved")
    await omar.ask(f"/start ch_{channel.code}", "You follow")
    await omar.ask(f"/copy {channel.code} amount=5%", "5% of the available balance")
    for person in (lina, noor):
        await person.ask(f"/subscribe {channel.code}", "You follow")
        await person.ask(f"/copy {channel.code} mode=confirm", "asks you first")

    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, channel.url, BUY)
    assert status == 200
    assert answer == {"ok": True, "channel_alert_id": answer["channel_alert_id"],
                      "status": "queued", "subscribers": 4}
    alert = answer["channel_alert_id"]

    # Auto mode: each trades at once on their own paper account, sized their own way.
    sara_report = await fake_telegram.wait_for_message(sara.id, "Opened long", since=mark)
    assert "From channel <b>Gold Signals</b>" in (sara_report.text or "")
    # 50 USDT × 5 / 50000 (the price with or without its thousands separator)
    assert re.search(r"Opened long 0\.005 BTCUSDT at 50,?000\b", sara_report.text or "")
    omar_report = await fake_telegram.wait_for_message(omar.id, "Opened long", since=mark)
    assert "Opened long 0.1 BTCUSDT" in (omar_report.text or "")  # 5% of 10000 × 10 / 50000
    assert orders_of(service, sara.id) == [("BTCUSDT", "Buy", Decimal("0.005"), 5)]
    assert orders_of(service, omar.id) == [("BTCUSDT", "Buy", Decimal("0.1"), 10)]

    # Confirm mode: a question with Execute / Skip; nothing traded before the answer.
    ask_lina = await fake_telegram.wait_for_message(lina.id, "Trade it?", since=mark)
    ask_noor = await fake_telegram.wait_for_message(noor.id, "Trade it?", since=mark)
    assert "Gold Signals" in (ask_lina.text or "")
    assert re.search(r"buy BTCUSDT @ 50,?000", ask_lina.text or "")
    assert [label for label, _ in ask_lina.buttons()] == ["✅ Execute", "⏭ Skip"]
    assert orders_of(service, lina.id) == [] and statuses(service, alert)[lina.id] == "awaiting"
    await lina.press(ask_lina, "Execute", "Executing")
    lina_report = await fake_telegram.wait_for_message(lina.id, "Opened long", since=mark)
    assert "Opened long 0.02 BTCUSDT" in (lina_report.text or "")  # her own 100 USDT × 10
    await noor.press(ask_noor, "Skip", "Skipped")
    mark = fake_telegram.mark()
    fake_telegram.click(lina.id, ask_lina, "Execute")  # a second press changes nothing
    await fake_telegram.wait_for_call(
        "answerCallbackQuery", lambda call: "answered already" in call.params.get("text", ""),
        since=mark)
    await service.dispatcher.join()
    assert orders_of(service, noor.id) == []
    assert len(orders_of(service, lina.id)) == 1
    assert statuses(service, alert) == {sara.id: "done", omar.id: "done", lina.id: "done",
                                        noor.id: "skipped"}

    stats = await admin.ask(f"/channel stats {channel.code}", "Subscribers: 4")
    text = stats.text or ""
    assert "buy BTCUSDT" in text and "to 4 subscribers" in text
    assert ("done 3 · ❌ failed 0 · ⏭ skipped 1 · ⏳ waiting for confirmation 0" in text), text
    # Each subscriber's personal webhook still works beside the channel.
    assert rows(service, "SELECT COUNT(*) FROM signals WHERE route = 'channel'") == [(4,)]


async def test_the_admin_manages_the_channel_and_posts_to_its_subscribers(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        admin: Person, trader: Person, approved: Approve) -> None:
    await admin.ask("/start", "You are an admin")
    channel = await make_channel(admin, "Scalps")
    await approved(trader)
    await trader.ask(f"/subscribe {channel.code}", "You follow")

    again = read_channel(await admin.ask(f"/channel url {channel.code}", "webhook URL"))
    assert again == channel
    question = await admin.ask(f"/channel rotate {channel.code}", "new webhook URL")
    rotated = read_channel(await admin.press(question, "New URL", "old one stopped"))
    assert rotated.code == channel.code and rotated.url != channel.url
    status, answer = await post_signal(http, service, channel.url, BUY)
    assert (status, answer["error"]) == (401, "unauthorized")

    await admin.ask(f"/channel pause {channel.code}", "is paused")
    status, answer = await post_signal(http, service, rotated.url, BUY)
    assert (status, answer["error"]) == (403, "channel_paused")
    await admin.ask(f"/channel resume {channel.code}", "takes alerts again")

    mark = fake_telegram.mark()
    await admin.ask(f"/channel post {channel.code} Volatile day:\ntrade small <b>!</b>",
                    "on its way to 1 people")
    post = await fake_telegram.wait_for_message(trader.id, "Scalps", since=mark)
    assert post.text == "📢 <b>Scalps</b>\nVolatile day:\ntrade small &lt;b&gt;!&lt;/b&gt;"

    listing = await admin.ask("/channels", "Channels you run")
    assert f"({channel.code}) — subscribers: 1" in (listing.text or "")
    await trader.ask(f"/unsubscribe {channel.code}", "no longer follow")
    await trader.ask("/channels", "You follow no signal channel")
    await admin.ask(f"/channel stats {channel.code}", "Subscribers: 0")


async def test_bad_commands_say_what_to_type_and_change_nothing(
        service: Service, admin: Person, trader: Person, approved: Approve) -> None:
    await admin.ask("/start", "You are an admin")
    channel = await make_channel(admin)
    await approved(trader)
    await trader.ask("/subscribe", r"/subscribe abc234")
    await trader.ask("/subscribe nope99", "There is no channel")
    await trader.ask(f"/copy {channel.code} amount=50", "do not follow")
    await trader.ask(f"/subscribe {channel.code}", "You follow")
    for args, answer in (("amount=-5", "not an amount"), ("amount=250%", "not an amount"),
                         ("amount=abc", "not an amount"), ("leverage=0", "not a leverage"),
                         ("leverage=2.5", "not a leverage"), ("mode=maybe", "not a mode"),
                         ("size=5", "I cannot use"), ("amount=5 amount=6", "I cannot use")):
        reply = await trader.ask(f"/copy {channel.code} {args}", answer)
        assert f"/copy {channel.code}" in (reply.text or "")
    [(amount, percent, leverage, mode)] = rows(
        service, "SELECT amount, amount_percent, leverage, mode FROM subscriptions")
    assert (amount, percent, leverage, mode) == (None, None, None, "auto")
    await trader.ask(f"/copy {channel.code} amount=1,000 leverage=signal", "1,?000 USDT")
    await trader.ask("/channel new Mine", "for admins only")
    await admin.ask("/channel", "Signal channels")
    await admin.ask("/channel stats", "/channel stats abc234")
    await admin.ask("/channel new", "name of at most 64")
    await admin.ask(f"/channel post {channel.code}", "then the text")


async def test_a_late_execute_says_it_expired_and_trades_nothing(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        admin: Person, trader: Person, approved: Approve) -> None:
    channel = await followed_channel(admin, trader, approved)
    await trader.ask(f"/copy {channel.code} mode=confirm", "asks you first")
    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, channel.url, BUY)
    assert status == 200
    question = await fake_telegram.wait_for_message(trader.id, "Trade it?", since=mark)
    assert "within 120 seconds" in (question.text or "")
    # The answer comes an hour after the alert, long past limits.max_signal_age_s.
    await service.db.write(lambda conn: conn.execute(
        "UPDATE signals SET received_at = received_at - 3600"))
    await trader.press(question, "Execute", "Too late")
    for label in ("Execute", "Skip"):  # and again: still nothing, and the press says so
        mark = fake_telegram.mark()
        fake_telegram.click(trader.id, question, label)
        await fake_telegram.wait_for_call(
            "answerCallbackQuery", lambda call: "Too late" in call.params.get("text", ""),
            since=mark)
    await service.dispatcher.join()
    assert orders_of(service, trader.id) == []
    assert statuses(service, answer["channel_alert_id"]) == {trader.id: "expired"}
    stats = await admin.ask(f"/channel stats {channel.code}", "Subscribers: 1")
    assert "⌛ expired 1" in (stats.text or "")


async def test_a_subscriber_who_cannot_trade_is_told_at_subscribe_time_and_at_each_alert(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        admin: Person, trader: Person, stranger: Person, approved: Approve) -> None:
    await admin.ask("/start", "You are an admin")
    channel = await make_channel(admin)
    await approved(trader)
    await trader.ask("/set account paper", "paper")
    await service.users.update_user_settings(trader.id, account_type="demo")  # keys gone
    joined = await trader.ask(f"/subscribe {channel.code}", "You follow")
    assert "no demo API keys are stored" in (joined.text or "")
    # Not approved yet: joining by the link registers and subscribes, and says so.
    waiting = await stranger.ask(f"/start ch_{channel.code}", "not approved yet")
    assert "You follow <b>Gold Signals</b>" in (waiting.text or "")
    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, channel.url, BUY)
    assert (status, answer["subscribers"]) == (200, 2)
    told = await fake_telegram.wait_for_message(trader.id, "was not traded", since=mark)
    assert "From channel <b>Gold Signals</b>" in (told.text or "")
    assert "/keys demo &lt;api_key&gt; &lt;api_secret&gt;" in (told.text or "")
    await fake_telegram.wait_for_message(stranger.id, "not active", since=mark)
    await service.fanout.join()
    assert statuses(service, answer["channel_alert_id"]) == {trader.id: "rejected",
                                                             stranger.id: "rejected"}
    # Their own webhook still answers beside the channel.
    user = await service.users.get_user(trader.id)
    assert user is not None
    status, mine = await post_signal(http, service, service.handlers_facade.webhook_url(user),
                                     BUY)
    assert (status, mine["status"]) == (200, "queued")


async def test_a_subscriber_with_new_entries_paused_is_told_in_their_language(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        admin: Person, trader: Person, approved: Approve) -> None:
    await admin.ask("/start", "You are an admin")
    channel = await make_channel(admin)
    await approved(trader)
    await trader.ask("/language ar", "العربية")
    await trader.ask(f"/subscribe {channel.code}", channel.code)
    await service.users.update_user_settings(trader.id, entries_paused=True)
    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, channel.url, BUY)
    assert status == 200
    told = await fake_telegram.wait_for_message(trader.id, "/resume", since=mark)
    text = told.text or ""
    assert "فتح المراكز الجديدة موقوف" in text and "Gold Signals" in text
    assert_right_to_left(text, "a channel's opening refused under /pause entries")
    await service.fanout.join()
    assert statuses(service, answer["channel_alert_id"]) == {trader.id: "rejected"}
    assert orders_of(service, trader.id) == []


def test_every_reason_a_subscriber_is_refused_has_a_sentence_in_both_languages() -> None:
    from bot.db.channel_expansion import REFUSALS
    from bot.i18n import ar, en

    for code in REFUSALS:
        assert f"channel.refused_{code}" in en.MESSAGES and f"channel.refused_{code}" in (
            ar.MESSAGES), code
