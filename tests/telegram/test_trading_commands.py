"""/positions, /balance, /trades, /pause and /resume, and the one error handler."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiohttp
import pytest

from bot.app import Service
from bot.models import User
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.telegram.conftest import Person, post_signal, webhook_url

Approve = Callable[[Person], Awaitable[User]]


async def trade(service: Service, http: aiohttp.ClientSession, fake: FakeTelegram,
                user: User, body: dict[str, object]) -> None:
    """Post an alert and wait for its notification."""
    mark = fake.mark()
    status, answer = await post_signal(http, service, webhook_url(service, user), body)
    assert status == 200, answer
    await fake.wait_for_message(user.id, f"signal #{answer['signal_id']}", since=mark)


async def test_positions_and_balance_of_the_paper_account(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await trader.ask("/positions", "No open positions")
    await trader.ask("/balance", "Balance: 10,000.00 USDT")
    await trade(service, http, fake_telegram, user,
                {"symbol": "BTCUSDT", "action": "sell", "price": 50000})
    await trader.ask("/set market spot", "Market set to spot")
    await trade(service, http, fake_telegram, user,
                {"symbol": "ETHUSDT", "action": "buy", "price": 3000})
    mark = fake_telegram.mark()
    positions = (await trader.ask("/positions", "Positions")).text or ""
    assert "ETHUSDT bought by the bot (spot)" in positions
    assert "Futures positions: 1" in positions and "/set market futures" in positions
    card = await fake_telegram.wait_for_message(trader.id, "BTCUSDT", since=mark)
    assert "<b>BTCUSDT</b> · short · 10x" in (card.text or "")
    assert "Size 0.02" in (card.text or "") and "Entry 50,000.00" in (card.text or "")
    assert card.buttons() == []  # the market is spot: no futures buttons
    balance = (await trader.ask("/balance", "Balance")).text or ""
    assert "Available:" in balance and "10,000.00" not in balance


async def test_positions_on_a_bybit_account_come_from_the_exchange(
        service: Service, fake_bybit: FakeBybit, fake_telegram: FakeTelegram,
        http: aiohttp.ClientSession, trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    fake_bybit.add_account("DEMOKEY00001", "DEMOSECRET00001", env="demo", usdt="5000")
    await trader.ask("/keys demo DEMOKEY00001 DEMOSECRET00001", "keys work")
    await trader.ask("/set account demo", "Account set to demo")
    await trade(service, http, fake_telegram, user,
                {"symbol": "ETHUSDT", "action": "buy", "price": 3000})
    mark = fake_telegram.mark()
    positions = (await trader.ask("/positions", "Positions")).text or ""
    assert "demo account" in positions
    card = (await fake_telegram.wait_for_message(trader.id, "ETHUSDT", since=mark)).text or ""
    assert "<b>ETHUSDT</b> · long" in card and "Size 0.33" in card and "Entry 3,000.00" in card
    assert len(fake_bybit.orders_for("DEMOKEY00001")) == 1


async def test_trades_lists_refused_signals_with_the_reason(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await trader.ask("/trades", "No signals yet")
    await trade(service, http, fake_telegram, user,
                {"symbol": "BTCUSDT", "action": "buy", "price": 50000})
    await trader.ask("/pause all", "Trading paused")
    await trader.ask("/pause all", "already paused")
    status, answer = await post_signal(http, service, webhook_url(service, user),
                                       {"symbol": "BTCUSDT", "action": "sell", "price": 50000})
    assert status == 403 and answer["error"] == "paused"
    status, _ = await post_signal(http, service, webhook_url(service, user),
                                  {"symbol": "BTCUSDT", "action": "hold"})
    assert status == 400
    listing = (await trader.ask("/trades", "Signals 1–3")).text or ""
    lines = listing.split("\n\n")
    assert "⛔ #3" in lines[1] and "refused" in lines[1] and "unknown_action" not in lines[1]
    assert "is not known" in lines[1]
    assert "⛔ #2" in lines[2] and "trading is paused" in lines[2]
    assert "✅ #1" in lines[3] and "opened long 0.02 BTCUSDT" in lines[3]
    await trader.ask("/resume", "Trading resumed")
    status, _ = await post_signal(http, service, webhook_url(service, user),
                                  {"symbol": "BTCUSDT", "action": "sell", "price": 50000})
    assert status == 200


async def test_a_handler_crash_gets_a_sorry_and_a_log_line_without_the_message(
        service: Service, trader: Person, approved: Approve,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    await approved(trader)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the journal is on fire")

    monkeypatch.setattr(service.journal, "recent", broken)
    caplog.set_level(logging.ERROR)
    await trader.ask("/trades secret-looking-words", "Sorry, something went wrong")
    assert "failed in a handler: RuntimeError" in caplog.text
    assert "secret-looking-words" not in caplog.text


async def test_a_domain_error_reaches_the_user_as_its_sentence(
        service: Service, trader: Person, approved: Approve) -> None:
    await approved(trader)
    await service.users.set_api_keys(trader.id, "demo", "DEMOKEY00002", "DEMOSECRET00002")
    await trader.ask("/set account demo", "Account set to demo")
    await service.users.delete_api_keys(trader.id, "demo")
    await trader.ask("/balance", r"⚠️ no demo API keys are stored: send /keys demo")


async def test_chart_sends_the_pnl_picture_and_explains_a_bad_symbol(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    await trade(service, http, fake_telegram, user,
                {"symbol": "BTCUSDT", "action": "buy", "price": 50000})
    await trade(service, http, fake_telegram, user,
                {"symbol": "BTCUSDT", "action": "close", "price": 51000})
    picture = await trader.ask("/chart BYBIT:BTCUSDT.P", "Realised PnL")
    assert picture.method == "sendPhoto"
    photo = picture.photo
    assert photo is not None and not isinstance(photo, str)
    assert photo.is_png and photo.size > 5000
    refused = await trader.ask("/chart {{ticker}}", "placeholder")
    assert refused.method == "sendMessage"
