"""Logging: one readable line per event, and secrets masked before anything is written.

Every line passes `RedactSecrets` on its way out, except a line whose writer masked its values
itself and says so with `extra=PRE_REDACTED`: the accepted-alert line, written once per alert,
is built from validated values and masks its free-text fields (the alert's `id`, the address)
at the source with `RedactSecrets.redact_fields` — so the redaction runs where a secret could
enter, not over every character of the hottest line.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sys
import threading
import time
from typing import Any

# Shaped secrets: a `token=` value (a webhook URL's query) or `key=` value (a dashboard link's),
# and a Telegram bot token. Each pattern runs only on lines that can hold it (a substring test
# is ~20 times cheaper than a regex pass, and every alert writes a few log lines).
_QUERY_SECRET = re.compile(r"(?i)((?:token|key)=)[^&\s\"',;]+")
_BOT_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


def _mask_shaped(text: str) -> str:
    lowered = text.lower()
    if "token=" in lowered or "key=" in lowered:
        text = _QUERY_SECRET.sub(r"\1***", text)
    if ":" in text:
        text = _BOT_TOKEN.sub("***", text)
    return text


MIN_SECRET = 6  # shorter strings are not registered: they would mask ordinary words
# Every /keys adds two secrets for the life of the process. Up to this many, test each one
# against the line (~0.15 µs a secret); beyond it, look them up by their first MIN_SECRET
# characters instead (~60 µs for a 200-character line, however many secrets there are).
SCAN_ALL_UP_TO = 400


class RedactSecrets(logging.Filter):
    """Replace known secrets and anything shaped like a bot token or a `token=` or `key=`
    value (webhook tokens and dashboard keys are never registered: they are masked by shape)."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._by_prefix: dict[str, set[str]] = {}

    def add(self, secret: str) -> None:
        if secret and len(secret) >= MIN_SECRET:
            self._secrets.add(secret)
            self._by_prefix.setdefault(secret[:MIN_SECRET], set()).add(secret)

    def _present(self, text: str) -> list[str]:
        """The known secrets that occur in `text`, longest first (so a secret that contains
        another is masked whole)."""
        # Testing each secret costs per secret, looking the text's grams up costs per
        # character: a short value (an alert's id) is looked up however few secrets there are.
        if len(self._secrets) <= SCAN_ALL_UP_TO and len(self._secrets) <= len(text):
            found = [secret for secret in self._secrets if secret in text]
        else:
            # Any occurrence of a secret starts with one of the text's MIN_SECRET-grams.
            grams = {text[i:i + MIN_SECRET] for i in range(len(text) - MIN_SECRET + 1)}
            found = [secret for prefix in grams & self._by_prefix.keys()
                     for secret in self._by_prefix[prefix] if secret in text]
        return sorted(found, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._present(text):
            text = text.replace(secret, "***")
        return _mask_shaped(text)

    def redact_fields(self, *values: str | None) -> tuple[str | None, ...]:
        """Mask known and shaped secrets in the free-text values of a line built at the
        source (see PRE_REDACTED); the common case, nothing found, returns them as they are."""
        joined = "\n".join(value for value in values if value)
        if not joined or (not self._present(joined) and _mask_shaped(joined) == joined):
            return values
        return tuple(self.redact(value) if value else value for value in values)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.__dict__.get("redacted") and record.exc_info is None:
            return True  # masked where it was written (PRE_REDACTED)
        message = record.getMessage()
        cleaned = self.redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            # Render the traceback now, so it passes through the same redaction.
            formatter = logging.Formatter()
            cleaned += "\n" + self.redact(formatter.formatException(record.exc_info))
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = cleaned, None
        return True


REDACTOR = RedactSecrets()
# `log.info(..., extra=PRE_REDACTED)`: every value of this line that could hold a secret went
# through `REDACTOR.redact_fields` (or is a number, an enum, a validated symbol) — skip the pass.
PRE_REDACTED = {"redacted": True}


class LineFormatter(logging.Formatter):
    """The standard format, with the date and time of a second rendered once for all its
    lines (strftime for every line showed in the profile of the acknowledgement)."""

    default_msec_format = "%s,%03d"

    def __init__(self, fmt: str) -> None:
        super().__init__(fmt)
        self._second = -1
        self._stamp = ""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        second = int(record.created)
        if second != self._second:
            self._stamp = time.strftime(self.default_time_format, self.converter(second))
            self._second = second
        return self.default_msec_format % (self._stamp, record.msecs)


class TurnHandler(logging.StreamHandler):
    """Lines logged on the event loop's thread are gathered for one turn of the loop and
    written together after it: one write to the log file for a crowd of alerts, not one each
    (every write also lets another thread take the interpreter lock from the loop). Lines from
    other threads, and every line before `attach` and after `detach`, are written at once. A
    `kill -9` loses at most the lines of the turn it interrupts; the journal has the alerts."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread = 0
        self._pending: list[str] = []

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop, self._loop_thread = loop, threading.get_ident()

    def detach(self) -> None:
        self._loop = None
        self.flush()

    def emit(self, record: logging.LogRecord) -> None:
        loop = self._loop
        if loop is None or threading.get_ident() != self._loop_thread:
            super().emit(record)  # writes and flushes at once
            return
        try:
            line = self.format(record) + self.terminator
        except Exception:
            self.handleError(record)
            return
        if not self._pending:
            loop.call_soon(self.flush)
        self._pending.append(line)

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            if self._pending:
                lines, self._pending = self._pending, []
                with contextlib.suppress(ValueError):  # the stream was closed
                    self.stream.write("".join(lines))
            super().flush()


HANDLER = TurnHandler(sys.stderr)


def setup_logging(level: str = "INFO") -> None:
    """Send our log lines to stderr with the redaction filter on the handler; the service
    attaches it to its loop (`HANDLER.attach`) once the loop runs."""
    handler = HANDLER
    handler.setStream(sys.stderr)
    handler.setFormatter(LineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(REDACTOR)
    # Our format shows neither thread, process nor source line: do not collect them (the
    # logging docs' "Optimization" section); a log line is on every alert's path.
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and PTB's URLs carry the bot token.
    for noisy in ("httpx", "httpcore", "telegram.ext.Updater", "aiohttp.access", "urllib3",
                  "pybit"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
