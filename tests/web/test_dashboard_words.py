"""The dashboard's (and /chart's) words: the same keys and places in both languages, and in
Arabic a command in an isolate, as in messages (DESIGN §13)."""

from __future__ import annotations

import re
import string

from bot.web.text import CATALOG


def places(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_every_word_with_the_same_places() -> None:
    english, arabic = CATALOG["en"], CATALOG["ar"]
    assert set(arabic) == set(english)
    for key, text in arabic.items():
        assert places(text) == places(english[key]), key


def test_commands_in_arabic_words_sit_in_isolates() -> None:
    for key, text in CATALOG["ar"].items():
        assert "\u200e" not in text, key  # isolates, not marks
        bare = re.sub("\u2066[^\u2069]*\u2069", "", text)
        assert not re.search(r"/[a-z]", bare), f"{key}: a command outside an isolate"
        assert not re.search(r"\b(long|short|paper|demo|real)\b", bare, re.I), key
