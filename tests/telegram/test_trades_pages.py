"""/trades: honest labels, ten a page with [◀ Newer] [Older ▶], times in the trader's zone."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal as D

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.app import Service
from bot.db import JournalEntry
from bot.db.orders import OrderRecord
from bot.errors import Failure
from bot.handlers import timezones
from bot.handlers.trading import DETAIL_CHARS
from bot.i18n import LRI, PDI
from bot.i18n.bidi import shorten
from bot.i18n.results import record_line
from bot.models import User
from bot.outcomes import Outcome
from bot.plans import ResolvedExits
from bot.signals import Signal
from bot.vocabulary import (
    AccountType,
    Category,
    Leg,
    MarketType,
    OrderStatus,
    OutcomeKind,
    Side,
    SignalStatus,
)
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_records import as_read
from tests.telegram.conftest import ARABIC, Person, post_signal, webhook_url
from tests.telegram.rules import assert_right_to_left, visible

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


# --- a long detail, cut ---------------------------------------------------------------------

BYBIT_SAYS = "qty > max & price <= 0 (110017)"  # a reply quoted as Bybit wrote it


def opening(*notes: Failure) -> Outcome:
    """A demo long on BTCUSDT with its stop, take-profit and trailing stop, and `notes` on the
    exits: a line longer than /trades shows."""
    leg = OrderRecord(1, 1, Leg.OPEN, "x-1-o", AccountType.DEMO, Category.LINEAR, "BTCUSDT",
                      Side.BUY, D("0.002"), False, OrderStatus.FILLED, leverage=10,
                      filled_qty=D("0.002"), avg_price=D("50000"))
    exits = ResolvedExits(Side.BUY, D("50000"), D("0.002"), stop_loss=D("49000"),
                          take_profit=D("52000"), trailing=D("150"), activation=D("50500"))
    return Outcome(SignalStatus.DONE, OutcomeKind.OPENED, "BTCUSDT", "buy", AccountType.DEMO,
                   MarketType.FUTURES, legs=(leg,), leverage=10, exits=exits, exit_notes=notes)


async def finished(service: Service, user_id: int, outcome: Outcome, lang: str) -> str:
    """Journal a signal that came to `outcome`; return its whole line in `lang`, as written
    for /trades before it is cut."""
    journaled = await service.journal.record(JournalEntry(
        user_id, "personal", "203.0.113.9", "{}", Signal("BTCUSDT", "buy"), None, EVENING))
    await service.journal.finish(journaled.signal_id, SignalStatus.DONE,
                                 result="opened long", outcome=outcome.to_json())
    record = await service.journal.get(journaled.signal_id)
    assert record is not None
    line = record_line(lang, record)
    assert len(line) > DETAIL_CHARS  # the story needs a line that is cut
    return line


def parses(text: str) -> bool:
    """Telegram's HTML: every tag closed in order, every `&` a whole entity."""
    opened = []
    for closing, name in re.findall(r"<(/?)(\w+)[^>]*>", text):
        if not closing:
            opened.append(name)
        elif not opened or opened.pop() != name:
            return False
    return not opened and re.search(r"&(?!(?:lt|gt|amp|quot|#\d+);)", text) is None


def opened_isolates(text: str) -> int:
    return text.count(LRI) - text.count(PDI)


async def test_a_long_detail_is_cut_once_escaped_and_parses(
        service: Service, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    notes = [Failure("exits", "exits.target_refused", {"n": n, "reply": BYBIT_SAYS})
             for n in (1, 2, 3, 4)]
    line = await finished(service, user.id, opening(*notes), "en")
    text = (await trader.ask("/trades", "Signals 1–1")).text or ""
    assert "&amp;lt;" not in text and "&amp;amp;" not in text and parses(text)
    detail = visible(text).split("\n")[-1]
    assert detail == "↳ " + line[:DETAIL_CHARS - 1] + "…"  # what Bybit said, as it said it
    assert "target 2 was refused: qty > max & price <= 0" in detail


async def test_an_arabic_detail_cut_in_a_command_closes_its_isolate(
        service: Service, fake_telegram: FakeTelegram, approved: Approve) -> None:
    layla = Person(fake_telegram, 6003, first_name="ليلى", language_code="ar")
    user = await approved(layla, **ARABIC)
    margin = Failure("insufficient_balance", "insufficient_balance.margin", {"account": "demo"})
    line = await finished(service, user.id, opening(Failure("exits", "exits.not_placed",
                                                             {"cause": margin})), "ar")
    assert opened_isolates(line[:DETAIL_CHARS - 1]) == 1  # the cut falls in /set leverage …
    text = (await layla.ask("/trades", "الإشارات")).text or ""
    assert parses(text)
    assert_right_to_left(text, "/trades")  # every isolate closed, each line read right to left
    detail = as_read(visible(text)).split("\n")[-1]
    assert detail.startswith("النتيجة: فُتح") and detail.endswith("(/set lever…")
    assert len(detail) - len("النتيجة: ") <= DETAIL_CHARS


# The cut of a plain line: (text, limit, what is kept).
CUTS = [
    ("a short line", 12, "a short line"),
    ("a longer line", 12, "a longer li…"),
    (f"خفّض ({LRI}/set leverage …{PDI})", 12, f"خفّض ({LRI}/se{PDI}…"),  # closed, in the room
    (f"abc{LRI}10x{PDI} def", 6, "abc…"),  # cut right after LRI: no empty isolate
    (f"{LRI}10x{PDI} leverage", 8, f"{LRI}10x{PDI} l…"),  # a whole isolate stays as it is
    (f"{LRI}a {LRI}b{PDI} c{PDI} d", 6, f"{LRI}a {PDI}…"),  # nested: both accounted for
    (f"{LRI}BTCUSDT{PDI}", 9, f"{LRI}BTCUSDT{PDI}"),
    (f"{LRI}BTCUSDT{PDI}", 8, f"{LRI}BTCUS{PDI}…"),
]


@pytest.mark.parametrize(("text", "limit", "kept"), CUTS)
def test_a_line_is_cut_without_leaving_an_isolate_open(text: str, limit: int,
                                                       kept: str) -> None:
    assert shorten(text, limit) == kept


LINES = st.lists(st.one_of(st.text("ab ابت<&."), st.text("ab1/ .", min_size=1).map(
    lambda inner: f"{LRI}{inner}{PDI}"))).map("".join)


@given(LINES, st.integers(min_value=2, max_value=40))
def test_any_cut_line_fits_and_keeps_its_isolates_balanced(text: str, limit: int) -> None:
    cut = shorten(text, limit)
    assert len(cut) <= limit and opened_isolates(cut) == 0
    assert cut == text if len(text) <= limit else (
        cut.endswith("…") and text.startswith(cut[:-1].rstrip(PDI)))
