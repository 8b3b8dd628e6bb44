"""Protecting an open position (actions from Telegram: a stop, break-even, a trailing stop)
against the pure planner: no exchange, no I/O."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.i18n.results import result_line
from bot.outcomes import Outcome
from bot.plans import ExitPlan, Level
from bot.signals import Signal
from bot.trading import planner
from bot.trading.models import Position, PositionBook, Protection
from bot.trading.planner import Refusal
from bot.trading.summary import describe
from bot.vocabulary import OutcomeKind, Side, SignalStatus
from tests.trading.test_planner import FUTURES_RULES, book

D = Decimal


def protect(action: str, open_book: PositionBook, *, exits: ExitPlan | None = None,
            mark: Decimal | None = None) -> planner.ProtectPlan | Refusal:
    signal = Signal("BTCUSDT", action, exits=exits)
    return planner.plan_protect(signal, open_book, FUTURES_RULES, mark=mark)


def test_a_stop_moves_to_a_price_on_the_tick() -> None:
    plan = protect("set_stop", book(long="0.02"), exits=ExitPlan(stop_loss=Level(D("49500.07"))))
    assert plan == planner.ProtectPlan(0, Protection(stop_loss=D("49500.0")))


def test_break_even_is_the_entry_without_a_known_break_even_price() -> None:
    plan = protect("break_even", book(short="0.02"))
    assert plan == planner.ProtectPlan(0, Protection(stop_loss=D(52000)))
    with_fees = PositionBook("BTCUSDT", False, (Position(
        "BTCUSDT", Side.BUY, D("0.02"), D(48000), 0, break_even=D("48052.81")),))
    # Bybit's break-even has more decimals than the tick: a long's goes up to it, toward profit.
    assert protect("break_even", with_fees) == planner.ProtectPlan(
        0, Protection(stop_loss=D("48052.9")))
    short_with_fees = PositionBook("BTCUSDT", False, (Position(
        "BTCUSDT", Side.SELL, D("0.02"), D(52000), 0, break_even=D("51947.19")),))
    assert protect("break_even", short_with_fees) == planner.ProtectPlan(  # a short's down
        0, Protection(stop_loss=D("51947.1")))


def test_a_trailing_percent_is_measured_from_the_mark() -> None:
    plan = protect("set_trailing", book(long="0.02", hedge=True),
                   exits=ExitPlan(trailing=Level(D(1), percent=True)), mark=D(50000))
    assert plan == planner.ProtectPlan(1, Protection(trailing=D(500)))


@pytest.mark.parametrize(("action", "open_book", "exits", "kind", "code"), [
    ("set_stop", book(), ExitPlan(stop_loss=Level(D(49000))), OutcomeKind.NOTHING_TO_CLOSE,
     None),
    ("break_even", book(long="0.02", short="0.01", hedge=True), None, OutcomeKind.FAILED,
     "ambiguous_side"),
    ("set_trailing", book(long="0.02"), ExitPlan(trailing=Level(D("0.01"))),
     OutcomeKind.FAILED, "bad_trailing"),
    ("set_stop", book(long="0.02"), None, OutcomeKind.FAILED, "bad_protection"),
])
def test_protecting_what_is_not_there_is_refused(action: str, open_book: PositionBook,
                                                 exits: ExitPlan | None, kind: OutcomeKind,
                                                 code: str | None) -> None:
    refusal = protect(action, open_book, exits=exits, mark=D(50000))
    assert isinstance(refusal, Refusal) and refusal.kind == kind
    assert (refusal.failure.code if refusal.failure else None) == code


def test_a_signal_naming_its_side_protects_that_side_only() -> None:
    both = book(long="0.02", short="0.01", hedge=True)
    stop = ExitPlan(stop_loss=Level(D(49000)))
    for position, idx in (("long", 1), ("short", 2)):
        signal = Signal("BTCUSDT", "set_stop", position=position, exits=stop)
        assert planner.plan_protect(signal, both, FUTURES_RULES, mark=None) == \
            planner.ProtectPlan(idx, Protection(stop_loss=D(49000)))
    # The long it was for is gone (an alert ahead of it reversed it): the short is not it.
    reversed_to_short = book(short="0.02")
    refusal = planner.plan_protect(Signal("BTCUSDT", "break_even", position="long"),
                                   reversed_to_short, FUTURES_RULES, mark=None)
    assert refusal == Refusal(OutcomeKind.NOTHING_TO_CLOSE, held_side=Side.BUY)



def test_nothing_to_protect_names_the_side_it_was_for_in_both_languages() -> None:
    gone = Outcome(SignalStatus.DONE, OutcomeKind.NOTHING_TO_CLOSE, "BTCUSDT",
                   action="break_even", held_side=Side.SELL)
    assert describe(gone) == "no open short BTCUSDT position to protect; nothing done"
    assert str(result_line("en", gone)) == "no short BTCUSDT position to protect; nothing done"
    assert "مركز بيع" in str(result_line("ar", gone))
    older = Outcome(SignalStatus.DONE, OutcomeKind.NOTHING_TO_CLOSE, "BTCUSDT", action="set_stop")
    assert str(result_line("en", older)) == "no open BTCUSDT position to protect; nothing done"
