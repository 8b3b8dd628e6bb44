"""An alert's exits — stop-loss, take-profit or a ladder, trailing, break-even — as parsed at
intake: what is read, and what is refused (a 400 naming the field and the rule)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bot.errors import BadSignal
from bot.plans import ExitPlan, Level, Target
from bot.signals import parse_signal
from bot.vocabulary import Side
from tests.sentences import arabic, english, is_arabic

D = Decimal
BUY = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}


def plan_of(**fields: Any) -> ExitPlan | None:
    return parse_signal({**BUY, **fields}).exits


def test_levels_are_prices_or_percents_of_the_entry() -> None:
    plan = plan_of(tp="2%", sl=49000, trailing="1.5 %", trailing_activation="51000")
    assert plan == ExitPlan(stop_loss=Level(D(49000)), take_profit=Level(D(2), percent=True),
                            trailing=Level(D("1.5"), percent=True),
                            trailing_activation=Level(D(51000)))
    assert plan.take_profit is not None
    assert plan.take_profit.price(D(50000), Side.BUY, favourable=True) == D(51000)
    assert plan.take_profit.price(D(50000), Side.SELL, favourable=True) == D(49000)
    assert Level(D(2), True).price(D(50000), Side.BUY, favourable=False) == D(49000)
    assert Level(D(1), True).distance(D(50000)) == D(500)


def test_a_ladder_in_either_form_and_its_shares() -> None:
    listed = plan_of(tps=[{"price": 51000, "qty_percent": 50}, {"percent": "3%",
                                                                 "qty_percent": 30},
                          {"percent": 5}], be_after=1)
    flat = plan_of(tp1=51000, tp1_qty=50, tp2="3%", tp2_qty="30", tp3="5%", be_after="1")
    assert listed == flat
    assert listed is not None and listed.targets == (
        Target(Level(D(51000)), D(50)), Target(Level(D(3), True), D(30)),
        Target(Level(D(5), True)))
    assert listed.shares() == [D(50), D(30), D(20)]  # the last takes what is left
    even = plan_of(tps=[{"percent": 1}, {"percent": 2}, {"percent": 3}])
    assert even is not None and even.shares() == [D("33.33"), D("33.33"), D("33.34")]


def test_a_plan_survives_the_journal_as_json() -> None:
    plan = plan_of(sl="2%", tps=[{"price": 51000, "qty_percent": 40}, {"percent": 4}],
                   trailing=150, be_after=1)
    assert plan is not None and ExitPlan.from_json(plan.to_json()) == plan


def test_an_alert_without_exits_has_none() -> None:
    assert plan_of() is None
    assert plan_of(note="my own field") is None


@pytest.mark.parametrize(("fields", "code", "words"), [
    ({"tps": [{"price": 51000, "qty_percent": 70}, {"price": 52000, "qty_percent": 40},
              {"price": 53000}]}, "bad_exit", "add up to 110%"),
    ({"tps": [{"price": 51000, "qty_percent": 60}, {"price": 52000, "qty_percent": 60}]},
     "bad_exit", "takes what the others leave (40%)"),
    ({"tps": [{"price": 51000, "qty_percent": 50}, {"price": 52000}, {"price": 53000}]},
     "bad_exit", "every target but the last"),
    ({"tps": [{"price": 49000}, {"price": 52000}]}, "bad_take_profit",
     "tp1 49,000 is on the wrong side of the entry 50,000"),
    ({"sl": 51000}, "bad_stop_loss", "a long's stop must be below its entry"),
    ({"tp": 49000}, "bad_take_profit", "a long's target must be above its entry"),
    ({"trailing": 0}, "bad_number", "trailing"),
    ({"trailing": "0%"}, "bad_number", "trailing"),
    ({"trailing_activation": 51000}, "bad_exit", "needs a trailing distance"),
    ({"tps": [{"price": 51000}, {"price": 52000}], "be_after": 2}, "bad_exit",
     "be_after 2 is beyond the ladder"),
    ({"tp": "2%", "be_after": 1}, "bad_exit", "beyond the ladder"),
    ({"be_after": "first"}, "bad_exit", "be_after must be a target number"),
    ({"be_after": "\u00b2"}, "bad_exit", "be_after must be a target number"),  # a digit to
    ({"be_after": "1" * 5000}, "bad_exit", "be_after must be a target number"),  # isdigit()
    ({"tp": 52000, "tps": [{"price": 51000}]}, "bad_exit", "not both"),
    ({"tps": [{"price": 51000}], "tp1": 52000}, "bad_exit", "send the ladder once"),
    ({"tp1": 51000, "tp3": 52000}, "bad_exit", "without gaps"),
    ({"tps": [{"price": 51000, "percent": 2}]}, "bad_exit", "one of them"),
    ({"tps": [{"price": 51000 + n} for n in range(11)]}, "bad_exit", "at most 10"),
    ({"sl": "150%"}, "bad_number", "below 100%"),
    ({"tp": "lots"}, "bad_number", "take_profit must be a price"),
])
def test_bad_exits_are_refused_naming_the_field_and_the_rule(fields: dict[str, Any], code: str,
                                                             words: str) -> None:
    with pytest.raises(BadSignal) as refused:
        parse_signal({**BUY, **fields})
    assert refused.value.code == code
    assert words in english(refused.value)
    assert is_arabic(arabic(refused.value))


def test_a_short_mirrors_the_sides() -> None:
    plan = parse_signal({"symbol": "BTCUSDT", "action": "sell", "price": 50000, "sl": 51000,
                         "tps": [{"price": 49000}, {"price": 48000}]}).exits
    assert plan is not None and plan.stop_loss == Level(D(51000))
    with pytest.raises(BadSignal, match="a short's stop must be above its entry"):
        parse_signal({"symbol": "BTCUSDT", "action": "sell", "price": 50000, "sl": 49000})
