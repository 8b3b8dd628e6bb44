"""Closing from Telegram: Close n % → a confirmation naming the quantity and the PnL → Confirm
journals an ordinary close signal, whose one report says it came from Telegram. Cancel, an
old confirmation, a second press of the same Confirm, /close typed, a demo account at the
fake Bybit, the buttons under a trade message, and Arabic."""

from __future__ import annotations

import time
from decimal import Decimal

import aiohttp

from bot.app import Service
from bot.handlers.closing import close_qty, close_signal
from bot.signals import Signal
from bot.trading.dispatcher import Job
from bot.trading.models import InstrumentRules, Position
from bot.vocabulary import Category, Side
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_records import as_read
from tests.telegram.conftest import Person, post_signal, webhook_url
from tests.telegram.positions_kit import (
    DEMO_KEY,
    Approve,
    assert_arabic_lines,
    demo_long,
    open_paper_long,
    position_card,
    press,
    reports,
    signal_id_in,
    telegram_report,
)

D = Decimal
KEY = "p:BTCUSDT:B:0.02"


async def paper_size(service: Service, user_id: int) -> Decimal:
    rows = (await service.registry.paper(user_id).positions("BTCUSDT")).rows
    return rows[0].size if rows else D(0)


async def test_close_half_by_button_asks_then_closes_it_with_one_report(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve,
        submitted: list[Job]) -> None:
    user = await approved(trader)
    await open_paper_long(service, http, fake_telegram, fake_bybit, user, mark=50500)
    card = await position_card(trader)

    question = await press(trader, card, f"pos:c:{KEY}:50", "Close 50%")
    lines = (question.text or "").splitlines()
    assert question.message_id == card.message_id  # the card became the question
    assert lines[:3] == ["⚠️ <b>Close 50% of your long BTCUSDT?</b>",
                         "Quantity: 0.01 BTC of 0.02",  # floored to the 0.001 step
                         "Expected PnL at the mark 50,500.00: profit +5.00 USDT (before fees)"]
    [(confirm, ok), (cancel, no)] = question.buttons()
    assert (confirm, cancel) == ("✅ Confirm", "Cancel")
    assert ok.startswith(f"pos:ok:{KEY}:50:") and no == f"pos:no:{KEY}"
    assert await paper_size(service, user.id) == D("0.02")  # nothing before Confirm

    mark = fake_telegram.mark()
    sent = await press(trader, question, ok, "Closing 50%")
    signal_id = signal_id_in(sent)
    assert sent.buttons() == []
    report = await telegram_report(fake_telegram, trader.id, signal_id, mark)
    await service.dispatcher.join()
    await service.bot.notifier.join()
    assert await paper_size(service, user.id) == D("0.01")
    assert (report.text or "").splitlines()[:3] == [
        "📱 <b>From Telegram</b>", f"✅ <b>BTCUSDT</b> · close long · signal #{signal_id}",
        "Closed long 0.01 BTCUSDT at 50,500 · PnL after fees: profit +4.45 USDT (fees 0.55 "
        "USDT)"]
    assert len(reports(fake_telegram, trader.id, signal_id, mark)) == 1
    record = await service.journal.get(signal_id)
    assert record is not None and record.route == "telegram" and record.status == "done"
    assert record.signal is not None and record.signal.action == "close_long"
    assert record.signal.qty_percent == D(50)
    assert [j.signal_id for j in submitted if j.route == "telegram"] == [signal_id]


async def test_cancel_and_an_old_confirmation_send_nothing(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await open_paper_long(service, http, fake_telegram, fake_bybit, user)
    card = await position_card(trader)
    journaled = len(await service.journal.recent(user.id, 50))

    question = await press(trader, card, f"pos:c:{KEY}:25", "Close 25%")
    back = await press(trader, question, f"pos:no:{KEY}", "Cancelled")
    assert (back.text or "").startswith("Cancelled: nothing was sent.\n\n📈 <b>BTCUSDT</b>")
    assert ("Close 25%", f"pos:c:{KEY}:25") in back.buttons()  # the card is back

    question = await press(trader, back, f"pos:c:{KEY}:75", "Close 75%")
    old = f"pos:ok:{KEY}:75:{_base36(int(time.time()) - 240)}"  # made four minutes ago
    expired = await trader.press_data(question, old, "expired")
    assert "confirmation expired (after 3 minutes): nothing was sent" in (expired.text or "")
    assert len(await service.journal.recent(user.id, 50)) == journaled
    assert await paper_size(service, user.id) == D("0.02")


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while number:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
    return text


async def test_close_typed_asks_the_same_and_says_what_to_type(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await trader.ask("/close", "Send <code>/close BTCUSDT</code> to close all of a position")
    await trader.ask("/close BTCUSDT 30", "“30” is not a share I can close. Send 25% | 50% "
                     r"\| 75% \| 100%")
    await trader.ask("/close {{ticker}}", "is not a symbol")
    await trader.ask("/close BTCUSDT", "No open BTCUSDT futures position on the paper account")
    assert await service.journal.recent(user.id, 50) == []
    await open_paper_long(service, http, fake_telegram, fake_bybit, user)

    question = await trader.ask("/close btcusdt", "Close 100%")
    assert "Quantity: 0.02 BTC of 0.02" in (question.text or "")
    [(_, ok), _] = question.buttons()
    mark = fake_telegram.mark()
    sent = await press(trader, question, ok, "Closing 100%")
    await telegram_report(fake_telegram, trader.id, signal_id_in(sent), mark)
    assert await paper_size(service, user.id) == 0
    record = await service.journal.get(signal_id_in(sent))
    assert record is not None and record.signal is not None
    assert (record.signal.action, record.signal.qty_percent) == ("close_long", None)

    await trader.ask("/set market spot", "Market set to spot")
    await trader.ask("/close BTCUSDT", "Your market is spot")


async def test_the_same_confirm_twice_is_journaled_once_and_run_once(
        service: Service, trader: Person, approved: Approve, submitted: list[Job]) -> None:
    user = await approved(trader)
    signal = Signal("BTCUSDT", "close", qty_percent=D(50), client_id="tg-7-abc")
    first = await service.handlers_facade.submit_action(user.id, signal)
    again = await service.handlers_facade.submit_action(user.id, signal)
    assert again == first
    assert [job.signal_id for job in submitted] == [first]
    statuses = [r.status for r in await service.journal.recent(user.id, 10)]
    assert statuses.count("duplicate") == 1


async def test_a_demo_trader_closes_half_at_bybit(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    await demo_long(service, http, fake_telegram, fake_bybit, trader, approved)
    account = fake_bybit.account(DEMO_KEY)
    assert account.position("BTCUSDT").size == D("0.02")
    card = await position_card(trader)
    assert "Size 0.02" in (card.text or "")

    question = await press(trader, card, "pos:c:d:BTCUSDT:B:0.02:50", "Close 50%")
    assert "Quantity: 0.01 BTC of 0.02" in (question.text or "")
    [(_, ok), _] = question.buttons()
    mark = fake_telegram.mark()
    sent = await press(trader, question, ok, "Closing 50%")
    signal_id = signal_id_in(sent)
    report = await telegram_report(fake_telegram, trader.id, signal_id, mark)
    await service.dispatcher.join()
    await service.bot.notifier.join()
    assert account.position("BTCUSDT").size == D("0.01")
    assert "From Telegram" in (report.text or "") and "Closed long 0.01 BTCUSDT" in (
        report.text or "")
    assert len(reports(fake_telegram, trader.id, signal_id, mark)) == 1
    [leg] = await service.orders.for_signal(signal_id)
    assert leg.reduce_only and leg.account_type == "demo" and leg.order_link_id.endswith(
        f"-{signal_id}-cl")  # its own orderLinkId


async def test_a_confirmed_close_never_closes_the_position_an_alert_ahead_of_it_opened(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await demo_long(service, http, fake_telegram, fake_bybit, trader, approved)
    card = await position_card(trader)
    question = await press(trader, card, "pos:c:d:BTCUSDT:B:0.02:100", "Close 100%")
    [(_, ok), _] = question.buttons()
    # A sell alert reverses the long to a short; its first order is still on its way when
    # the trader confirms closing the long, so the close waits behind it in the lane.
    held = fake_bybit.hold("/v5/order/create")
    status, _ = await post_signal(http, service, webhook_url(service, user),
                                  {"symbol": "BTCUSDT", "action": "sell", "price": 50000})
    assert status == 200
    await held.arrived()
    mark = fake_telegram.mark()
    sent = await press(trader, question, ok, "Closing 100% of your long")
    held.release()
    report = await telegram_report(fake_telegram, trader.id, signal_id_in(sent), mark)
    await service.dispatcher.join()
    short = fake_bybit.account(DEMO_KEY).position("BTCUSDT")
    assert (short.side, short.size) == ("Sell", D("0.02"))  # the alert's short stays open
    assert (report.text or "").splitlines()[1] == (
        f"ℹ️ <b>BTCUSDT</b> · close long · signal #{signal_id_in(sent)}: no long BTCUSDT "
        "position to close; nothing done.")


async def test_a_trade_message_has_close_and_positions_buttons(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    opened = await open_paper_long(service, http, fake_telegram, fake_bybit, user)
    assert opened.buttons() == [("❌ Close", "pos:x:p:BTCUSDT:B"), ("📂 Positions", "pos:list")]

    mark = fake_telegram.mark()
    await trader.press(opened, "Positions", "📂 <b>Positions</b>")
    await fake_telegram.wait_for_message(trader.id, "<b>BTCUSDT</b> · long", since=mark)
    question = await trader.press(opened, "Close", "Close 100%")
    assert question.message_id != opened.message_id  # a new message: the report stays
    assert "Quantity: 0.02 BTC of 0.02" in (question.text or "")
    assert "profit +10.00 USDT" in (question.text or "")
    [(_, ok), _] = question.buttons()
    mark = fake_telegram.mark()
    sent = await press(trader, question, ok, "Closing 100%")
    closed = await telegram_report(fake_telegram, trader.id, signal_id_in(sent), mark)
    assert closed.buttons() == []  # a close report has no buttons
    assert await paper_size(service, user.id) == 0
    gone = await trader.press(opened, "Close", "closed now")
    assert gone.text == "ℹ️ The long BTCUSDT position is closed now."


async def test_an_arabic_trader_closes_with_arabic_lines_and_isolated_numbers(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await trader.ask("/language ar", "اللغة")
    await open_paper_long(service, http, fake_telegram, fake_bybit, user, report="الإشارة #")
    card = await position_card(trader)
    question = await press(trader, card, f"pos:c:{KEY}:50", "هل تريد إغلاق")
    text = question.text or ""
    assert_arabic_lines(text, "BTCUSDT")
    assert "\u20660.01 BTC\u2069" in text and "ربح \u2066+5.00 USDT\u2069" in text
    [(confirm, ok), (cancel, _)] = question.buttons()
    assert (as_read(confirm), cancel) == ("✅ تأكيد", "إلغاء")
    mark = fake_telegram.mark()
    sent = await press(trader, question, ok, "جارٍ إغلاق")
    assert_arabic_lines(sent.text or "", "BTCUSDT")
    report = await telegram_report(fake_telegram, trader.id, signal_id_in(sent), mark)
    assert (report.text or "").splitlines()[0] == "\u200f📱 <b>من تيليجرام</b>"
    refused = await trader.ask("/close BTCUSDT 30", "لا يمكن إغلاقها")
    assert_arabic_lines(refused.text or "", "BTCUSDT")


async def test_a_share_typed_with_arabic_digits_and_percent_sign_is_read(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await trader.ask("/language ar", "اللغة")
    await open_paper_long(service, http, fake_telegram, fake_bybit, user, report="الإشارة #")
    for typed in ("٥٠٪", "50٪", "٥٠"):  # DESIGN §13: what an Arabic keyboard types
        question = await trader.ask(f"/close BTCUSDT {typed}", "هل تريد إغلاق|لا يمكن")
        assert "\u206650%\u2069" in (question.text or ""), (typed, question.text)
        [(_, ok), _] = question.buttons()
        assert ok.startswith(f"pos:ok:{KEY}:50:")


def test_the_quantity_is_floored_to_the_step_and_widened_when_the_rest_is_too_small() -> None:
    rules = InstrumentRules("BTCUSDT", Category.LINEAR, "BTC", "USDT", D("0.10"),
                            qty_step=D("0.001"), min_qty=D("0.001"))
    assert close_qty(D("0.025"), 50, rules) == (D("0.012"), False)
    assert close_qty(D("0.025"), 100, rules) == (D("0.025"), False)
    larger_minimum = InstrumentRules("BTCUSDT", Category.LINEAR, "BTC", "USDT", D("0.10"),
                                     qty_step=D("0.001"), min_qty=D("0.002"))
    assert close_qty(D("0.003"), 75, larger_minimum) == (D("0.003"), True)  # 0.001 would stay


def test_a_close_always_names_the_side_it_was_confirmed_for() -> None:
    short = Position("BTCUSDT", Side.SELL, D("0.02"), D(50000), 0)
    assert close_signal(short, 100) == Signal("BTCUSDT", "close_short")
    assert close_signal(short, 50, client_id="tg-1-a") == Signal(
        "BTCUSDT", "close_short", qty_percent=D(50), client_id="tg-1-a")  # never the long
