"""DESIGN §3 for futures, as a table: every action × prior position × position mode, run
against Bybit (the fake, through pybit, in one-way and hedge mode) and the paper exchange.

Amount 100 USDT at 10x on BTCUSDT at 50,000 is 0.02 BTC; a prior position is 0.05 BTC.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.trading.summary import describe
from tests.trading.conftest import Placed, RigFactory

D = Decimal
OPEN_QTY, PRIOR = D("0.02"), D("0.05")
BACKENDS = [("bybit", "oneway"), ("bybit", "hedge"), ("paper", "oneway")]
BACKEND_IDS = ["bybit-oneway", "bybit-hedge", "paper"]

# action → (what it means, the trader's word for it)
ACTIONS = {"buy": "buy", "long": "buy", "sell": "sell", "short": "sell",
           "close": "close", "exit": "close", "stop": "close"}


def idx(mode: str, position_side: str) -> int:
    """positionIdx of the row holding `position_side` (Buy = long row)."""
    return 0 if mode == "oneway" else (1 if position_side == "Buy" else 2)


def expected(intent: str, prior: str | None, mode: str
             ) -> tuple[str, list[Placed], dict[str, Decimal]]:
    """(outcome kind, orders the exchange must see, position afterwards) for one row."""
    opposite = {"Buy": "Sell", "Sell": "Buy"}
    if intent == "close":
        if prior is None:
            return "nothing_to_close", [], {}
        return "closed", [Placed(opposite[prior], PRIOR, True, idx(mode, prior))], {}
    side = "Buy" if intent == "buy" else "Sell"
    if prior == side:
        return "skipped", [], {side: PRIOR}
    opening = Placed(side, OPEN_QTY, False, idx(mode, side))
    if prior is None:
        return "opened", [opening], {side: OPEN_QTY}
    closing = Placed(side, PRIOR, True, idx(mode, prior))
    return "reversed", [closing, opening], {side: OPEN_QTY}


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize("prior", [None, "Buy", "Sell"], ids=["flat", "long", "short"])
@pytest.mark.parametrize("action", list(ACTIONS))
async def test_futures_action_table(make_rig: RigFactory, kind: str, mode: str,
                                    prior: str | None, action: str) -> None:
    rig = await make_rig(kind, mode=mode)
    if prior is not None:
        await rig.seed_position(prior, str(PRIOR))

    outcome = await rig.send(action)

    kind_wanted, orders, position = expected(ACTIONS[action], prior, mode)
    assert (outcome.status, outcome.kind) == ("done", kind_wanted), describe(outcome)
    assert await rig.placed() == orders
    assert await rig.position() == position
    if orders:
        stored = await rig.orders.for_signal(rig.signal_ids[-1])
        assert [(o.side, o.filled_qty, o.reduce_only, o.status) for o in stored] == [
            (p.side, p.qty, p.reduce_only, "filled") for p in orders]
        assert all(o.avg_price == D("50000") for o in stored)
        assert all(o.fee == o.filled_qty * D(50000) * D("0.00055") for o in stored)
        assert all(o.fee_currency == "USDT" and o.exchange_order_id for o in stored)
        if kind == "bybit":
            assert [o.exchange_order_id for o in stored] == [
                o.order_id for o in rig.fake.order_log]


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_reversal_sequence_keeps_one_position_of_the_right_side(
        make_rig: RigFactory, kind: str, mode: str) -> None:
    rig = await make_rig(kind, mode=mode)
    sides = []
    for action, price in [("buy", 50000), ("sell", 51000), ("buy", 49000), ("sell", 50500),
                          ("close", 50000)]:
        rig.fake.set_price("BTCUSDT", price)
        outcome = await rig.send(action, price=price)
        assert outcome.status == "done", describe(outcome)
        sides.append(await rig.position())

    expected_qty = {50000: D("0.02"), 51000: D("0.019"), 49000: D("0.02"), 50500: D("0.019")}
    assert sides == [{"Buy": expected_qty[50000]}, {"Sell": expected_qty[51000]},
                     {"Buy": expected_qty[49000]}, {"Sell": expected_qty[50500]}, {}]
    placed = await rig.placed()
    assert [(p.side, p.qty, p.reduce_only) for p in placed] == [
        ("Buy", D("0.02"), False),
        ("Sell", D("0.02"), True), ("Sell", D("0.019"), False),
        ("Buy", D("0.019"), True), ("Buy", D("0.02"), False),
        ("Sell", D("0.02"), True), ("Sell", D("0.019"), False),
        ("Buy", D("0.019"), True),
    ]


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_repeat_buy_is_skipped_with_a_notice(make_rig: RigFactory, kind: str,
                                                   mode: str) -> None:
    rig = await make_rig(kind, mode=mode)
    first = await rig.send("buy")
    second = await rig.send("long")

    assert first.kind == "opened"
    assert (second.status, second.kind) == ("done", "skipped")
    assert "already long 0.02 BTCUSDT" in describe(second) and "pyramiding" in describe(second)
    assert len(await rig.placed()) == 1
    assert await rig.position() == {"Buy": D("0.02")}


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_pyramiding_adds_to_the_position(make_rig: RigFactory, kind: str,
                                               mode: str) -> None:
    rig = await make_rig(kind, mode=mode, pyramiding=True)
    for _ in range(3):
        outcome = await rig.send("sell")
        assert outcome.kind == "opened", describe(outcome)

    assert [(p.side, p.qty, p.reduce_only) for p in await rig.placed()] == [
        ("Sell", D("0.02"), False)] * 3
    assert await rig.position() == {"Sell": D("0.06")}


async def test_hedge_mode_with_both_sides_open(make_rig: RigFactory) -> None:
    rig = await make_rig("bybit", mode="hedge")
    await rig.seed_position("Buy", "0.05")
    await rig.seed_position("Sell", "0.03")

    buy = await rig.send("buy")  # closes the short; already long, so adds nothing
    assert (buy.kind, await rig.position()) == ("closed", {"Buy": D("0.05")})
    await rig.seed_position("Sell", "0.03")
    close = await rig.send("close")

    assert close.kind == "closed" and await rig.position() == {}
    assert await rig.placed() == [
        Placed("Buy", D("0.03"), True, 2),
        Placed("Sell", D("0.05"), True, 1), Placed("Buy", D("0.03"), True, 2)]


async def test_hedge_rows_are_chosen_by_index_not_by_list_order(make_rig: RigFactory) -> None:
    rig = await make_rig("bybit", mode="hedge")
    await rig.seed_position("Sell", "0.05")
    rows = rig.fake.account(rig.key).position_rows("BTCUSDT")
    assert [r.position_idx for r in rows] == [1, 2]  # the empty (long) row comes first

    book = await rig.exchange.positions("BTCUSDT")

    assert book.hedge and book.long is None
    assert book.short is not None and (book.short.size, book.short.position_idx) == (
        D("0.05"), 2)


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_qty_in_the_signal_overrides_sizing_and_is_floored(
        make_rig: RigFactory, kind: str, mode: str) -> None:
    rig = await make_rig(kind, mode=mode)
    outcome = await rig.send("buy", qty="0.0339")

    assert outcome.kind == "opened", describe(outcome)
    assert [p.qty for p in await rig.placed()] == [D("0.033")]


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_price_in_the_signal_sizes_the_order(make_rig: RigFactory, kind: str,
                                                   mode: str) -> None:
    rig = await make_rig(kind, mode=mode)
    outcome = await rig.send("short", price="40000")

    assert outcome.kind == "opened", describe(outcome)
    assert [p.qty for p in await rig.placed()] == [D("0.025")]  # 1000 / 40000
    assert rig.requests("/v5/market/tickers") == []
