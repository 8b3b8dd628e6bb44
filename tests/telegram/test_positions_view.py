"""/positions: each futures position with its numbers and buttons; a button made for a position
that changed only shows it as it is now; the same in Arabic, numbers in LTR isolates."""

from __future__ import annotations

from decimal import Decimal

import aiohttp

from bot.app import Service
from bot.db.orders import OrderRecord
from bot.handlers.position_view import PositionKey, opened_at
from bot.i18n.numbers import price_text, read_number, read_percent
from bot.trading.models import Position
from bot.vocabulary import AccountType, Category, Leg, OrderStatus, Side
from tests.conftest import move_price
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_records import as_read
from tests.telegram.conftest import Person
from tests.telegram.positions_kit import (
    Approve,
    assert_arabic_lines,
    demo_account,
    open_paper_long,
    position_card,
    press,
    trade,
)

D = Decimal
KEY = "p:BTCUSDT:B:0.02"


async def test_positions_shows_a_paper_long_with_its_numbers_and_buttons(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await open_paper_long(service, http, fake_telegram, fake_bybit, user, mark=50500)
    mark = fake_telegram.mark()
    card = await position_card(trader)
    header = [m for m in fake_telegram.sent_messages(trader.id, since=mark)
              if "📂" in (m.text or "")]
    assert header[0].text == ("📂 <b>Positions</b> — paper account\n"
                              "Futures positions: 1, each below with its buttons.")
    assert header[0].index < card.index
    assert (card.text or "").splitlines() == [
        "📈 <b>BTCUSDT</b> · long · 10x",
        "Size 0.02 · value 1,010.00 USDT",  # 0.02 × the mark
        "Entry 50,000.00 · mark 50,500.00",  # to the tick, 0.10
        "Unrealised PnL: profit +10.00 USDT (+10.00%)",  # 10 USDT on a 100 USDT margin
        "Liq. — · TP — · SL —",
        "Held 0 minutes",  # since the opening order, a moment ago
    ]
    assert card.buttons() == [
        ("Close 25%", f"pos:c:{KEY}:25"), ("50%", f"pos:c:{KEY}:50"),
        ("75%", f"pos:c:{KEY}:75"), ("100%", f"pos:c:{KEY}:100"),
        ("🛡 SL → break-even", f"pos:be:{KEY}"), ("〽️ Trailing", f"pos:tr:{KEY}"),
        ("🔄 Refresh", f"pos:r:{KEY}")]

    await move_price(service, fake_bybit, "BTCUSDT", 49000)
    refreshed = await press(trader, card, f"pos:r:{KEY}", "mark 49,000.00")
    assert refreshed.method == "editMessageText" and refreshed.message_id == card.message_id
    assert "Unrealised PnL: loss −20.00 USDT (−20.00%)" in (refreshed.text or "")
    assert "changed" not in (refreshed.text or "")
    assert refreshed.buttons() == card.buttons()


async def test_a_button_of_a_position_an_alert_closed_only_shows_it_is_closed(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await open_paper_long(service, http, fake_telegram, fake_bybit, user)
    card = await position_card(trader)
    await trade(service, http, fake_telegram, user, {"symbol": "BTCUSDT", "action": "close"})
    journaled = len(await service.journal.recent(user.id, 50))

    stale = await press(trader, card, f"pos:c:{KEY}:50", "changed")
    assert (stale.text or "").splitlines() == [
        "ℹ️ This position changed (or is closed): here it is now. Nothing was done.", "",
        "ℹ️ The long BTCUSDT position is closed now."]
    assert stale.buttons() == []
    mark = fake_telegram.mark()
    trader.fake.press_button(trader.id, f"pos:be:{KEY}", message_id=card.message_id or 0)
    again = await fake_telegram.wait_for_call("editMessageText", since=mark)
    assert "closed now" in again.params["text"]  # the same text again: nothing else happened
    assert len(await service.journal.recent(user.id, 50)) == journaled  # nothing sent


async def test_a_button_of_a_position_whose_size_changed_shows_the_new_size(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await open_paper_long(service, http, fake_telegram, fake_bybit, user)
    card = await position_card(trader)
    await trade(service, http, fake_telegram, user,
                {"symbol": "BTCUSDT", "action": "close", "qty_percent": 50})
    journaled = len(await service.journal.recent(user.id, 50))

    fresh = await press(trader, card, f"pos:c:{KEY}:100", "changed")
    assert "Size 0.01 · value 505.00 USDT" in (fresh.text or "")
    assert ("Close 25%", "pos:c:p:BTCUSDT:B:0.01:25") in fresh.buttons()
    assert len(await service.journal.recent(user.id, 50)) == journaled
    size = (await service.registry.paper(user.id).positions("BTCUSDT")).rows[0].size
    assert size == D("0.01")  # the press closed nothing


async def test_a_card_of_another_account_never_says_its_open_position_is_closed(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    opened = await open_paper_long(service, http, fake_telegram, fake_bybit, user)
    card = await position_card(trader)
    await demo_account(service, trader, fake_bybit)  # the paper long stays open
    journaled = len(await service.journal.recent(user.id, 50))

    other = await press(trader, card, f"pos:r:{KEY}", "paper")
    assert (other.text or "") == (
        "ℹ️ This long BTCUSDT position is on your paper account, and you use the demo account "
        "now: nothing was done. Switch back with <code>/set account paper</code>.")
    assert other.buttons() == []
    told = await trader.press(opened, "Close", "paper")
    assert "closed" not in (told.text or "")
    assert len(await service.journal.recent(user.id, 50)) == journaled
    assert (await service.registry.paper(user.id).positions("BTCUSDT")).rows[0].size == D(
        "0.02")


async def test_an_arabic_trader_reads_positions_with_numbers_in_isolates(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await trader.ask("/language ar", "اللغة")
    await open_paper_long(service, http, fake_telegram, fake_bybit, user, report="الإشارة #")
    mark = fake_telegram.mark()
    card = await position_card(trader)
    [header] = [m for m in fake_telegram.sent_messages(trader.id, since=mark)
                if "📂" in (m.text or "")]
    assert "المراكز" in (header.text or "")
    text = card.text or ""
    assert_arabic_lines(header.text or "")
    assert_arabic_lines(text, "BTCUSDT", "USDT")
    assert "\u2066BTCUSDT\u2069" in text and "ربح \u2066+10.00 USDT" in text
    assert "\u206650,500.00\u2069" in text and "ربح" in text
    assert "إغلاق 25٪" in [as_read(label) for label, _ in card.buttons()]


def order(side: Side, qty: str, *, at: float, reduce_only: bool = False,
          symbol: str = "BTCUSDT", account: AccountType = AccountType.PAPER) -> OrderRecord:
    return OrderRecord(1, 1, Leg.OPEN, f"x-{at}", account, Category.LINEAR, symbol, side,
                       D(qty), reduce_only, OrderStatus.FILLED, filled_qty=D(qty),
                       avg_price=D(50000), created_at=at)


def test_a_position_was_opened_by_the_order_before_which_it_was_flat() -> None:
    long = Position("BTCUSDT", Side.BUY, D("0.03"), D(50000), 0)
    newest_first = [
        order(Side.BUY, "0.01", at=50),  # added to it
        order(Side.SELL, "0.01", at=40, reduce_only=True),  # part closed
        order(Side.BUY, "0.03", at=30),  # opened it: flat before
        order(Side.SELL, "0.02", at=20, reduce_only=True),  # an earlier position closed
        order(Side.BUY, "0.02", at=10),
        order(Side.BUY, "5", at=45, symbol="ETHUSDT"),  # other symbols, accounts: not it
        order(Side.BUY, "0.02", at=35, account=AccountType.DEMO),
    ]
    assert opened_at(long, "paper", newest_first) == 30
    reversed_into = Position("BTCUSDT", Side.SELL, D("0.02"), D(50000), 0)
    assert opened_at(reversed_into, "paper", [order(Side.SELL, "0.04", at=70),
                                              order(Side.BUY, "0.02", at=60)]) == 70
    assert opened_at(long, "paper", newest_first[:2]) is None  # the orders stop too soon


def test_button_data_names_the_position_and_fits_telegrams_64_bytes() -> None:
    key = PositionKey("paper", "1000000MOGUSDT", Side.SELL, D("123456789.123"))
    data = key.data("ok", 100, "zzzzzz")
    assert data == "pos:ok:p:1000000MOGUSDT:S:123456789.123:100:zzzzzz"
    assert len(data.encode()) <= 64
    parsed = PositionKey.parse(data.split(":")[2:])
    assert parsed == (key, ["100", "zzzzzz"])
    assert PositionKey.parse(["x", "BTCUSDT", "B", "1"]) is None
    assert PositionKey.parse(["p", "BTCUSDT", "B", "one"]) is None


def test_numbers_are_read_as_people_type_them_and_written_to_the_tick() -> None:
    assert read_number("1,000") == D(1000)
    assert read_number("١٠٠") == D(100)
    assert read_number("١٢٫٥") == D("12.5")
    assert read_number("$100") == read_number("100$") == D(100)
    assert read_number("abc") is None and read_number("nan") is None
    assert read_percent("1%") == D(1) and read_percent("٢٫٥ ٪") == D("2.5")
    assert read_percent("1") is None
    assert price_text(D(50000), D("0.10")) == "50,000.00"
    assert price_text(D("0.61234"), D("0.0001")) == "0.6123"
    assert price_text(None) == "—"
