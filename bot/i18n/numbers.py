"""Numbers people read and type (DESIGN §13): the one formatter out, the one reader in.

Out, in every language alike (Latin digits, as exchanges show them; `t` isolates them in a
right-to-left message):

    grouped(Decimal("1234.50"))                   1,234.5
    price_text(Decimal("50000"), Decimal("0.10")) 50,000.00       to the instrument's tick
    qty_text(Decimal("0.0199"), Decimal("0.001")) 0.019           to its step (never rounded up)
    usdt(Decimal("1010"))                         1,010.00 USDT   money to the cent
    signed_usdt(Decimal("-12"))                   −12.00 USDT     signs always, a true minus
    signed_percent(Decimal("12.5"))               +12.50%
    pnl_text("en", Decimal("20"))                 profit +20.00 USDT   (ربح +20.00 USDT)
    count_text(1500)                              1,500
    duration("ar", 3, "minute")                   3 دقائق         (plural forms, bot.i18n)

In: what people type where a number is asked for — `1,000`, `١٠٠`, `١٢٫٥`, `$100`, `100$`,
`100 USDT` (`read_number`), `1%`, `٢٫٥٪` (`read_percent`). A comma groups thousands and
is never a decimal point: `12,5` is refused rather than read as 125; so is `12 5` (a space
between digits groups thousands like a comma: `1 000`).
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from bot.i18n import Html, ltr, plural, t

CENT = Decimal("0.01")
MINUS = "\u2212"  # − : a signed number's minus, wider than a hyphen
ARABIC_DECIMAL, ARABIC_THOUSANDS, ARABIC_PERCENT = "\u066b", "\u066c", "\u066a"  # ٫ ٬ ٪
UNKNOWN = "—"
_GROUPS = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)")
_UNITS = ("usdt", "$")
_SPACED = re.compile(r"(?<=\d) +(?=\d)")  # `1 000`: a space between digits, read as a comma


def _minus(text: str) -> str:
    return text.replace("-", MINUS)


def grouped(value: Decimal | int) -> str:
    """Thousands separators, no exponent, no trailing zeros: 1234.50 → 1,234.5."""
    if isinstance(value, int):
        return _minus(f"{value:,}")
    return _minus(format(value.normalize(), ",f"))


def number(value: Decimal | int | None) -> str:
    """`grouped`, or "?" for a value not known (a report's missing price)."""
    return "?" if value is None else grouped(value)


def count_text(n: int) -> str:
    return grouped(n)


def duration(lang: str, n: int, unit: str) -> str:
    """`n` days, hours or minutes (`unit`: day, hour, minute) in words: 1 day, 2 days;
    يوم واحد، يومين، 3 أيام، 11 يومًا."""
    return plural(lang, n, f"lifetime.{unit}")


def _to(value: Decimal, step: Decimal, rounding: str) -> str:
    return _minus(format(value.quantize(step, rounding=rounding), ",f"))


def price_text(value: Decimal | None, tick: Decimal | None = None) -> str:
    """A price to the instrument's tick (50000 with tick 0.10 → 50,000.00); "—" if unknown.

    Without a tick, as precise as it came (grouped)."""
    if value is None:
        return UNKNOWN
    if tick is None or tick <= 0:
        return grouped(value)
    return _to(value, tick, ROUND_HALF_UP)


def qty_text(value: Decimal | None, step: Decimal | None = None) -> str:
    """A quantity to the instrument's step, rounded down like an order's (0.0199 → 0.019)."""
    if value is None:
        return UNKNOWN
    if step is None or step <= 0:
        return grouped(value)
    return _to(value, step, ROUND_DOWN)


def money(value: Decimal) -> str:
    """Two decimals and thousands separators, without the coin: 10,000.00."""
    return _minus(f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,}")


def usdt(value: Decimal) -> str:
    """Money with its coin: 1,010.00 USDT."""
    return f"{money(value)} USDT"


def signed_usdt(value: Decimal) -> str:
    """A PnL's amount, always signed: +5.00 USDT, −2.25 USDT (0.00 USDT for nothing)."""
    amount = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{_minus(f'{amount:+,}') if amount else '0.00'} USDT"


def signed_percent(value: Decimal) -> str:
    amount = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{_minus(f'{amount:+,}') if amount else '0.00'}%"


def pnl_word(lang: str, value: Decimal) -> str:
    """The word that goes with a PnL: profit, loss, or nothing for zero (to the cent)."""
    amount = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if amount > 0:
        return t(lang, "pnl.profit")
    if amount < 0:
        return t(lang, "pnl.loss")
    return ""


def pnl_text(lang: str, value: Decimal | None) -> Html:
    """A PnL as messages show it: its word, then the signed amount — `profit +20.00 USDT`,
    `خسارة −12.00 USDT`; "—" when not known."""
    if value is None:
        return Html(UNKNOWN)
    word, amount = pnl_word(lang, value), ltr(lang, signed_usdt(value))
    return Html(f"{word} {amount}" if word else amount)


def _plain(text: str) -> str:
    """Typed text as ASCII digits, one `.` for the decimal point, commas still in (and a
    space between digits made one)."""
    text = (text.strip().replace(ARABIC_DECIMAL, ".").replace(ARABIC_THOUSANDS, ",")
            .replace(MINUS, "-").replace("\u00a0", " "))
    digits = "".join(str(int(char)) if char.isdecimal() else char for char in text)
    return _SPACED.sub(",", digits).replace(" ", "")


def read_number(text: str) -> Decimal | None:
    """What a person typed as a number, or None: `1,000`, `١٠٠`, `١٢٫٥`, `$100`, `100$`,
    `100 USDT`. Commas must group thousands (`1,000.5`): `12,5` is not a number, nor `12 5`."""
    cleaned = _plain(text).lower()
    for unit in _UNITS:
        cleaned = cleaned.removeprefix(unit).removesuffix(unit)
    if not _GROUPS.fullmatch(cleaned):
        return None
    try:
        value = Decimal(cleaned.replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def read_percent(text: str) -> Decimal | None:
    """`1%`, `٢٫٥ ٪` → the number of percent; None if the text is not a percent."""
    stripped = text.strip()
    if not stripped.endswith(("%", ARABIC_PERCENT)):
        return None
    return read_number(stripped[:-1])
