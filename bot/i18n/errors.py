"""The one place an error becomes a sentence: `render_error(lang, code, params)`.

The sentences live in `errors_en.py` and `errors_ar.py`, result lines and words in
`results_en.py` and `results_ar.py` (`SENTENCES`, beside the HTML catalogs rather than in
them: they are plain text, and a value may carry a format). The result is plain text: whoever
puts it into HTML escapes it (`t(…, reason=render_error(…))` does, and in a right-to-left
language `t` also isolates its symbols and numbers, DESIGN §13); a web page takes it through
`for_page`. Values are written here, the same way for every sentence, with the one number
formatter (bot/i18n/numbers.py): a `Decimal` with thousands separators (`{x:plain}`: as typed
in a command or an alert; `{x:money}`, `{x:signed}`: to the cent, a PnL with its sign), a word
of the catalog for `side`, `account`, `market`, `status`, `action` and `order_side`, a cause
(`Failure`) as its own sentence in the same language.
"""

from __future__ import annotations

import html
import string
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bot.errors import Failure
from bot.i18n import (
    CATALOGS,
    DEFAULT_LANGUAGE,
    RIGHT_TO_LEFT,
    errors_ar,
    errors_en,
    results_ar,
    results_en,
)
from bot.i18n.bidi import right_to_left
from bot.i18n.numbers import grouped, money, signed_usdt
from bot.wire import plain

# Plain text: every error's sentence (`error.<key>`), the words they take, the result lines.
SENTENCES: dict[str, dict[str, str]] = {
    lang: {f"error.{key}": text for key, text in errors.ERRORS.items()} | results.WORDS
    | results.RESULTS
    for lang, errors, results in (("en", errors_en, results_en), ("ar", errors_ar, results_ar))}
for _lang, _messages in (("en", results_en.TELEGRAM), ("ar", results_ar.TELEGRAM)):
    CATALOGS[_lang].update(_messages)  # HTML, like the rest of the catalog

# Parameters that name one of the catalog's words rather than a value to show as it is.
WORDS = {"side": "side.{}", "account": "account.{}", "market": "market.{}",
         "status": "status.{}", "order_side": "word.{}", "action": "action.{}"}
GENERIC = "error"  # the sentence of last resort: names the code


class Written(str):
    """Text this module already wrote in the reader's language: put in as it is (a cause
    inside a sentence, the parts of a result line)."""

    __slots__ = ()


def _sentences(lang: str) -> dict[str, str]:
    return SENTENCES.get(lang, SENTENCES[DEFAULT_LANGUAGE])


def _word(lang: str, key: str) -> str | None:
    for catalog in (_sentences(lang), CATALOGS.get(lang, {}), SENTENCES[DEFAULT_LANGUAGE],
                    CATALOGS[DEFAULT_LANGUAGE]):
        if key in catalog:
            return catalog[key]
    return None


class _Writer(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        return (key, kwargs[str(key)])

    def format_field(self, value: Any, format_spec: str) -> str:
        name, raw = value
        if isinstance(raw, Written):
            return raw
        if isinstance(raw, Failure):
            return render_error(self.lang, raw.key, raw.params)
        if name in WORDS and format_spec != "plain":
            word = _word(self.lang, WORDS[name].format(raw))
            if word is not None:
                return word
        if isinstance(raw, Decimal):
            return _number(raw, format_spec)
        return str(raw)


def _number(value: Decimal, spec: str) -> str:
    """`plain`: as typed; `money`: to the cent; `signed`: to the cent with its sign (a PnL);
    otherwise grouped, as precise as it is."""
    if spec == "plain":
        return plain(value)
    if spec == "money":
        return money(value)
    if spec == "signed":
        return signed_usdt(value).removesuffix(" USDT")
    return grouped(value)


def fields(template: str) -> set[str]:
    """The `{names}` a sentence takes."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _template(lang: str, key: str) -> str | None:
    return _sentences(lang).get(key, SENTENCES[DEFAULT_LANGUAGE].get(key))


def render_error(lang: str, code: str, params: Mapping[str, Any] | None = None, *,
                 fallback: str | None = None) -> Written:
    """The sentence for error `code` (a key, `family.variant`, or a bare family) in `lang`.

    A sentence whose values are not all given falls back to the family's, then to
    `fallback` (an old journal row's English line), then to a sentence naming the code.
    """
    values = dict(params or {})
    family = code.split(".", 1)[0]
    for key in dict.fromkeys((code, family)):
        template = _template(lang, f"error.{key}")
        if template is not None and fields(template) <= values.keys():
            return _written(lang, template, values)
    if fallback:
        return Written(fallback)
    return _written(lang, _template(lang, f"error.{GENERIC}") or "{code}", {"code": code})


def render_failure(lang: str, failure: Failure, *, fallback: str | None = None) -> Written:
    return render_error(lang, failure.key, failure.params, fallback=fallback)


def say(lang: str, key: str, /, **values: Any) -> Written:
    """Any plain-text message of `SENTENCES` (`result.*`, a word), written like an error's
    sentence."""
    template = _template(lang, key) or _word(lang, key) or key
    return _written(lang, template, values)


def _written(lang: str, template: str, values: Mapping[str, Any]) -> Written:
    return Written(_Writer(lang).vformat(template, (), values))


def for_page(lang: str, text: str) -> str:
    """Plain text for a web page's cell: in a right-to-left language, with DESIGN §13's
    isolates and line marks (what `t` gives a Telegram message)."""
    if lang not in RIGHT_TO_LEFT or not text:
        return text
    return html.unescape(right_to_left(html.escape(text, quote=False)))
