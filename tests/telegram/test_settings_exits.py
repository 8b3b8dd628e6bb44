"""A trader's default exits (DESIGN §11): `/set sl|tp|trailing|be`, the /settings line and its
button, in English and Arabic; and an opening whose alert has no exits of its own carrying them
out on the paper exchange, while an alert's own exits win."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.app import Service
from bot.db.paper import PaperBook
from bot.errors import BadSignal
from bot.handlers.settings import Refused
from bot.handlers.settings_exits import EXIT_SETTINGS, parse_exit
from bot.i18n import LRI, PDI
from bot.models import User
from bot.plans import ExitPlan, Level, Target, check_plan
from tests.fakes.telegram import FakeTelegram, SentMessage
from tests.telegram.conftest import Person, post_signal, webhook_url
from tests.telegram.positions_kit import assert_arabic_lines

Approve = Callable[[Person], Awaitable[User]]
D = Decimal


def pct(value: str) -> Level:
    return Level(D(value), percent=True)


@pytest.fixture
async def arabic(fake_telegram: FakeTelegram, admin: Person) -> Person:
    """An approved trader who reads Arabic."""
    layla = Person(fake_telegram, 6101, first_name="ليلى", language_code="ar")
    await layla.ask("/start", "أهلًا بك")
    request = await fake_telegram.wait_for_message(admin.id, f"<code>{layla.id}</code>")
    mark = fake_telegram.mark()
    await admin.press(request, "Approve", "approved")
    await fake_telegram.wait_for_message(layla.id, "تم تفعيل", since=mark)
    return layla


async def test_each_form_is_stored_and_answered_with_every_default_now(
        service: Service, trader: Person, approved: Approve) -> None:
    await approved(trader)
    await trader.ask("/set sl 2%", r"Default stop-loss set to 2% from the entry \(below a long, "
                     r"above a short\)\.\nDefault exits now: <b>stop 2%</b>\. They apply when an "
                     r"alert opens a position without exits of its own\.")
    await trader.ask("/set tp 1%, 2%, 3%", r"Default take-profit ladder set to 1%, 2%, 3% from "
                     r"the entry, each target closing its share of the position \(33\.33%, "
                     r"33\.33%, 33\.34%\)\.")
    await trader.ask("/set trailing 1%", "Default trailing stop set to 1% of the price behind it")
    await trader.ask("/set be 1", r"By default the stop now moves to break-even once target 1 "
                     r"has filled\.\nDefault exits now: <b>stop 2% · targets 1%, 2%, 3% · "
                     r"trailing 1% · break-even after 1</b>")
    settings = await service.users.get_settings(trader.id)
    assert settings.exits == ExitPlan(
        stop_loss=pct("2"), targets=(Target(pct("1")), Target(pct("2")), Target(pct("3"))),
        trailing=pct("1"), be_after=1)

    await trader.ask("/set trailing 1,000", "Default trailing stop set to a distance of 1,000 "
                     "in price")
    await trader.ask("/set tp 5%", "needs at least 2 targets")  # break-even needs a ladder
    assert (await service.users.get_settings(trader.id)).exits == ExitPlan(
        stop_loss=pct("2"), targets=(Target(pct("1")), Target(pct("2")), Target(pct("3"))),
        trailing=Level(D(1000)), be_after=1)  # not changed: "/set tp 5%" was refused


async def test_off_removes_one_default_and_the_last_one_leaves_none(
        service: Service, trader: Person, approved: Approve) -> None:
    await approved(trader)
    await trader.ask("/set sl 1.5%", "Default stop-loss set to 1.5%")
    await trader.ask("/set tp 1%,2%", r"\(50%, 50%\)")
    await trader.ask("/set be 1", "once target 1 has filled")
    await trader.ask("/set be off", "By default the stop no longer moves to break-even")
    await trader.ask("/set tp 4%", "Default take-profit set to 4% from the entry, for the whole "
                     "position")
    await trader.ask("/set tp 1%,2%", "ladder set")
    await trader.ask("/set be 1", "once target 1 has filled")
    await trader.ask("/set tp off", r"The stop is set to move to break-even after target 1, "
                     r"which needs at least 2 targets: send <code>/set be off</code> first")
    await trader.ask("/set be off", "By default the stop no longer moves to break-even")
    await trader.ask("/set tp off", r"Default take-profit turned off\.\nDefault exits now: "
                     r"<b>stop 1\.5%</b>")
    await trader.ask("/set trailing OFF", "Default trailing stop turned off")
    await trader.ask("/set sl off", r"Default stop-loss turned off\.\nDefault exits now: "
                     r"<b>none</b>")
    assert (await service.users.get_settings(trader.id)).exits is None


@pytest.mark.parametrize(("command", "explanation"), [
    ("/set sl 49000", r"“49000” is a price, and a default applies to every symbol, where no one "
                      r"price fits: send a percent of the entry instead, e\.g\. <code>/set sl "
                      r"2%</code>\."),
    ("/set tp 1%,50500", r"“50500” is a price.*<code>/set tp 1%,2%,3%</code>"),
    ("/set sl 0%", r"“0%” is not a stop-loss I can use\. Send a percent of the entry above 0 "
                   r"and below 100, e\.g\. <code>/set sl 2%</code>, or <code>/set sl off</code>"),
    ("/set sl 100%", r"“100%” is not a stop-loss I can use"),
    ("/set sl lots", r"“lots” is not a stop-loss I can use"),
    ("/set sl 1 5%", r"“1 5%” is not a stop-loss I can use"),  # not 15%
    ("/set trailing 2 5%", r"“2 5%” is not a trailing distance"),  # not 25%
    ("/set tp 1%,x", r"“x” is not a take-profit I can use\. .* up to 10 of them separated by "
                     r"commas, e\.g\. <code>/set tp 3%</code> or <code>/set tp 1%,2%,3%</code>"),
    ("/set tp 3%,2%", r"“3%,2%”: the targets go from the nearest to the farthest"),
    ("/set tp 1%,1%", r"the targets go from the nearest to the farthest"),
    ("/set tp " + ",".join(f"{n}%" for n in range(1, 12)),
     r"That is 11 targets, and a ladder holds at most 10"),
    ("/set trailing -1%", r"“-1%” is not a trailing distance\. Send a percent of the price"),
    ("/set trailing 0", r"“0” is not a trailing distance.*<code>/set trailing 200</code>"),
    ("/set be 1", r"Break-even needs a default ladder of two targets or more .* "
                  r"<code>/set tp 1%,2%</code>, then <code>/set be 1</code>"),
    ("/set be 1.5", r"“1\.5” is not a target number"),
    ("/set be 11", r"“11” is not a target number"),
    ("/set sl", r"(?s)Send one setting and its value.*Default exits, in percent of the entry"),
])
async def test_bad_input_changes_nothing_and_says_what_to_type(
        service: Service, trader: Person, approved: Approve, command: str,
        explanation: str) -> None:
    await approved(trader)
    await trader.ask("/set sl 3%", "Default stop-loss set to 3%")
    before = await service.users.get_settings(trader.id)
    await trader.ask(command, explanation)
    assert await service.users.get_settings(trader.id) == before


async def test_break_even_is_checked_against_the_ladder_both_ways(
        service: Service, trader: Person, approved: Approve) -> None:
    await approved(trader)
    await trader.ask("/set tp 1%,2%,3%", "ladder set")
    await trader.ask("/set be 3", r"Your default ladder has 3 targets, so the stop can move to "
                     r"break-even after target 1…2 only .*<code>/set be 2</code>")
    await trader.ask("/set be 2", "once target 2 has filled")
    before = await service.users.get_settings(trader.id)
    await trader.ask("/set tp 1%,2%", r"after target 2, which needs at least 3 targets: send "
                     r"<code>/set be off</code> first, or a ladder that long, e\.g\. "
                     r"<code>/set tp 1%,2%,3%</code>")
    assert await service.users.get_settings(trader.id) == before


async def test_the_menu_shows_the_defaults_and_its_button_explains_the_commands(
        service: Service, trader: Person, approved: Approve) -> None:
    await approved(trader)
    menu = await trader.ask("/settings", "Your settings")
    assert "Default exits: <b>none</b>\nTime zone: <b>UTC</b>" in (menu.text or "")
    for command in ("/set sl 2%", "/set tp 1%,2%,3%", "/set trailing 1%", "/set be 1"):
        await trader.ask(command, "Default exits now")
    menu = await trader.ask("/settings", "Your settings")
    assert ("API keys stored: demo — · real —\nDefault exits: <b>stop 2% · targets 1%, 2%, 3% "
            "· trailing 1% · break-even after 1</b>\n") in (menu.text or "")
    explained = await trader.press(menu, "🎯 Default exits", "Default exits")
    text = explained.text or ""
    for line in ("Stop-loss: <code>/set sl 2%</code>", "Take-profit: <code>/set tp 1%,2%,3%</code>"
                 " — up to 10 targets", "Trailing stop: <code>/set trailing 1%</code>",
                 "<code>/set trailing 200</code> for a distance in price",
                 "Break-even: <code>/set be 1</code>", "Turn one off with <code>/set sl off"
                 "</code>", "Now: <b>stop 2% · targets 1%, 2%, 3% · trailing 1% · break-even "
                 "after 1</b>"):
        assert line in text
    back = await trader.press(explained, "◀️ Back to settings", "Your settings")
    assert "Default exits: <b>stop 2%" in (back.text or "")


async def test_an_arabic_trader_sets_and_reads_the_defaults(
        service: Service, arabic: Person) -> None:
    done = await arabic.ask("/set sl ٢٫٥٪", "تم ضبط وقف الخسارة الافتراضي على")
    assert f"{LRI}2.5%{PDI}" in (done.text or "")
    assert_arabic_lines(done.text or "", "2.5%")
    ladder = await arabic.ask("/set tp 1%،2%", "تم ضبط سلّم جني الأرباح الافتراضي")  # ، too
    assert_arabic_lines(ladder.text or "", "1%", "50%")
    await arabic.ask("/set be 1", "بعد تنفيذ الهدف")
    for command, expect in (("/set sl 49000", "سعر، والإعداد الافتراضي يُطبَّق على كل الرموز"),
                            ("/set tp 3%,2%", "ترتيب الأهداف من الأقرب إلى الأبعد"),
                            ("/set trailing abc", "ليست مسافة صالحة للوقف المتحرك"),
                            ("/set be 2", "يمكن نقل الوقف إلى نقطة التعادل بعد الهدف"),
                            ("/set tp off", "الوقف مضبوط لينتقل إلى نقطة التعادل")):
        refused = await arabic.ask(command, expect)
        assert_arabic_lines(refused.text or "", "/set", "49000")
    await arabic.ask("/set trailing ١٠٠", "على مسافة")
    assert (await service.users.get_settings(arabic.id)).exits == ExitPlan(
        stop_loss=pct("2.5"), targets=(Target(pct("1")), Target(pct("2"))),
        trailing=Level(D(100)), be_after=1)
    menu = await arabic.ask("/settings", "إعداداتك")
    line = next(x for x in (menu.text or "").splitlines() if x.startswith("الخروج الافتراضي"))
    assert line == (f"الخروج الافتراضي: <b>وقف الخسارة {LRI}2.5%{PDI} · الأهداف {LRI}1%, 2%"
                    f"{PDI} · الوقف المتحرك {LRI}100{PDI} · التعادل بعد الهدف {LRI}1{PDI}</b>")
    assert_arabic_lines(line)
    explained = await arabic.press(menu, "🎯 الخروج الافتراضي", "يُستخدم عندما يفتح")
    assert_arabic_lines(explained.text or "", "/set", "sl")
    await arabic.press(explained, "◀️ العودة إلى الإعدادات", "إعداداتك")


async def test_defaults_are_placed_on_paper_unless_the_alert_brings_its_own(
        service: Service, fake_telegram: FakeTelegram, trader: Person, approved: Approve,
        http: aiohttp.ClientSession) -> None:
    user = await approved(trader)
    await trader.ask("/set sl 2%", "Default stop-loss set to 2%")
    await trader.ask("/set tp 1%,2%", "Default take-profit ladder set to 1%, 2%")
    url = webhook_url(service, user)

    report = await alert(service, fake_telegram, http, trader, url,
                         {"symbol": "BTCUSDT", "action": "buy", "price": 50000})
    assert "Opened long 0.02 BTCUSDT at 50,000" in report.text
    assert "🛡 Stop-loss 49,000" in report.text and "Target 2: 0.01 at 51,000" in report.text
    stop, resting = await ledger(service, trader.id)
    assert stop == D(49000)  # 2 % below the fill
    assert [(o.price, o.qty) for o in resting] == [(D(50500), D("0.01")), (D(51000), D("0.01"))]

    await alert(service, fake_telegram, http, trader, url,
                {"symbol": "BTCUSDT", "action": "close", "price": 50000})
    await service.paper_triggers.idle()
    await service.keeper.idle()
    assert await ledger(service, trader.id) == (None, [])

    await alert(service, fake_telegram, http, trader, url,
                {"symbol": "BTCUSDT", "action": "buy", "price": 50000, "sl": "1%"})
    stop, resting = await ledger(service, trader.id)
    assert stop == D(49500) and resting == []  # the alert's own exits, and only those


async def alert(service: Service, fake: FakeTelegram, http: aiohttp.ClientSession,
                person: Person, url: str, body: dict[str, Any]) -> SentMessage:
    """Post an alert; return its report in Telegram once it is done."""
    mark = fake.mark()
    status, answer = await post_signal(http, service, url, body)
    assert status == 200, answer
    return await fake.wait_for_message(person.id, f"signal #{answer['signal_id']}", since=mark)


async def ledger(service: Service, user_id: int) -> tuple[Decimal | None, list[Any]]:
    """The paper BTCUSDT position's stop-loss and its resting targets, by price."""
    start = service.config.paper.start_balance

    def read(conn: Any) -> tuple[Decimal | None, list[Any]]:
        book = PaperBook(conn, user_id, start)
        exits = book.protection("BTCUSDT")
        return (exits.stop_loss if exits else None,
                sorted(book.resting("BTCUSDT"), key=lambda order: order.price))

    return await service.db.read(read)


@given(st.sampled_from(EXIT_SETTINGS), st.text(max_size=12))
def test_whatever_is_typed_the_result_is_refused_or_a_valid_plan(name: str, raw: str) -> None:
    current = ExitPlan(stop_loss=pct("2"), targets=(Target(pct("1")), Target(pct("2"))),
                       be_after=1)
    try:
        plan = parse_exit(name, raw, current)
    except Refused as refusal:
        assert refusal.key.startswith("set.")
        return
    if plan is None:
        return
    try:
        check_plan(plan)
    except BadSignal as error:  # pragma: no cover - the assertion says what went wrong
        raise AssertionError(f"{name} {raw!r} stored a plan check_plan refuses: {error}") \
            from None
    levels = [plan.stop_loss, plan.take_profit, *(t.level for t in plan.targets)]
    assert all(level.percent for level in levels if level is not None)
