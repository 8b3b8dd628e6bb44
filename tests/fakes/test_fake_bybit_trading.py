"""The fake Bybit's trading: linear positions and orders, spot and the wallet, driven by the
real pybit client over real HTTP on 127.0.0.1."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.fakes.bybit import FakeBybit
from tests.fakes.conftest import HEDGE_KEY, KEY, POOR_KEY, SPOT_KEY, call, client, market, rejected

# ------------------------------------------------------------------ linear


async def test_one_way_open_and_close_realises_pnl_into_the_wallet(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01", orderLinkId="open-1"))
    fake.set_price("BTCUSDT", "51000")
    opened = await call(session.get_positions, category="linear", symbol="BTCUSDT")
    await call(session.place_order, **market("Sell", "0.01", reduceOnly=True))
    closed = await call(session.get_positions, category="linear", symbol="BTCUSDT")
    fills = await call(session.get_executions, category="linear", symbol="BTCUSDT")

    row = opened["result"]["list"][0]
    assert (row["side"], row["size"], row["avgPrice"], row["unrealisedPnl"]) == (
        "Buy", "0.01", "50000", "10")
    flat = closed["result"]["list"][0]
    fees = Decimal("0.01") * (50000 + 51000) * Decimal("0.00055")
    assert (flat["side"], flat["size"]) == ("", "0")
    assert Decimal(flat["cumRealisedPnl"]) == 10 - fees
    assert fake.account(KEY).usdt == 10000 + 10 - fees
    assert [f["execFee"] for f in fills["result"]["list"]] == ["0.2805", "0.275"]


async def test_one_way_order_against_the_position_flips_it(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01"))
    await call(session.place_order, **market("Sell", "0.03"))
    position = fake.account(KEY).position("BTCUSDT")
    assert (position.side, position.size) == ("Sell", Decimal("0.02"))


async def test_reduce_only_larger_than_position_is_capped(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01"))
    await call(session.place_order, **market("Sell", "0.05", reduceOnly=True,
                                             orderLinkId="close-1"))
    order = await call(session.get_open_orders, category="linear", symbol="BTCUSDT",
                       orderLinkId="close-1")
    item = order["result"]["list"][0]
    assert (item["orderStatus"], item["cumExecQty"], item["reduceOnly"]) == ("Filled", "0.01",
                                                                             True)
    assert not fake.account(KEY).position("BTCUSDT").is_open


async def test_reduce_only_without_position_gets_110017(fake: FakeBybit) -> None:
    error = await rejected(client(fake).place_order, **market("Sell", "0.01", reduceOnly=True))
    assert error.status_code == 110017
    assert fake.order_log == []


async def test_hedge_mode_lists_the_empty_row_first(fake: FakeBybit) -> None:
    session = client(fake, key=HEDGE_KEY)
    await call(session.place_order, **market("Buy", "0.01", positionIdx=1))
    rows = await call(session.get_positions, category="linear", symbol="BTCUSDT")
    assert [(r["positionIdx"], r["side"], r["size"]) for r in rows["result"]["list"]] == [
        (2, "", "0"), (1, "Buy", "0.01")]
    assert fake.account(HEDGE_KEY).env == "demo"


async def test_hedge_mode_closes_a_side_with_its_own_position_idx(fake: FakeBybit) -> None:
    session = client(fake, key=HEDGE_KEY)
    await call(session.place_order, **market("Buy", "0.02", positionIdx=1))
    await call(session.place_order, **market("Sell", "0.01", positionIdx=2))
    await call(session.place_order, **market("Sell", "0.02", positionIdx=1, reduceOnly=True))
    account = fake.account(HEDGE_KEY)
    assert not account.position("BTCUSDT", 1).is_open
    assert account.position("BTCUSDT", 2).size == Decimal("0.01")


@pytest.mark.parametrize(("key", "position_idx"), [(HEDGE_KEY, None), (HEDGE_KEY, 0),
                                                   (KEY, 1), (KEY, 2)])
async def test_position_idx_must_match_the_mode(fake: FakeBybit, key: str,
                                                position_idx: int | None) -> None:
    error = await rejected(client(fake, key=key).place_order,
                           **market("Buy", "0.01", positionIdx=position_idx))
    assert (error.status_code, error.message) == (10001, "position idx not match position mode")


async def test_positions_by_settle_coin_list_only_open_rows(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "1", symbol="SOLUSDT"))
    await call(session.get_positions, category="linear", symbol="BTCUSDT")
    rows = await call(session.get_positions, category="linear", settleCoin="USDT")
    error = await rejected(session.get_positions, category="linear")
    assert [r["symbol"] for r in rows["result"]["list"]] == ["SOLUSDT"]
    assert error.status_code == 10001


@pytest.mark.parametrize(("symbol", "qty", "code", "message"), [
    ("BTCUSDT", "0.0015", 10001, "Qty invalid"),
    ("ETHUSDT", str(0.1 + 0.2), 10001, "Qty invalid"),
    ("BTCUSDT", "1e-2", 10001, "Qty invalid"),
    ("BTCUSDT", "501", 10001, "The number of contracts exceeds maximum limit allowed: too large"),
    ("XRPUSDT", "1", 110094, None),
    ("NOPEUSDT", "1", 10001, "params error: symbol invalid"),
])
async def test_linear_qty_rules(fake: FakeBybit, symbol: str, qty: str, code: int,
                                message: str | None) -> None:
    error = await rejected(client(fake).place_order, **market("Buy", qty, symbol=symbol))
    assert error.status_code == code
    assert message is None or error.message == message


async def test_qty_below_minimum_is_rejected(fake: FakeBybit) -> None:
    fake.set_instrument("linear", "BTCUSDT", min_order_qty="0.005")
    error = await rejected(client(fake).place_order, **market("Buy", "0.002"))
    assert error.message == "The number of contracts exceeds minimum limit allowed"


async def test_side_must_be_buy_or_sell(fake: FakeBybit) -> None:
    error = await rejected(client(fake).place_order, **market("buy", "0.01"))
    assert (error.status_code, error.message) == (10001, "params error: side invalid")


async def test_opening_without_margin_gets_110007(fake: FakeBybit) -> None:
    error = await rejected(client(fake, key=POOR_KEY).place_order, **market("Buy", "0.03"))
    assert (error.status_code, error.message) == (110007, "ab not enough for new order")


async def test_take_profit_is_checked_and_refused_on_reduce_only(fake: FakeBybit) -> None:
    session = client(fake)
    wrong_side = await rejected(session.place_order,
                                **market("Buy", "0.01", takeProfit="49000"))
    await call(session.place_order, **market("Buy", "0.01", takeProfit="55000",
                                             stopLoss="45000"))
    on_close = await rejected(session.place_order,
                              **market("Sell", "0.01", reduceOnly=True, stopLoss="45000"))
    position = fake.account(KEY).position("BTCUSDT")
    assert wrong_side.status_code == on_close.status_code == 10001
    assert (position.take_profit, position.stop_loss) == (Decimal("55000"), Decimal("45000"))


async def test_duplicate_order_link_id_gets_110072(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01", orderLinkId="sig-42"))
    error = await rejected(session.place_order, **market("Buy", "0.01", orderLinkId="sig-42"))
    assert (error.status_code, error.message) == (110072, "OrderLinkedID is duplicate")
    assert [o.order_link_id for o in fake.order_log] == ["sig-42"]
    assert fake.duplicate_link_ids() == []


async def test_set_leverage_repeat_gets_110043(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.set_leverage, category="linear", symbol="BTCUSDT",
               buyLeverage="20", sellLeverage="20")
    error = await rejected(session.set_leverage, category="linear", symbol="BTCUSDT",
                           buyLeverage="20", sellLeverage="20")
    too_high = await rejected(session.set_leverage, category="linear", symbol="SOLUSDT",
                              buyLeverage="100", sellLeverage="100")
    ignored = await call(client(fake, ignore_codes={110043}).set_leverage, category="linear",
                         symbol="BTCUSDT", buyLeverage="20", sellLeverage="20")
    assert (error.status_code, error.message) == (110043, "Set leverage not modified")
    assert too_high.status_code == 10001
    assert ignored["retCode"] == 110043


async def test_switch_mode_refuses_open_positions_and_no_ops(fake: FakeBybit) -> None:
    session = client(fake)
    unchanged = await rejected(session.switch_position_mode, category="linear", coin="USDT",
                               mode=0)
    await call(session.place_order, **market("Buy", "0.01"))
    blocked = await rejected(session.switch_position_mode, category="linear", coin="USDT",
                             mode=3)
    await call(session.place_order, **market("Sell", "0.01", reduceOnly=True))
    await call(session.switch_position_mode, category="linear", coin="USDT", mode=3)
    assert (unchanged.status_code, blocked.status_code) == (110025, 110024)
    assert fake.account(KEY).position_mode == "hedge"


async def test_limit_order_rests_until_cancelled(fake: FakeBybit) -> None:
    session = client(fake)
    placed = await call(session.place_order, category="linear", symbol="BTCUSDT", side="Buy",
                        orderType="Limit", qty="0.01", price="40000.1")
    resting = await call(session.get_open_orders, category="linear", symbol="BTCUSDT")
    await call(session.cancel_order, category="linear", symbol="BTCUSDT",
               orderId=placed["result"]["orderId"])
    after = await call(session.get_open_orders, category="linear", symbol="BTCUSDT")
    history = await call(session.get_order_history, category="linear", symbol="BTCUSDT")
    assert [o["orderStatus"] for o in resting["result"]["list"]] == ["New"]
    assert after["result"]["list"] == []
    assert [o["orderStatus"] for o in history["result"]["list"]] == ["Cancelled"]
    assert not fake.account(KEY).position("BTCUSDT").is_open


# -------------------------------------------------------------------- spot


def spot(side: str, qty: str, **extra: Any) -> dict[str, Any]:
    return {"category": "spot", "symbol": "BTCUSDT", "side": side, "orderType": "Market",
            "qty": qty, **extra}


async def test_spot_market_buy_spends_quote_and_pays_fee_in_base(fake: FakeBybit) -> None:
    session = client(fake, key=SPOT_KEY)
    await call(session.place_order, **spot("Buy", "100", orderLinkId="spot-buy"))
    order = await call(session.get_order_history, category="spot", orderLinkId="spot-buy")
    item = order["result"]["list"][0]
    account = fake.account(SPOT_KEY)
    assert (item["marketUnit"], item["qty"], item["cumExecQty"]) == ("quoteCoin", "100", "0.002")
    assert account.balance("BTC") == Decimal("0.01") + Decimal("0.002") * Decimal("0.999")
    assert account.usdt == Decimal("9900")


async def test_spot_market_sell_is_in_base_and_pays_fee_in_usdt(fake: FakeBybit) -> None:
    await call(client(fake, key=SPOT_KEY).place_order, **spot("Sell", "0.01"))
    account = fake.account(SPOT_KEY)
    assert account.balance("BTC") == 0
    assert account.usdt == 10000 + Decimal("500") * Decimal("0.999")


async def test_spot_buy_in_base_units(fake: FakeBybit) -> None:
    await call(client(fake, key=SPOT_KEY).place_order,
               **spot("Buy", "0.001", marketUnit="baseCoin"))
    assert fake.account(SPOT_KEY).usdt == Decimal("9950")


@pytest.mark.parametrize(("side", "qty", "code"), [
    ("Buy", "100.00000001", 170148),
    ("Sell", "0.0000001", 170137),
    ("Buy", "4.99", 170140),
    ("Sell", "0.00009", 170140),
    ("Sell", "0.02", 170131),
    ("Buy", "20000", 170131),
])
async def test_spot_precision_and_balance_errors(fake: FakeBybit, side: str, qty: str,
                                                 code: int) -> None:
    error = await rejected(client(fake, key=SPOT_KEY).place_order, **spot(side, qty))
    assert error.status_code == code


async def test_wallet_omits_zero_coins_unless_asked(fake: FakeBybit) -> None:
    session = client(fake)
    everything = await call(session.get_wallet_balance, accountType="UNIFIED")
    asked = await call(session.get_wallet_balance, accountType="UNIFIED", coin="USDT,BTC")
    account = everything["result"]["list"][0]
    assert [c["coin"] for c in account["coin"]] == ["USDT"]
    assert account["totalEquity"] == account["totalAvailableBalance"] == "10000"
    assert [c["coin"] for c in asked["result"]["list"][0]["coin"]] == ["USDT", "BTC"]
