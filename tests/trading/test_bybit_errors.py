"""Every Bybit refusal becomes one sentence a trader can act on: what went wrong and what to
send or change. Real refusals where the fake produces them (wrong secret, read-only key, too
little margin), injected answers with Bybit's live messages otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from bot.errors import ExchangeError
from bot.trading.exchanges.bybit import BybitExchange
from bot.trading.exchanges.gate import BybitGate
from bot.trading.market import MarketData
from bot.trading.summary import describe
from bot.vocabulary import Category
from tests.fakes.bybit import FakeBybit
from tests.trading.conftest import SECRET, RigFactory

CREATE, POSITIONS = "/v5/order/create", "/v5/position/list"


@dataclass(frozen=True)
class Case:
    rig: dict[str, Any]  # make_rig options
    inject: tuple[str, dict[str, Any]] | None  # path, inject options
    code: str
    says: tuple[str, ...]  # phrases the trader must read


CASES = {
    "10003 key of the other environment": Case(
        {"key": "a-real-key"}, None, "wrong_environment",
        ("does not know this API key on the demo environment", "demo keys work only on demo",
         "/keys demo <api_key> <api_secret>")),
    "10004 secret does not match": Case(
        {"secret": "not-the-secret"}, None, "bad_signature",
        ("secret does not match the key", "/keys demo")),
    "10005 read-only key": Case(
        {"can_trade": False}, None, "no_permission",
        ("may not trade", "permission for Orders and Positions")),
    "10010 IP not whitelisted": Case(
        {}, (POSITIONS, {"ret_code": 10010, "ret_msg": "Unmatched IP, please check your API "
                                                       "key's bound IP addresses."}),
        "ip_not_allowed", ("restricted to other IP addresses", "add this server's IP")),
    "110007 margin": Case(
        {"usdt": "20"}, None, "insufficient_balance",
        ("not enough free margin on the Bybit demo account", "/set amount", "/set leverage",
         "add funds")),
    "170131 spot balance": Case(
        {"usdt": "20", "market_type": "spot"}, None, "insufficient_balance",
        ("not enough free balance on the Bybit demo account for this spot order",
         "/set amount", "add funds")),
    "10001 position idx": Case(
        {}, (CREATE, {"ret_code": 10001, "ret_msg": "position idx not match position mode"}),
        "position_mode", ("position mode (hedge or one-way)", "send the alert again")),
    "10001 too large": Case(
        {}, (CREATE, {"ret_code": 10001, "ret_msg": "The number of contracts exceeds maximum "
                                                    "limit allowed: too large"}),
        "above_maximum", ("larger than Bybit allows", "/set amount")),
    "10001 too small": Case(
        {}, (CREATE, {"ret_code": 10001, "ret_msg": "The number of contracts exceeds minimum "
                                                    "limit allowed"}),
        "below_minimum", ("smaller than Bybit's minimum for BTCUSDT", "/set amount")),
    "10001 qty invalid": Case(
        {}, (CREATE, {"ret_code": 10001, "ret_msg": "Qty invalid"}),
        "bad_qty", ("refused the size of the BTCUSDT order", "tell the bot's operator")),
    "10001 side invalid": Case(
        {}, (CREATE, {"ret_code": 10001, "ret_msg": "params error: side invalid"}),
        "bad_request", ("malformed (params error: side invalid)", "nothing was traded",
                        "tell the bot's operator")),
    "10001 take profit past the price": Case(
        {}, (CREATE, {"ret_code": 10001, "ret_msg": "TakeProfit:49000 set for Buy position "
                                                    "should be higher than base_price:50000"}),
        "bad_take_profit", ("take_profit", "moved past it")),
    "10029 symbol": Case(
        {}, (POSITIONS, {"ret_code": 10029, "ret_msg": "The requested symbol is invalid."}),
        "unknown_symbol", ("BTCUSDT is not traded on Bybit", "/set market")),
    "10002 clock": Case(
        {"attempts": 1}, (CREATE, {"ret_code": 10002}),
        "clock_drift", ("clock", "operator")),
    "HTTP 401": Case(
        {}, (POSITIONS, {"http_status": 401}), "invalid_key", ("API key", "/keys demo")),
    "HTTP 403": Case(
        {}, (POSITIONS, {"http_status": 403}), "ip_blocked", ("10 minutes",)),
}


@pytest.mark.parametrize("name", list(CASES))
async def test_bybit_refusal_is_a_sentence_a_trader_can_act_on(make_rig: RigFactory,
                                                                name: str) -> None:
    case = CASES[name]
    rig = await make_rig("bybit", **case.rig)
    if case.inject is not None:
        path, options = case.inject
        rig.fake.inject(path, **options)

    outcome = await rig.send("buy")

    assert (outcome.status, outcome.error_code) == ("failed", case.code), describe(outcome)
    for phrase in case.says:
        assert phrase in describe(outcome)
    for leak in ("ErrCode", "Request →", "Traceback", "http://", SECRET, "not-the-secret"):
        assert leak not in describe(outcome)
    assert outcome.failure is not None and outcome.failure.english == describe(outcome)
    assert rig.fake.orders_for(rig.key) == []


async def test_a_refused_second_leg_says_what_the_first_did(make_rig: RigFactory) -> None:
    rig = await make_rig("bybit", usdt="20")  # enough to close a short, not to open a long
    await rig.seed_position("Sell", "0.05")

    outcome = await rig.send("buy")

    assert (outcome.status, outcome.error_code) == ("failed", "insufficient_balance")
    assert describe(outcome).startswith("Buy 0.05 BTCUSDT done; but not enough free margin")
    assert [leg.leg for leg in outcome.legs] == ["cs"]
    assert await rig.position() == {}


@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_amount_below_the_minimum_names_the_amount_that_works(
        make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind, amount="4.99")  # 0.000998 BTC at 10x: below 0.001

    failed = await rig.send("buy")
    rig.configure(trade_amount=Decimal("5"))
    works = await rig.send("buy")

    assert (failed.status, failed.error_code) == ("failed", "below_minimum")
    assert "below Bybit's minimum of 0.001 BTC for BTCUSDT" in describe(failed)
    assert "use a trade amount of at least 5 USDT (/set amount 5)" in describe(failed)
    assert works.kind == "opened", describe(works)


async def test_an_ip_ban_stops_every_request_from_this_server_for_ten_minutes(
        fake: FakeBybit) -> None:
    # Bybit: after HTTP 403 "terminate all HTTP sessions and wait for at least 10 minutes";
    # an address that keeps asking while banned risks a permanent ban, for every user.
    now = [0.0]
    gate = BybitGate(4, clock=lambda: now[0])
    market = MarketData(gate, base_url=fake.url, price_ttl_s=0)
    accounts = []
    for key in ("banned-1", "banned-2"):
        fake.add_account(key, SECRET, env="demo")
        accounts.append(BybitExchange("demo", key, SECRET, gate=gate, market=market,
                                      base_url=fake.url))
    first, second = accounts
    fake.inject(POSITIONS, http_status=403)
    try:
        with pytest.raises(ExchangeError) as banned:
            await first.positions("BTCUSDT")
        asked = len(fake.requests)
        refused = []
        for call in (lambda: second.positions("BTCUSDT"), lambda: second.balance("USDT"),
                     lambda: market.last_price(Category.LINEAR, "BTCUSDT")):
            with pytest.raises(ExchangeError) as error:
                await call()
            refused.append(error.value.code)

        assert banned.value.code == "ip_blocked"
        assert refused == ["ip_blocked"] * 3
        assert "wait 10 minutes" in str(banned.value)
        assert len(fake.requests) == asked  # nobody else asked Bybit while banned
        now[0] += 599
        with pytest.raises(ExchangeError):
            await second.positions("BTCUSDT")
        now[0] += 1
        assert (await second.positions("BTCUSDT")).symbol == "BTCUSDT"
        assert len(fake.requests) == asked + 1
    finally:
        for account in accounts:
            await account.close()
        gate.close()
