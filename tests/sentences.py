"""What a reader reads, for tests: an error, an outcome or a journal row, written by the one
renderer in English or Arabic — never a sentence taken from where it was raised."""

from __future__ import annotations

import re

from bot.db import SignalRecord
from bot.errors import BotError, Failure
from bot.i18n.errors import for_page, render_failure
from bot.i18n.results import record_line, result_line
from bot.outcomes import Outcome

LRI, PDI = "\u2066", "\u2069"
_ISOLATE = re.compile(f"{LRI}[^{LRI}{PDI}]*{PDI}")
_LATIN_PHRASE = re.compile(r"[A-Za-z]{2,}[\s,.;:'\"()/-]+[A-Za-z]{2,}")


def said(lang: str, thing: BotError | Failure | Outcome | SignalRecord) -> str:
    """The sentence a reader of `lang` gets for an error, an outcome or a journal row."""
    if isinstance(thing, BotError):
        return render_failure(lang, thing.failure)
    if isinstance(thing, Failure):
        return render_failure(lang, thing)
    if isinstance(thing, Outcome):
        return result_line(lang, thing)
    return record_line(lang, thing)


def english(thing: BotError | Failure | Outcome | SignalRecord) -> str:
    return said("en", thing)


def arabic(thing: BotError | Failure | Outcome | SignalRecord) -> str:
    """The Arabic sentence as a reader gets it: with DESIGN §13's isolates and line mark."""
    return for_page("ar", said("ar", thing))


def latin_outside_isolates(text: str) -> list[str]:
    """Latin phrases (two words or more) not inside a left-to-right isolate: in an Arabic
    text, only values, commands and names may be Latin, and they sit in isolates."""
    while _ISOLATE.search(text):
        text = _ISOLATE.sub(" ", text)
    text = re.sub(r"<[^>]+>", " ", text)  # a Telegram message's HTML tags
    return _LATIN_PHRASE.findall(text)


def is_arabic(text: str) -> bool:
    """Arabic around its values: Arabic letters, and no Latin phrase outside the isolates."""
    return re.search(r"[\u0600-\u06ff]", text) is not None and not latin_outside_isolates(text)
