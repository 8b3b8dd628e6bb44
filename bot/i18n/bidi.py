"""Right-to-left rendering (DESIGN §13), applied by `t` to every message of an RTL language.

Two rules, so that `BTCUSDT`, `+20.00 USDT` and `/set amount 50` read intact in an Arabic line:

- every run of left-to-right text — Latin letters and digits, with the signs, slashes and
  separators that hold them together (`/set amount 50`, `+1,234.50 USDT`, `#42`, `10x`, `25%`)
  — sits in a left-to-right isolate (LRI … PDI). A `<code>`/`<pre>` element whose text is not
  Arabic is isolated as a whole, from outside, so tapping it copies the bare command or URL;
- every line that does not start with an Arabic letter starts with U+200F (RLM), so an emoji,
  a tag or a number at its head does not turn the line left to right.

The markup is HTML as Telegram reads it: tags and entities are never split.
"""

from __future__ import annotations

import re
import unicodedata

LRI, PDI, RLM = "\u2066", "\u2069", "\u200f"

_ISOLATE = f"{LRI}[^{LRI}{PDI}]*{PDI}"
_ENTITY = r"&(?:[A-Za-z]+|#[0-9]+);"
_SIGN = "#$/+\\-\u2212@"  # what may lead a unit: #42, $100, /set, +20, −12, @name
_INNER = ".,:/\\-+_=@?~#|\u2013\u2026\u2212"  # what may join two units: 1,000.5, 12:00, a|b
# A bracketed group with no Arabic in it is one unit, brackets included: `(UTC)`, `[symbol]`.
_GROUP = r"\((?:[^()<>\u0600-\u06FF])*\)|\[(?:[^\[\]<>\u0600-\u06FF])*\]"
_UNIT = (rf"(?:[{_SIGN}]*(?:{_ISOLATE}|[A-Za-z0-9][A-Za-z0-9_]*)%?"
         rf"|{_GROUP}|{_ENTITY}|[/+\-\u2212]+)")
# Units joined by spaces, by a joiner or by nothing: `/set amount 50`, `+1,234.50 USDT`,
# `&lt;api_key&gt;`, `#42`; a joiner at the end (`10x.`) stays outside, with the sentence.
_RUN = re.compile(rf"{_UNIT}(?:(?:[ \u00a0]+|[{_INNER}]+)?{_UNIT})*")
_MARKUP = re.compile(rf"({LRI}?<(code|pre)\b[^>]*>.*?</\2>{PDI}?|<[^>]*>)", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_OPEN, _CLOSE = re.compile(r"<(?:pre|code)\b"), re.compile(r"</(?:pre|code)>")
_LTR_CHAR = re.compile(r"[A-Za-z0-9/+\-\u2212]")


def is_arabic_letter(char: str) -> bool:
    """A strong right-to-left letter (Arabic, or Hebrew and the like)."""
    return unicodedata.bidirectional(char) in ("AL", "R")


def has_right_to_left(text: str) -> bool:
    return any(is_arabic_letter(char) for char in text)


def needs_isolate(text: str) -> bool:
    """Left-to-right matter a right-to-left line would scramble: Latin, digits, a sign, a slash."""
    return _LTR_CHAR.search(text) is not None


def isolate(text: str) -> str:
    return f"{LRI}{text}{PDI}"


def shorten(text: str, limit: int) -> str:
    """Plain text (a result line, before escaping) in at most `limit` characters, cut with
    "…" at its end when longer. A cut inside a left-to-right isolate (a command in an Arabic
    sentence: `(LRI/set leverage …PDI)`) closes it before the "…": no LRI without its PDI."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    while len(cut) + _open(cut) > limit - 1:  # room for the PDIs it needs
        cut = cut[:-1]
    cut = cut.rstrip(LRI)  # an isolate cut before its first letter: not opened at all
    return cut + PDI * _open(cut) + "…"


def _open(text: str) -> int:
    """How many isolates are still open at the end of `text`."""
    depth = 0
    for char in text:
        if char == LRI:
            depth += 1
        elif char == PDI and depth:
            depth -= 1
    return depth


def _flat(text: str) -> str:
    """`text` without isolates of its own: one isolate around a whole run is enough."""
    return text.replace(LRI, "").replace(PDI, "")


def _run(match: re.Match[str]) -> str:
    text = match.group(0)
    if re.fullmatch(_ISOLATE, text) or not needs_isolate(re.sub(_ENTITY, "", _flat(text))):
        return text  # isolated already, or only entities (&amp;) with nothing to protect
    return isolate(_flat(text))


def _text(text: str) -> str:
    return _RUN.sub(_run, text)


def _element(markup: str) -> str:
    """A code/pre element: isolated from outside when its text is not Arabic."""
    element = markup.removeprefix(LRI).removesuffix(PDI)
    inner = _TAG.sub("", element)
    if has_right_to_left(inner):  # Arabic in code: its tags stay, its text gets the run rule
        return "".join(part if part.startswith("<") else _text(part)
                       for part in re.split(r"(<[^>]*>)", element))
    return isolate(_flat(element)) if needs_isolate(inner) else element


def _pieces(pieces: list[str]) -> str:
    out = []
    for index, piece in enumerate(pieces):
        kind = index % 3  # re.split with two groups: text, markup, the element's tag name
        if kind == 0:
            out.append(_text(piece))
        elif kind == 1:
            out.append(_element(piece) if piece.lstrip(LRI).startswith(("<code", "<pre"))
                       else piece)
    return "".join(out)


def _line_start(text: str) -> str:
    """RLM at the head of every line that does not start with an Arabic letter; a line with
    no Arabic at all (an exchange's English sentence) is one isolate, its full stop included."""
    lines = []
    inside = 0  # newlines inside <pre>/<code> belong to the element, not to the message
    for line in text.split("\n"):
        if not inside and line:
            if _whole_line(line):
                line = isolate(_flat(line))
            if not is_arabic_letter(line[0]) and line[0] != RLM:
                line = RLM + line
        inside += len(_OPEN.findall(line)) - len(_CLOSE.findall(line))
        lines.append(line)
    return "\n".join(lines)


def _whole_line(line: str) -> bool:
    text = re.sub(_ENTITY, "", _TAG.sub("", line.lstrip(RLM)))
    return (not has_right_to_left(text) and needs_isolate(text)
            and re.fullmatch(_ISOLATE, line.lstrip(RLM)) is None and not _OPEN.search(line))


def right_to_left(markup: str) -> str:
    """`markup` (a rendered message) with the two rules applied; applying them twice is a no-op."""
    return _line_start(_pieces(_MARKUP.split(markup)))
