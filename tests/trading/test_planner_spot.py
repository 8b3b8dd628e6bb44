"""The spot rows of DESIGN §3's decision table against the pure planner (the futures rows and
the shared helpers: test_planner.py). A buy spends the amount (or buys `qty`); a sell sells
what this bot bought, capped by what the wallet has free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from bot.models import UserSettings
from bot.signals import parse_signal
from bot.trading import planner
from bot.trading.planner import Plan, Refusal
from bot.vocabulary import Leg, OutcomeKind, Side
from bot.wire import plain
from tests.trading.test_planner import LINKS, SPOT_RULES, alert, placed, settings

D = Decimal


@dataclass(frozen=True)
class SpotRow:
    name: str
    body: dict[str, Any]
    expect: tuple[str, ...] | OutcomeKind  # "leg side qty unit"
    held: str = "0"
    free: str = "1"
    settings: UserSettings = field(default_factory=lambda: settings("spot"))
    placed: tuple[Leg, ...] = ()


SPOT = [
    SpotRow("buy spends the trade amount in USDT", alert("buy"), ("b Buy 100 quoteCoin",)),
    SpotRow("long is buy", alert("long"), ("b Buy 100 quoteCoin",)),
    SpotRow("buy while holding is skipped", alert("buy"), OutcomeKind.SKIPPED, held="0.002"),
    SpotRow("buy while holding buys more with pyramiding", alert("buy"),
            ("b Buy 100 quoteCoin",), held="0.002", settings=settings("spot", pyramiding=True)),
    SpotRow("buy a given qty in the base coin", alert("buy", qty="0.0015"),
            ("b Buy 0.0015 baseCoin",)),
    SpotRow("sell sells what this bot bought", alert("sell"), ("s Sell 0.002 baseCoin",),
            held="0.002", free="0.5"),
    SpotRow("short is sell", alert("short"), ("s Sell 0.002 baseCoin",), held="0.002"),
    SpotRow("sell is capped by the free balance", alert("sell"), ("s Sell 0.0015 baseCoin",),
            held="0.002", free="0.0015"),
    SpotRow("sell with nothing bought does nothing", alert("sell"),
            OutcomeKind.NOTHING_TO_CLOSE, free="3"),
    SpotRow("close is sell", alert("close"), ("s Sell 0.002 baseCoin",), held="0.002"),
    SpotRow("exit is sell", alert("exit"), ("s Sell 0.002 baseCoin",), held="0.002"),
    SpotRow("stop is sell", alert("stop"), ("s Sell 0.002 baseCoin",), held="0.002"),
    SpotRow("a strategy's exit (sell, flat) sells", alert("sell", position="flat"),
            ("s Sell 0.002 baseCoin",), held="0.002"),
    SpotRow("sell still long never buys more, even with pyramiding",
            alert("sell", position="long"), OutcomeKind.SKIPPED, held="0.002",
            settings=settings("spot", pyramiding=True)),
    SpotRow("sell still long with nothing held buys", alert("sell", position="long"),
            ("b Buy 100 quoteCoin",)),
    SpotRow("a sell worth less than the minimum order", alert("sell"), OutcomeKind.FAILED,
            held="0.00005"),
    SpotRow("a buy below the minimum order", alert("buy"), OutcomeKind.FAILED,
            settings=settings("spot", amount="2")),
    SpotRow("replay: the buy went out before the crash", alert("buy"), (), held="0.002",
            placed=(Leg.SPOT_BUY,)),
    SpotRow("close_long sells the holding", alert("close_long"), ("s Sell 0.002 baseCoin",),
            held="0.002"),
    SpotRow("close_short: a holding is never short", alert("close_short"),
            OutcomeKind.NOTHING_TO_CLOSE, held="0.002"),
    SpotRow("partial_close sells half the holding", alert("partial_close"),
            ("s Sell 0.001 baseCoin",), held="0.002"),
    SpotRow("close with qty_percent 25", alert("close", qty_percent="25"),
            ("s Sell 0.0005 baseCoin",), held="0.002"),
    SpotRow("a share is capped by the free balance", alert("close", qty_percent=50),
            ("s Sell 0.0008 baseCoin",), held="0.002", free="0.0008"),
    SpotRow("a rest worth less than the minimum sells all", alert("close", qty_percent=98),
            ("s Sell 0.002 baseCoin",), held="0.002"),
    SpotRow("a share worth less than the minimum is refused", alert("close", qty_percent=1),
            OutcomeKind.FAILED, held="0.002"),
    SpotRow("amount in the alert", alert("buy", amount=25), ("b Buy 25 quoteCoin",)),
    SpotRow("leverage on spot is refused, not ignored", alert("buy", leverage=5),
            OutcomeKind.FAILED),
]


@pytest.mark.parametrize("row", SPOT, ids=[row.name for row in SPOT])
def test_spot_table(row: SpotRow) -> None:
    signal = parse_signal(row.body)
    done = placed(*row.placed)
    held = D(row.held)
    decision = planner.decide_spot(signal, row.settings, held, done)
    result: Plan | Refusal
    if isinstance(decision, planner.SpotDecision):
        assert decision.needs_free_balance == (decision.side == Side.SELL)
        assert not decision.needs_price  # the alert carries its price
        result = planner.plan_spot(decision, signal, row.settings, SPOT_RULES, held, LINKS,
                                   price=None, free=D(row.free))
    else:
        result = decision
    if isinstance(row.expect, OutcomeKind):
        assert isinstance(result, Refusal), result
        assert result.kind == row.expect
        assert result.kept == ("position" in row.body and row.expect == OutcomeKind.SKIPPED)
        return
    assert isinstance(result, Plan), result
    assert tuple(f"{p.leg} {p.request.side} {plain(p.request.qty)} {p.request.market_unit}"
                 for p in result.legs) == row.expect
    assert tuple(result.kept) == row.placed
    for planned in result.legs:  # a sell of all of it empties the holding, a share does not
        share = signal.close_share
        assert planned.whole == (planned.leg == Leg.SPOT_BUY or share is None or share >= 100
                                 or result.closed_all_instead)


def test_a_spot_buy_of_a_qty_without_a_price_asks_for_one() -> None:
    signal = parse_signal({"symbol": "BTCUSDT", "action": "buy", "qty": "0.001"})
    decision = planner.decide_spot(signal, settings("spot"), D(0), {})
    by_amount = planner.decide_spot(parse_signal({"symbol": "BTCUSDT", "action": "buy"}),
                                    settings("spot"), D(0), {})
    assert isinstance(decision, planner.SpotDecision) and decision.needs_price
    assert isinstance(by_amount, planner.SpotDecision) and not by_amount.needs_price
