"""Logging: one readable line per event, and secrets masked before anything is written."""

from __future__ import annotations

import logging
import re
import sys

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
        if len(self._secrets) <= SCAN_ALL_UP_TO:
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

    def filter(self, record: logging.LogRecord) -> bool:
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


def setup_logging(level: str = "INFO") -> None:
    """Send our log lines to stderr with the redaction filter on the handler."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
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
