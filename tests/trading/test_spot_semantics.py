"""DESIGN §3 for spot, against Bybit (the fake, through pybit) and the paper exchange.

Spot has no short: the third starting point is "coins the trader holds that the bot did not
buy", which a sell must never touch.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

import pytest

from bot.trading.summary import describe
from tests.trading.conftest import USER, Rig, RigFactory

D = Decimal
FOREIGN = D("0.5")
ACTIONS = {"buy": "buy", "long": "buy", "sell": "sell", "short": "sell",
           "close": "sell", "exit": "sell", "stop": "sell"}


async def holding(rig: Rig, symbol: str = "BTCUSDT") -> Decimal:
    return await rig.orders.holding(USER, rig.settings.account_type, symbol)


def sellable(qty: Decimal, precision: str = "0.000001") -> Decimal:
    """What Bybit lets one sell of `qty`: floored to the coin's basePrecision."""
    return qty.quantize(D(precision), rounding=ROUND_DOWN)


def create_params(rig: Rig) -> list[dict[str, object]]:
    return [r.params for r in rig.fake.requests if r.path == "/v5/order/create"]


@pytest.mark.parametrize("kind", ["bybit", "paper"])
@pytest.mark.parametrize("prior", ["none", "bot", "foreign"])
@pytest.mark.parametrize("action", list(ACTIONS))
async def test_spot_action_table(make_rig: RigFactory, kind: str, prior: str,
                                 action: str) -> None:
    rig = await make_rig(kind, market_type="spot")
    if prior == "bot":
        assert (await rig.send("buy")).kind == "bought"
    if prior == "foreign":
        await rig.give_coin("BTC", str(FOREIGN))
    bought = await holding(rig)
    before = len(await rig.placed())

    outcome = await rig.send(action)

    new = (await rig.placed())[before:]
    foreign = FOREIGN if prior == "foreign" else D(0)
    if ACTIONS[action] == "buy" and prior == "bot":
        assert (outcome.kind, new) == ("skipped", [])
        assert "already holding" in describe(outcome) and "pyramiding" in describe(outcome)
        assert await holding(rig) == bought
    elif ACTIONS[action] == "buy":
        assert (outcome.status, outcome.kind) == ("done", "bought"), describe(outcome)
        assert [p.side for p in new] == ["Buy"]
        got = await holding(rig)
        assert D("0.0019") < got < D("0.002")  # 100 USDT at 50,000, less the fee in BTC
        assert await rig.coin("BTC") == foreign + got
    elif prior == "bot":
        assert (outcome.status, outcome.kind) == ("done", "sold"), describe(outcome)
        assert [(p.side, p.qty) for p in new] == [("Sell", sellable(bought))]
        assert await holding(rig) == 0
        assert await rig.coin("BTC") == bought - sellable(bought)  # dust, if any
    else:
        assert (outcome.kind, new) == ("nothing_to_close", []), describe(outcome)
        assert await rig.coin("BTC") == foreign


@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_buy_holds_what_arrived_after_the_fee_in_base_coin(
        make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind, market_type="spot")
    outcome = await rig.send("buy")

    [order] = outcome.legs
    assert order.fee_currency == "BTC" and order.fee is not None and order.fee > 0
    assert order.filled_qty == D("0.002")
    assert await holding(rig) == D("0.002") - order.fee == await rig.coin("BTC")


async def test_market_buy_is_sent_in_usdt_and_sell_in_base_coin(make_rig: RigFactory) -> None:
    rig = await make_rig("bybit", market_type="spot", amount="123.456789")
    await rig.send("buy")
    await rig.send("sell")

    buy, sell = create_params(rig)
    assert (buy["side"], buy["marketUnit"], buy["qty"]) == ("Buy", "quoteCoin", "123.456789")
    assert (sell["side"], sell["marketUnit"], sell["qty"]) == ("Sell", "baseCoin", "0.002466")
    assert "positionIdx" not in buy and "reduceOnly" not in sell


async def test_qty_in_a_spot_buy_is_base_coin(make_rig: RigFactory) -> None:
    rig = await make_rig("bybit", market_type="spot")
    outcome = await rig.send("buy", qty="0.0012345678")

    assert outcome.kind == "bought", describe(outcome)
    [buy] = create_params(rig)
    assert (buy["marketUnit"], buy["qty"]) == ("baseCoin", "0.001234")


@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_sell_leaves_coins_the_bot_did_not_buy(make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind, market_type="spot")
    await rig.send("buy")
    bought = await holding(rig)
    await rig.give_coin("BTC", str(bought + FOREIGN))

    outcome = await rig.send("sell")

    assert outcome.kind == "sold", describe(outcome)
    assert (await rig.placed())[-1].qty == sellable(bought)
    assert await rig.coin("BTC") == FOREIGN + bought - sellable(bought)


@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_sell_is_capped_by_the_free_balance(make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind, market_type="spot")
    await rig.send("buy")
    await rig.give_coin("BTC", "0.0015")  # the trader sold some by hand

    outcome = await rig.send("close")

    assert outcome.kind == "sold", describe(outcome)
    assert (await rig.placed())[-1].qty == D("0.0015")
    assert await rig.coin("BTC") == 0
    assert await holding(rig) == 0  # so the next buy is not skipped
    assert (await rig.send("buy")).kind == "bought"


@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_a_holding_sold_by_hand_is_nothing_to_sell_and_stops_blocking_buys(
        make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind, market_type="spot")
    await rig.send("buy")
    await rig.give_coin("BTC", "0.00001")  # the trader sold it in Bybit's app: dust is left

    outcome = await rig.send("sell")

    assert (outcome.status, outcome.kind) == ("done", "nothing_to_close"), describe(outcome)
    assert describe(outcome) == (f"no BTC bought by this bot to sell on the "
                                 f"{rig.settings.account_type} account; nothing done")
    assert [p.side for p in await rig.placed()] == ["Buy"]
    assert await holding(rig) == 0
    assert (await rig.send("buy")).kind == "bought"


@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_pyramiding_spot_buys_add_up_and_one_sell_sells_all(
        make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind, market_type="spot", pyramiding=True)
    await rig.send("buy")
    await rig.send("buy")
    total = await holding(rig)

    outcome = await rig.send("sell")

    assert D("0.0038") < total < D("0.004")
    assert [p.side for p in await rig.placed()] == ["Buy", "Buy", "Sell"]
    assert outcome.legs[0].filled_qty == sellable(total)
    assert await rig.coin("BTC") == total - sellable(total) < D("0.000001")


@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_coarse_precision_leaves_no_holding_that_blocks_the_next_buy(
        make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind, market_type="spot")  # XRP: basePrecision 0.01
    await rig.send("buy", "XRPUSDT")
    bought = await holding(rig, "XRPUSDT")

    sold = await rig.send("sell", "XRPUSDT")
    again = await rig.send("buy", "XRPUSDT")

    assert bought % D("0.01") != 0  # the fee in XRP leaves more decimals than can be sold
    assert sold.kind == "sold" and sold.legs[0].filled_qty == sellable(bought, "0.01")
    assert again.kind == "bought", describe(again)


@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_spot_amount_below_the_minimum_names_the_minimum(make_rig: RigFactory,
                                                               kind: str) -> None:
    rig = await make_rig(kind, market_type="spot", amount="4.99")
    outcome = await rig.send("buy")

    assert (outcome.status, outcome.error_code) == ("failed", "below_minimum")
    assert "minimum spot order of 5 USDT" in describe(outcome)
    assert "/set amount 5" in describe(outcome)
    assert await rig.placed() == []
