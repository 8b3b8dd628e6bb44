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
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.telegram.conftest import Person
from tests.telegram.positions_kit import (
    Approve,
    assert_arabic_lines,
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
