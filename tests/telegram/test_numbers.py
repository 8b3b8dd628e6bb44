"""One number formatter out and one reader in (DESIGN §13), and plural forms: tables."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from bot.handlers.position_view import held_text
from bot.handlers.settings import Refused, parse_amount, parse_leverage
from bot.handlers.views import lifetime
from bot.i18n import plural_form, t
from bot.i18n.numbers import (
    count_text,
    duration,
    grouped,
    money,
    number,
    pnl_text,
    price_text,
    qty_text,
    read_number,
    read_percent,
    signed_percent,
    signed_usdt,
    usdt,
)

LRI, PDI = "\u2066", "\u2069"

# --- out: the formatter, value by value ---------------------------------------------------------

FORMATTED = [
    (grouped(D("1234.50")), "1,234.5"),
    (grouped(D("5E+4")), "50,000"),
    (grouped(D("0.020")), "0.02"),
    (grouped(D("-1234567.125")), "−1,234,567.125"),
    (grouped(1500), "1,500"),
    (number(None), "?"),
    (number(D("100000")), "100,000"),
    (count_text(12345), "12,345"),
    (price_text(D("50000"), D("0.10")), "50,000.00"),  # to the tick
    (price_text(D("0.612345"), D("0.0001")), "0.6123"),
    (price_text(D("104123.456"), D("0.5")), "104,123.5"),
    (price_text(D("50000")), "50,000"),  # no tick known: as precise as it came
    (price_text(None), "—"),
    (qty_text(D("0.0199"), D("0.001")), "0.019"),  # to the step, never up
    (qty_text(D("1500"), D("1")), "1,500"),
    (qty_text(D("0.020")), "0.02"),
    (money(D("10000")), "10,000.00"),
    (money(D("-3.005")), "−3.01"),
    (usdt(D("1010")), "1,010.00 USDT"),
    (signed_usdt(D("20")), "+20.00 USDT"),
    (signed_usdt(D("-12")), "−12.00 USDT"),
    (signed_usdt(D("1234.567")), "+1,234.57 USDT"),
    (signed_usdt(D("0.001")), "0.00 USDT"),
    (signed_percent(D("12.5")), "+12.50%"),
    (signed_percent(D("-20")), "−20.00%"),
]


@pytest.mark.parametrize(("shown", "expected"), FORMATTED)
def test_numbers_are_written_one_way(shown: str, expected: str) -> None:
    assert shown == expected


PNL = [  # value, English, Arabic
    (D("20"), "profit +20.00 USDT", f"ربح {LRI}+20.00 USDT{PDI}"),
    (D("-12"), "loss −12.00 USDT", f"خسارة {LRI}−12.00 USDT{PDI}"),
    (D("1234.5"), "profit +1,234.50 USDT", f"ربح {LRI}+1,234.50 USDT{PDI}"),
    (D("0"), "0.00 USDT", f"{LRI}0.00 USDT{PDI}"),
    (D("-0.004"), "0.00 USDT", f"{LRI}0.00 USDT{PDI}"),  # nothing to the cent: no word
    (None, "—", "—"),
]


@pytest.mark.parametrize(("value", "english", "arabic"), PNL)
def test_a_pnl_is_a_word_and_a_signed_amount_in_each_language(
        value: D | None, english: str, arabic: str) -> None:
    assert pnl_text("en", value) == english
    assert pnl_text("ar", value) == arabic


def test_formatted_numbers_go_in_messages_in_isolates_in_arabic_only() -> None:
    assert t("en", "balance.text", account="demo", total=money(D("12345.6")),
             available=money(D("0"))).endswith("Balance: 12,345.60 USDT\nAvailable: 0.00 USDT")
    arabic = t("ar", "balance.text", account=t("ar", "account.demo"),
               total=money(D("12345.6")), available=money(D("0")))
    assert f"الرصيد: {LRI}12,345.60 USDT{PDI}" in arabic


# --- in: what people type ----------------------------------------------------------------------

TYPED = [
    ("100", D(100)), ("1,000", D(1000)), ("1,234,567.5", D("1234567.5")),
    ("١٠٠", D(100)), ("١٢٫٥", D("12.5")), ("١٬٠٠٠", D(1000)), ("۱۲۳", D(123)),
    ("$100", D(100)), ("100$", D(100)), ("$ 100", D(100)), ("100 USDT", D(100)),
    ("100usdt", D(100)), ("12.5", D("12.5")), (".5", D("0.5")), ("+3", D(3)),
    ("-5", D(-5)), ("−5", D(-5)), (" 42 ", D(42)),
    ("12,5", None), ("1,00", None), ("1,0000", None),  # a comma groups thousands only
    ("1 000", D(1000)), ("1\u00a0000.5", D("1000.5")), ("12 5", None), ("1 5", None),  # a space too
    ("abc", None), ("", None), ("nan", None), ("inf", None), ("1e5", None), ("$", None),
    ("100 EUR", None), ("1.2.3", None),
]


@pytest.mark.parametrize(("typed", "value"), TYPED)
def test_a_typed_number_is_read_as_people_write_it(typed: str, value: D | None) -> None:
    assert read_number(typed) == value


@pytest.mark.parametrize(("typed", "value"), [
    ("1%", D(1)), ("2.5 %", D("2.5")), ("٢٫٥٪", D("2.5")), ("١٠ ٪", D(10)), ("1", None),
    ("%", None), ("12,5%", None)])
def test_a_typed_percent(typed: str, value: D | None) -> None:
    assert read_percent(typed) == value


@pytest.mark.parametrize(("typed", "amount"), [
    ("100", D(100)), ("1,000", D(1000)), ("١٠٠", D(100)), ("١٢٫٥", D("12.5")),
    ("$100", D(100)), ("100$", D(100)), ("100 USDT", D(100)), ("0.00000001", D("1E-8")),
    ("0", None), ("-5", None), ("100001", None), ("NaN", None), ("12,5", None),
    ("0.000000001", None), ("ten", None)])
def test_set_amount_takes_every_way_of_writing_it(typed: str, amount: D | None) -> None:
    if amount is None:
        with pytest.raises(Refused):
            parse_amount(typed, D(100000))
    else:
        assert parse_amount(typed, D(100000)) == amount


@pytest.mark.parametrize(("typed", "leverage"), [
    ("10", 10), ("10x", 10), ("10X", 10), ("١٠", 10), ("٥x", 5), ("1", 1), ("100", 100),
    ("0", None), ("101", None), ("2.5", None), ("-3", None), ("x", None), ("", None)])
def test_set_leverage_takes_arabic_digits_and_an_x(typed: str, leverage: int | None) -> None:
    if leverage is None:
        with pytest.raises(Refused):
            parse_leverage(typed, 100)
    else:
        assert parse_leverage(typed, 100) == leverage


# --- plural forms ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("n", "arabic", "english"), [
    (0, "many", "many"), (1, "one", "one"), (2, "two", "many"), (3, "few", "many"),
    (10, "few", "many"), (11, "many", "many"), (99, "many", "many"), (100, "many", "many"),
    (102, "many", "many"), (103, "few", "many"), (111, "many", "many")])
def test_plural_forms_follow_each_language(n: int, arabic: str, english: str) -> None:
    assert plural_form("ar", n) == arabic
    assert plural_form("en", n) == english


@pytest.mark.parametrize(("n", "unit", "arabic", "english"), [
    (1, "day", "يوم واحد", "1 day"),
    (2, "day", "يومين", "2 days"),
    (3, "day", f"{LRI}3{PDI} أيام", "3 days"),
    (11, "day", f"{LRI}11{PDI} يومًا", "11 days"),
    (1, "hour", "ساعة واحدة", "1 hour"),
    (2, "hour", "ساعتين", "2 hours"),
    (10, "hour", f"{LRI}10{PDI} ساعات", "10 hours"),
    (24, "hour", f"{LRI}24{PDI} ساعة", "24 hours"),
    (1, "minute", "دقيقة واحدة", "1 minute"),
    (3, "minute", f"{LRI}3{PDI} دقائق", "3 minutes"),
    (90, "minute", f"{LRI}90{PDI} دقيقة", "90 minutes"),
    (1500, "minute", f"{LRI}1,500{PDI} دقيقة", "1,500 minutes"),
])
def test_counts_agree_with_their_noun(n: int, unit: str, arabic: str, english: str) -> None:
    assert duration("ar", n, unit).removeprefix("\u200f") == arabic
    assert duration("en", n, unit) == english


def test_durations_in_messages_take_the_right_form() -> None:
    assert lifetime("ar", 86400) == "يوم واحد" and lifetime("en", 5400) == "90 minutes"
    assert t("ar", "close.when", minutes=duration("ar", 3, "minute")).endswith(
        f"بعد {LRI}3{PDI} دقائق.")
    assert t("ar", "close.when", minutes=duration("ar", 1, "minute")).endswith(
        "بعد دقيقة واحدة.")
    assert t("ar", "profit.last_days", days=duration("ar", 7, "day")) == f"آخر {LRI}7{PDI} أيام"
    assert t("en", "profit.last_days", days=duration("en", 7, "day")) == "Last 7 days"


@pytest.mark.parametrize(("seconds", "arabic", "english"), [
    (30, f"{LRI}0{PDI} دقيقة", "0 minutes"),
    (60, "دقيقة واحدة", "1 minute"),
    (2 * 3600 + 5 * 60, f"ساعتين و{LRI}5{PDI} دقائق", "2 hours 5 minutes"),
    (86400 + 5 * 60, "يوم واحد", "1 day"),  # the next unit only when it is not zero
    (2 * 86400 + 3 * 3600, f"يومين و{LRI}3{PDI} ساعات", "2 days 3 hours"),
    (12 * 86400 + 3600, f"{LRI}12{PDI} يومًا وساعة واحدة", "12 days 1 hour"),
])
def test_a_position_is_held_for_its_two_largest_units(seconds: int, arabic: str,
                                                      english: str) -> None:
    assert held_text("ar", seconds).removeprefix("\u200f") == arabic
    assert held_text("en", seconds) == english
