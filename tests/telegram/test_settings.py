"""Settings by buttons and by /set: every value validated, every wrong one explained."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.app import Service
from bot.config import Config
from bot.handlers.settings import Refused, parse_amount, parse_leverage
from bot.models import User
from tests.fakes.telegram import FakeTelegram
from tests.telegram.conftest import Person, register

Approve = Callable[[Person], Awaitable[User]]


@pytest.mark.parametrize(("command", "explanation"), [
    ("/set", "Send one setting and its value"),
    ("/set colour blue", "Send one setting and its value"),
    ("/set amount", "Send one setting and its value"),
    ("/set market margin", r"“margin” is not a market\. Allowed: <code>spot</code>"),
    ("/set account testnet", r"Allowed: <code>paper</code> \(simulated\), <code>demo</code>"),
    ("/set amount 0", r"above 0 and at most 100,000"),
    ("/set amount -5", r"above 0 and at most 100,000"),
    ("/set amount lots", r"“lots” is not an amount"),
    ("/set amount 100001", r"at most 100,000"),
    ("/set amount NaN", r"above 0 and at most 100,000"),
    ("/set amount 12 5", r"“12 5” is not an amount"),  # not 125: a space groups thousands only
    ("/set leverage 1 0", r"“1 0” is not a leverage"),
    ("/set leverage 0", r"whole number from 1 to 100"),
    ("/set leverage 101", r"whole number from 1 to 100"),
    ("/set leverage 2.5", r"whole number from 1 to 100"),
    ("/set pyramiding maybe", r"<code>/set pyramiding on</code> or"),
    ("/set account demo", r"No demo API keys are stored.*/keys demo"),
    ("/set account real", r"No real API keys are stored.*/set account paper"),
])
async def test_every_bad_value_gets_a_reply_saying_what_is_allowed(
        service: Service, trader: Person, approved: Approve, command: str,
        explanation: str) -> None:
    await approved(trader)
    before = await service.users.get_settings(trader.id)
    await trader.ask(command, explanation)
    assert await service.users.get_settings(trader.id) == before


async def test_set_accepts_the_documented_forms(
        service: Service, trader: Person, approved: Approve) -> None:
    await approved(trader)
    await trader.ask("/set market spot", "Market set to spot")
    await trader.ask("/set amount 12.5", "Amount set to 12.5 USDT")
    await trader.ask("/set leverage 25x", "Leverage set to 25x")
    await trader.ask("/set pyramiding on", "Pyramiding turned on")
    await trader.ask("/set account paper", "Account set to paper")
    settings = await service.users.get_settings(trader.id)
    assert settings.market_type == "spot"
    assert settings.trade_amount == Decimal("12.5")
    assert settings.leverage == 25 and settings.pyramiding


async def test_menu_buttons_change_values_and_the_menu_shows_them(
        service: Service, trader: Person, approved: Approve) -> None:
    await approved(trader)
    menu = await trader.ask("/settings", "Your settings")
    menu = await trader.press(menu, "50 USDT", "Amount set to 50 USDT")
    assert "Amount per trade: <b>50 USDT</b>" in (menu.text or "")
    menu = await trader.press(menu, "20x", "Leverage set to 20x")
    menu = await trader.press(menu, "Pyramiding: turn on", "Pyramiding turned on")
    assert "Pyramiding: turn off" in [label for label, _ in menu.buttons()]
    menu = await trader.press(menu, "demo", "No demo API keys are stored")
    settings = await service.users.get_settings(trader.id)
    assert (settings.trade_amount, settings.leverage, settings.pyramiding,
            settings.account_type) == (50, 20, True, "paper")


async def test_real_account_needs_keys_and_an_explicit_confirmation(
        service: Service, trader: Person, approved: Approve) -> None:
    await approved(trader)
    await service.users.set_api_keys(trader.id, "real", "REALKEY0001", "REALSECRET0001")
    question = await trader.ask("/set account real", "Switch to the real account")
    assert (await service.users.get_settings(trader.id)).account_type == "paper"
    back = await trader.press(question, "Cancel", "Your settings")
    assert "Account: <b>paper</b>" in (back.text or "")
    menu_question = await trader.press(back, "real", "Switch to the real account")
    await trader.press(menu_question, "Yes, trade with real money", "Account set to real")
    assert (await service.users.get_settings(trader.id)).account_type == "real"


async def test_a_forged_confirmation_without_real_keys_changes_nothing(
        service: Service, trader: Person, approved: Approve) -> None:
    await approved(trader)
    menu = await trader.ask("/settings", "Your settings")
    await trader.press_data(menu, "set:account:real:yes", "No real API keys are stored")
    assert (await service.users.get_settings(trader.id)).account_type == "paper"


async def test_limits_come_from_the_config(
        telegram_config: Callable[..., Config], start_service: Callable[..., Awaitable[Service]],
        fake_telegram: FakeTelegram, admin: Person, trader: Person) -> None:
    await start_service(telegram_config(limits={"max_trade_amount": 500, "max_leverage": 20}))
    await fake_telegram.wait_for_call("getUpdates")
    await register(trader, admin)
    await trader.ask("/set amount 501", "at most 500")
    await trader.ask("/set leverage 21", "from 1 to 20")
    menu = await trader.ask("/settings", "Your settings")
    offered = [data or "" for _, data in menu.buttons()]
    amounts = [int(d.rsplit(":", 1)[1]) for d in offered
               if d.startswith("set:amount:") and d.rsplit(":", 1)[1].isdecimal()]
    assert "set:amount:custom" in offered
    leverages = [int(d.rsplit(":", 1)[1]) for d in offered if d.startswith("set:leverage:")]
    assert max(amounts) == 500 and max(leverages) == 20


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_parse_amount_only_accepts_amounts_within_the_cap(value: Decimal) -> None:
    cap = Decimal("1000")
    try:
        amount = parse_amount(str(value), cap)
    except Refused as refusal:
        assert refusal.key == "set.bad_amount"
        return
    assert Decimal(0) < amount <= cap


@given(st.text(max_size=6))
def test_parse_leverage_never_returns_a_value_outside_the_range(raw: str) -> None:
    try:
        leverage = parse_leverage(raw, 50)
    except Refused:
        return
    assert 1 <= leverage <= 50
