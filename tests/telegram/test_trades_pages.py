"""/trades: honest labels, ten a page with [◀ Newer] [Older ▶], times in the trader's zone."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import aiohttp
import pytest

from bot.app import Service
from bot.db import JournalEntry
from bot.handlers import timezones
from bot.i18n import LRI, PDI
from bot.models import User
from bot.signals import Signal
from bot.vocabulary import SignalStatus
from tests.fakes.telegram import FakeTelegram
from tests.telegram.conftest import Person, post_signal, webhook_url

Approve = Callable[[Person], Awaitable[User]]
ARABIC_START = re.compile(r"^[\u200f\u0600-\u06FF]")
EVENING = datetime(2024, 1, 2, 21, 30, tzinfo=UTC).timestamp()  # a Tuesday, 21:30 UTC


async def journal(service: Service, user_id: int, count: int, *, first_at: float = EVENING,
                  status: SignalStatus = SignalStatus.REJECTED) -> None:
    """Write `count` final rows straight to the journal, a minute apart."""
    for n in range(count):
        await service.journal.record(JournalEntry(
            user_id, "personal", "203.0.113.9", "{}", Signal("BTCUSDT", "buy"), None,
            first_at + 60 * n, status=status, error_code="bad_request", error=f"row {n + 1}"))


def ids(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"#\u2066?(\d+)", text)]


async def test_trades_turns_pages_of_ten(
        service: Service, trader: Person, approved: Approve) -> None:
    await approved(trader)
    await journal(service, trader.id, 23)
    first = await trader.ask("/trades", "Signals 1–10")
    assert ids(first.text or "") == list(range(23, 13, -1))
    assert first.buttons() == [("Older ▶", "trades:1")]
    second = await trader.press(first, "Older", "Signals 11–20")
    assert ids(second.text or "") == list(range(13, 3, -1))
    assert second.buttons() == [("◀ Newer", "trades:0"), ("Older ▶", "trades:2")]
    third = await trader.press(second, "Older", "Signals 21–23")
    assert ids(third.text or "") == [3, 2, 1] and third.buttons() == [("◀ Newer", "trades:1")]
    back = await trader.press(third, "Newer", "Signals 11–20")
    assert back.message_id == first.message_id  # one message, edited page by page
    beyond = await trader.press_data(third, "trades:7", "No older signals")
    assert beyond.buttons() == []


async def test_trades_shows_times_in_the_traders_time_zone(
        service: Service, trader: Person, approved: Approve) -> None:
    await approved(trader)
    await journal(service, trader.id, 1)
    listing = (await trader.ask("/trades", "Signals 1–1")).text or ""
    assert "times in UTC" in listing and "01-02 21:30" in listing
    await trader.ask("/set tz +3", "Time zone set to UTC\\+03:00")
    listing = (await trader.ask("/trades", "Signals 1–1")).text or ""
    assert "times in UTC+03:00" in listing and "01-03 00:30" in listing
    await trader.ask("/set tz america/new_york", "Time zone set to America/New_York")
    listing = (await trader.ask("/trades", "Signals 1–1")).text or ""
    assert "01-02 16:30" in listing and "times in America/New_York" in listing
    await trader.ask("/set tz Mars/Olympus", "“Mars/Olympus” is not a time zone")
    await trader.ask("/set tz +15", "is not a time zone")
    menu = (await trader.ask("/settings", "Your settings")).text or ""
    assert "Time zone: <b>America/New_York (UTC-0" in menu  # -05:00, or -04:00 in summer
    assert (await service.users.get_settings(trader.id)).timezone == "America/New_York"
    await trader.ask("/set tz utc", "Time zone set to UTC")
    assert (await service.users.get_settings(trader.id)).timezone == "UTC"


async def test_the_time_zone_is_chosen_in_settings_or_typed(
        service: Service, fake_telegram: FakeTelegram, trader: Person,
        approved: Approve) -> None:
    await approved(trader)
    menu = await trader.ask("/settings", "Your settings")
    asked = await trader.press(menu, "Time zone", "Your time zone")
    assert "now UTC" in (asked.text or "") and "/cancel stops" in (asked.text or "")
    labels = [label for label, _ in asked.buttons()]
    assert "✓ UTC" in labels and "Asia/Riyadh (UTC+03:00)" in labels
    assert asked.buttons()[-1] == ("Cancel", "set:menu")
    chosen = await trader.press(asked, "Asia/Riyadh", "Time zone set to Asia/Riyadh")
    assert "Time zone: <b>Asia/Riyadh (UTC+03:00)</b>" in (chosen.text or "")
    assert (await service.users.get_settings(trader.id)).timezone == "Asia/Riyadh"
    await trader.press(chosen, "Time zone", "Your time zone")
    wrong = await trader.ask("Mars/Olympus", "is not a time zone")  # typed: asked again
    assert "Send another time zone, or /cancel" in (wrong.text or "")
    done = await trader.ask("+5:30", "Time zone set to UTC\\+05:30")
    assert done.buttons()  # the settings again, with their buttons
    assert (await service.users.get_settings(trader.id)).timezone == "+05:30"
    await trader.ask("+4", "I work with commands")  # the question is over
    menu = await trader.ask("/settings", "Your settings")
    await trader.press(menu, "Time zone", "Your time zone")
    await trader.ask("/cancel", "Cancelled. Nothing was changed")
    await trader.ask("+4", "I work with commands")
    assert (await service.users.get_settings(trader.id)).timezone == "+05:30"


async def test_the_arabic_time_zone_question(
        service: Service, fake_telegram: FakeTelegram, admin: Person) -> None:
    layla = Person(fake_telegram, 6002, first_name="ليلى", language_code="ar")
    await layla.ask("/start", "أهلًا")
    request = await fake_telegram.wait_for_message(admin.id, f"<code>{layla.id}</code>")
    await admin.press(request, "Approve", "approved")
    menu = await layla.ask("/settings", "إعداداتك")
    asked = await layla.press(menu, "المنطقة الزمنية", "منطقتك الزمنية")
    for line in filter(None, (asked.text or "").splitlines()):
        assert ARABIC_START.match(line), line
    assert f"{LRI}Asia/Riyadh{PDI}" in (asked.text or "")
    wrong = await layla.ask("Mars", "ليست منطقة زمنية")
    assert "أرسل منطقة زمنية أخرى" in (wrong.text or "")
    await layla.ask("+3", "تم ضبط المنطقة الزمنية")
    assert (await service.users.get_settings(layla.id)).timezone == "+03:00"


async def test_trades_labels_each_outcome(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    url = webhook_url(service, user)
    bodies = [{"symbol": "BTCUSDT", "action": "buy", "price": 50000, "id": "one"},
              {"symbol": "BTCUSDT", "action": "buy", "price": 50000, "id": "one"},
              {"symbol": "DOGEUSDT", "action": "buy", "price": 0.1},
              {"symbol": "{{ticker}}", "action": "buy"}]
    for body in bodies:
        await post_signal(http, service, url, body)
    await fake_telegram.wait_for_message(trader.id, "signal #3", since=0)
    await journal(service, trader.id, 1, status=SignalStatus.EXPIRED)
    listing = (await trader.ask("/trades", "Signals 1–5")).text or ""
    lines = listing.split("\n\n")[1:]
    assert [line.split(" ")[0] for line in lines] == ["⌛", "⛔", "❌", "♻️", "✅"]
    assert [line.rsplit("— ", 1)[1].split("\n")[0] for line in lines] == [
        "expired", "refused", "failed", "duplicate", "done"]
    assert "↳ opened long 0.02 BTCUSDT" in lines[4]


async def test_trades_says_skipped_and_nothing_to_do_not_done(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    url = webhook_url(service, user)
    bodies = [{"symbol": "BTCUSDT", "action": "buy", "price": 50000},
              {"symbol": "BTCUSDT", "action": "buy", "price": 50100},  # pyramiding off
              {"symbol": "ETHUSDT", "action": "close", "price": 3000}]  # nothing open
    for body in bodies:
        status, answer = await post_signal(http, service, url, body)
        assert status == 200
        await fake_telegram.wait_for_message(trader.id, f"signal #{answer['signal_id']}",
                                             since=0)
    lines = ((await trader.ask("/trades", "Signals 1–3")).text or "").split("\n\n")[1:]
    assert [line.split(" ")[0] for line in lines] == ["ℹ️", "⏭", "✅"]
    assert [line.rsplit("— ", 1)[1].split("\n")[0] for line in lines] == [
        "nothing to do", "skipped", "done"]
    await trader.ask("/language ar", "العربية")
    arabic = ((await trader.ask("/trades", "الإشارات")).text or "").split("\n\n")[1:]
    assert "لا شيء لفعله" in arabic[0] and "تم تخطيها" in arabic[1]


@pytest.mark.parametrize(("typed", "stored"), [
    ("+3", "+03:00"), ("-5", "-05:00"), ("UTC+5:30", "+05:30"), ("gmt-0930", "-09:30"),
    ("+14", "+14:00"), ("-12:00", "-12:00"), ("+0", "UTC"), ("utc", "UTC"), ("Z", "UTC"),
    ("asia/riyadh", "Asia/Riyadh"), ("Europe/London", "Europe/London"),
    ("+15", None), ("-13", None), ("+3:20", None), ("+3:60", None), ("Riyadh", None),
    ("../../etc/passwd", None), ("", None), ("3", None),
])
def test_time_zones_typed_and_stored(typed: str, stored: str | None) -> None:
    assert timezones.parse(typed) == stored


def test_a_stored_zone_reads_back() -> None:
    assert timezones.local(EVENING, "+03:00").strftime("%m-%d %H:%M") == "01-03 00:30"
    assert timezones.local(EVENING, "Asia/Riyadh").strftime("%H:%M") == "00:30"
    assert timezones.local(EVENING, "UTC").strftime("%H:%M") == "21:30"
    assert timezones.local(EVENING, "Nowhere/Gone").strftime("%H:%M") == "21:30"
    assert timezones.label("-09:30") == "UTC-09:30" and timezones.label("UTC") == "UTC"


async def test_arabic_trades_start_each_line_in_arabic(
        service: Service, fake_telegram: FakeTelegram, admin: Person) -> None:
    layla = Person(fake_telegram, 6001, first_name="ليلى", language_code="ar")
    await layla.ask("/start", "أهلًا")
    request = await fake_telegram.wait_for_message(admin.id, f"<code>{layla.id}</code>")
    await admin.press(request, "Approve", "approved")
    await journal(service, layla.id, 12)
    await layla.ask("/set tz Asia/Riyadh", "Asia/Riyadh")
    listing = await layla.ask("/trades", "الإشارات")
    text = listing.text or ""
    for line in filter(None, text.splitlines()):
        assert ARABIC_START.match(line), line
    assert f"{LRI}01-03 00:41{PDI}" in text and f"{LRI}Asia/Riyadh{PDI}" in text
    assert re.search(f"{LRI}#?12{PDI}", text)
    [(older, data)] = listing.buttons()
    assert "الأقدم" in older and data == "trades:1"
