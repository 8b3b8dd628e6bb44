"""Signal channels on real (demo) accounts: one provider alert becomes each subscriber's own order
at the fake Bybit — their own keys, amount, leverage and orderLinkIds — beside a paper
subscriber; a subscriber whose keys fail is told, and nobody else waits for them."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from decimal import Decimal

import aiohttp

from bot.app import Service
from bot.models import User
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_records import as_read
from tests.telegram.channel_kit import make_channel, orders_of, rows, statuses
from tests.telegram.conftest import ARABIC, Person, post_signal
from tests.telegram.rules import assert_right_to_left

Approve = Callable[[Person], Awaitable[User]]
BUY = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}
SARA_KEY, LINA_KEY, NOOR_KEY = "SARAdemoKey01", "LINAdemoKey02", "NOORdemoKey03"
OMAR_KEY = "OMARdemoKey04"
SECRET = "demo-secret-for-channel-tests"


async def on_demo(service: Service, person: Person, fake_bybit: FakeBybit, key: str,
                  usdt: str = "5000") -> None:
    """A demo account of their own at the fake Bybit, its keys stored through /keys."""
    fake_bybit.add_account(key, SECRET, env="demo", usdt=usdt)
    await person.ask(f"/keys demo {key} {SECRET}", "keys work")
    await person.ask("/set account demo", "Account set to demo")


def link_ids(service: Service, user_id: int, alert: int) -> tuple[int, list[str]]:
    """The user's signal id for a channel alert, and the orderLinkIds its orders carry."""
    [(signal_id,)] = rows(service, "SELECT id FROM signals WHERE channel_alert_id = ?"
                                   " AND user_id = ?", alert, user_id)
    return signal_id, [link for (link,) in rows(
        service, "SELECT order_link_id FROM orders WHERE signal_id = ?", signal_id)]


async def test_one_alert_becomes_each_subscribers_own_order_at_bybit(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, admin: Person, approved: Approve) -> None:
    await admin.ask("/start", "You are an admin")
    channel = await make_channel(admin)
    sara, omar, lina = (Person(fake_telegram, uid, first_name=name) for uid, name in
                        ((6101, "Sara"), (6102, "Omar"), (6103, "Lina")))
    for person in (sara, omar, lina):
        await approved(person)
    await on_demo(service, sara, fake_bybit, SARA_KEY)
    await on_demo(service, lina, fake_bybit, LINA_KEY)

    # Sara (demo) copies 50 USDT at 5x by command; Omar stays on paper with 5% of his balance;
    # Lina (demo) chooses with the buttons: 100 USDT, 3x, and to be asked first.
    await sara.ask(f"/subscribe {channel.code}", "You follow")
    await sara.ask(f"/copy {channel.code} amount=50 leverage=5", "Saved")
    await omar.ask(f"/start ch_{channel.code}", "You follow")
    await omar.ask(f"/copy {channel.code} amount=5%", "5% of the available balance")
    menu = await lina.ask(f"/subscribe {channel.code}", "You follow")
    menu = await lina.press(menu, "100 USDT", "100 USDT")
    menu = await lina.press(menu, "3x", "3x")
    menu = await lina.press(menu, "Confirm first", "asks you first")
    [(amount, leverage, mode)] = rows(service, "SELECT amount, leverage, mode FROM subscriptions"
                                               " WHERE user_id = ?", lina.id)
    assert (Decimal(str(amount)), leverage, mode) == (Decimal(100), 3, "confirm")
    ticked = tuple(label for label, _ in menu.buttons() if label.startswith("✓"))
    assert ticked == ("✓ 100 USDT", "✓ 3x", "✓ Confirm first")

    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, channel.url, BUY)
    assert (status, answer["subscribers"]) == (200, 3)
    alert = answer["channel_alert_id"]

    sara_report = await fake_telegram.wait_for_message(sara.id, "Opened long", since=mark)
    assert "From channel <b>Gold Signals</b>" in (sara_report.text or "")
    assert re.search(r"Opened long 0\.005 BTCUSDT at 50,?000\b", sara_report.text or "")
    assert "Account: demo" in (sara_report.text or "")
    omar_report = await fake_telegram.wait_for_message(omar.id, "Opened long", since=mark)
    assert "Opened long 0.1 BTCUSDT" in (omar_report.text or "")
    assert "Account: paper" in (omar_report.text or "")
    ask_lina = await fake_telegram.wait_for_message(lina.id, "Trade it?", since=mark)
    # Nothing for Lina at Bybit before she answers.
    assert [o.api_key for o in fake_bybit.order_log] == [SARA_KEY]
    await lina.press(ask_lina, "Execute", "Executing")
    lina_report = await fake_telegram.wait_for_message(lina.id, "Opened long", since=mark)
    assert "Opened long 0.006 BTCUSDT" in (lina_report.text or "")  # 100 USDT × 3 / 50000
    await service.dispatcher.join()

    # At Bybit: one order each, on each one's own account, under each one's own signal.
    placed = {o.api_key: o for o in fake_bybit.order_log}
    assert len(fake_bybit.order_log) == 2 and set(placed) == {SARA_KEY, LINA_KEY}
    assert (placed[SARA_KEY].side, placed[SARA_KEY].qty) == ("Buy", Decimal("0.005"))
    assert (placed[LINA_KEY].side, placed[LINA_KEY].qty) == ("Buy", Decimal("0.006"))
    for person, key in ((sara, SARA_KEY), (lina, LINA_KEY)):
        signal_id, links = link_ids(service, person.id, alert)
        assert links == [placed[key].order_link_id]
        assert f"-{signal_id}-" in placed[key].order_link_id
    leverages = {(r.api_key, r.params["buyLeverage"]) for r in fake_bybit.requests
                 if r.path == "/v5/position/set-leverage"}
    assert leverages == {(SARA_KEY, "5"), (LINA_KEY, "3")}
    assert fake_bybit.account(SARA_KEY).position("BTCUSDT").size == Decimal("0.005")
    assert fake_bybit.account(LINA_KEY).position("BTCUSDT").size == Decimal("0.006")
    assert orders_of(service, omar.id) == [("BTCUSDT", "Buy", Decimal("0.1"), 10)]
    assert statuses(service, alert) == {sara.id: "done", omar.id: "done", lina.id: "done"}

    # The provider closes higher: every subscriber closes their own position, and the admin's
    # stats add up what the subscribers realised.
    fake_bybit.set_price("BTCUSDT", 51000)
    mark = fake_telegram.mark()
    status, closing = await post_signal(http, service, channel.url,
                                        {"symbol": "BTCUSDT", "action": "close", "price": 51000})
    assert status == 200
    for person in (sara, omar):
        await fake_telegram.wait_for_message(person.id, "Closed", since=mark)
    ask_lina = await fake_telegram.wait_for_message(lina.id, "Trade it?", since=mark)
    await lina.press(ask_lina, "Execute", "Executing")
    await fake_telegram.wait_for_message(lina.id, "Closed", since=mark)
    await service.dispatcher.join()
    assert fake_bybit.account(SARA_KEY).position("BTCUSDT").size == 0
    assert fake_bybit.account(LINA_KEY).position("BTCUSDT").size == 0
    assert statuses(service, closing["channel_alert_id"]) == {
        sara.id: "done", omar.id: "done", lina.id: "done"}
    fills = rows(service, "SELECT o.user_id, o.reduce_only, o.realised_pnl, o.fee FROM orders o"
                          " JOIN signals s ON s.id = o.signal_id"
                          " WHERE s.channel_alert_id IS NOT NULL")
    closes = {user_id: Decimal(pnl) for user_id, reduce_only, pnl, _ in fills if reduce_only}
    # 0.005 and 0.006 BTC on demo, 0.1 on paper, each 1,000 USDT higher.
    assert closes == {sara.id: Decimal(5), lina.id: Decimal(6), omar.id: Decimal(100)}
    net = sum(closes.values()) - sum(Decimal(fee) for *_, fee in fills)
    stats = await admin.ask(f"/channel stats {channel.code}", "Subscribers: 3")
    text = stats.text or ""
    assert "close BTCUSDT" in text and "buy BTCUSDT" in text
    assert text.count("done 3 · ❌ failed 0 · ⏭ skipped 0 · ⏳ waiting for confirmation 0") == 2
    assert f"+{net:,.2f}" in text and "from 3 closing" in text, (net, text)


async def test_a_subscriber_whose_keys_fail_is_told_and_nobody_waits_for_them(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, admin: Person, approved: Approve) -> None:
    await admin.ask("/start", "You are an admin")
    channel = await make_channel(admin)
    sara, omar, noor = (Person(fake_telegram, uid, first_name=name) for uid, name in
                        ((6201, "Sara"), (6202, "Omar"), (6203, "Noor")))
    for person in (sara, omar, noor):
        await approved(person)
        await person.ask(f"/subscribe {channel.code}", "You follow")
    await on_demo(service, sara, fake_bybit, SARA_KEY)
    await on_demo(service, noor, fake_bybit, NOOR_KEY)
    # Noor's key is deleted at Bybit after she stored it, and her account hangs first: her
    # signal's first request is held at the fake until the others are done and told.
    fake_bybit.remove_account(NOOR_KEY)
    stuck = fake_bybit.hold_key(NOOR_KEY)

    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, channel.url, BUY)
    assert (status, answer["subscribers"]) == (200, 3)
    await stuck.arrived()
    await fake_telegram.wait_for_message(sara.id, "Opened long", since=mark)
    await fake_telegram.wait_for_message(omar.id, "Opened long", since=mark)
    assert statuses(service, answer["channel_alert_id"])[noor.id] == "processing"
    assert not fake_telegram.sent_messages(noor.id, since=mark)

    stuck.release()
    told = await fake_telegram.wait_for_message(noor.id, "Bybit does not know this API key",
                                                since=mark)
    text = told.text or ""
    assert "From channel <b>Gold Signals</b>" in text
    assert "/keys demo &lt;api_key&gt; &lt;api_secret&gt;" in text
    assert NOOR_KEY not in text and SECRET not in text
    await service.dispatcher.join()
    assert [o.api_key for o in fake_bybit.order_log] == [SARA_KEY]
    [(status_of_noor, code)] = rows(
        service, "SELECT status, error_code FROM signals WHERE channel_alert_id = ?"
                 " AND user_id = ?", answer["channel_alert_id"], noor.id)
    assert (status_of_noor, code) == ("failed", "wrong_environment")
    stats = await admin.ask(f"/channel stats {channel.code}", "Subscribers: 3")
    assert "done 2 · ❌ failed 1 · ⏭ skipped 0" in (stats.text or "")


async def test_a_percent_of_nothing_is_told_in_the_subscribers_language(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, admin: Person, approved: Approve) -> None:
    await admin.ask("/start", "You are an admin")
    channel = await make_channel(admin)
    omar = Person(fake_telegram, 6301, first_name="Omar", language_code="ar")
    await approved(omar, **ARABIC)
    await omar.ask(f"/subscribe {channel.code}", "Gold Signals")
    fake_bybit.add_account(OMAR_KEY, SECRET, env="demo", usdt="0")
    await omar.ask(f"/keys demo {OMAR_KEY} {SECRET}", "المفاتيح تعمل")
    await omar.ask("/set account demo", "تم ضبط الحساب")
    await omar.ask(f"/copy {channel.code} amount=5%", "حُفظ")

    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, channel.url, BUY)
    assert (status, answer["subscribers"]) == (200, 1)
    told = await fake_telegram.wait_for_message(omar.id, "الرصيد المتاح", since=mark)
    text = told.text or ""
    assert "5٪ من الرصيد المتاح" in as_read(text)
    assert "/copy &lt;code&gt; amount=&lt;usdt&gt;" in text
    assert "available balance" not in text  # Arabic, not the English sentence
    assert_right_to_left(text)
    await service.dispatcher.join()
    assert fake_bybit.order_log == []
    [(status_of_omar, code)] = rows(
        service, "SELECT status, error_code FROM signals WHERE channel_alert_id = ?",
        answer["channel_alert_id"])
    assert (status_of_omar, code) == ("failed", "no_balance")
