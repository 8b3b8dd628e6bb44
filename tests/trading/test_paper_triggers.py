"""Paper accounts on live prices: a take-profit or stop-loss reached by a tick closes the
position, through the journal and the user's lane like any alert.

The whole service runs in-process; prices move at the fake Bybit and reach the service over
its public ticker stream.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from bot.db.paper import PaperExits
from bot.trading.paper_triggers import STOP_LOSS, TAKE_PROFIT, hit
from bot.vocabulary import Side
from tests.conftest import move_price
from tests.fakes.bybit import FakeBybit
from tests.trading.test_service_trading import add_user, run, start
from tests.watch import SignalWatcher

D = Decimal
DAN = 404


@pytest.mark.parametrize(("side", "price", "expected"), [
    (Side.BUY, "51000", TAKE_PROFIT), (Side.BUY, "51500", TAKE_PROFIT),
    (Side.BUY, "49000", STOP_LOSS), (Side.BUY, "48000", STOP_LOSS),
    (Side.BUY, "50500", None),
    (Side.SELL, "49000", TAKE_PROFIT), (Side.SELL, "51000", STOP_LOSS),
    (Side.SELL, "50500", None),
])
def test_which_exit_a_price_reaches(side: Side, price: str, expected: str | None) -> None:
    target, stop = (D(51000), D(49000)) if side == Side.BUY else (D(49000), D(51000))
    assert hit(PaperExits(1, "BTCUSDT", side, target, stop), D(price)) == expected
    assert hit(PaperExits(1, "BTCUSDT", side, None, None), D(price)) is None


@pytest.mark.parametrize(("action", "move", "route", "pnl"), [
    ("buy", "51200", TAKE_PROFIT, D("24")), ("buy", "48800", STOP_LOSS, D("-24")),
    ("sell", "48800", TAKE_PROFIT, D("24")), ("sell", "51200", STOP_LOSS, D("-24")),
])
async def test_a_tick_past_an_exit_closes_the_paper_position_once(
        make_config: Callable[..., Any], start_service: Callable[..., Any],
        fake_bybit: FakeBybit, http: aiohttp.ClientSession, action: str, move: str,
        route: str, pnl: Decimal) -> None:
    service = await start(make_config, start_service, fake_bybit)
    token = await add_user(service, DAN)
    long = action == "buy"
    exits = {"take_profit": 51000 if long else 49000, "stop_loss": 49000 if long else 51000}
    opened = await run(service, http, DAN, token, {"symbol": "BTCUSDT", "action": action,
                                                   "price": 50000, **exits})
    assert opened.status == "done", opened.error
    await fake_bybit.wait_for_public_subscription("linear", "BTCUSDT")
    watcher = SignalWatcher(service.events, [DAN])

    await move_price(service, fake_bybit, "BTCUSDT", move)
    closing = await watcher.wait_for_route(route)
    await watcher.wait_final([closing])
    await watcher.close()
    fake_bybit.set_price("BTCUSDT", move[:-1] + "1")  # further past it: nothing more to close
    await service.paper_triggers.idle()

    record = await service.journal.get(closing)
    assert record is not None and record.route == route and record.status == "done"
    assert record.signal is not None and record.signal.price == D(move)
    [leg] = await service.orders.for_signal(closing)
    assert leg.reduce_only and leg.avg_price == D(move)  # filled at the live price
    assert leg.realised_pnl == pnl  # 0.02 BTC × 1,200
    assert (await service.registry.paper(DAN).positions("BTCUSDT")).rows == ()
    assert [r.route for r in await service.journal.recent(DAN)].count(route) == 1
    await fake_bybit.wait_for_public_subscription("linear", "BTCUSDT", present=False)


async def test_a_paper_exit_never_closes_another_account(
        make_config: Callable[..., Any], start_service: Callable[..., Any],
        fake_bybit: FakeBybit, http: aiohttp.ClientSession) -> None:
    service = await start(make_config, start_service, fake_bybit)
    token = await add_user(service, DAN)
    opened = await run(service, http, DAN, token, {"symbol": "BTCUSDT", "action": "buy",
                                                   "price": 50000, "stop_loss": 49000})
    assert opened.status == "done"
    await fake_bybit.wait_for_public_subscription("linear", "BTCUSDT")
    await service.users.update_user_settings(DAN, account_type="demo")  # moved on

    await move_price(service, fake_bybit, "BTCUSDT", "48000")
    await service.paper_triggers.idle()

    assert [r.route for r in await service.journal.recent(DAN)] == ["personal"]
    assert (await service.registry.paper(DAN).positions("BTCUSDT")).long is not None
    assert fake_bybit.order_log == []
