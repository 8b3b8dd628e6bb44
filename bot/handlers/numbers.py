"""Numbers in messages, both ways (DESIGN §13): one formatter out, one reader in.

Out: thousands separators, a price to the instrument's tick, money to the cent, a PnL signed
and followed by a word (profit, loss). In: what people type — `1,000`, `١٠٠`, `١٢٫٥`, `$100`,
`100$`, `1%`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from bot.i18n import Html, ltr, t

CENT = Decimal("0.01")
ARABIC_DECIMAL, ARABIC_THOUSANDS = "\u066b", "\u066c"  # ٫ and ٬


def grouped(value: Decimal) -> str:
    """Thousands separators, no exponent, no trailing zeros: 1234.50 → 1,234.5."""
    return format(value.normalize(), ",f")


def price_text(value: Decimal | None, tick: Decimal | None = None) -> str:
    """A price to the instrument's tick (50000 with tick 0.10 → 50,000.00); "—" if unknown."""
    if value is None:
        return "—"
    if tick is None or tick <= 0:
        return grouped(value)
    return format(value.quantize(tick, rounding=ROUND_HALF_UP), ",f")


def qty_text(value: Decimal) -> str:
    return grouped(value)


def usdt(value: Decimal) -> str:
    """Money: two decimals and thousands separators, with its coin (1,010.00 USDT)."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,} USDT"


def signed_usdt(value: Decimal) -> str:
    """A PnL's amount: always signed (+5.00 USDT, -2.25 USDT)."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):+,} USDT"


def signed_percent(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):+,}%"


def pnl_word(lang: str, value: Decimal) -> str:
    """The word that goes with a PnL: profit, loss, or nothing for zero."""
    if value > 0:
        return t(lang, "pnl.profit")
    if value < 0:
        return t(lang, "pnl.loss")
    return ""


def pnl_text(lang: str, value: Decimal) -> Html:
    """A PnL as messages show it: signed, in its isolate, then its word (+5.00 USDT profit)."""
    word = pnl_word(lang, value)
    return Html(ltr(lang, signed_usdt(value)) + (f" {word}" if word else ""))


def read_number(text: str) -> Decimal | None:
    """What a person typed as a number, or None: `1,000`, `١٠٠`, `١٢٫٥`, `$100`, `100$`.

    A comma separates thousands (DESIGN §13), never decimals. Arabic-Indic digits are digits
    to `Decimal` already; their decimal and thousands marks are mapped here.
    """
    cleaned = (text.strip().replace(ARABIC_DECIMAL, ".").replace(ARABIC_THOUSANDS, "")
               .replace(",", "").replace("$", "").strip())
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def read_percent(text: str) -> Decimal | None:
    """`1%`, `٢٫٥ %` → the number of percent; None if the text is not a percent."""
    stripped = text.strip()
    if not stripped.endswith(("%", "\u066a")):  # % or the Arabic percent sign ٪
        return None
    return read_number(stripped[:-1])
