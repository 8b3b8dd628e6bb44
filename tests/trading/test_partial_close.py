"""Closing a share of a position, one side only, and an alert's own amount and leverage —
against Bybit (the fake, through pybit; one-way and hedge) and the paper exchange.

The size comes from the exchange at the moment of the close; the share is floored to the
instrument's qtyStep (BTCUSDT: 0.001, minimum 0.001), and when what would remain is below the
minimum order the whole position is closed and the result says so.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.trading.summary import describe
from bot.vocabulary import Leg
from tests.trading.conftest import USER, Placed, Rig, RigFactory

D = Decimal
BACKENDS = [("bybit", "oneway"), ("bybit", "hedge"), ("paper", "oneway")]
BACKEND_IDS = ["bybit-oneway", "bybit-hedge", "paper"]


def idx(rig: Rig, side: str) -> int:
    """The positionIdx a close of a position facing `side` goes out on."""
    return 0 if rig.mode == "oneway" else (1 if side == "Buy" else 2)


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_close_with_qty_percent_closes_that_share_of_the_position(
        make_rig: RigFactory, kind: str, mode: str) -> None:
    rig = await make_rig(kind, mode=mode)
    await rig.seed_position("Buy", "0.05")

    outcome = await rig.send("close", qty_percent="50")

    assert (outcome.status, outcome.kind) == ("done", "closed"), describe(outcome)
    assert await rig.placed() == [Placed("Sell", D("0.025"), True, idx(rig, "Buy"))]
    assert await rig.position() == {"Buy": D("0.025")}
    assert "closed long 0.025 BTCUSDT" in describe(outcome)
    assert "(50% of the position)" in describe(outcome)
    [leg] = outcome.legs
    assert leg.leg == Leg.CLOSE_LONG and leg.realised_pnl is not None


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_partial_close_without_a_share_closes_half_floored_to_the_step(
        make_rig: RigFactory, kind: str, mode: str) -> None:
    rig = await make_rig(kind, mode=mode)
    await rig.seed_position("Sell", "0.007")

    outcome = await rig.send("partial_close")

    assert outcome.kind == "closed", describe(outcome)
    assert await rig.placed() == [Placed("Buy", D("0.003"), True, idx(rig, "Sell"))]
    assert await rig.position() == {"Sell": D("0.004")}


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_a_rest_below_the_minimum_closes_everything_and_says_so(
        make_rig: RigFactory, kind: str, mode: str) -> None:
    rig = await make_rig(kind, mode=mode)
    rig.fake.set_instrument("linear", "BTCUSDT", min_order_qty=D("0.002"))
    await rig.seed_position("Buy", "0.005")

    outcome = await rig.send("close", qty_percent="80")  # 0.004 would leave 0.001 < 0.002

    assert outcome.kind == "closed" and outcome.closed_all_instead, describe(outcome)
    assert await rig.placed() == [Placed("Sell", D("0.005"), True, idx(rig, "Buy"))]
    assert await rig.position() == {}
    assert "all of it: 80% would have left less than Bybit's minimum order" in describe(
        outcome)


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_a_share_below_the_minimum_is_refused_and_nothing_is_placed(
        make_rig: RigFactory, kind: str, mode: str) -> None:
    rig = await make_rig(kind, mode=mode)
    await rig.seed_position("Buy", "0.005")

    outcome = await rig.send("close", qty_percent="10")

    assert (outcome.status, outcome.error_code) == ("failed", "below_minimum")
    assert "close a larger share, or all of it" in describe(outcome)
    assert await rig.placed() == []
    assert await rig.position() == {"Buy": D("0.005")}


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_close_long_and_close_short_touch_only_their_side(
        make_rig: RigFactory, kind: str, mode: str) -> None:
    rig = await make_rig(kind, mode=mode)
    await rig.seed_position("Sell", "0.04")

    wrong_side = await rig.send("close_long")
    right_side = await rig.send("close_short")

    assert wrong_side.kind == "nothing_to_close", describe(wrong_side)
    assert describe(wrong_side) == "no long BTCUSDT position to close; nothing done"
    assert right_side.kind == "closed", describe(right_side)
    assert await rig.placed() == [Placed("Buy", D("0.04"), True, idx(rig, "Sell"))]
    assert await rig.position() == {}


async def test_hedge_close_long_leaves_the_short_open(make_rig: RigFactory) -> None:
    rig = await make_rig("bybit", mode="hedge")
    await rig.seed_position("Buy", "0.05")
    await rig.seed_position("Sell", "0.04")

    outcome = await rig.send("close_long", qty_percent="40")

    assert outcome.kind == "closed", describe(outcome)
    assert await rig.placed() == [Placed("Sell", D("0.02"), True, 1)]
    assert await rig.position() == {"Buy": D("0.03"), "Sell": D("0.04")}


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_the_alerts_amount_and_leverage_replace_the_settings_for_that_alert(
        make_rig: RigFactory, kind: str, mode: str) -> None:
    rig = await make_rig(kind, mode=mode, amount="100", leverage=10)

    outcome = await rig.send("buy", amount="50", leverage="20")

    assert outcome.kind == "opened", describe(outcome)
    assert [p.qty for p in await rig.placed()] == [D("0.02")]  # 50 × 20 / 50,000
    assert await rig.leverage_on_exchange() == 20
    assert outcome.leverage == 20 and outcome.legs[0].leverage == 20
    assert "(20x)" in describe(outcome)
    again = await rig.send("close")
    assert again.kind == "closed"
    plain = await rig.send("buy")  # the next alert without them uses the settings again
    assert [p.qty for p in await rig.placed()][-1] == D("0.02")  # 100 × 10 / 50,000
    assert await rig.leverage_on_exchange() == 10 and plain.leverage == 10


@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_spot_partial_close_sells_a_share_of_what_the_bot_bought(
        make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind, market_type="spot")
    assert (await rig.send("buy")).kind == "bought"
    bought = await rig.orders.holding(USER, rig.settings.account_type, "BTCUSDT")

    half = await rig.send("partial_close")
    left = await rig.orders.holding(USER, rig.settings.account_type, "BTCUSDT")
    rest = await rig.send("close")

    assert half.kind == "sold", describe(half)
    sold = half.legs[0].filled_qty
    assert sold is not None and sold == (bought / 2).quantize(D("0.000001"), rounding="ROUND_DOWN")
    assert left == bought - sold
    assert rest.kind == "sold", describe(rest)
    assert await rig.orders.holding(USER, rig.settings.account_type, "BTCUSDT") == 0


@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_spot_share_whose_rest_is_below_the_minimum_sells_all(
        make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind, market_type="spot", amount="8")
    assert (await rig.send("buy")).kind == "bought"  # ~8 USDT of BTC: half is below 5 USDT

    outcome = await rig.send("close", qty_percent="50")

    assert outcome.kind == "sold" and outcome.closed_all_instead, describe(outcome)
    assert await rig.orders.holding(USER, rig.settings.account_type, "BTCUSDT") == 0


@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_spot_refuses_an_alerts_leverage_rather_than_ignoring_it(
        make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind, market_type="spot")

    outcome = await rig.send("buy", leverage="5")

    assert (outcome.status, outcome.error_code) == ("failed", "leverage_on_spot")
    assert await rig.placed() == []
