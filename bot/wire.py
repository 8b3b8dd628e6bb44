"""The one place numbers turn into text and back: for Bybit, for SQLite, for messages.

Money is `Decimal` from parse to wire; these helpers are the only conversions, so a float
never slips into a quantity and `50000` never turns into `5E+4` on the way out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def plain(value: Decimal | int) -> str:
    """Plain digits: no exponent, no trailing zeros past the point (0.020 → 0.02, 5E+4 → 50000).

    The form Bybit's wire expects, and the form messages show a quantity or a price in.
    """
    if isinstance(value, int):
        return str(value)
    return format(value.normalize(), "f")


def decimal_or_zero(value: Any) -> Decimal:
    """An exchange's numeric field (a string, a number, empty or missing) as a `Decimal`."""
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def stored_decimal(value: str | None) -> Decimal | None:
    """A `Decimal` column as SQLite gave it back (stored as text, so nothing is rounded)."""
    return None if value is None else Decimal(value)


def decimal_text(value: Decimal | None) -> str | None:
    """A `Decimal` for a text column or a JSON field: exact, `None` stays `None`."""
    return None if value is None else str(value)
