"""The message catalog: every user-facing string, in English and Arabic.

`t(lang, key, **values)` returns HTML. Every value is HTML-escaped before it is put in, unless
it is wrapped in `Html` (text this code built and escaped itself), so a user's name or an
exchange's message can never break the markup or inject a link.
"""

from __future__ import annotations

import html
import string
from collections.abc import Iterable

from bot.i18n import ar, en

DEFAULT_LANGUAGE = "en"
CATALOGS: dict[str, dict[str, str]] = {"en": en.MESSAGES, "ar": ar.MESSAGES}
LANGUAGES = tuple(CATALOGS)
LANGUAGE_NAMES = {"en": "English", "ar": "العربية"}
RIGHT_TO_LEFT = frozenset({"ar"})
# Unicode's left-to-right isolate (LRI … PDI): inside it, `BTCUSDT`, `+20.00 USDT` or
# `/close BTCUSDT 50` keep their order in a right-to-left line (DESIGN §13).
LRI, PDI = "\u2066", "\u2069"


class Html(str):
    """Text that is already valid, escaped HTML: `t` puts it in as it is."""

    __slots__ = ()


def ltr(lang: str, value: object) -> Html:
    """`value` escaped, in a left-to-right isolate when `lang` is written right to left.

    For symbols, numbers, prices and commands in a message: an Arabic line keeps them intact,
    an English one gets them as they are.
    """
    text = html.escape(str(value), quote=False)
    return Html(f"{LRI}{text}{PDI}" if lang in RIGHT_TO_LEFT else text)


def supported(code: str | None) -> str | None:
    """Map a Telegram language_code (`ar`, `ar-SA`, `en-GB`) to a catalog, or None."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return base if base in CATALOGS else None


def pick(candidates: Iterable[str | None]) -> str:
    """Return the first supported language among `candidates`, else English."""
    for code in candidates:
        lang = supported(code)
        if lang is not None:
            return lang
    return DEFAULT_LANGUAGE


def t(lang: str, key: str, /, **values: object) -> str:
    """Return the message `key` in `lang` (English when missing), with escaped values."""
    template = CATALOGS.get(lang, CATALOGS[DEFAULT_LANGUAGE]).get(key)
    if template is None:
        template = CATALOGS[DEFAULT_LANGUAGE][key]
    safe = {name: value if isinstance(value, Html) else html.escape(str(value), quote=False)
            for name, value in values.items()}
    return template.format(**safe)


def placeholders(template: str) -> set[str]:
    """The `{names}` a template expects (for the catalog's completeness test)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
