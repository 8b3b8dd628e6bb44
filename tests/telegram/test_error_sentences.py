"""What every error says (DESIGN §13): rendered in English and in Arabic with sample values, each
code is a complete sentence that names its fix; nothing of the template is left over; the
Arabic one is Arabic — its only Latin text is values, commands, fields and names, and in a
Telegram message it follows the right-to-left rules (every line starts with Arabic or U+200F,
every symbol, number and command in a left-to-right isolate)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from bot.errors import Failure, TradeError
from bot.handlers.reports import render
from bot.i18n import t
from bot.i18n.errors import (
    SENTENCES,
    fields,
    for_page,
    render_error,
    render_failure,
    say,
)
from bot.i18n.errors_ar import ERRORS as ARABIC
from bot.i18n.errors_en import ERRORS as ENGLISH
from bot.i18n.results_ar import RESULTS as ARABIC_RESULTS
from bot.outcomes import Outcome, SignalFinished
from bot.signals import Signal
from bot.vocabulary import AccountType, MarketType, OutcomeKind, SignalStatus
from tests.fakes.telegram_records import as_read
from tests.telegram.test_arabic_rendering import assert_right_to_left

LRI, PDI, RLM = "\u2066", "\u2069", "\u200f"
# A placeholder not filled in (TradingView's own {{close}} is part of a fix: not one).
LEFTOVER = re.compile(r"(?<!\{)\{[A-Za-z_]+(?::[a-z]+)?\}(?!\})")
# Latin words an Arabic sentence may carry outside the isolates it writes for commands and
# fields: names of products and formats, which Arabic writes in Latin too.
NAMES = {"Bybit", "TradingView", "JSON", "API", "USDT", "UTF", "HTTP", "IP", "NTP", "POST",
         "x"}  # 10x: a leverage's sign, after its number
# What an English sentence's fix starts with: a command, or one of these verbs.
FIX_VERBS = re.compile(
    r"\b(send|use|check|add|lower|raise|set|store|give|close|remove|copy|open|switch|"
    r"practise|drop|make|try|tell|look|synchroni[sz]e|fix|create|wait|see|must|needs?)\b"
    r"|/[a-z]+", re.IGNORECASE)
ARABIC_FIX_VERBS = re.compile(
    "أرسل|استخدم|تحقق|أضف|خفّض|ارفع|راجع|احفظ|امنح|أغلق|أعد|افتح|انسخ|احذف|اجعل|أعطِ|ضع|"
    "غيّر|تدرّب|أخبر|على المشغّل|اضبط|أنشئ|ألغِ|يجب|يحتاج|/[a-z]+")
# Not refusals: a note on a done opening, what a duplicate's answer says, a cause quoted
# inside another sentence (retry.*, exits.not_placed give its fix), and the sentence for the
# operator's own config. Each still says what happened.
NO_FIX = {
    "duplicate", "duplicate.of", "duplicate.status", "duplicate.running", "duplicate.executed",
    "duplicate.done", "duplicate.ended", "duplicate.ended_bare", "exits.target_refused",
    "exits.not_beyond_profit", "exits.not_beyond_loss", "exits.trailing_tick", "exits.be_last",
    "exits.too_small", "exits.merged", "exits.spot", "exits.not_placed",
    "rate_limited.bybit", "rate_limited.account", "exchange_unreachable.page",
    "exchange_unreachable.timeout", "exchange_unreachable.failed", "exchange_busy",
    "untradeable", "stale_signal", "address_not_allowed", "inactive", "forbidden",
    "body_too_large", "method_not_allowed", "internal", "internal.server", "not_trading",
    "exits.no_fill",
}
SAMPLES: dict[str, object] = {
    "symbol": "BTCUSDT", "coin": "BTC", "quote": "USDT", "field": "take_profit",
    "alias": "tp", "reply": "Insufficient balance for the order.", "given": '"abc"',
    "example": '{"symbol": "BTCUSDT", "action": "buy", "price": 50000}',
    "actions": "buy, sell, close", "targets": "tp1, tp2", "method": "GET",
    "ip": "203.0.113.7", "user": "'42x'", "position": "flat", "problem": "timed out",
    "status_text": "PreLaunch", "other": "spot", "code": "weird_code", "side": "long",
    "account": "demo", "market": "futures", "status": "failed", "order_side": "buy",
    "action": "buy", "cause": Failure("rate_limited", "rate_limited.bybit"), "attempts": 3,
    "original": 41, "result": "opened long 0.02 BTCUSDT at 50,000", "bybit_code": 170213,
    "status_code": 502, "n": 2, "limit": 60, "wait": 12, "max_age": 30, "age": 95,
    "leverage": 20, "most": 10, "be_after": 4, "last": 2,
}


def sample(name: str) -> object:
    return SAMPLES.get(name, Decimal("1234.5"))


def values(template: str) -> dict[str, object]:
    return {name: sample(name) for name in fields(template)}


def latin_words(arabic_template: str) -> set[str]:
    """The Latin words of an Arabic template outside its isolates and placeholders."""
    text = re.sub(f"{LRI}[^{PDI}]*{PDI}", " ", arabic_template)
    text = re.sub(r"\{[^{}]*\}", " ", text)
    return set(re.findall(r"[A-Za-z][A-Za-z0-9_]*", text))


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_every_error_is_a_complete_sentence_with_its_fix_in_both_languages(key: str) -> None:
    given = values(ENGLISH[key])
    english, arabic = render_error("en", key, given), render_error("ar", key, given)
    for text in (english, arabic):
        assert not LEFTOVER.search(text), f"{key}: a placeholder left in {text!r}"
        assert text == text.strip() and len(text.split()) >= 4, f"{key}: {text!r}"
        assert not text.endswith((",", ";", ":", "(", "؛", "،")), f"{key}: cut short {text!r}"
    assert english != render_error("en", "error", {"code": key}), key  # its own sentence
    if key not in NO_FIX:
        assert FIX_VERBS.search(english), f"{key}: no fix in {english!r}"
        assert ARABIC_FIX_VERBS.search(arabic), f"{key}: no fix in {arabic!r}"
    assert latin_words(ARABIC[key]) <= NAMES, f"{key}: English in {ARABIC[key]!r}"
    assert re.search("[\u0600-\u06ff]", arabic), key
    message = t("ar", "report.reason", reason=arabic)  # as a report's "Why" line says it
    assert_right_to_left(message, key)
    assert_right_to_left(for_page("ar", arabic), key)  # and as the dashboard shows it


def test_every_arabic_result_line_is_arabic_around_its_values() -> None:
    assert set(ARABIC_RESULTS) <= set(SENTENCES["en"])
    for key, template in ARABIC_RESULTS.items():
        assert latin_words(template) <= NAMES, f"{key}: English in {template!r}"
        text = say("ar", key, **values(template))
        assert not LEFTOVER.search(text), f"{key}: a placeholder left in {text!r}"
        if re.search("[\u0600-\u06ff]", text):  # not a bare separator
            assert_right_to_left(t("ar", "report.summary", summary=text), key)


def test_a_failed_signal_in_arabic_says_why_and_the_fix_in_arabic() -> None:
    error = TradeError("below_minimum.amount", amount=Decimal("4"), leverage=10,
                       qty=Decimal("0"), coin="BTC", minimum=Decimal("0.001"),
                       symbol="BTCUSDT", needed=Decimal("5.00"))
    outcome = Outcome(SignalStatus.FAILED, OutcomeKind.FAILED, "BTCUSDT", action="buy",
                      account=AccountType.PAPER, market=MarketType.FUTURES,
                      failure=error.failure)
    report = SignalFinished(7, 1, "personal", Signal("BTCUSDT", "buy"), outcome)
    text = render(report, "ar")
    assert_right_to_left(text, "below_minimum.amount")
    read = as_read(text)
    assert "لم تُنفَّذ" in read and "الحد الأدنى" in read
    assert "(/set amount 5)" in read  # the fix, typeable as it is
    assert f"{LRI}5 USDT (/set amount 5){PDI}" in text  # one left-to-right run
    english = render(report, "en")
    assert ("Why: 4 USDT at 10x buys 0 BTC, below Bybit's minimum of 0.001 BTC for BTCUSDT; "
            "use a trade amount of at least 5 USDT (/set amount 5) or a higher leverage"
            ) in english


def test_numbers_are_grouped_but_typed_as_typed_in_a_fix() -> None:
    failure = Failure("below_minimum", "below_minimum.alert_amount", {
        "amount": Decimal("1000"), "leverage": 1, "qty": Decimal("0.01"), "coin": "BTC",
        "minimum": Decimal("0.1"), "symbol": "BTCUSDT", "needed": Decimal("12500.50")})
    text = render_failure("en", failure)
    assert "1,000 USDT at 1x" in text and "at least 12,500.5 USDT" in text
    assert '("amount": 12500.5 in the alert)' in text


def test_a_cause_is_said_in_the_readers_language_inside_its_sentence() -> None:
    cause = Failure("rate_limited", "rate_limited.bybit")
    failure = Failure("rate_limited", "retry.not_placed", {"cause": cause, "attempts": 3})
    assert render_failure("en", failure) == (
        "Bybit asked us to slow down (HTTP 429); tried 3 times and nothing was placed: send "
        "the alert again in a minute")
    arabic = render_failure("ar", failure)
    assert arabic.startswith("طلبت Bybit منا الإبطاء") and "جرّبنا" in arabic
    assert_right_to_left(t("ar", "report.reason", reason=arabic))


def test_a_sentence_missing_its_values_falls_back_to_its_family_then_the_stored_line() -> None:
    assert render_error("en", "stale_signal", {}, fallback="the stored line") == \
        "the stored line"
    assert render_error("ar", "below_minimum.amount", {}).startswith("الأمر أقل من الحد الأدنى")
    assert "unheard_of" in render_error("en", "unheard_of")


def test_an_error_as_data_survives_json() -> None:
    failure = Failure("rate_limited", "retry.not_placed", {
        "cause": Failure("rate_limited", "rate_limited.bybit"), "attempts": 3,
        "amount": Decimal("0.010"), "symbol": "BTCUSDT"})
    again = Failure.from_json(failure.to_json())
    assert again == failure
    assert render_failure("ar", again) == render_failure("ar", failure)
    assert str(failure).startswith("retry.not_placed cause=(rate_limited.bybit) attempts=3")
