"""/positions shows each position's plan: the ladder's targets (n of N, price, qty, ✓ once
filled) and the move to break-even, in English and in Arabic with numbers in LTR isolates; the
card's buttons stay as they are."""

from __future__ import annotations

import aiohttp

from bot.app import Service
from tests.conftest import move_price
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.telegram.conftest import Person
from tests.telegram.positions_kit import (
    LRI,
    PDI,
    RLM,
    Approve,
    assert_arabic_lines,
    position_card,
    press,
    trade,
)

LADDER = {"symbol": "BTCUSDT", "action": "buy", "price": 50000, "sl": "2%",
          "tps": [{"price": 50500, "qty_percent": 50}, {"price": 51000}], "be_after": 1}
KEY = "p:BTCUSDT:B:0.02"


async def fill_target_1(service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
                        chat: int, told: str) -> None:
    """Move the price past target 1 and wait until the trader was told it filled."""
    mark = fake_telegram.mark()
    await move_price(service, fake_bybit, "BTCUSDT", 50600)
    await fake_telegram.wait_for_message(chat, told, since=mark)


async def test_the_card_shows_the_targets_and_break_even_and_then_the_fill(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await trade(service, http, fake_telegram, user, LADDER)
    await fake_bybit.wait_for_public_subscription("linear", "BTCUSDT")

    card = await position_card(trader)
    assert (card.text or "").splitlines()[4:] == [
        "Liq. — · TP — · SL 49,000.00",
        "🎯 Target 1 of 2: 0.01 at 50,500.00",
        "🎯 Target 2 of 2: 0.01 at 51,000.00",
        "🛡 Stop to break-even after target 1",
        "Held 0 minutes"]
    assert [data for _, data in card.buttons()] == [
        f"pos:c:{KEY}:25", f"pos:c:{KEY}:50", f"pos:c:{KEY}:75", f"pos:c:{KEY}:100",
        f"pos:be:{KEY}", f"pos:tr:{KEY}", f"pos:r:{KEY}"]

    await fill_target_1(service, fake_telegram, fake_bybit, trader.id, "target 1 of 2 filled")
    refreshed = await press(trader, card, f"pos:r:{KEY}", "Target 1 of 2")
    assert refreshed.message_id == card.message_id
    assert (refreshed.text or "").splitlines()[1:] == [
        "Size 0.01 · value 506.00 USDT",
        "Entry 50,000.00 · mark 50,600.00",
        "Unrealised PnL: profit +6.00 USDT (+12.00%)",
        "Liq. — · TP — · SL 50,000.00",  # at break-even: the entry
        "🎯 Target 1 of 2: 0.01 at 50,500.00 ✓ filled",
        "🎯 Target 2 of 2: 0.01 at 51,000.00",
        "🛡 Stop moved to break-even (after target 1) ✓",
        "Held 0 minutes"]
    assert [data for _, data in refreshed.buttons()] == [
        data.replace(":0.02", ":0.01") for _, data in card.buttons()]


async def test_an_arabic_trader_reads_the_plan_with_numbers_in_isolates(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await trader.ask("/language ar", "اللغة")
    await trade(service, http, fake_telegram, user, LADDER, report="الإشارة #")
    await fake_bybit.wait_for_public_subscription("linear", "BTCUSDT")
    await fill_target_1(service, fake_telegram, fake_bybit, trader.id, "تحقق الهدف")

    card = await position_card(trader)
    text = card.text or ""
    assert_arabic_lines(text, "BTCUSDT", "USDT")
    lines = [line.removeprefix(RLM) for line in text.splitlines()]
    assert (f"🎯 الهدف {LRI}1{PDI} من {LRI}2{PDI}: {LRI}0.01{PDI} عند {LRI}50,500.00{PDI}"
            " ✓ نُفّذ") in lines
    assert f"🎯 الهدف {LRI}2{PDI} من {LRI}2{PDI}: {LRI}0.01{PDI} عند {LRI}51,000.00{PDI}" \
        in lines
    assert f"🛡 نُقل وقف الخسارة إلى التعادل (بعد الهدف {LRI}1{PDI}) ✓" in lines
    assert len(card.buttons()) == 7
