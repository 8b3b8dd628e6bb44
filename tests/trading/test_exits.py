"""The exit plan against a real fill: prices on the tick, target sizes on the step (pure).

BTCUSDT-like rules: tick 0.1, qtyStep 0.001, minOrderQty 0.001 (0.005 where a test says so).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from bot.plans import ExitPlan, Level, ResolvedExits, Target, TargetOrder
from bot.trading.exits import resolve
from bot.trading.models import InstrumentRules
from bot.vocabulary import Category, Side
from bot.wire import plain
from tests.sentences import english

D = Decimal
RULES = InstrumentRules("BTCUSDT", Category.LINEAR, "BTC", "USDT", tick_size=D("0.1"),
                        qty_step=D("0.001"), min_qty=D("0.001"), max_leverage=D(100))


def pct(value: str) -> Level:
    return Level(D(value), percent=True)


def ladder(*levels: Level, shares: tuple[str | None, ...] = ()) -> tuple[Target, ...]:
    return tuple(Target(level, D(share) if share else None)
                 for level, share in zip(levels, shares or (None,) * len(levels),
                                         strict=True))


def placed(exits: ResolvedExits) -> list[tuple[int, str, str, tuple[int, ...]]]:
    return [(t.n, plain(t.price), plain(t.qty), t.covers) for t in exits.targets]


def test_percent_levels_become_prices_on_the_tick_for_a_long_and_a_short() -> None:
    plan = ExitPlan(stop_loss=pct("2"), take_profit=pct("3.33"))
    long = resolve(plan, Side.BUY, D("50000.5"), D("0.02"), RULES)
    short = resolve(plan, Side.SELL, D("50000.5"), D("0.02"), RULES)
    assert (long.stop_loss, long.take_profit) == (D("49000.4"), D("51665.5"))
    assert (short.stop_loss, short.take_profit) == (D("51000.5"), D("48335.4"))
    assert long.notes == ()


def test_a_ladder_is_floored_to_the_step_and_the_last_takes_the_rest() -> None:
    plan = ExitPlan(targets=ladder(pct("1"), pct("2"), pct("3"), shares=("50", "30", None)))
    exits = resolve(plan, Side.BUY, D(50000), D("0.023"), RULES)
    assert placed(exits) == [(1, "50500", "0.011", (1,)), (2, "51000", "0.006", (2,)),
                             (3, "51500", "0.006", (3,))]
    assert sum(t.qty for t in exits.targets) == D("0.023")


def test_an_even_ladder_splits_the_position() -> None:
    plan = ExitPlan(targets=ladder(Level(D(51000)), Level(D(52000)), Level(D(53000))))
    exits = resolve(plan, Side.BUY, D(50000), D("0.03"), RULES)
    assert [t.qty for t in exits.targets] == [D("0.009"), D("0.009"), D("0.012")]


def test_targets_below_the_minimum_are_merged_with_the_next_and_it_says_so() -> None:
    rules = replace(RULES, min_qty=D("0.005"))
    plan = ExitPlan(targets=ladder(pct("1"), pct("2"), pct("3"), pct("4"),
                                   shares=("20", "20", "20", None)))
    exits = resolve(plan, Side.BUY, D(50000), D("0.02"), rules)
    # 0.004 each for the first three (below 0.005), 0.008 for the last
    assert placed(exits) == [(1, "51000", "0.008", (1, 2)), (2, "52000", "0.012", (3, 4))]
    assert any("tp1, tp2 were each below the minimum" in english(note) for note in exits.notes)


def test_a_last_target_below_the_minimum_joins_the_one_before() -> None:
    rules = replace(RULES, min_qty=D("0.005"))
    plan = ExitPlan(targets=ladder(pct("1"), pct("2"), shares=("80", None)))
    exits = resolve(plan, Side.BUY, D(50000), D("0.02"), rules)
    assert placed(exits) == [(1, "50500", "0.02", (1, 2))]


def test_a_position_too_small_for_any_target_gets_none_and_a_reason() -> None:
    rules = replace(RULES, min_qty=D("0.05"))
    exits = resolve(ExitPlan(targets=ladder(pct("1"), pct("2"))), Side.BUY, D(50000),
                    D("0.02"), rules)
    assert exits.targets == () and "too small for a ladder" in english(exits.notes[0])


def test_a_price_target_the_fill_is_already_past_is_dropped_with_a_reason() -> None:
    plan = ExitPlan(stop_loss=Level(D(50100)),  # the fill came in below the stop
                    targets=ladder(Level(D(49900)), Level(D(51000)), shares=("50", None)))
    exits = resolve(plan, Side.BUY, D(50000), D("0.02"), RULES)
    assert exits.stop_loss is None
    assert placed(exits) == [(1, "51000", "0.02", (2,))]  # tp1's share moved on
    notes = [english(note) for note in exits.notes]
    assert any(note.startswith("stop_loss 50,100 is not beyond") for note in notes)
    assert any(note.startswith("tp1 49,900 is not beyond") for note in notes)


def test_trailing_distance_from_a_percent_of_the_activation_price() -> None:
    plan = ExitPlan(trailing=pct("1"), trailing_activation=pct("2"))
    exits = resolve(plan, Side.BUY, D(50000), D("0.02"), RULES)
    assert (exits.activation, exits.trailing) == (D(51000), D(510))
    fixed = resolve(ExitPlan(trailing=Level(D("150.55"))), Side.SELL, D(50000), D("0.02"),
                    RULES)
    assert (fixed.activation, fixed.trailing) == (None, D("150.5"))


def test_break_even_follows_the_target_that_carries_it() -> None:
    rules = replace(RULES, min_qty=D("0.005"))
    plan = ExitPlan(targets=ladder(pct("1"), pct("2"), pct("3"), shares=("20", "30", None)),
                    be_after=1)
    merged = resolve(plan, Side.BUY, D(50000), D("0.02"), rules)
    # tp1 (0.004) is below the minimum and rides with tp2: break-even after the merged target
    assert placed(merged) == [(1, "51000", "0.01", (1, 2)), (2, "51500", "0.01", (3,))]
    assert merged.be_after == 1
    alone = resolve(replace(plan, be_after=2), Side.BUY, D(50000), D("0.02"), RULES)
    assert alone.be_after == 2 and len(alone.targets) == 3


@pytest.mark.parametrize("plan", [
    ExitPlan(stop_loss=pct("2"), targets=ladder(pct("1"), pct("2")), trailing=Level(D(100)),
             trailing_activation=Level(D(50500)), be_after=1),
    ExitPlan(take_profit=Level(D(52000))),
])
def test_resolved_exits_survive_storage(plan: ExitPlan) -> None:
    exits = resolve(plan, Side.BUY, D(50000), D("0.02"), RULES)
    assert ResolvedExits.from_json(exits.to_json()) == exits


def test_target_orders_keep_their_numbers() -> None:
    exits = resolve(ExitPlan(targets=ladder(pct("1"), pct("2"))), Side.SELL, D(50000),
                    D("0.02"), RULES)
    assert exits.targets == (TargetOrder(1, D(49500), D("0.01"), (1,)),
                             TargetOrder(2, D(49000), D("0.01"), (2,)))
