"""Records of the fake Telegram Bot API: the calls it saw, for tests to assert on.

Each request is kept as a ``Call``, a successful send or edit is read back as a
``SentMessage``, and an uploaded multipart part is an ``UploadedFile``. The server lives in
``tests/fakes/telegram.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# The invisible bidi marks of right-to-left messages (DESIGN §13): LRM, RLM, LRI … PDI.
_BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u2066\u2067\u2068\u2069"))


def as_read(text: str) -> str:
    """`text` as a person reads it: without the invisible bidi marks."""
    return text.translate(_BIDI_MARKS)


@dataclass
class UploadedFile:
    """A multipart file part (e.g. the ``photo`` of sendPhoto)."""

    filename: str | None
    content_type: str
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def head(self) -> bytes:
        return self.data[:16]

    @property
    def is_png(self) -> bool:
        return self.data.startswith(_PNG_MAGIC)


@dataclass
class Call:
    """One request, recorded on arrival (``time`` is ``time.monotonic()``). ``status`` and
    ``result`` are set when it is answered: at once, except for a held getUpdates."""

    method: str
    params: JSON
    time: float
    index: int
    status: int | None = None
    result: Any = None

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class SentMessage:
    """A successful sendMessage / sendPhoto / editMessageText / editMessageReplyMarkup."""

    method: str
    chat_id: int | str | None
    message_id: int | None
    text: str | None  # text, or caption for media
    reply_markup: JSON | None
    parse_mode: str | None
    call: Call = field(repr=False)

    @property
    def index(self) -> int:
        return self.call.index

    @property
    def photo(self) -> UploadedFile | str | None:
        """sendPhoto's uploaded file (or the file_id/URL string it was sent as)."""
        return self.call.params.get("photo")

    def buttons(self) -> list[tuple[str, str | None]]:
        """Inline keyboard as ``(text, callback_data or url)``, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", b.get("url"))) for row in rows for b in row]

    def button_data(self, label: str) -> str:
        """callback_data of the first button whose text contains ``label``."""
        for text, data in self.buttons():
            if label in as_read(text) and data is not None:
                return data
        raise AssertionError(f"no button {label!r} in message {self.text!r}: {self.buttons()}")
