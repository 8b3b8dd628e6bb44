"""Parsing TradingView's bodies: symbols, actions, numbers, timestamps, and the samples."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from bot.errors import BadSignal
from bot.signals import normalise_action, normalise_symbol, parse_body, parse_signal

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
])
def test_symbols_are_normalised_to_bybit_form(raw: str, symbol: str) -> None:
    assert normalise_symbol(raw) == symbol


@pytest.mark.parametrize("raw", ["", "B", "BTC USDT", "{{ticker}}", "BTC$USDT", "x" * 40,
                                 "'; DROP TABLE signals;--", 123, None, ["BTCUSDT"]])
def test_bad_symbols_are_refused_with_the_expected_form(raw: object) -> None:
    with pytest.raises(BadSignal) as info:
        normalise_symbol(raw)
    assert "BTCUSDT" in info.value.message or "{{ticker}}" in info.value.message


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
    assert "buy, long, sell, short, close, exit, stop" in info.value.message


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


def test_numbers_may_arrive_as_strings_and_keep_their_digits() -> None:
    signal = parse_signal({"symbol": "BTCUSDT", "action": "buy", "price": "50000.10",
                           "qty": 0.1, "take_profit": "51000", "stop_loss": 49000})
    assert signal.price == Decimal("50000.10")
    assert signal.take_profit == Decimal("51000") and signal.stop_loss == Decimal("49000")
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
    assert info.value.message.startswith(field)


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


@pytest.mark.parametrize("raw", ["yesterday", "2026-11-28T00:00:00", -5, "{{timenow}}"])
def test_bad_timestamps_are_refused(raw: object) -> None:
    with pytest.raises(BadSignal, match="timestamp"):
        parse_signal({"symbol": "BTCUSDT", "action": "buy", "timestamp": raw})
