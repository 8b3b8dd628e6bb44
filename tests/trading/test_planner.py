"""The decision table of DESIGN §3, row by row, against the pure planner: no exchange, no I/O.

Each row is an alert (through the real parser, so `position` and the action's aliases are
resolved as in production), the account's state, and the orders the planner must plan — or
the reason it plans none. Quantities: 100 USDT × 10x at 50,000 = 0.02 BTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import pytest

from bot.db.orders import OrderRecord
from bot.models import UserSettings
from bot.signals import SignalLimits, parse_signal
from bot.trading import planner
from bot.trading.models import InstrumentRules, Position, PositionBook
from bot.trading.planner import LinkIds, Plan, Refusal
from bot.vocabulary import AccountType, Category, Leg, OrderStatus, OutcomeKind, Side
from bot.wire import plain
from tests.sentences import english

D = Decimal
LINKS = LinkIds("bbtest", 7)
FUTURES_RULES = InstrumentRules(
    "BTCUSDT", Category.LINEAR, "BTC", "USDT", tick_size=D("0.1"), qty_step=D("0.001"),
    min_qty=D("0.001"), min_notional=D("5"), max_leverage=D("100"))
SPOT_RULES = InstrumentRules(
    "BTCUSDT", Category.SPOT, "BTC", "USDT", tick_size=D("0.01"),
    base_precision=D("0.000001"), quote_precision=D("0.01"), min_order_amt=D("5"))


def settings(market: str = "futures", *, pyramiding: bool = False, leverage: int = 10,
             amount: str = "100") -> UserSettings:
    return UserSettings(market, D(amount), leverage, "demo", pyramiding=pyramiding)


def book(*, long: str | None = None, short: str | None = None, hedge: bool = False,
         leverage: str | None = None) -> PositionBook:
    rows = []
    if long is not None:
        rows.append(Position("BTCUSDT", Side.BUY, D(long), D("48000"), 1 if hedge else 0))
    if short is not None:
        rows.append(Position("BTCUSDT", Side.SELL, D(short), D("52000"), 2 if hedge else 0))
    return PositionBook("BTCUSDT", hedge, tuple(rows),
                        None if leverage is None else D(leverage))


def placed(*legs: Leg) -> dict[Leg, OrderRecord]:
    """Legs a crashed run got to the exchange (found again by their orderLinkIds)."""
    side = {Leg.CLOSE_LONG: Side.SELL, Leg.CLOSE_SHORT: Side.BUY, Leg.OPEN: Side.BUY,
            Leg.SPOT_BUY: Side.BUY, Leg.SPOT_SELL: Side.SELL}
    return {leg: OrderRecord(7, 1, leg, LINKS(leg), AccountType.DEMO, Category.LINEAR,
                             "BTCUSDT", side[leg], D("0.05"), leg != Leg.OPEN,
                             OrderStatus.FILLED) for leg in legs}


def alert(action: str, **fields: Any) -> dict[str, Any]:
    return {"symbol": "BYBIT:BTCUSDT.P", "action": action, "price": 50000, **fields}


@dataclass(frozen=True)
class Row:
    """One line of the table: what arrives, what is open, what must be planned."""

    name: str
    body: dict[str, Any]
    expect: tuple[str, ...] | OutcomeKind  # "leg side qty [ro] idx" per order, or a refusal
    book: PositionBook = field(default_factory=book)
    settings: UserSettings = field(default_factory=settings)
    placed: tuple[Leg, ...] = ()
    kept: tuple[Leg, ...] = ()


FUTURES = [
    # buy / long: close a short if one is open, then open long
    Row("buy when flat opens long", alert("buy"), ("o Buy 0.02 idx0",)),
    Row("long is buy", alert("LONG"), ("o Buy 0.02 idx0",)),
    Row("buy when short reverses", alert("buy"), ("cs Buy 0.05 ro idx0", "o Buy 0.02 idx0"),
        book(short="0.05")),
    Row("buy when long is skipped", alert("buy"), OutcomeKind.SKIPPED, book(long="0.03")),
    Row("buy when long adds with pyramiding", alert("buy"), ("o Buy 0.02 idx0",),
        book(long="0.03"), settings(pyramiding=True)),
    # sell / short: the mirror
    Row("sell when flat opens short", alert("sell"), ("o Sell 0.02 idx0",)),
    Row("short is sell", alert("short"), ("o Sell 0.02 idx0",)),
    Row("sell when long reverses", alert("sell"), ("cl Sell 0.05 ro idx0", "o Sell 0.02 idx0"),
        book(long="0.05")),
    Row("sell when short is skipped", alert("sell"), OutcomeKind.SKIPPED, book(short="0.05")),
    Row("sell when short adds with pyramiding", alert("sell"), ("o Sell 0.02 idx0",),
        book(short="0.05"), settings(pyramiding=True)),
    # close / exit / stop: the whole position, reduce-only
    Row("close a long", alert("close"), ("cl Sell 0.05 ro idx0",), book(long="0.05")),
    Row("exit a short", alert("exit"), ("cs Buy 0.04 ro idx0",), book(short="0.04")),
    Row("stop is close", alert("stop"), ("cl Sell 0.05 ro idx0",), book(long="0.05")),
    Row("close when flat does nothing", alert("close"), OutcomeKind.NOTHING_TO_CLOSE),
    # close_long / close_short: that side only
    Row("close_long closes the long", alert("close_long"), ("cl Sell 0.05 ro idx0",),
        book(long="0.05")),
    Row("close_long when short does nothing", alert("close_long"),
        OutcomeKind.NOTHING_TO_CLOSE, book(short="0.05")),
    Row("close_short closes the short", alert("close_short"), ("cs Buy 0.04 ro idx0",),
        book(short="0.04")),
    Row("close_short when long does nothing", alert("close_short"),
        OutcomeKind.NOTHING_TO_CLOSE, book(long="0.05")),
    Row("the earlier bot's signal field", {"symbol": "BTCUSDT", "signal": "close_short"},
        ("cs Buy 0.04 ro idx0",), book(short="0.04")),
    Row("hedge: close_long leaves the short", alert("close_long"), ("cl Sell 0.05 ro idx1",),
        book(long="0.05", short="0.04", hedge=True)),
    # partial closes: a share of the size read from the exchange, floored to qtyStep
    Row("partial_close closes half", alert("partial_close"), ("cl Sell 0.025 ro idx0",),
        book(long="0.05")),
    Row("close_partial is partial_close", alert("close_partial"), ("cs Buy 0.02 ro idx0",),
        book(short="0.04")),
    Row("close with qty_percent 25", alert("close", qty_percent=25), ("cl Sell 0.012 ro idx0",),
        book(long="0.05")),
    Row("close with percentage 30%", alert("close", percentage="30%"),
        ("cl Sell 0.015 ro idx0",), book(long="0.05")),
    Row("qty_percent 100 closes all", alert("close", qty_percent=100), ("cl Sell 0.05 ro idx0",),
        book(long="0.05")),
    Row("a rest below the minimum closes all of it", alert("close", qty_percent=75),
        ("cl Sell 0.0015 ro idx0",), book(long="0.0015")),
    Row("a share below the minimum is refused", alert("close", qty_percent=10),
        OutcomeKind.FAILED, book(long="0.005")),
    Row("hedge: a share of each side", alert("close", qty_percent=50),
        ("cl Sell 0.025 ro idx1", "cs Buy 0.02 ro idx2"),
        book(long="0.05", short="0.04", hedge=True)),
    Row("close_short with a share", alert("close_short", qty_percent=50),
        ("cs Buy 0.02 ro idx0",), book(short="0.04")),
    # the alert's own amount and leverage replace the settings for that alert
    Row("amount in the alert", alert("buy", amount=50), ("o Buy 0.01 idx0",)),
    Row("leverage in the alert", alert("buy", leverage=20), ("o Buy 0.04 idx0",)),
    Row("both, as text", alert("buy", amount="250", leverage="4x"), ("o Buy 0.02 idx0",)),
    Row("qty in the alert wins over any amount", alert("buy", qty="0.003", amount=500),
        ("o Buy 0.003 idx0",)),
    # position (TradingView's strategy.market_position) wins over the action
    Row("a strategy's exit (sell, flat) closes and never reverses",
        alert("sell", position="flat"), ("cl Sell 0.05 ro idx0",), book(long="0.05")),
    Row("sell while still long afterwards is a buy: skipped", alert("sell", position="long"),
        OutcomeKind.SKIPPED, book(long="0.05")),
    Row("sell still long is a partial exit: kept, even with pyramiding",
        alert("sell", position="long"), OutcomeKind.SKIPPED, book(long="0.05"),
        settings(pyramiding=True)),
    Row("buy still short is a partial exit: kept, even with pyramiding",
        alert("buy", position="short"), OutcomeKind.SKIPPED, book(short="0.05"),
        settings(pyramiding=True)),
    Row("sell still long when flat opens the long it missed", alert("sell", position="long"),
        ("o Buy 0.02 idx0",), settings=settings(pyramiding=True)),
    Row("sell still long when short reverses to long", alert("sell", position="long"),
        ("cs Buy 0.05 ro idx0", "o Buy 0.02 idx0"), book(short="0.05")),
    Row("hedge: sell still long with both open closes the short, adds nothing",
        alert("sell", position="long"), ("cs Buy 0.04 ro idx2",),
        book(long="0.05", short="0.04", hedge=True), settings(pyramiding=True)),
    Row("buy still long is a second entry: adds with pyramiding", alert("buy", position="long"),
        ("o Buy 0.02 idx0",), book(long="0.05"), settings(pyramiding=True)),
    Row("sell with position short reverses a long", alert("sell", position="short"),
        ("cl Sell 0.05 ro idx0", "o Sell 0.02 idx0"), book(long="0.05")),
    Row("flat when flat does nothing", alert("buy", position="flat"),
        OutcomeKind.NOTHING_TO_CLOSE),
    # hedge mode: each side its own row and positionIdx
    Row("hedge: buy when flat opens on idx 1", alert("buy"), ("o Buy 0.02 idx1",),
        book(hedge=True)),
    Row("hedge: sell when flat opens on idx 2", alert("sell"), ("o Sell 0.02 idx2",),
        book(hedge=True)),
    Row("hedge: buy with both open closes the short only", alert("buy"),
        ("cs Buy 0.04 ro idx2",), book(long="0.05", short="0.04", hedge=True)),
    Row("hedge: buy with both open and pyramiding closes the short and adds",
        alert("buy"), ("cs Buy 0.04 ro idx2", "o Buy 0.02 idx1"),
        book(long="0.05", short="0.04", hedge=True), settings(pyramiding=True)),
    Row("hedge: close closes both sides", alert("close"),
        ("cl Sell 0.05 ro idx1", "cs Buy 0.04 ro idx2"),
        book(long="0.05", short="0.04", hedge=True)),
    # replay after a crash: legs found at the exchange are kept, never planned again
    Row("replay: the close went out, the open did not", alert("buy"), ("o Buy 0.02 idx0",),
        placed=(Leg.CLOSE_SHORT,), kept=(Leg.CLOSE_SHORT,)),
    Row("replay: both legs went out", alert("buy"), (), book(long="0.02"),
        placed=(Leg.CLOSE_SHORT, Leg.OPEN), kept=(Leg.CLOSE_SHORT, Leg.OPEN)),
    Row("replay: a close that went out is done, not 'nothing to close'", alert("close"), (),
        placed=(Leg.CLOSE_LONG,), kept=(Leg.CLOSE_LONG,)),
    # sizing refusals: checked before any order, so nothing is placed
    Row("leverage above the symbol's maximum", alert("buy"), OutcomeKind.FAILED,
        settings=settings(leverage=125)),
    Row("an amount below the minimum order", alert("buy"), OutcomeKind.FAILED,
        settings=settings(amount="0.2")),
    Row("a reversal that cannot open closes nothing either",  # no price: checked at planning
        {"symbol": "BTCUSDT", "action": "buy", "stop_loss": 51000}, OutcomeKind.FAILED,
        book(short="0.05")),
]


def describe_legs(plan: Plan) -> tuple[str, ...]:
    return tuple(f"{p.leg} {p.request.side} {plain(p.request.qty)}"
                 f"{' ro' if p.request.reduce_only else ''} idx{p.request.position_idx}"
                 for p in plan.legs)


def plan_futures(row: Row, *, price: Decimal | None = None,
                 rules: InstrumentRules = FUTURES_RULES) -> Plan | Refusal:
    signal = parse_signal(row.body)
    done = placed(*row.placed)
    decision = planner.decide_futures(signal, row.settings, row.book, done)
    if isinstance(decision, Refusal):
        return decision
    if decision.needs_price:  # the alert left it out: the market's, as the runner reads it
        price = price or D(50000)
    return planner.plan_futures(decision, signal, row.settings, row.book, rules, done, LINKS,
                                price=price)


@pytest.mark.parametrize("row", FUTURES, ids=[row.name for row in FUTURES])
def test_futures_table(row: Row) -> None:
    result = plan_futures(row)
    if isinstance(row.expect, OutcomeKind):
        assert isinstance(result, Refusal), result
        assert result.kind == row.expect
        assert (result.failure is not None) == (row.expect == OutcomeKind.FAILED)
        assert result.kept == ("position" in row.body and row.expect == OutcomeKind.SKIPPED)
        return
    assert isinstance(result, Plan), result
    assert describe_legs(result) == row.expect
    assert tuple(result.kept) == row.kept
    for planned in result.legs:
        assert planned.request.order_link_id == f"bbtest-7-{planned.leg}"
        assert (planned.closes is not None) == planned.request.reduce_only


def test_a_partial_close_widened_to_all_says_so() -> None:
    widened = plan_futures(Row("", alert("close", qty_percent=75), (), book(long="0.0015")))
    half = plan_futures(Row("", alert("partial_close"), (), book(long="0.05")))
    assert isinstance(widened, Plan) and widened.closed_all_instead
    assert widened.legs[0].whole
    assert isinstance(half, Plan) and not half.closed_all_instead and not half.legs[0].whole


def test_alert_amount_and_leverage_name_the_alert_when_they_do_not_fit() -> None:
    small = plan_futures(Row("", alert("buy", amount="0.2"), OutcomeKind.FAILED))
    high = plan_futures(Row("", alert("buy", leverage=75), OutcomeKind.FAILED),
                        rules=replace(FUTURES_RULES, max_leverage=D(50)))
    assert isinstance(small, Refusal) and small.failure is not None
    assert '"amount": 5 in the alert' in english(small.failure)
    assert "/set amount" not in english(small.failure)
    assert isinstance(high, Refusal) and high.failure is not None
    assert '"leverage": 50 or less in the alert' in english(high.failure)
    leverage = plan_futures(Row("", alert("buy", leverage=20), (), book(leverage="10")))
    assert isinstance(leverage, Plan) and (leverage.leverage, leverage.set_leverage) == (
        20, True)


def test_a_skip_says_what_is_already_open() -> None:
    refusal = plan_futures(Row("", alert("sell"), OutcomeKind.SKIPPED, book(short="0.05")))
    assert refusal == Refusal(OutcomeKind.SKIPPED, held=D("0.05"), held_side=Side.SELL)


def test_refusals_name_the_fix() -> None:
    leverage = plan_futures(Row("", alert("buy"), OutcomeKind.FAILED,
                                settings=settings(leverage=125)))
    small = plan_futures(Row("", alert("buy"), OutcomeKind.FAILED,
                             settings=settings(amount="0.2")))
    stop = plan_futures(Row("", {"symbol": "BTCUSDT", "action": "buy", "stop_loss": 51000},
                            OutcomeKind.FAILED))
    assert isinstance(leverage, Refusal) and leverage.failure is not None
    assert leverage.failure.code == "leverage_too_high"
    assert "/set leverage 100" in english(leverage.failure)
    assert isinstance(small, Refusal) and small.failure is not None
    assert small.failure.code == "below_minimum"
    assert "/set amount 5" in english(small.failure)
    assert isinstance(stop, Refusal) and stop.failure is not None
    assert stop.failure.code == "bad_stop_loss"


def test_leverage_is_set_only_when_it_differs_from_the_exchange() -> None:
    same = plan_futures(Row("", alert("buy"), (), book(leverage="10")))
    other = plan_futures(Row("", alert("buy"), (), book(leverage="5")))
    unknown = plan_futures(Row("", alert("buy"), ()))
    closing = plan_futures(Row("", alert("close"), (), book(long="0.05", leverage="5")))
    assert isinstance(same, Plan) and (same.leverage, same.set_leverage) == (10, False)
    assert isinstance(other, Plan) and (other.leverage, other.set_leverage) == (10, True)
    assert isinstance(unknown, Plan) and (unknown.leverage, unknown.set_leverage) == (10, True)
    assert isinstance(closing, Plan) and closing.leverage is None  # nothing opens
    assert not closing.set_leverage


def test_take_profit_and_stop_loss_ride_on_the_opening_order_rounded_to_the_tick() -> None:
    plan = plan_futures(Row("", alert("buy", take_profit="55000.07", stop_loss="45000.04"),
                            ()))
    assert isinstance(plan, Plan)
    [opening] = plan.legs
    assert (opening.request.take_profit, opening.request.stop_loss) == (D("55000.0"),
                                                                       D("45000.0"))


def test_a_price_is_read_only_when_an_order_opens_without_one() -> None:
    signal = parse_signal({"symbol": "BTCUSDT", "action": "buy"})
    opens = planner.decide_futures(signal, settings(), book(), {})
    closes = planner.decide_futures(parse_signal({"symbol": "BTCUSDT", "action": "close"}),
                                    settings(), book(long="0.05"), {})
    assert isinstance(opens, planner.FuturesDecision) and opens.needs_price
    assert isinstance(closes, planner.FuturesDecision) and not closes.needs_price
    plan = planner.plan_futures(opens, signal, settings(), book(), FUTURES_RULES, {}, LINKS,
                                price=D("40000"))
    assert isinstance(plan, Plan) and plan.legs[0].request.qty == D("0.025")


def test_a_qty_without_a_price_is_weighed_at_the_price_read_against_the_limit() -> None:
    limits = SignalLimits(max_trade_amount=D(1000))
    futures, spot = settings(leverage=10), settings("spot")
    cases = []  # (plan at the limit, plan one step above), futures then spot
    for market, qty in ((futures, D("0.25")), (spot, D("0.025"))):
        for asked in (qty, qty + D("0.001")):
            signal = parse_signal({"symbol": "BTCUSDT", "action": "buy", "qty": str(asked)})
            if market is futures:
                opens = planner.decide_futures(signal, market, book(), {})
                assert isinstance(opens, planner.FuturesDecision) and opens.needs_price
                cases.append(planner.plan_futures(opens, signal, market, book(), FUTURES_RULES,
                                                  {}, LINKS, price=D(40000), limits=limits))
            else:
                buys = planner.decide_spot(signal, market, D(0), {})
                assert isinstance(buys, planner.SpotDecision) and buys.needs_price
                cases.append(planner.plan_spot(buys, signal, market, SPOT_RULES, D(0), LINKS,
                                               price=D(40000), free=None, limits=limits))
    at_futures, above_futures, at_spot, above_spot = cases
    assert isinstance(at_futures, Plan) and at_futures.legs[0].request.qty == D("0.25")
    assert isinstance(at_spot, Plan) and at_spot.legs[0].request.qty == D("0.025")
    for refused, key, margin in ((above_futures, "above_limit.qty", "1,004"),
                                 (above_spot, "above_limit.spot_qty", "1,040")):
        assert isinstance(refused, Refusal) and refused.failure is not None
        assert refused.failure.key == key and refused.failure.code == "above_limit"
        assert f"{margin} USDT" in english(refused.failure), english(refused.failure)
