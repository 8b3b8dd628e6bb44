"""Parsing TradingView's bodies: symbols, actions, numbers, timestamps, and the samples."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from bot.errors import BadSignal
from bot.plans import Level
from bot.signals import (
    SignalLimits,
    normalise_action,
    normalise_symbol,
    parse_body,
    parse_signal,
)
from tests.sentences import arabic, english, is_arabic

# Real-world TradingView alert bodies (indicator and strategy alerts, placeholders left
# unfilled, other bots' formats), kept in the repository.
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "tradingview-alerts.json"


@pytest.mark.parametrize(("raw", "symbol"), [
    ("BTCUSDT", "BTCUSDT"),
    ("BTCUSDT.P", "BTCUSDT"),
    ("BYBIT:BTCUSDT.P", "BTCUSDT"),
    ("bybit:ethusdt.p", "ETHUSDT"),
    ("btc/usdt", "BTCUSDT"),
    ("BTC-USDT", "BTCUSDT"),
    ("  SOLUSDT  ", "SOLUSDT"),
    ("1000PEPEUSDT.P", "1000PEPEUSDT"),
    ("BINANCE:XRPUSDT.PERP", "XRPUSDT"),
    ("BTCUSDT\n", "BTCUSDT"),  # a trailing newline is not Bybit's form already
])
def test_symbols_are_normalised_to_bybit_form(raw: str, symbol: str) -> None:
    assert normalise_symbol(raw) == symbol


@pytest.mark.parametrize("raw", ["", "B", "BTC USDT", "{{ticker}}", "BTC$USDT", "x" * 40,
                                 "'; DROP TABLE signals;--", 123, None, ["BTCUSDT"]])
def test_bad_symbols_are_refused_with_the_expected_form(raw: object) -> None:
    with pytest.raises(BadSignal) as info:
        normalise_symbol(raw)
    assert "BTCUSDT" in english(info.value) or "{{ticker}}" in english(info.value)
    assert is_arabic(arabic(info.value)) and "\u2066" in arabic(info.value)


@pytest.mark.parametrize(("raw", "action"), [
    ("buy", "buy"), ("BUY", "buy"), ("Long", "long"), ("sell", "sell"), ("SHORT", "short"),
    ("close", "close"), ("Exit", "exit"), ("STOP", "stop"), (" buy ", "buy"),
])
def test_actions_are_case_insensitive(raw: str, action: str) -> None:
    assert normalise_action(raw) == action


@pytest.mark.parametrize("raw", ["buy_now", "hold", "", 1, None])
def test_unknown_actions_list_the_allowed_ones(raw: object) -> None:
    with pytest.raises(BadSignal) as info:
        normalise_action(raw)
    assert info.value.code == "unknown_action"
    assert "buy, long, sell, short, close, exit, stop" in english(info.value)
    assert "buy, long, sell, short, close, exit, stop" in arabic(info.value)
    assert is_arabic(arabic(info.value))


def test_every_real_world_sample_parses_as_expected() -> None:
    samples = json.loads(SAMPLES.read_text())
    assert len(samples) >= 10
    for sample in samples:
        body = sample["body"].encode()
        expect = sample["expect"]
        if "status" in expect:
            with pytest.raises(BadSignal):
                parse_signal(parse_body(body))
            continue
        signal = parse_signal(parse_body(body))
        assert signal.symbol == expect["symbol"], sample["what"]
        assert signal.action == expect["action"], sample["what"]
        for field in ("price", "take_profit", "stop_loss"):
            if field in expect:
                value = getattr(signal, field)
                assert (None if value is None else str(value)) == expect[field], sample["what"]
        if "position" in expect:
            assert signal.position == expect["position"]


def test_a_strategy_exit_to_flat_is_a_close_not_a_short() -> None:
    signal = parse_signal({"symbol": "BTCUSDT", "action": "sell", "position": "flat"})
    assert (signal.action, signal.intent) == ("close", "close")
    signal = parse_signal({"symbol": "BTCUSDT", "action": "sell", "position": "long"})
    assert signal.intent == "buy"  # still long afterwards: never a reversal


# (action, position) → (action it becomes, whether `position` turned it: a partial exit, which
# never adds to the side already held; bot/trading/planner).
@pytest.mark.parametrize(("action", "position", "becomes", "turned"), [
    ("sell", "long", "buy", True), ("short", "long", "buy", True),
    ("close", "long", "buy", True), ("partial_close", "long", "buy", True),
    ("buy", "short", "sell", True), ("long", "short", "sell", True),
    ("exit", "short", "sell", True),
    ("buy", "long", "buy", False), ("long", "long", "long", False),  # a second entry
    ("sell", "short", "sell", False), ("short", "short", "short", False),
    ("sell", "flat", "close", False), ("buy", "flat", "close", False),
    ("sell", None, "sell", False), ("buy", "", "buy", False),
])
def test_position_wins_over_the_action_and_marks_a_partial_exit(
        action: str, position: str | None, becomes: str, turned: bool) -> None:
    signal = parse_signal({"symbol": "BTCUSDT", "action": action, "position": position})
    assert (signal.action, signal.position_turned) == (becomes, turned)


def test_numbers_may_arrive_as_strings_and_keep_their_digits() -> None:
    signal = parse_signal({"symbol": "BTCUSDT", "action": "buy", "price": "50000.10",
                           "qty": 0.1, "take_profit": "51000", "stop_loss": 49000})
    assert signal.price == Decimal("50000.10")
    assert signal.take_profit == Level(Decimal("51000"))
    assert signal.stop_loss == Level(Decimal("49000"))
    assert parse_signal(parse_body(b'{"symbol":"BTCUSDT","action":"buy","qty":0.1}')).qty \
        == Decimal("0.1")


@pytest.mark.parametrize(("field", "value"), [
    ("price", "abc"), ("price", -1), ("price", 0), ("qty", "1e400"), ("price", True),
    ("take_profit", "{{plot_0}}"), ("stop_loss", [1]), ("price", "NaN"),
])
def test_bad_numbers_name_the_field(field: str, value: object) -> None:
    with pytest.raises(BadSignal) as info:
        parse_signal({"symbol": "BTCUSDT", "action": "buy", field: value})
    assert info.value.code == "bad_number"
    assert english(info.value).startswith(field)
    assert f"\u2066{field}\u2069" in arabic(info.value) and is_arabic(arabic(info.value))


@pytest.mark.parametrize(("body", "code"), [
    (b"", "empty_body"), (b"   \n", "empty_body"), (b"BUY BTCUSDT now!", "not_json"),
    (b"[1, 2]", "not_json"), (b'"buy"', "not_json"), (b"\xff\xfe", "not_json"),
    (b'{"symbol": "BTCUSDT", "action": "buy", "price": NaN}', "not_json"),
    (b'{"symbol": "{{tickr}}", "action": "buy", "price": {{close}}}', "not_json"),
])
def test_bodies_that_are_not_json_objects(body: bytes, code: str) -> None:
    with pytest.raises(BadSignal) as info:
        parse_body(body)
    assert info.value.code == code


def test_escaped_pairs_are_text_and_half_a_pair_is_refused() -> None:
    assert parse_body(b'{"id": "\\ud83d\\ude80 up"}') == {"id": "\U0001f680 up"}
    for body in (b'{"id": "\\ud83d up"}', b'{"\\ude80": 1}', b'{"tps": [{"x": "\\uDBFF"}]}'):
        with pytest.raises(BadSignal) as info:
            parse_body(body)
        assert info.value.code == "not_json"


def test_missing_fields_are_named() -> None:
    for missing in ("symbol", "action"):
        data = {"symbol": "BTCUSDT", "action": "buy"}
        del data[missing]
        with pytest.raises(BadSignal, match=f'"{missing}" is missing'):
            parse_signal(data)


@pytest.mark.parametrize(("raw", "seconds"), [
    ("2026-11-28T00:00:00Z", 1795824000.0), (1795824000, 1795824000.0),
    ("1795824000000", 1795824000.0), ("2026-11-28T03:00:00+03:00", 1795824000.0),
])
def test_timestamps_in_tradingview_and_unix_forms(raw: object, seconds: float) -> None:
    assert parse_signal({"symbol": "BTCUSDT", "action": "buy", "timestamp": raw}).timestamp \
        == seconds


@pytest.mark.parametrize("raw", ["yesterday", "2026-11-28T00:00:00", -5, "{{timenow}}",
                                 10 ** 400])  # a JSON integer too large for a float
def test_bad_timestamps_are_refused(raw: object) -> None:
    with pytest.raises(BadSignal, match="timestamp"):
        parse_signal({"symbol": "BTCUSDT", "action": "buy", "timestamp": raw})


# --- other receivers' fields and actions, and the alert's own amount and leverage ----------

BASE = {"symbol": "BTCUSDT"}
LIMITS = SignalLimits(max_trade_amount=Decimal("1000"), max_leverage=50)


@pytest.mark.parametrize(("fields", "expect"), [
    ({"signal": "buy"}, {"action": "buy", "intent": "buy"}),
    ({"signal": "SELL"}, {"action": "sell", "intent": "sell"}),
    ({"action": "buy", "signal": "buy"}, {"action": "buy"}),  # both, agreeing
    ({"action": "close_long"}, {"intent": "close_long", "close_share": None}),
    ({"signal": "close_short"}, {"intent": "close_short", "close_share": None}),
    ({"action": "partial_close"}, {"intent": "close", "close_share": Decimal(50)}),
    ({"action": "close_partial", "percentage": 25}, {"intent": "close",
                                                      "close_share": Decimal(25)}),
    ({"action": "close", "qty_percent": "30%"}, {"close_share": Decimal(30)}),
    ({"action": "close", "percentage": "12.5"}, {"close_share": Decimal("12.5")}),
    ({"action": "exit", "qty_percent": 100}, {"close_share": Decimal(100)}),
    ({"action": "close_long", "qty_percent": 40}, {"close_share": Decimal(40)}),
    ({"action": "buy", "tp": 51000, "sl": "49000"}, {"take_profit": Level(Decimal(51000)),
                                                     "stop_loss": Level(Decimal(49000))}),
    ({"action": "buy", "amount": "250"}, {"amount": Decimal(250)}),
    ({"action": "buy", "amount": 12.5}, {"amount": Decimal("12.5")}),
    ({"action": "buy", "amount": 1000}, {"amount": Decimal(1000)}),  # at the limit
    ({"action": "buy", "leverage": 20}, {"leverage": 20}),
    ({"action": "buy", "leverage": "20x"}, {"leverage": 20}),
    ({"action": "buy", "leverage": "5X"}, {"leverage": 5}),
    ({"action": "buy", "leverage": 50}, {"leverage": 50}),  # at the limit
    ({"action": "buy", "leverage": 10.0}, {"leverage": 10}),
    ({"action": "buy", "comment": "my own note", "strategy": "x"}, {"action": "buy"}),
])
def test_aliases_and_per_alert_fields_are_read(fields: dict[str, object],
                                               expect: dict[str, object]) -> None:
    signal = parse_signal({**BASE, **fields}, LIMITS)
    for name, value in expect.items():
        assert getattr(signal, name) == value, name


@pytest.mark.parametrize(("fields", "code", "words"), [
    ({"action": "buy", "signal": "sell"}, "bad_field", '"action" and "signal"'),
    ({"action": "buy", "tp": 1, "take_profit": 2}, "bad_field", '"take_profit" and "tp"'),
    ({"action": "close", "qty_percent": 10, "percentage": 20}, "bad_field", "qty_percent"),
    ({"signal": "buy_now"}, "unknown_action", "close_long"),
    ({"action": "buy", "qty_percent": 50}, "bad_field", "this alert is a buy"),
    ({"action": "sell", "position": "long", "qty_percent": 50}, "bad_field",
     '"position": "long" made it a buy'),
    ({"action": "close", "qty_percent": 0}, "bad_number", "qty_percent"),
    ({"action": "close", "qty_percent": 101}, "bad_number", "at most 100"),
    ({"action": "close", "qty_percent": "half"}, "bad_number", "qty_percent"),
    ({"action": "close", "percentage": "%"}, "bad_number", "qty_percent"),
    ({"action": "buy", "amount": "lots"}, "bad_number", "amount"),
    ({"action": "buy", "amount": -5}, "bad_number", "amount"),
    ({"action": "buy", "amount": 0}, "bad_number", "amount"),
    ({"action": "buy", "amount": True}, "bad_number", "amount"),
    ({"action": "buy", "amount": "1000.01"}, "above_limit", "limits.max_trade_amount"),
    ({"action": "buy", "leverage": "ten"}, "bad_number", "such as 10"),
    ({"action": "buy", "leverage": 10.5}, "bad_number", "whole number"),
    ({"action": "buy", "leverage": 0}, "bad_number", "leverage"),
    ({"action": "buy", "leverage": "x"}, "bad_number", "whole number"),
    ({"action": "buy", "leverage": [10]}, "bad_number", "leverage"),
    ({"action": "buy", "leverage": 51}, "above_limit", "limits.max_leverage"),
    ({"action": "buy", "leverage": "75x"}, "above_limit", "maximum of 50"),
])
def test_bad_aliases_and_per_alert_fields_are_refused_with_a_sentence(
        fields: dict[str, object], code: str, words: str) -> None:
    with pytest.raises(BadSignal) as info:
        parse_signal({**BASE, **fields}, LIMITS)
    assert info.value.code == code
    assert words in english(info.value)
    assert is_arabic(arabic(info.value))
