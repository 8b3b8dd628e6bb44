"""Moving an open position's stop, to a price or to break-even, and setting a trailing stop —
the actions Telegram journals — on the paper exchange and on Bybit (the fake, via
trading-stop)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bot.db.paper import PaperBook
from bot.trading.summary import describe
from tests.trading.conftest import KEY, PAPER_START, USER, Rig, RigFactory

D = Decimal


async def exits(rig: Rig) -> tuple[Any, Any]:
    """(stop-loss, trailing distance) of the BTCUSDT position where it lives."""
    if rig.kind == "bybit":
        position = rig.fake.account(KEY).position("BTCUSDT")
        return position.stop_loss or None, getattr(position, "trailing_stop", None) or None
    found = await rig.db.read(lambda conn: PaperBook(conn, USER, PAPER_START)
                              .protection("BTCUSDT"))
    return (found.stop_loss, found.trailing) if found else (None, None)


@pytest.mark.parametrize("kind", ["paper", "bybit"])
async def test_the_stop_moves_to_a_price_then_to_break_even(make_rig: RigFactory,
                                                            kind: str) -> None:
    rig = await make_rig(kind)
    assert (await rig.send("buy")).kind == "opened"

    moved = await rig.send("set_stop", stop_loss="49000")
    rig.fake.set_price("BTCUSDT", 50500)  # in profit: a stop at the entry is below the price
    even = await rig.send("break_even")

    assert moved.kind == "protected" and moved.stop_loss == D(49000), describe(moved)
    assert "stop-loss 49000 set" in describe(moved)
    entry = (await rig.orders.for_signal(rig.signal_ids[0]))[0].avg_price
    assert entry is not None and even.stop_loss is not None
    assert entry <= even.stop_loss < entry * D("1.002")  # the entry, or Bybit's with fees
    stop, _ = await exits(rig)
    assert D(stop) == even.stop_loss
    assert len(await rig.placed()) == 1  # no order: the position stays


@pytest.mark.parametrize("kind", ["paper", "bybit"])
async def test_a_trailing_stop_is_set_as_a_distance(make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind)
    assert (await rig.send("sell")).kind == "opened"

    trailing = await rig.send("set_trailing", trailing="250")

    assert trailing.kind == "protected" and trailing.trailing == D(250), describe(trailing)
    _, distance = await exits(rig)
    assert D(distance) == D(250)


async def test_nothing_to_protect_without_a_position(make_rig: RigFactory) -> None:
    rig = await make_rig("paper")
    outcome = await rig.send("break_even")
    assert outcome.kind == "nothing_to_close"
    assert describe(outcome) == "no open BTCUSDT position to protect; nothing done"


@pytest.mark.parametrize("kind", ["paper", "bybit"])
async def test_a_stop_the_price_has_passed_is_refused_and_the_position_stays(
        make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind)
    assert (await rig.send("buy")).kind == "opened"
    rig.fake.set_price("BTCUSDT", 49500)  # at a loss: break-even is above the price

    even = await rig.send("break_even")
    above = await rig.send("set_stop", stop_loss="49800")

    for refused in (even, above):
        assert refused.kind == "failed" and refused.error_code == "bad_stop_loss", describe(refused)
    assert await exits(rig) == (None, None)  # no stop that would close it at once
    assert await rig.position() == {"Buy": D("0.02")}
    assert len(await rig.placed()) == 1
