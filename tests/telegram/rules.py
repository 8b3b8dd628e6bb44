"""The rules of DESIGN §13 as checks on one message as Telegram gets it (HTML), shared by the
catalog test (test_arabic_rendering.py) and the transcripts (test_transcripts.py)."""

from __future__ import annotations

import html
import re
import unicodedata

LRI, PDI, RLM = "\u2066", "\u2069", "\u200f"
LEFT_TO_RIGHT = re.compile(r"[A-Za-z0-9/+\-]")
ARABIC = re.compile(r"[\u0600-\u06FF]")
BIDI_MARKS = re.compile("[\u200e\u200f\u2066-\u2069]")
# A `{name}` of a catalog left unfilled; `{{ticker}}` (TradingView's) and JSON are not.
PLACEHOLDER = re.compile(r"(?<!\{)\{[a-z_]+\}(?!\})")
# Four digits or more in a row, where they are a number (not a part of a word, a `#42`, a time).
# Latin words a right-to-left message may hold (in isolates): names of products and units.
BRANDS = re.compile(r"[A-Z0-9]{2,}|Bybit|TradingView|Telegram|x")
# Three lowercase Latin words in a row: a sentence, not a name, a unit or a symbol.
ENGLISH_WORDS = re.compile(r"\b[a-z]{2,}(?:[ ,]+[a-z]{2,}){2,}\b")
# …or one word a catalog has in each language: an action, a side, a status, an account.
ENGLISH_WORD = re.compile(r"\b(buy|sell|close|exit|long|short|done|failed|refused|skipped|paper|"
                          r"demo|real|spot|futures)\b")
# A signed amount of money (the formatter's minus is U+2212, never a hyphen) and the word
# before it.
SIGNED = re.compile(r"([^\s(]*)\s*([+\u2212-])\d[\d,]*(?:\.\d+)? USDT")
UNGROUPED = re.compile(r"(?<![\w.,:#/=\-])[+\u2212-]?\d{4,}(?:\.\d+)?(?![\w:])")


def visible(text: str) -> str:
    """What the reader sees of an HTML message: no tags, entities read."""
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def assert_right_to_left(text: str, where: str = "") -> None:
    """The two rules, on a rendered message (HTML as Telegram gets it): every line starts with
    an Arabic letter or U+200F, and every Latin letter, digit, `/`, `+` or `-` sits in a
    left-to-right isolate (U+2066 … U+2069) — brand names too (`Bybit`, `USDT`)."""
    for line in text.split("\n"):
        if line:
            assert line[0] == RLM or unicodedata.bidirectional(line[0]) in ("AL", "R"), (
                f"{where}: line does not start with Arabic or U+200F: {line!r}")
    seen = visible(text)
    depth = 0
    for index, char in enumerate(seen):
        if char == LRI:
            depth += 1
        elif char == PDI:
            depth -= 1
            assert depth >= 0, f"{where}: PDI without LRI in {text!r}"
        elif depth == 0 and LEFT_TO_RIGHT.match(char):
            context = seen[max(0, index - 20):index + 20]
            raise AssertionError(f"{where}: {char!r} outside an isolate near {context!r}")
    assert depth == 0, f"{where}: an isolate is not closed in {text!r}"


def assert_arabic_words(text: str, where: str = "") -> None:
    """No English sentence in an Arabic message, isolated or not: an isolate holds a symbol, a
    number, a command (`/close BTCUSDT`), a URL or a name. Code is copied as typed: not read."""
    seen = visible(re.sub(r"<(code|pre)\b[^>]*>.*?</\1>", " ", text, flags=re.DOTALL))
    for inner in re.findall(f"{LRI}([^{LRI}{PDI}]*){PDI}", seen):
        if inner.lstrip(" ([").startswith(("/", "{", "http")):
            continue
        found = ENGLISH_WORDS.search(inner) or ENGLISH_WORD.search(inner)
        assert found is None, f"{where}: English in an Arabic message: {inner!r} in {text!r}"


def assert_arabic_label(label: str, where: str = "") -> None:
    """A button of an Arabic message: Arabic words, and Latin only for names and units."""
    for word in re.findall(r"[A-Za-z]+", label):
        assert BRANDS.fullmatch(word), f"{where}: an English word in the button {label!r}"


def assert_left_to_right(text: str, where: str = "") -> None:
    """An English message: no Arabic letter and none of the marks right-to-left text needs."""
    assert not ARABIC.search(text), f"{where}: Arabic in an English message: {text!r}"
    assert not BIDI_MARKS.search(text), f"{where}: a bidi mark in an English message: {text!r}"


def assert_filled(text: str, where: str = "") -> None:
    """No `{placeholder}` of a catalog left in the message."""
    assert not PLACEHOLDER.search(text), f"{where}: a placeholder left in {text!r}"


def assert_pnl_in_words(text: str, profit: str, loss: str, where: str = "") -> None:
    """A PnL is a word and a signed number: `loss −12.35 USDT`, `ربح +4.45 USDT`."""
    seen = BIDI_MARKS.sub("", visible(text))
    for found in SIGNED.finditer(seen):
        word, sign = found.groups()
        assert sign != "-", f"{where}: a hyphen for a minus in {found.group(0)!r}"
        assert word == (profit if sign == "+" else loss), (
            f"{where}: {found.group(0)!r} is not said as a {profit} or a {loss} in {text!r}")


def assert_grouped(text: str, where: str = "") -> None:
    """Numbers as the one formatter writes them: thousands separators (`50,000`, `9,999.45`).
    Code (a URL, a command to copy) is copied as typed, so it is not read."""
    prose = visible(re.sub(r"<(code|pre)\b[^>]*>.*?</\1>", " ", text, flags=re.DOTALL))
    prose = BIDI_MARKS.sub("", re.sub(r"https?://\S+", " ", prose))
    found = UNGROUPED.search(prose)
    assert found is None, f"{where}: {found.group(0)!r} is not written with thousands " \
        f"separators in {text!r}"
