"""The value types of `config.yaml`: how a raw YAML (or environment) value becomes a typed one.

Each is an `Annotated` type with a before-validator. A value that does not fit raises a
pydantic error of a named kind; bot/config.py words every kind in one place.
"""

from __future__ import annotations

import ipaddress
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, NoReturn
from urllib.parse import urlsplit

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

# The largest id the database can hold (SQLite's INTEGER); Telegram's have at most 52 bits.
MAX_USER_ID = 2**63 - 1


def fail(kind: str, **ctx: Any) -> NoReturn:
    raise PydanticCustomError(kind, kind, ctx)


def whole(value: Any) -> int:
    """An int or a numeric string; not a bool, not a float."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        fail("int_parsing")
    try:
        return int(value)
    except ValueError:
        fail("int_parsing")


def number(value: Any) -> Decimal:
    """An int, float or numeric string (not a bool), finite."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        fail("decimal_parsing")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        fail("decimal_parsing")
    if not number.is_finite():
        fail("finite_number")
    return number


_TRUE, _FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off")


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in _TRUE + _FALSE:
        return value.lower() in _TRUE
    fail("bool_parsing")


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        fail("string_type")
    return str(value)


def address(value: Any) -> str:
    """One IP address, written as the server sees a sender's (2001:db8::1, not 2001:DB8:0::1)."""
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        fail("ip_address")


def url(*, keep_slash: bool = False, allow_empty: bool = False,
        schemes: tuple[str, ...] = ("http://", "https://")) -> BeforeValidator:
    def check(value: Any) -> str:
        given = text(value).strip()
        if not given and allow_empty:
            return ""
        if not given.startswith(schemes):
            fail("url_scheme", schemes=" or ".join(schemes))
        parts = urlsplit(given)  # other text is put after it: a query would swallow it
        if not parts.hostname or parts.query or parts.fragment or given.split() != [given]:
            fail("url_form", example=f"{schemes[-1]}bot.example.com")
        return given if keep_slash else given.rstrip("/")
    return BeforeValidator(check)


def listed(items: str, *, ids: bool = False) -> BeforeValidator:
    """A list, or one string of items separated by commas or spaces (ids: or one number)."""
    def split(value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str) or (ids and type(value) is int):
            return str(value).replace(",", " ").split()
        if not isinstance(value, list) or not (ids or all(isinstance(v, str) for v in value)):
            fail("list_type", items=items)
        return value
    return BeforeValidator(split)


def case(fold: str) -> BeforeValidator:
    return BeforeValidator(lambda v: getattr(v, fold)() if isinstance(v, str) else v)


Whole = Annotated[int, BeforeValidator(whole)]
Amount = Annotated[Decimal, BeforeValidator(number)]
Seconds = Annotated[float, BeforeValidator(lambda v: float(number(v)))]
Flag = Annotated[bool, BeforeValidator(flag)]
Address = Annotated[str, BeforeValidator(address)]
Text = Annotated[str, BeforeValidator(text)]
UserIds = Annotated[tuple[Annotated[Whole, Field(ge=1, le=MAX_USER_ID)], ...],
                    listed("Telegram user ids", ids=True)]
