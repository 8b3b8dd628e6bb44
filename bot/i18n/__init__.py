"""The message catalog: every user-facing string, in English and Arabic.

`t(lang, key, **values)` returns HTML. Every value is HTML-escaped before it is put in, unless
it is wrapped in `Html` (text this code built and escaped itself), so a user's name or an
exchange's message can never break the markup or inject a link. In a right-to-left language `t`
also applies DESIGN §13's rules itself (bot/i18n/bidi.py), so no caller can forget them: a value
with Latin letters, digits, a sign or a slash goes in a left-to-right isolate, so does every
such run of the template's own text (commands, USDT, 10x), and a line that does not start with
an Arabic letter starts with U+200F. `plural` picks a message's form for a count.
"""

from __future__ import annotations

import html
import string
from collections.abc import Iterable

from bot.i18n import ar, en
from bot.i18n.bidi import (
    LRI,
    PDI,
    RLM,
    has_right_to_left,
    isolate,
    needs_isolate,
    right_to_left,
)

DEFAULT_LANGUAGE = "en"
CATALOGS: dict[str, dict[str, str]] = {"en": en.MESSAGES, "ar": ar.MESSAGES}
LANGUAGES = tuple(CATALOGS)
LANGUAGE_NAMES = {"en": "English", "ar": "العربية"}
RIGHT_TO_LEFT = frozenset({"ar"})


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


def compose(lang: str, markup: str) -> Html:
    """A message built from rendered ones (an emoji put before one, pieces joined): DESIGN §13's
    rules applied to the whole, right to left, so a line that now starts with the emoji still
    starts with U+200F. The rules are idempotent: what `t` did stays."""
    return Html(right_to_left(markup) if lang in RIGHT_TO_LEFT else markup)


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
    """Return the message `key` in `lang` (English when missing), with escaped values.

    Right to left, the result also follows DESIGN §13 (see the module's docstring): callers
    pass plain values and get isolates and line marks without asking. The text is an `Html`
    (typed `str`, so lists of lines stay `list[str]`): a message put in another one as a
    value goes in as markup, not escaped and isolated again.
    """
    template = CATALOGS.get(lang, CATALOGS[DEFAULT_LANGUAGE]).get(key)
    if template is None:
        template = CATALOGS[DEFAULT_LANGUAGE][key]
    rtl = lang in RIGHT_TO_LEFT
    safe = {name: _value(value, rtl) for name, value in values.items()}
    text = template.format(**safe)
    return Html(right_to_left(text) if rtl else text)


def _value(value: object, rtl: bool) -> str:
    if isinstance(value, Html):  # markup: its runs get the rule with the template's own text
        return value.removeprefix(RLM)  # a message's own line mark, mid-line in this one
    text = html.escape(str(value), quote=False)
    if rtl and needs_isolate(text) and not has_right_to_left(text):
        return isolate(text)  # a symbol, a number, a command, an English sentence: whole
    return text


# Plural forms (CLDR's, merged where no catalog needs them apart): every counted message
# has `<key>.one`, `.two`, `.few` and `.many` in each catalog, English included.
PLURAL_FORMS = ("one", "two", "few", "many")


def plural_form(lang: str, n: int) -> str:
    """Which form a count takes. Arabic: 1 إشارة, 2 إشارتان, 3–10 إشارات, 11–99 and 100+ إشارة
    (a hundred and up take the singular, like 11–99; 0 too). English: 1, else many."""
    if n == 1:
        return "one"
    if lang != "ar":
        return "many"
    if n == 2:
        return "two"
    return "few" if 3 <= n % 100 <= 10 else "many"


def plural(lang: str, n: int, forms: str, /, **values: object) -> str:
    """The message `<forms>.<form>` for the count `n`, which it shows as `{n}` (1,000)."""
    return t(lang, f"{forms}.{plural_form(lang, n)}", n=f"{n:,}", **values)


def placeholders(template: str) -> set[str]:
    """The `{names}` a template expects (for the catalog's completeness test)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


from bot.i18n.errors import render_error  # noqa: E402, F401  (merges errors_en/errors_ar)
