"""Sizing on `Decimal`s, as properties: whatever the rules, price, amount and leverage, the
quantity is a valid multiple of the step, never more than the money buys, and never below
Bybit's minimum — or the error names an amount that really works (and one cent less would not).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.errors import TradeError
from bot.i18n.errors import grouped
from bot.trading import sizing
from bot.trading.models import InstrumentRules
from bot.vocabulary import Category
from bot.wire import plain
from tests.sentences import arabic, english, is_arabic

D = Decimal
CENT = D("0.01")
MAX_EXAMPLES = 400


def decimals(low: int, high: int, places: int) -> st.SearchStrategy[Decimal]:
    """Decimals with up to `places` decimals between low and high (both > 0)."""
    scale = 10 ** places
    return st.integers(low * scale, high * scale).map(lambda n: D(n) / scale).filter(
        lambda d: d > 0)


steps = st.sampled_from([D("0.00001"), D("0.001"), D("0.01"), D("0.1"), D("1"), D("10"),
                         D("100")])
prices = st.one_of(decimals(0, 2, 6), decimals(1, 1000, 4), decimals(1000, 150000, 2))
amounts = decimals(1, 50_000, 2)
leverages = st.integers(1, 125)


@st.composite
def linear_rules(draw: st.DrawFn) -> InstrumentRules:
    step = draw(steps)
    min_qty = step * draw(st.integers(1, 100))
    max_mkt = draw(st.one_of(st.none(), st.integers(1000, 10**7).map(lambda n: step * n)))
    return InstrumentRules(
        symbol="XYZUSDT", category=Category.LINEAR, base_coin="XYZ", quote_coin="USDT",
        tick_size=D("0.01"), qty_step=step, min_qty=min_qty, max_mkt_qty=max_mkt,
        min_notional=draw(st.sampled_from([D(0), D(5), D(10), D("100")])),
        max_leverage=D(125))


@st.composite
def spot_rules(draw: st.DrawFn) -> InstrumentRules:
    return InstrumentRules(
        symbol="XYZUSDT", category=Category.SPOT, base_coin="XYZ", quote_coin="USDT",
        tick_size=D("0.01"),
        base_precision=draw(st.sampled_from([D("0.000001"), D("0.0001"), D("0.01"), D("1")])),
        quote_precision=draw(st.sampled_from([D("0.0000001"), D("0.0001"), D("0.01")])),
        min_order_amt=draw(st.sampled_from([D(1), D(5), D(10)])))


def realistic(rules: InstrumentRules, price: Decimal) -> bool:
    """Real instruments allow market orders far above their minimum (BTCUSDT: 500 000×)."""
    return rules.max_mkt_qty is None or sizing.futures_min_qty(rules, price) * 100 <= \
        rules.max_mkt_qty


def told(error: TradeError, name: str, before: str) -> Decimal:
    """The number the error carries as `name`, as its English sentence says it."""
    value = error.params[name]
    assert isinstance(value, Decimal), error
    assert f"{before} {grouped(value)}" in english(error), english(error)
    return value


def is_multiple(value: Decimal, step: Decimal) -> bool:
    return value % step == 0


def assert_wire_is_plain(value: Decimal) -> None:
    text = plain(value)
    assert re.fullmatch(r"\d+(\.\d*[1-9])?", text), text
    assert D(text) == value


@settings(max_examples=MAX_EXAMPLES, deadline=None)
@given(amount=amounts, leverage=leverages, price=prices, rules=linear_rules())
def test_futures_qty_is_a_floored_step_above_the_minimum(
        amount: Decimal, leverage: int, price: Decimal, rules: InstrumentRules) -> None:
    assume(realistic(rules, price))
    try:
        qty = sizing.futures_qty(amount, leverage, price, rules)
    except TradeError as error:
        if error.code == "above_maximum":
            largest = told(error, "allowed", "at most")
            assume(largest > 0)
            assert sizing.futures_qty(largest, leverage, price, rules) <= rules.max_mkt_qty
            return
        assert error.code == "below_minimum", english(error)
        least = told(error, "needed", "at least")
        assert least == least.quantize(CENT) and least > amount
        works = sizing.futures_qty(least, leverage, price, rules)  # really enough …
        assert works >= rules.min_qty
        if least - CENT > 0:  # … and really the least
            with pytest.raises(TradeError):
                sizing.futures_qty(least - CENT, leverage, price, rules)
        return
    assert is_multiple(qty, rules.qty_step)
    assert qty * price <= amount * leverage  # never more than the margin buys
    assert (qty + rules.qty_step) * price > amount * leverage  # floored, not truncated early
    assert qty >= rules.min_qty and qty * price >= rules.min_notional
    assert rules.max_mkt_qty is None or qty <= rules.max_mkt_qty
    assert_wire_is_plain(qty)


@settings(max_examples=MAX_EXAMPLES, deadline=None)
@given(override=decimals(0, 10_000, 8), price=prices, rules=linear_rules())
def test_futures_qty_override_is_floored_and_checked(override: Decimal, price: Decimal,
                                                     rules: InstrumentRules) -> None:
    assume(realistic(rules, price))
    try:
        qty = sizing.futures_qty(D(100), 10, price, rules, override=override)
    except TradeError as error:
        if error.code == "above_maximum":
            largest = told(error, "maximum", "at most")
            assert largest == rules.max_mkt_qty
            return
        least = told(error, "minimum", "at least")
        assert sizing.futures_qty(D(100), 10, price, rules, override=least) == least
        return
    assert is_multiple(qty, rules.qty_step) and qty <= override
    assert override - qty < rules.qty_step
    assert qty >= rules.min_qty and qty * price >= rules.min_notional
    assert_wire_is_plain(qty)


@settings(max_examples=MAX_EXAMPLES, deadline=None)
@given(amount=decimals(0, 100_000, 9), rules=spot_rules())
def test_spot_buy_amount_is_quote_precision_above_the_minimum(
        amount: Decimal, rules: InstrumentRules) -> None:
    try:
        value = sizing.spot_buy_amount(amount, rules)
    except TradeError as error:
        least = told(error, "least", "at least")
        assert sizing.spot_buy_amount(least, rules) == least
        return
    assert is_multiple(value, rules.quote_precision)
    assert value <= amount and amount - value < rules.quote_precision
    assert value >= rules.min_order_amt
    assert_wire_is_plain(value)


@settings(max_examples=MAX_EXAMPLES, deadline=None)
@given(qty=decimals(0, 1_000_000, 9), price=prices, rules=spot_rules())
def test_spot_base_qty_is_base_precision_worth_the_minimum(
        qty: Decimal, price: Decimal, rules: InstrumentRules) -> None:
    try:
        value = sizing.spot_base_qty(qty, price, rules)
    except TradeError as error:
        if error.code == "above_maximum":
            return
        least = told(error, "least", "a qty of at least")
        assert least > qty - rules.base_precision
        assert sizing.spot_base_qty(least, price, rules) == least
        return
    assert is_multiple(value, rules.base_precision)
    assert value <= qty and qty - value < rules.base_precision
    assert value * price >= rules.min_order_amt
    assert_wire_is_plain(value)


def test_an_instrument_whose_minimum_exceeds_its_maximum_is_refused_clearly() -> None:
    rules = InstrumentRules("XYZUSDT", Category.LINEAR, "XYZ", "USDT", D("0.01"), qty_step=D("1"),
                            min_qty=D("1"), max_mkt_qty=D("100"), min_notional=D(5))
    with pytest.raises(TradeError) as caught:
        sizing.futures_qty(D(100), 10, D("0.001"), rules)
    assert caught.value.code == "untradeable"
    assert "smallest XYZUSDT order (5,000 XYZ) is above its largest market order (100 XYZ)" \
        in english(caught.value)
    assert is_arabic(arabic(caught.value)) and "(5,000 XYZ)\u2069" in arabic(caught.value)


def test_the_issue_example_names_the_minimum_amount() -> None:
    rules = InstrumentRules("BTCUSDT", Category.LINEAR, "BTC", "USDT", D("0.10"),
                            qty_step=D("0.001"), min_qty=D("0.001"), min_notional=D(5),
                            max_leverage=D(100))
    with pytest.raises(TradeError) as caught:
        sizing.futures_qty(D(4), 10, D(50000), rules)
    assert english(caught.value) == (
        "4 USDT at 10x buys 0 BTC, below Bybit's minimum of 0.001 BTC for BTCUSDT; use a trade "
        "amount of at least 5 USDT (/set amount 5) or a higher leverage")
    assert "\u20665 USDT (/set amount 5)\u2069" in arabic(caught.value)
    assert is_arabic(arabic(caught.value))


@pytest.mark.parametrize(("side", "tp", "sl", "code"), [
    ("Buy", "49000", None, "bad_take_profit"), ("Buy", None, "51000", "bad_stop_loss"),
    ("Sell", "51000", None, "bad_take_profit"), ("Sell", None, "49000", "bad_stop_loss"),
    ("Buy", "50000", None, "bad_take_profit"),
])
def test_tp_sl_on_the_wrong_side_is_refused(side: str, tp: str | None, sl: str | None,
                                            code: str) -> None:
    with pytest.raises(TradeError) as caught:
        sizing.check_tp_sl(side, D(50000), tp and D(tp), sl and D(sl))
    assert caught.value.code == code
    assert "wrong side of the entry 50,000" in english(caught.value)
    assert "سعر الدخول \u206650,000\u2069" in arabic(caught.value)


def test_tp_sl_on_the_right_side_pass() -> None:
    sizing.check_tp_sl("Buy", D(50000), D(55000), D(48000))
    sizing.check_tp_sl("Sell", D(50000), D(45000), D(52000))
