"""/profit: realised futures PnL after fees, closing trades, win rate, best and worst symbol —
all time and the last 7 days — checked against the trades the paper account made."""

from __future__ import annotations

import time
from decimal import Decimal

import aiohttp

from bot.app import Service
from bot.db.orders import OrderRecord
from bot.facades import summarise_profit
from bot.vocabulary import AccountType, Category, Leg, OrderStatus, Side
from tests.conftest import move_price
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.telegram.conftest import Person
from tests.telegram.positions_kit import Approve, assert_arabic_lines, trade

D = Decimal
FEE = D("0.00055")  # paper.taker_fee


async def trade_a_week(service: Service, http: aiohttp.ClientSession, fake: FakeTelegram,
                       fake_bybit: FakeBybit, user_id: int, report: str) -> None:
    """BTC: long 0.02 at 50,000, half closed at 50,500 (+5), the rest at 49,500 (-5).
    ETH: long 0.33 at 3,000, closed at 3,100 (+33)."""
    user = await service.users.get_user(user_id)
    assert user is not None

    async def alert(body: dict[str, object]) -> None:
        await trade(service, http, fake, user, body, report=report)

    await alert({"symbol": "BTCUSDT", "action": "buy", "price": 50000})
    await fake_bybit.wait_for_public_subscription("linear", "BTCUSDT")
    await move_price(service, fake_bybit, "BTCUSDT", 50500)
    await alert({"symbol": "BTCUSDT", "action": "close", "qty_percent": 50})
    await move_price(service, fake_bybit, "BTCUSDT", 49500)
    await alert({"symbol": "BTCUSDT", "action": "close"})
    await alert({"symbol": "ETHUSDT", "action": "buy", "price": 3000})
    await fake_bybit.wait_for_public_subscription("linear", "ETHUSDT")
    await move_price(service, fake_bybit, "ETHUSDT", 3100)
    await alert({"symbol": "ETHUSDT", "action": "close"})


async def test_profit_sums_the_closing_trades_after_every_fee(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await trader.ask("/profit", "No futures trades on this account yet")
    await trade_a_week(service, http, fake_telegram, fake_bybit, user.id, "signal #")

    fees = FEE * (D("0.02") * 50000 + D("0.01") * 50500 + D("0.01") * 49500
                  + D("0.33") * 3000 + D("0.33") * 3100)
    assert fees.quantize(D("0.01")) == D("2.21")
    net = D(5) - D(5) + D(33) - fees  # the closes' PnL minus every fee
    legs = [o for o in await service.orders.recent(user.id, 50) if o.reduce_only]
    assert sorted(o.realised_pnl for o in legs if o.realised_pnl is not None) == [-5, 5, 33]
    # an old closing trade: counted over all time, not in the last 7 days
    await service.orders.save(OrderRecord(
        1, user.id, Leg.CLOSE_SHORT, "old-1-cs", AccountType.PAPER, Category.LINEAR,
        "SOLUSDT", Side.BUY, D(1), True, OrderStatus.FILLED, filled_qty=D(1),
        avg_price=D(160), fee=D("0.50"), fee_currency="USDT", realised_pnl=D(-10),
        created_at=time.time() - 10 * 86400))

    shown = (await trader.ask("/profit", "Realised PnL")).text or ""
    all_time = net - D(10) - D("0.50")
    assert shown.split("\n\n")[1:3] == [
        f"<b>All time</b>: profit +{all_time:.2f} USDT after {fees + D('0.50'):.2f} USDT in fees"
        "\nClosing trades: 4, won 2 (50%)"
        "\nBest symbol: ETHUSDT (profit +31.89 USDT)"  # 33 − both ETH fees
        "\nWorst symbol: SOLUSDT (loss −10.50 USDT)",
        f"<b>Last 7 days</b>: profit +{net:.2f} USDT after {fees:.2f} USDT in fees"
        "\nClosing trades: 3, won 2 (67%)"
        "\nBest symbol: ETHUSDT (profit +31.89 USDT)"
        "\nWorst symbol: BTCUSDT (loss −1.10 USDT)",  # +5 − 5 − three BTC fees
    ]
    assert "minus every futures fee paid, opening fees included" in shown


async def test_profit_in_arabic_keeps_numbers_and_symbols_in_isolates(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await trader.ask("/language ar", "اللغة")
    await trade_a_week(service, http, fake_telegram, fake_bybit, user.id, "الإشارة #")
    shown = (await trader.ask("/profit", "الأرباح والخسائر المحققة")).text or ""
    assert_arabic_lines(shown, "BTCUSDT", "ETHUSDT")
    assert "\u2066ETHUSDT\u2069 (ربح \u2066+31.89 USDT\u2069)" in shown and "(67%)\u2069" in shown


def fill(symbol: str, side: Side, *, pnl: str | None = None, fee: str = "1",
         currency: str = "USDT") -> OrderRecord:
    closing = pnl is not None
    return OrderRecord(1, 1, Leg.CLOSE_LONG if closing else Leg.OPEN, f"{symbol}-{pnl}",
                       AccountType.DEMO, Category.LINEAR, symbol, side, D(1), closing,
                       OrderStatus.FILLED, filled_qty=D(1), fee=D(fee), fee_currency=currency,
                       realised_pnl=None if pnl is None else D(pnl))


def test_profit_counts_fees_of_opening_fills_and_wins_above_their_fee() -> None:
    profit = summarise_profit([
        fill("BTCUSDT", Side.BUY), fill("BTCUSDT", Side.SELL, pnl="0.5"),  # gain below its fee
        fill("ETHUSDT", Side.SELL, fee="2"), fill("ETHUSDT", Side.BUY, pnl="30"),
        fill("XRPUSDT", Side.BUY, fee="0.25"),  # still open: its fee counts, it is not ranked
    ])
    assert profit.net == D("0.5") + D(30) - D("1") - D("1") - D("2") - D("1") - D("0.25")
    assert (profit.closing_trades, profit.wins, profit.fees) == (2, 1, D("5.25"))
    assert profit.win_rate == D(50)
    assert profit.best == ("ETHUSDT", D(27)) and profit.worst == ("BTCUSDT", D("-1.5"))
    assert summarise_profit([]).win_rate is None


async def test_help_lists_the_position_commands_and_how_profit_is_counted(
        service: Service, trader: Person, approved: Approve) -> None:
    await approved(trader)
    shown = (await trader.ask("/help", "Commands")).text or ""
    assert "/close &lt;symbol&gt; [25|50|75|100] — Close a position" in shown
    assert "/sl &lt;symbol&gt; &lt;price|be&gt; — Set a position's stop-loss" in shown
    assert "/trail &lt;symbol&gt; &lt;distance|n%&gt; — Set a trailing stop" in shown
    assert ("/profit — Realised PnL after fees (closing fills' gains minus every futures fee, "
            "opening fees included)") in shown
