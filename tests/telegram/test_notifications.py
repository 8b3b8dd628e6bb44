"""One notification per signal, in the owner's language; Telegram's limits never slow a trade."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

import aiohttp

from bot.app import Service
from bot.db import SignalRecord
from bot.db.orders import OrderRecord
from bot.errors import Failure
from bot.events import Subscription
from bot.handlers.reports import format_report, render, report_from_record
from bot.i18n.results import result_line
from bot.models import User
from bot.outcomes import Outcome, SignalFinished
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
from tests.conftest import ADMIN_ID, base_url
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_records import as_read
from tests.telegram.conftest import Person, post_signal, webhook_url
from tests.telegram.rules import visible

Approve = Callable[[Person], Awaitable[User]]
BUY = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}


async def final_event(feed: Subscription, signal_id: int) -> SignalFinished:
    """The hub's event that says the signal reached a final state."""
    while True:
        event = await asyncio.wait_for(feed.next(), 5)
        assert event is not None
        if isinstance(event, SignalFinished) and event.signal_id == signal_id:
            assert event.status in ("done", "failed")
            return event


async def test_a_429_from_telegram_delays_the_notification_but_not_the_trades(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    feed = service.events.subscribe(trader.id)
    fake_telegram.fail_next("sendMessage", status=429, retry_after=2)
    mark = fake_telegram.mark()
    _, first = await post_signal(http, service, webhook_url(service, user), BUY)
    await final_event(feed, first["signal_id"])
    refused = await fake_telegram.wait_for_call("sendMessage", lambda c: c.status == 429,
                                                since=mark)
    # While the notifier waits out Telegram's retry_after, the next signal trades at once.
    _, second = await post_signal(http, service, webhook_url(service, user),
                                  {"symbol": "BTCUSDT", "action": "close", "price": 50100})
    await final_event(feed, second["signal_id"])
    traded_at = time.monotonic()
    record = await service.journal.get(second["signal_id"])
    assert record is not None and record.status == "done"
    report = await fake_telegram.wait_for_message(trader.id, "signal #1", since=mark)
    assert traded_at < report.call.time
    assert report.call.time - refused.time >= 2.0
    assert "Opened long 0.02 BTCUSDT at 50,000" in (report.text or "")
    await fake_telegram.wait_for_message(trader.id, "signal #2", since=mark)
    await service.bot.notifier.join()
    notified = await service.journal.get(first["signal_id"])
    assert notified is not None and notified.notified_at is not None


async def test_a_failed_signal_says_why_and_what_to_do(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    mark = fake_telegram.mark()
    status, _ = await post_signal(http, service, webhook_url(service, user),
                                  {"symbol": "DOGEUSDT", "action": "buy", "price": 0.1})
    assert status == 200
    report = await fake_telegram.wait_for_message(trader.id, "signal #", since=mark)
    text = report.text or ""
    assert "❌ <b>DOGEUSDT</b> · buy · signal #1: not executed" in text
    assert "Why: DOGEUSDT is not traded on Bybit" in text and "/set market" in text


async def test_legacy_webhook_signals_are_reported_to_the_admins(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession) -> None:
    mark = fake_telegram.mark()
    async with http.post(base_url(service) + "/webhook", data='{"symbol": "BTCUSDT", '
                         '"action": "buy", "price": 50000}') as response:
        assert response.status == 200
    report = await fake_telegram.wait_for_message(ADMIN_ID, "Legacy /webhook", since=mark)
    assert "Opened long 0.02 BTCUSDT at 50,000" in (report.text or "")
    await service.bot.notifier.join()
    assert [m.chat_id for m in fake_telegram.sent_messages(since=mark)] == [ADMIN_ID]


async def test_a_share_widened_to_the_whole_position_says_so(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    fake_bybit.set_instrument("linear", "BTCUSDT", min_order_qty=Decimal("0.002"))
    url = webhook_url(service, user)
    mark = fake_telegram.mark()
    await post_signal(http, service, url, {**BUY, "qty": "0.005"})
    await fake_telegram.wait_for_message(trader.id, "signal #1", since=mark)

    # 80% is 0.004: the 0.001 it would leave is below the 0.002 minimum, so all of it closes.
    await post_signal(http, service, url, {"symbol": "BTCUSDT", "action": "close",
                                           "qty_percent": 80, "price": 50000})
    report = await fake_telegram.wait_for_message(trader.id, "signal #2", since=mark)

    text = report.text or ""
    assert "Closed long 0.005 BTCUSDT at 50,000" in text
    assert "All of it: 80% would have left less than Bybit's minimum order" in text


async def test_close_long_with_a_short_open_says_there_is_no_long(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    url = webhook_url(service, user)
    mark = fake_telegram.mark()
    await post_signal(http, service, url, {**BUY, "action": "sell"})
    await fake_telegram.wait_for_message(trader.id, "signal #1", since=mark)

    await post_signal(http, service, url, {"symbol": "BTCUSDT", "action": "close_long"})
    report = await fake_telegram.wait_for_message(trader.id, "signal #2", since=mark)

    assert (report.text or "") == ("ℹ️ <b>BTCUSDT</b> · close long · signal #2: no long "
                                   "BTCUSDT position to close; nothing done.")
    assert [o.side for o in await service.orders.recent(user.id)] == ["Sell"]


def leg(**overrides: Any) -> OrderRecord:
    values: dict[str, Any] = dict(
        signal_id=7, user_id=1, leg=Leg.OPEN, order_link_id="x-7-o",
        account_type=AccountType.DEMO, category=Category.LINEAR, symbol="ETHUSDT",
        side=Side.SELL, qty=Decimal("0.30"), reduce_only=False, status=OrderStatus.FILLED,
        leverage=3, filled_qty=Decimal("0.300"), avg_price=Decimal("3000.50"))
    values.update(overrides)
    return OrderRecord(**values)


def outcome(**overrides: Any) -> Outcome:
    values: dict[str, Any] = dict(
        status=SignalStatus.DONE, kind=OutcomeKind.OPENED, symbol="ETHUSDT", action="sell",
        account=AccountType.DEMO, market=MarketType.FUTURES, legs=(leg(),), leverage=3)
    values.update(overrides)
    return Outcome(**values)


def report(**overrides: Any) -> SignalFinished:
    values: dict[str, Any] = dict(
        signal_id=7, user_id=1, route="personal", signal=Signal("ETHUSDT", "sell"),
        outcome=outcome())
    values.update(overrides)
    return SignalFinished(**values)


def failure(code: str, key: str = "", **params: Any) -> dict[str, Any]:
    """A failed report's fields: the outcome, with its error as data."""
    return dict(outcome=outcome(status=SignalStatus.FAILED, kind=OutcomeKind.FAILED, legs=(),
                                failure=Failure(code, key, params)))


def test_a_done_report_names_symbol_side_qty_price_leverage_and_account() -> None:
    text = render(report(), "en")
    assert text.splitlines() == ["✅ <b>ETHUSDT</b> · sell · signal #7",
                                 "Opened short 0.3 ETHUSDT at 3,000.5 · leverage 3x",
                                 "Account: demo · futures"]


def test_an_opening_found_after_a_restart_is_reported_without_a_leverage() -> None:
    # Looked up at Bybit for an expired signal: the record has no leverage, nor the outcome.
    expired = report(outcome=outcome(
        status=SignalStatus.EXPIRED, kind=OutcomeKind.EXPIRED, legs=(leg(leverage=None),),
        leverage=None, failure=Failure("expired", params={"max_age": 30})))
    english = render(expired, "en")
    assert "Opened short 0.3 ETHUSDT at 3,000.5" in english.splitlines()
    arabic = render(expired, "ar")
    assert "فُتح مركز بيع بكمية \u20660.3 ETHUSDT\u2069 بسعر \u20663,000.5\u2069" \
        in visible(arabic).splitlines()
    assert "?" not in english + arabic
    opened = outcome(legs=(leg(leverage=None),), leverage=None)
    assert result_line("en", opened) == "opened short 0.3 ETHUSDT at 3,000.5 [demo]"
    assert "?" not in result_line("en", opened) + result_line("ar", opened)


def test_a_reversal_reports_both_legs_with_the_pnl() -> None:
    closing = leg(leg=Leg.CLOSE_SHORT, side=Side.BUY, reduce_only=True, leverage=None,
                  realised_pnl=Decimal("-12.346"))
    text = render(report(outcome=outcome(kind=OutcomeKind.REVERSED, legs=(closing, leg()))),
                  "en")
    assert "Closed short 0.3 ETHUSDT at 3,000.5 · PnL after fees: loss −12.35 USDT (fees " \
        "0.00 USDT)" in text
    assert "Opened short 0.3 ETHUSDT" in text


def test_a_close_reports_its_pnl_after_its_fee_in_both_languages() -> None:
    closing = leg(leg=Leg.CLOSE_LONG, side=Side.SELL, reduce_only=True, leverage=None,
                  realised_pnl=Decimal("24"), fee=Decimal("0.5"), fee_currency="USDT")
    closed = report(outcome=outcome(kind=OutcomeKind.CLOSED, legs=(closing,)))
    # 24 realised, less the close's fee (0.5) and the entry's: at the same rate on the entry
    # price the PnL implies (3000.5 − 24 / 0.3 = 2920.5), 0.5 × 2920.5 / 3000.5 = 0.49
    assert "· PnL after fees: profit +23.01 USDT (fees 0.99 USDT)" in render(closed, "en")
    assert "· بعد خصم الرسوم: ربح \u2066+23.01 USDT\u2069 (الرسوم \u20660.99 USDT\u2069)" \
        in render(closed, "ar")


def test_user_supplied_text_is_escaped() -> None:
    failed = report(**failure("exchange_refused", reply='<script>"x"</script> & more',
                              bybit_code=170000))
    text = render(failed, "en")
    assert "Why: Bybit refused the request: &lt;script&gt;" in text
    assert "<script>" not in text and "&amp; more (code 170000)" in text


def test_an_arabic_reader_gets_the_reason_and_its_fix_in_arabic() -> None:
    failed = report(**failure("no_keys", account="demo"))
    text = render(failed, "ar")
    assert "لم تُنفَّذ" in text
    assert "السبب: لا توجد مفاتيح \u2066API\u2069 محفوظة لحساب تجريبي" in text
    assert "\u2066/keys demo &lt;api_key&gt; &lt;api_secret&gt;\u2069" in text
    assert "\u2066/set account paper\u2069 للتدرّب دون مفاتيح" in text
    english = render(failed, "en")
    assert ("Why: no demo API keys are stored: send /keys demo &lt;api_key&gt; &lt;api_secret&gt;"
            " to the bot, or /set account paper to practise without keys") in english


def test_skipped_and_nothing_to_close_are_explained() -> None:
    skipped = render(report(outcome=outcome(kind=OutcomeKind.SKIPPED, legs=(),
                                            held=Decimal("0.3"), held_side=Side.SELL)), "en")
    assert "skipped — already short 0.3" in skipped and "/set pyramiding on" in skipped
    kept = outcome(kind=OutcomeKind.SKIPPED, legs=(), held=Decimal("0.3"), held_side=Side.SELL,
                   kept=True)  # `"action": "buy", "position": "short"`: a partial exit
    text = render(report(outcome=kept), "en")
    assert ("nothing done — the strategy reduced its short and is still short, so your short "
            "0.3 is kept as it is.") in text and "pyramiding" not in text
    assert "خفّضت الاستراتيجية مركز بيع لديها وما زالت في مركز بيع" in as_read(render(
        report(outcome=kept), "ar"))
    assert result_line("en", kept) == ("already short 0.3 ETHUSDT; the strategy reduced its "
                                       "short and is still short, so the position is kept as "
                                       "it is (nothing done)")
    assert "pyramiding" not in result_line("en", replace(kept, market=MarketType.SPOT))
    nothing = render(report(signal=Signal("ETHUSDT", "close"), outcome=outcome(
        kind=OutcomeKind.NOTHING_TO_CLOSE, legs=())), "en")
    assert "no open ETHUSDT position to close; nothing done." in nothing


async def test_a_report_goes_to_its_owner_only(service: Service, trader: Person,
                                               approved: Approve) -> None:
    await approved(trader)
    messages = await format_report(service.handlers_facade, report(user_id=trader.id))
    assert [chat for chat, _, _ in messages] == [trader.id]
    [(_, _, markup)] = messages
    assert markup is not None  # a futures position was opened: Close and Positions under it
    assert [(b.text, b.callback_data) for row in markup.inline_keyboard for b in row] == [
        ("❌ Close", "pos:x:d:ETHUSDT:S"), ("📂 Positions", "pos:list")]


def test_a_row_from_before_outcomes_were_stored_still_reads_well() -> None:
    record = SignalRecord(
        id=9, user_id=1, route="personal", status=SignalStatus.FAILED,
        signal=Signal("BTCUSDT", "buy"),
        error_code="insufficient_balance", error="not enough free balance on the Bybit demo "
        "account for this order: lower the amount (/set amount …) or the leverage",
        result=None, received_at=0.0, finished_at=1.0, notified_at=None)
    text = render(report_from_record(record), "en")
    assert text.splitlines()[0] == "❌ <b>BTCUSDT</b> · buy · signal #9: not executed"
    assert "Why: not enough free balance" in text
    arabic = render(report_from_record(record), "ar")  # its code's sentence, in Arabic
    assert "السبب: الرصيد المتاح لا يكفي لهذا الأمر" in arabic
    done = render(report_from_record(SignalRecord(
        id=10, user_id=1, route="personal", status=SignalStatus.DONE,
        signal=Signal("BTCUSDT", "close"),
        error_code=None, error=None, result="closed long 0.02 BTCUSDT at 50100 [paper]",
        received_at=0.0, finished_at=1.0, notified_at=None)), "ar")
    assert "الإشارة #10" in as_read(done) and "closed long 0.02 BTCUSDT at 50100" in done


def test_a_paper_exit_says_which_exit_closed_the_position() -> None:
    closing = leg(leg=Leg.CLOSE_LONG, side=Side.SELL, reduce_only=True, leverage=None,
                  realised_pnl=Decimal("24"), account_type=AccountType.PAPER)
    for route, head in (("take_profit", "🎯 <b>Take-profit reached</b>"),
                        ("stop_loss", "🛑 <b>Stop-loss reached</b>")):
        text = render(report(route=route, signal=Signal("BTCUSDT", "close",
                                                        price=Decimal("51200")),
                             outcome=outcome(kind=OutcomeKind.CLOSED, legs=(closing,))), "en")
        assert text.splitlines()[0] == f"{head} at 51,200"
        assert "profit +24.00 USDT" in text
    arabic = render(report(route="stop_loss", signal=Signal("BTCUSDT", "close",
                                                            price=Decimal("48800")),
                           outcome=outcome(kind=OutcomeKind.CLOSED, legs=(closing,))), "ar")
    assert "وقف الخسارة" in arabic.splitlines()[0] and "48,800" in arabic.splitlines()[0]
