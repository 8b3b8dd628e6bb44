"""A new trader's whole story, once in English and once in Arabic, through the fake Bot API, the
real PTB, the real webhook server and a demo account at the fake Bybit: register, approval by
the admin, settings, keys, the URLs, a trade, a close at a loss, a refused alert, a pause.

Besides what each step says, every message the trader receives (sent or edited) is held to the
rules of DESIGN §13 — in Arabic every line starts in Arabic or U+200F and everything
left-to-right sits in an isolate; in English no Arabic and no bidi marks; no `{placeholder}`
left; numbers with thousands separators; a PnL a word and a signed number — and every button
leads somewhere (a step that waits for an answer offers Cancel)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import aiohttp
import pytest

from bot.app import Service
from bot.handlers import BUTTON_CALLBACKS
from bot.i18n import CATALOGS, t
from bot.i18n.numbers import pnl_text, usdt
from tests.conftest import ADMIN_ID, move_price
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import Call, FakeTelegram, SentMessage
from tests.fakes.telegram_records import as_read
from tests.telegram.conftest import Person, post_signal, url_in, webhook_url
from tests.telegram.rules import (
    LRI,
    PDI,
    assert_arabic_label,
    assert_arabic_words,
    assert_filled,
    assert_grouped,
    assert_left_to_right,
    assert_pnl_in_words,
    assert_right_to_left,
)

KEY, SECRET = "StoryDemoKey0001", "StoryDemoSecret0001xyz"
NAMES = {"en": "Sara", "ar": "ليلى"}
TYPED_AMOUNT = {"en": "1,000", "ar": "١٠٠٠"}  # 1,000 USDT, as each would type it
BUY = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}
CLOSE = {"symbol": "BTCUSDT", "action": "close", "price": 49000}
FIX = {"en": "check its spelling in the alert message",  # the unfilled {{ticker}}'s fix
       "ar": "تحقق من كتابته في رسالة التنبيه"}
TAKER = Decimal("0.00055")  # the fake Bybit's linear taker fee
# Where a button's callback data leads: the areas of bot/handlers and the /keys flow's own.
ROUTES = [pattern for pattern, _ in BUTTON_CALLBACKS] + [r"^keys:(demo|real|cancel|add:)"]


def said(lang: str, key: str) -> str:
    """A pattern for the catalog's message `key`: its longest literal stretch, as read."""
    parts = re.split(r"\{[a-z_]+\}|<[^>]*>|\n", CATALOGS[lang][key])
    return re.escape(as_read(max(parts, key=len)).strip())


@dataclass
class Story:
    """The trader, in their language, and what the bot told them."""

    person: Person
    lang: str
    service: Service

    @property
    def fake(self) -> FakeTelegram:
        return self.person.fake

    async def ask(self, text: str, key: str) -> SentMessage:
        return await self.person.ask(text, said(self.lang, key))

    async def press(self, message: SentMessage, data: str, key: str) -> SentMessage:
        assert data in [d for _, d in message.buttons()], message.buttons()
        return await self.person.press_data(message, data, said(self.lang, key))

    async def told(self, key: str, since: int) -> SentMessage:
        return await self.fake.wait_for_message(self.person.chat, said(self.lang, key),
                                                since=since)

    def received(self) -> list[SentMessage]:
        return [m for m in self.person.messages() if m.text is not None]


def signal_in(message: SentMessage) -> int:
    found = re.search(r"#(\d+)", as_read(message.text or ""))
    assert found, message.text
    return int(found.group(1))


def assert_the_rules(lang: str, message: SentMessage) -> None:
    """DESIGN §13 on one message, and a way on from every button under it."""
    text, where = message.text or "", f"{message.method} #{message.message_id}"
    if lang == "ar":
        assert_right_to_left(text, where)
        assert_arabic_words(text, where)
        for label, _ in message.buttons():
            assert_arabic_label(label, where)
    else:
        assert_left_to_right(text, where)
        for label, _ in message.buttons():
            assert_left_to_right(label, where)
    assert_filled(text, where)
    assert_grouped(text, where)
    assert_pnl_in_words(text, t(lang, "pnl.profit"), t(lang, "pnl.loss"), where)
    for label, target in message.buttons():
        assert target, f"{where}: {label!r} leads nowhere"
        assert target.startswith("https://") or any(
            re.match(route, target) for route in ROUTES), f"{where}: {label!r} → {target!r}"


def assert_offers_cancel(message: SentMessage) -> None:
    """A step that waits for an answer says how to leave it."""
    targets = [target or "" for _, target in message.buttons()]
    assert any(target.endswith((":cancel", ":menu")) for target in targets) or "/cancel" in (
        message.text or ""), f"a question with no way out: {message.text!r} {targets}"


@pytest.mark.parametrize("lang", ["en", "ar"])
async def test_a_new_traders_whole_story_follows_the_rules_in_every_message(
        lang: str, service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, admin: Person) -> None:
    person = Person(fake_telegram, 7001, first_name=NAMES[lang], language_code=lang)
    story = Story(person, lang, service)

    # Register; the admin approves by button; the approval leads to settings and set-up.
    await story.ask("/start", "start.registered")
    request = await fake_telegram.wait_for_message(ADMIN_ID, f"<code>{person.id}</code>")
    mark = fake_telegram.mark()
    await admin.press(request, "Approve", "approved")
    approval = await story.told("user.approved", mark)
    assert [data for _, data in approval.buttons()] == ["open:settings", "open:webhook"]

    # Settings: by button, a custom amount typed as people write it, a time zone by command.
    menu = await story.press(approval, "open:settings", "settings.text")
    spot = await story.press(menu, "set:market:spot", "set.done_market")
    assert not any(d.startswith("set:leverage:") for _, d in spot.buttons())  # no spot leverage
    futures = await story.press(spot, "set:market:futures", "set.done_market")
    asked = await story.press(futures, "set:amount:custom", "settings.ask_amount")
    assert_offers_cancel(asked)
    done = await story.ask(TYPED_AMOUNT[lang], "set.done_amount")
    assert "1,000 USDT" in as_read(done.text or "")
    await story.ask("/set leverage 5", "set.done_leverage")
    await story.ask("/set tz Asia/Riyadh", "set.done_tz")
    settings = await service.users.get_settings(person.id)
    assert (settings.trade_amount, settings.leverage) == (Decimal(1000), 5)

    # Keys: /keys can be left; demo without keys offers to add them; every step shows Cancel;
    # the check goes to the fake Bybit's demo.
    account = fake_bybit.add_account(KEY, SECRET, env="demo", usdt="10000")
    choose = await story.ask("/keys", "keys.choose")
    assert_offers_cancel(choose)
    await story.press(choose, "keys:cancel", "keys.cancelled")
    menu = await story.ask("/settings", "settings.text")
    no_keys = await story.press(menu, "set:account:demo", "set.need_keys")
    assert [data for _, data in no_keys.buttons()] == ["keys:add:demo", "set:menu"]
    key_step = await story.press(no_keys, "keys:add:demo", "keys.send_key")
    assert_offers_cancel(key_step)
    secret_step = await story.ask(KEY, "keys.send_secret")
    assert_offers_cancel(secret_step)
    stored = await story.ask(SECRET, "keys.stored")
    assert "10,000" in (stored.text or "")
    await story.ask("/set account demo", "set.done_account")

    # The URLs: the webhook to paste in TradingView, the dashboard as a URL button.
    webhook = await story.press(approval, "open:webhook", "webhook.text")
    user = await service.users.get_user(person.id)
    assert user is not None and url_in(webhook) == webhook_url(service, user)
    dashboard = await story.ask("/dashboard", "dashboard.link")
    assert any((target or "").startswith("https://") for _, target in dashboard.buttons())
    token = service.users.webhook_token(user)
    assert token not in (dashboard.text or "")

    # A trade at the demo account, then a close at a loss: its PnL after both fees is what
    # the balance lost, the fees shown.
    before = account.usdt
    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, url_in(webhook), BUY)
    assert status == 200, answer
    await story.fake.wait_for_message(person.chat, rf"#{answer['signal_id']}\b", since=mark)
    assert account.position("BTCUSDT").size == Decimal("0.1")  # 1,000 USDT × 5 at 50,000
    await move_price(service, fake_bybit, "BTCUSDT", 49000)
    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, url_in(webhook), CLOSE)
    assert status == 200, answer
    closed = await story.fake.wait_for_message(person.chat, rf"#{answer['signal_id']}\b",
                                               since=mark)
    lost = account.usdt - before
    fees = (Decimal(50000) + Decimal(49000)) * Decimal("0.1") * TAKER
    assert lost == Decimal(-100) - fees
    assert str(pnl_text(lang, lost)) in (closed.text or "")
    assert str(usdt(fees)) in as_read(closed.text or "")

    # A refused alert (TradingView's placeholder left unfilled) is told, with its fix.
    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, url_in(webhook),
                                       {**BUY, "symbol": "{{ticker}}"})
    assert (status, answer["error"]) == (400, "bad_symbol")
    refused = await story.told("refusal.head", mark)
    assert FIX[lang] in as_read(refused.text or "") and "{{ticker}}" in (refused.text or "")

    # Pause: /pause stops everything and offers the lighter pause; a close refused while paused
    # is told with what to do, the Resume button under it.
    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, url_in(webhook), {**BUY, "price": 49000})
    assert status == 200, answer
    await story.fake.wait_for_message(person.chat, rf"#{answer['signal_id']}\b", since=mark)
    held = account.position("BTCUSDT").size
    assert held == Decimal("0.102")  # 5,000 USDT at 49,000, to the 0.001 step
    await story.ask("/positions", "positions.title")
    await story.ask("/balance", "balance.text")
    await story.ask("/profit", "profit.title")
    await story.ask("/help", "help.title")
    paused = await story.ask("/pause", "pause.done_all")  # the kill switch: everything
    assert [data for _, data in paused.buttons()] == ["pause:entries", "pause:resume"]
    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, url_in(webhook), {**CLOSE, "id": "c2"})
    assert (status, answer["error"]) == (403, "paused")
    notice = await story.told("refusal.close_paused", mark)
    assert "/close BTCUSDT" in as_read(notice.text or "")
    assert account.position("BTCUSDT").size == held
    # The fix it gives: /close from Telegram runs while alerts are paused.
    question = await story.ask("/close BTCUSDT", "close.ask")
    [(_, confirm), (_, cancel)] = question.buttons()
    assert cancel.startswith("pos:no:")
    mark = fake_telegram.mark()
    sent = await story.press(question, confirm, "close.sent")
    await story.fake.wait_for_message(person.chat, rf"(?s)^📱.*#{signal_in(sent)}\b",
                                      since=mark)
    assert account.position("BTCUSDT").size == 0
    await story.press(notice, "pause:resume", "resume.done")
    assert (await service.users.get_settings(person.id)).pause is None

    # What happened, in the trader's time zone.
    trades = await story.ask("/trades", "trades.page_title")
    assert "Asia/Riyadh" in (trades.text or "")

    assert service.bot is not None
    await service.dispatcher.join()
    await service.bot.notifier.join()
    received = story.received()
    assert len(received) > 25  # each step's, read below
    for message in received:
        assert_the_rules(lang, message)
        assert KEY not in (message.text or "") and SECRET not in (message.text or "")


@pytest.mark.parametrize(("lang", "text", "wrong"), [
    ("ar", "✅ تم ضبط السوق.", "does not start with Arabic"),
    ("ar", "الرصيد 10,000 USDT", "outside an isolate"),
    ("ar", f"السبب: {LRI}trading is paused for this account{PDI}", "English in an Arabic"),
    ("ar", f"رُفض تنبيه · {LRI}close{PDI}", "English in an Arabic"),
    ("ar", f"لهذا الحساب {LRI}(demo){PDI}، لذا", "English in an Arabic"),
    ("ar", f"بعد خصم الرسوم: {LRI}−12.35 USDT{PDI}", "not said as a"),
    ("en", "Closed at 50000 · PnL after fees: loss −12.35 USDT", "thousands separators"),
    ("en", "PnL: -12.35 USDT", "a hyphen for a minus"),
    ("en", "Amount set to {value} USDT per trade.", "a placeholder left"),
    ("en", "Welcome, ليلى", "Arabic in an English message"),
])
def test_the_rules_catch_what_they_are_for(lang: str, text: str, wrong: str) -> None:
    message = SentMessage("sendMessage", 1, 1, text, None, "HTML", Call("sendMessage", {}, 0, 0))
    with pytest.raises(AssertionError, match=wrong):
        assert_the_rules(lang, message)
