"""/sl, /trail and the SL → break-even and Trailing buttons: bad input gets a reply saying what to
type and journals nothing; good input journals a `set_stop`, `break_even` or `set_trailing`
signal (route telegram) and hands it to the trader's lane, whose report says it came from
Telegram. What the trading core then does with the position is covered by the trading tests
(bot/trading: the planner and runner's protect actions); here, the Telegram side."""

from __future__ import annotations

from decimal import Decimal

import aiohttp

from bot.app import Service
from bot.db import SignalRecord
from bot.plans import ExitPlan, Level
from bot.trading.dispatcher import Job
from tests.conftest import move_price
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.telegram.conftest import Person, post_signal, webhook_url
from tests.telegram.positions_kit import (
    DEMO_KEY,
    DEMO_SECRET,
    Approve,
    assert_arabic_lines,
    demo_long,
    open_paper_long,
    position_card,
    press,
    signal_id_in,
    telegram_report,
)

D = Decimal
KEY = "p:BTCUSDT:B:0.02"


async def journaled(service: Service, user_id: int) -> list[SignalRecord]:
    return await service.journal.recent(user_id, 50)


async def sent_action(service: Service, fake: FakeTelegram, trader: Person, command: str,
                      expect: str) -> SignalRecord:
    """Type an action; return its journal row once its report has arrived."""
    mark = fake.mark()
    reply = await trader.ask(command, expect)
    signal_id = signal_id_in(reply)
    await telegram_report(fake, trader.id, signal_id, mark)
    record = await service.journal.get(signal_id)
    assert record is not None and record.route == "telegram" and record.signal is not None
    return record


async def test_sl_and_trail_refuse_bad_input_and_journal_nothing(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await trader.ask("/sl ETHUSDT 2900", "No open ETHUSDT futures position")
    await open_paper_long(service, http, fake_telegram, fake_bybit, user, mark=50000)
    before = await journaled(service, user.id)
    refusals = {
        "/sl": "Send <code>/sl BTCUSDT 49000</code> to set the stop-loss at a price",
        "/sl BTCUSDT": "or <code>/sl BTCUSDT be</code> to move it to the entry price",
        "/sl BTCUSDT abc": "“abc” is not a stop-loss price. Send a price above zero",
        "/sl BTCUSDT -5": "“-5” is not a stop-loss price",
        "/sl BTCUSDT 0": "“0” is not a stop-loss price",
        "/sl BTCUSDT 2%": "“2%” is not a stop-loss price",
        "/sl {{ticker}} 49000": "is not a symbol. Send it like <code>BTCUSDT</code>",
        "/sl BTCUSDT 50500": "A long's stop-loss must be below the mark price 50,000.00, and "
                             "50,500 is not",
        "/trail": "Send <code>/trail BTCUSDT 1%</code> for a trailing stop",
        "/trail BTCUSDT 0%": "“0%” is not a trailing distance",
        "/trail BTCUSDT 100%": "“100%” is not a trailing distance",
        "/trail BTCUSDT -1": "“-1” is not a trailing distance. Send a distance above zero such "
                             "as <code>/trail BTCUSDT 500</code>",
        "/trail BTCUSDT far": "“far” is not a trailing distance",
    }
    for command, answer in refusals.items():
        await trader.ask(command, answer)
    assert await journaled(service, user.id) == before
    await trader.ask("/set market spot", "Market set to spot")
    await trader.ask("/sl BTCUSDT 49000", "Your market is spot")
    await trader.ask("/trail BTCUSDT 1%", "Your market is spot")
    assert await journaled(service, user.id) == before


async def test_sl_and_trail_journal_their_action_and_queue_it(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve,
        submitted: list[Job]) -> None:
    user = await approved(trader)
    await open_paper_long(service, http, fake_telegram, fake_bybit, user, mark=50000)

    stop = await sent_action(service, fake_telegram, trader, "/sl btcusdt 49,000",
                             "Stop-loss of BTCUSDT to 49,000: signal #")
    assert (stop.signal.symbol, stop.signal.action) == ("BTCUSDT", "set_stop")
    assert stop.signal.exits == ExitPlan(stop_loss=Level(D(49000)))
    assert stop.status not in ("queued", "processing")  # it ran in the lane

    even = await sent_action(service, fake_telegram, trader, "/sl BTCUSDT be",
                             "Stop-loss of BTCUSDT to break-even: signal #")
    assert (even.signal.action, even.signal.exits) == ("break_even", None)

    trailing = await sent_action(service, fake_telegram, trader, "/trail BTCUSDT 1%",
                                 "Trailing stop of 1% on BTCUSDT: signal #")
    assert trailing.signal.action == "set_trailing"
    assert trailing.signal.exits == ExitPlan(trailing=Level(D(1), percent=True))
    distance = await sent_action(service, fake_telegram, trader, "/trail BTCUSDT 1,500",
                                 "Trailing stop of 1,500 on BTCUSDT: signal #")
    assert distance.signal.exits == ExitPlan(trailing=Level(D(1500)))

    queued = [(job.signal_id, job.signal.action) for job in submitted
              if job.route == "telegram"]
    assert queued == [(stop.id, "set_stop"), (even.id, "break_even"),
                      (trailing.id, "set_trailing"), (distance.id, "set_trailing")]


async def test_the_break_even_and_trailing_buttons(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve,
        submitted: list[Job]) -> None:
    user = await approved(trader)
    await open_paper_long(service, http, fake_telegram, fake_bybit, user)
    card = await position_card(trader)

    asked = await press(trader, card, f"pos:tr:{KEY}", "Trailing distance")
    assert asked.text == "Trailing distance? e.g. <code>/trail BTCUSDT 1%</code>"
    assert asked.message_id != card.message_id  # the card stays as it was

    mark = fake_telegram.mark()
    noted = await press(trader, card, f"pos:be:{KEY}", "break-even: signal #")
    assert (noted.text or "").split("\n\n")[1].startswith("📈 <b>BTCUSDT</b>")  # card below
    signal_id = signal_id_in(noted)
    await telegram_report(fake_telegram, trader.id, signal_id, mark)
    record = await service.journal.get(signal_id)
    assert record is not None and record.signal is not None
    assert (record.route, record.signal.action, record.signal.symbol) == (
        "telegram", "break_even", "BTCUSDT")
    assert [job.signal_id for job in submitted if job.route == "telegram"] == [signal_id]


async def test_an_arabic_trader_gets_arabic_refusals_and_confirmations(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await trader.ask("/language ar", "اللغة")
    await open_paper_long(service, http, fake_telegram, fake_bybit, user, mark=50000,
                          report="الإشارة #")
    for command, answer in (("/sl", "أرسل"), ("/sl BTCUSDT abc", "ليست سعرًا صالحًا"),
                            ("/sl BTCUSDT 50500", "يجب أن يكون أقل من سعر العلامة"),
                            ("/trail BTCUSDT 150%", "ليست مسافة صالحة"),
                            ("/sl SOLUSDT 100", "لا يوجد مركز عقود آجلة مفتوح")):
        assert_arabic_lines((await trader.ask(command, answer)).text or "", "BTCUSDT",
                            "SOLUSDT")
    sent = await trader.ask("/sl BTCUSDT 49000", "جارٍ وضع وقف الخسارة")
    assert_arabic_lines(sent.text or "", "BTCUSDT")
    assert "\u206649,000\u2069" in (sent.text or "")


async def hedged_account(service: Service, trader: Person, fake_bybit: FakeBybit) -> None:
    """A demo account in hedge mode at the fake Bybit with both sides of BTCUSDT open: a long
    of 0.02 at 48,000 and a short of 0.01 at 52,000; the mark at 50,000."""
    account = fake_bybit.add_account(DEMO_KEY, DEMO_SECRET, env="demo", usdt="5000",
                                     position_mode="hedge")
    for idx, side, size, price in ((1, "Buy", "0.02", 48000), (2, "Sell", "0.01", 52000)):
        row = account.position("BTCUSDT", idx)
        row.side, row.size, row.avg_price = side, D(size), D(price)
    await service.users.set_api_keys(trader.id, "demo", DEMO_KEY, DEMO_SECRET)
    await trader.ask("/set account demo", "Account set to demo")
    await move_price(service, fake_bybit, "BTCUSDT", 50000)


async def test_with_both_sides_open_each_action_protects_the_side_it_was_for(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    await approved(trader)
    await hedged_account(service, trader, fake_bybit)
    account = fake_bybit.account(DEMO_KEY)
    long, short = account.position("BTCUSDT", 1), account.position("BTCUSDT", 2)
    mark = fake_telegram.mark()
    await trader.ask("/positions", "📂")
    card = await fake_telegram.wait_for_message(trader.id, "<b>BTCUSDT</b> · short",
                                                since=mark)

    noted = await press(trader, card, "pos:be:d:BTCUSDT:S:0.01", "break-even: signal #")
    report = await telegram_report(fake_telegram, trader.id, signal_id_in(noted), mark)
    assert "Stop-loss" in (report.text or "")
    assert D(51900) < short.stop_loss < D(52000)  # the short's break-even (its entry, fees)
    assert long.stop_loss == 0  # the long's untouched
    record = await service.journal.get(signal_id_in(noted))
    assert record is not None and record.signal is not None
    assert (record.signal.action, record.signal.position) == ("break_even", "short")

    asked = await press(trader, card, "pos:tr:d:BTCUSDT:S:0.01", "Trailing distance")
    assert asked.text == "Trailing distance? e.g. <code>/trail BTCUSDT 1% short</code>"
    await trader.ask("/sl BTCUSDT 47000", "Both a long and a short BTCUSDT are open: say "
                     "which, <code>/sl BTCUSDT 47000 long</code> or <code>/sl BTCUSDT 47000 "
                     "short</code>.")
    await trader.ask("/trail BTCUSDT 1% sideways", "“sideways” is not a side")
    await trader.ask("/sl BTCUSDT 51000 long", "A long's stop-loss must be below the mark")
    stop = await sent_action(service, fake_telegram, trader, "/sl BTCUSDT 47000 long",
                             "Stop-loss of BTCUSDT to 47,000: signal #")
    assert (stop.signal.action, stop.signal.position) == ("set_stop", "long")
    assert long.stop_loss == D(47000) and D(51900) < short.stop_loss < D(52000)
    trailing = await sent_action(service, fake_telegram, trader, "/trail BTCUSDT 500 Short",
                                 "Trailing stop of 500 on BTCUSDT: signal #")
    assert trailing.signal.position == "short" and trailing.status == "done"
    assert (short.trailing_stop, long.trailing_stop) == (D(500), D(0))


async def test_a_break_even_never_moves_the_stop_of_a_position_an_alert_ahead_of_it_opened(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await demo_long(service, http, fake_telegram, fake_bybit, trader, approved)
    card = await position_card(trader)
    # A sell alert reverses the long to a short; its first order is still on its way when the
    # trader presses SL → break-even on the long's card, so the move waits behind it.
    held = fake_bybit.hold("/v5/order/create")
    status, _ = await post_signal(http, service, webhook_url(service, user),
                                  {"symbol": "BTCUSDT", "action": "sell", "price": 50000})
    assert status == 200
    await held.arrived()
    mark = fake_telegram.mark()
    noted = await press(trader, card, "pos:be:d:BTCUSDT:B:0.02", "break-even: signal #")
    held.release()
    report = await telegram_report(fake_telegram, trader.id, signal_id_in(noted), mark)
    await service.dispatcher.join()
    short = fake_bybit.account(DEMO_KEY).position("BTCUSDT")
    assert (short.side, short.size, short.stop_loss) == ("Sell", D("0.02"), 0)
    assert [r for r in fake_bybit.requests if r.path == "/v5/position/trading-stop"] == []
    assert (report.text or "").splitlines()[1] == (
        f"ℹ️ <b>BTCUSDT</b> · break-even · signal #{signal_id_in(noted)}: no long BTCUSDT "
        "position to protect; nothing done.")
