"""What goes over the wire to Bybit: which host, which requests (and no more), which fields,
as strings; leverage, take-profit and stop-loss; and how stored keys are checked.
"""

from __future__ import annotations

import re
import threading
from decimal import Decimal

import pytest
import requests

from bot.models import ApiKeys
from bot.trading.exchanges.bybit import BybitExchange
from bot.trading.exchanges.gate import BybitGate
from bot.trading.exchanges.registry import ExchangeRegistry
from bot.trading.market import MarketData
from bot.trading.summary import describe
from tests.trading.conftest import KEY, SECRET, Placed, RigFactory

D = Decimal
CREATE, LEVERAGE = "/v5/order/create", "/v5/position/set-leverage"
INSTRUMENTS, TICKERS = "/v5/market/instruments-info", "/v5/market/tickers"
POSITIONS, REALTIME = "/v5/position/list", "/v5/order/realtime"
BACKENDS = [("bybit", "oneway"), ("bybit", "hedge"), ("paper", "oneway")]
BACKEND_IDS = ["bybit-oneway", "bybit-hedge", "paper"]


# --- hosts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("account", "host"), [("demo", "https://api-demo.bybit.com"),
                                               ("real", "https://api.bybit.com")])
async def test_keys_go_to_their_own_environment(account: str, host: str) -> None:
    gate = BybitGate(2)
    exchange = BybitExchange(account, "key", "secret", gate=gate, market=MarketData(gate))
    try:
        assert exchange.endpoint == host
    finally:
        await exchange.close()
        gate.close()


async def test_configured_base_url_serves_every_account_type(tmp_path: object) -> None:
    gate = BybitGate(2)
    registry = ExchangeRegistry(db=None, users=None, gate=gate,  # type: ignore[arg-type]
                                market=MarketData(gate), base_url="http://127.0.0.1:9/",
                                timeout=1, paper_start=D(1), paper_fee=D(0))
    try:
        for account in ("demo", "real"):
            exchange = registry.bybit(account, ApiKeys(account, "key", "secret"))
            assert exchange.endpoint == "http://127.0.0.1:9"
            await exchange.close()
    finally:
        gate.close()


# --- requests ----------------------------------------------------------------------------------


async def test_a_futures_open_from_flat_costs_exactly_these_requests(
        make_rig: RigFactory) -> None:
    rig = await make_rig("bybit", leverage=5)  # the account is at 10x

    first = await rig.send("buy")
    after_first = len(rig.fake.requests)
    await rig.send("close")
    after_close = len(rig.fake.requests)
    third = await rig.send("buy", price="50000")

    assert first.kind == third.kind == "opened"
    paths = rig.requests()
    assert paths[:after_first] == [INSTRUMENTS, POSITIONS, TICKERS, LEVERAGE, CREATE, REALTIME]
    assert paths[after_first:after_close] == [POSITIONS, CREATE, REALTIME]
    # rules cached, leverage already 5x on the position, price from the signal
    assert paths[after_close:] == [POSITIONS, CREATE, REALTIME]
    assert rig.fake.account(KEY).leverage_for("BTCUSDT") == D(5)


async def test_a_spot_buy_and_sell_cost_exactly_these_requests(make_rig: RigFactory) -> None:
    rig = await make_rig("bybit", market_type="spot")
    await rig.send("buy")
    bought = len(rig.fake.requests)
    await rig.send("sell")

    paths = rig.requests()
    assert paths[:bought] == [INSTRUMENTS, CREATE, REALTIME]
    assert paths[bought:] == ["/v5/account/wallet-balance", TICKERS, CREATE, REALTIME]


async def test_instrument_rules_are_shared_across_accounts(make_rig: RigFactory) -> None:
    one = await make_rig("bybit")
    two = await make_rig("paper")
    await one.send("buy")
    await two.send("sell")

    assert one.requests(INSTRUMENTS) == [INSTRUMENTS]


async def test_leverage_equal_to_the_accounts_is_not_sent(make_rig: RigFactory) -> None:
    rig = await make_rig("bybit", leverage=10)
    await rig.send("buy")
    assert rig.requests(LEVERAGE) == []


async def test_leverage_not_modified_is_success(make_rig: RigFactory) -> None:
    rig = await make_rig("bybit", leverage=7)
    rig.fake.inject(LEVERAGE, ret_code=110043, ret_msg="Set leverage not modified")

    outcome = await rig.send("buy")

    assert outcome.kind == "opened", describe(outcome)
    assert rig.requests(LEVERAGE) == [LEVERAGE]
    assert [p.qty for p in await rig.placed()] == [D("0.014")]  # 100 × 7 / 50,000


async def test_set_leverage_twice_is_one_request_and_110043_is_quiet(
        make_rig: RigFactory) -> None:
    rig = await make_rig("bybit")
    rig.fake.account(KEY).leverage["BTCUSDT"] = D(3)

    await rig.exchange.set_leverage("BTCUSDT", 3)  # Bybit answers 110043
    await rig.exchange.set_leverage("BTCUSDT", 3)

    assert rig.requests(LEVERAGE) == [LEVERAGE]


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_leverage_is_set_before_the_open_of_a_reversal(make_rig: RigFactory, kind: str,
                                                             mode: str) -> None:
    rig = await make_rig(kind, mode=mode, leverage=20)
    await rig.seed_position("Buy", "0.05")

    outcome = await rig.send("sell")

    assert outcome.kind == "reversed", describe(outcome)
    assert await rig.leverage_on_exchange() == D(20)
    assert [p.qty for p in await rig.placed()] == [D("0.05"), D("0.04")]  # 100 × 20 / 50,000
    if kind == "bybit":
        assert [p for p in rig.requests() if p in (CREATE, LEVERAGE)] == [
            CREATE, LEVERAGE, CREATE]


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_leverage_above_the_symbols_maximum_is_refused(make_rig: RigFactory, kind: str,
                                                             mode: str) -> None:
    rig = await make_rig(kind, mode=mode, leverage=150)
    outcome = await rig.send("buy")

    assert (outcome.status, outcome.error_code) == ("failed", "leverage_too_high")
    assert "maximum of 100x" in describe(outcome) and "/set leverage 100" in describe(outcome)
    assert await rig.placed() == []


async def test_every_number_goes_out_as_a_plain_decimal_string(make_rig: RigFactory) -> None:
    futures = await make_rig("bybit", leverage=3, mode="hedge", amount="33.33")
    await futures.send("buy", take_profit="61000.07", stop_loss="45000.01")
    await futures.send("sell")
    spot = await make_rig("bybit", market_type="spot", amount="12.3456789")
    await spot.send("buy")
    await spot.send("sell")

    bodies = [r.params for r in futures.fake.requests if r.method == "POST"]
    assert len(bodies) == 1 + 3 + 2  # leverage; open, close, open; spot buy and sell
    for body in bodies:
        for name, value in body.items():
            if name == "positionIdx":
                assert type(value) is int
            elif name == "reduceOnly":
                assert value is True
            else:
                assert isinstance(value, str), (name, value)
                if name in ("qty", "takeProfit", "stopLoss", "buyLeverage", "sellLeverage"):
                    assert re.fullmatch(r"\d+(\.\d*[1-9])?", value), (name, value)


async def test_pybit_never_runs_on_the_event_loop(make_rig: RigFactory,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []
    send = requests.Session.send

    def recording_send(self: requests.Session, *args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread().name)
        return send(self, *args, **kwargs)

    monkeypatch.setattr(requests.Session, "send", recording_send)
    rig = await make_rig("bybit", leverage=5)
    await rig.seed_position("Sell", "0.05")
    await rig.send("buy")
    await rig.exchange.check_keys()

    assert len(threads) == len(rig.fake.requests) >= 8
    assert all(name.startswith("pybit") for name in threads), threads


# --- take-profit and stop-loss ---------------------------------------------------------------


async def test_tp_and_sl_ride_on_the_opening_order_rounded_to_the_tick(
        make_rig: RigFactory) -> None:
    rig = await make_rig("bybit")
    await rig.seed_position("Sell", "0.05")

    outcome = await rig.send("buy", take_profit="55000.07", stop_loss="48000.19")

    assert outcome.kind == "reversed", describe(outcome)
    close, opening = [r.params for r in rig.fake.requests if r.path == CREATE]
    assert "takeProfit" not in close and "stopLoss" not in close
    assert (opening["takeProfit"], opening["stopLoss"]) == ("55000", "48000.1")
    row = rig.fake.account(KEY).position("BTCUSDT")
    assert (row.take_profit, row.stop_loss) == (D("55000"), D("48000.1"))


async def test_paper_keeps_tp_and_sl_on_the_position(make_rig: RigFactory) -> None:
    rig = await make_rig("paper")
    outcome = await rig.send("sell", take_profit="45000", stop_loss="52000.55")

    assert outcome.kind == "opened", describe(outcome)
    row = await rig.db.read(lambda conn: conn.execute(
        "SELECT take_profit, stop_loss FROM paper_positions").fetchone())
    assert (D(row["take_profit"]), D(row["stop_loss"])) == (D(45000), D("52000.5"))


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(("action", "levels", "code"), [
    ("buy", {"stop_loss": "51000"}, "bad_stop_loss"),
    ("buy", {"take_profit": "49000"}, "bad_take_profit"),
    ("sell", {"stop_loss": "49000"}, "bad_stop_loss"),
    ("sell", {"take_profit": "50000"}, "bad_take_profit"),
    # Within a tick of the price: on the tick (0.1, floored) it is the price itself.
    ("buy", {"take_profit": "50000.05"}, "bad_take_profit"),
    ("sell", {"stop_loss": "50000.09"}, "bad_stop_loss"),
])
async def test_tp_sl_on_the_wrong_side_refuses_the_whole_signal(
        make_rig: RigFactory, kind: str, mode: str, action: str, levels: dict[str, str],
        code: str) -> None:
    rig = await make_rig(kind, mode=mode)
    prior = "Sell" if action == "buy" else "Buy"
    await rig.seed_position(prior, "0.05")

    outcome = await rig.send(action, **levels)

    assert (outcome.status, outcome.error_code) == ("failed", code)
    assert "wrong side of the entry 50,000" in describe(outcome)
    assert await rig.placed() == []  # not even the closing leg
    assert await rig.position() == {prior: D("0.05")}


async def test_hedge_open_uses_the_row_of_its_side(make_rig: RigFactory) -> None:
    rig = await make_rig("bybit", mode="hedge", pyramiding=True)
    await rig.seed_position("Buy", "0.05")

    await rig.send("buy")
    await rig.send("short")

    assert await rig.placed() == [
        Placed("Buy", D("0.02"), False, 1),  # adds to the long row
        Placed("Sell", D("0.07"), True, 1),  # closes the long row
        Placed("Sell", D("0.02"), False, 2),  # opens on the short row
    ]


# --- key checks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("options", "ok", "code"), [
    ({}, True, "ok"),
    ({"can_trade": False}, False, "no_permission"),
    ({"secret": "wrong"}, False, "bad_signature"),
    ({"key": "unknown"}, False, "wrong_environment"),
], ids=["trading-key", "read-only-key", "wrong-secret", "other-environment"])
async def test_check_keys(make_rig: RigFactory, options: dict[str, object], ok: bool,
                          code: str) -> None:
    rig = await make_rig("bybit", **options)

    check = await rig.exchange.check_keys()

    assert (check.ok, check.code) == (ok, code), check.message
    if ok:
        assert check.usdt == D(10000)
    if code == "no_permission":
        assert "read-only" in check.message and "/keys demo" in check.message
    assert SECRET not in check.message


async def test_check_keys_passes_where_permissions_cannot_be_read(make_rig: RigFactory) -> None:
    rig = await make_rig("bybit")
    rig.fake.inject("/v5/user/query-api", ret_code=10001, ret_msg="Demo trading are not "
                                                                    "supported.")
    check = await rig.exchange.check_keys()
    assert (check.ok, check.usdt) == (True, D(10000))
