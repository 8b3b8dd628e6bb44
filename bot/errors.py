"""Domain errors, as data: a machine `code`, the key of their sentence, and its values.

`TradeError("below_minimum.amount", amount=…, minimum=…, symbol=…)` says what went wrong
and carries the numbers and symbols; no sentence is built where it is raised. The sentence,
with its fix, is written for one reader in their language by `bot.i18n.errors.render_error`
from the catalogs (`bot/i18n/errors_en.py`, `errors_ar.py`). A key is `family.variant` (or
just `family`): the family is the machine `code` HTTP answers, the journal and the tests use;
the variant picks the sentence. One place maps errors to HTTP statuses
(`bot/webhook_server.py`), one to Telegram replies (`bot/handlers/auth.py`).

`Failure` is the same error once it is a value: what `Outcome`s, the journal (as JSON) and
reports carry. A parameter is text, a whole number, a `Decimal` or another `Failure` (the
cause a sentence quotes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

KEY = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\Z")
Params = Mapping[str, Any]


def _param(value: Any) -> Any:
    """A parameter as the catalogs take it: enums become their stored text."""
    if isinstance(value, BotError):
        return value.failure
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (bool, float)):
        return str(value)
    return value


@dataclass(frozen=True)
class Failure:
    """An error as a value: its machine code, its sentence's key, the sentence's values."""

    code: str
    key: str = ""  # the catalog's sentence: `code` itself unless a variant is named
    params: Params = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", self.key or self.code)
        object.__setattr__(self, "params", {name: _param(value)
                                            for name, value in self.params.items()})

    def __hash__(self) -> int:
        return hash((self.code, self.key, tuple(sorted(map(str, self.params.items())))))

    def __str__(self) -> str:
        """For the log: the key and its values, which operators grep."""
        values = " ".join(f"{name}={_log_value(value)}" for name, value in self.params.items())
        return f"{self.key} {values}".strip() if values else self.key

    @property
    def english(self) -> str:
        """The sentence in English: logs, TradingView's 4xx, code with no reader of its own."""
        from bot.i18n.errors import render_error  # the catalogs live above this layer

        return render_error("en", self.key, self.params)

    # --- JSON (the journal) -----------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        return {"code": self.code, "key": self.key,
                "params": {name: _encode(value) for name, value in self.params.items()}}

    @staticmethod
    def from_data(data: Mapping[str, Any]) -> Failure:
        params = data.get("params") or {}
        return Failure(str(data["code"]), str(data.get("key") or ""),
                       {str(name): _decode(value) for name, value in params.items()})

    def to_json(self) -> str:
        return json.dumps(self.to_data(), separators=(",", ":"), ensure_ascii=False)

    @staticmethod
    def from_json(text: str | None) -> Failure | None:
        if not text:
            return None
        try:
            return Failure.from_data(json.loads(text))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


def _log_value(value: Any) -> str:
    if isinstance(value, Failure):
        return f"({value})"
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if not text or " " in text else text


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, Failure):
        return {"error": value.to_data()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "decimal" in value:
        return Decimal(str(value["decimal"]))
    if isinstance(value, dict) and "error" in value:
        return Failure.from_data(value["error"])
    return value


class BotError(Exception):
    """Base of every error told to a person: `BotError(key, **params)`.

    `key` is the catalog's sentence (`family.variant`); `code` is the family unless given.
    Code that still writes its own English sentence (`BotError("a sentence", code=…)`) is
    understood too: `message` is then that sentence.
    """

    code = "error"
    http_status = 400

    def __init__(self, key: str | None = None, /, *, code: str | None = None,
                 **params: Any) -> None:
        self._english: str | None = None
        if key is not None and not KEY.match(key):
            self._english, key = key, None  # a sentence written where it was raised
        self.key = key or code or type(self).code
        if code is not None:
            self.code = code
        elif key is not None:
            self.code = key.split(".", 1)[0]
        self.params: dict[str, Any] = {name: _param(value) for name, value in params.items()}
        super().__init__(self.key)

    @property
    def failure(self) -> Failure:
        return Failure(self.code, self.key, self.params)

    @property
    def english_given(self) -> str | None:
        """The sentence code that predates the catalogs wrote itself, if it did."""
        return self._english

    @property
    def message(self) -> str:
        """The English sentence (TradingView's 4xx, logs); readers get theirs from
        `render_error`. Settable: the intake masks a quoted token in it."""
        return self._english if self._english is not None else self.failure.english

    @message.setter
    def message(self, text: str) -> None:
        self._english = text

    def __str__(self) -> str:
        """The English sentence (a log line, a test's `match`); `failure` is the data."""
        return self.message


# --- the webhook's input ----------------------------------------------------------------


class BadSignal(BotError):
    """The alert body cannot become a signal (400)."""

    code = "bad_request"
    http_status = 400


class StaleSignal(BadSignal):
    code = "stale_signal"


class Unauthorized(BotError):
    code = "unauthorized"
    http_status = 401


class Forbidden(BotError):
    code = "forbidden"
    http_status = 403


class UnknownUser(BotError):
    code = "unknown_user"
    http_status = 404


class BodyTooLarge(BotError):
    code = "body_too_large"
    http_status = 413


class RateLimited(BotError):
    code = "rate_limited"
    http_status = 429

    def __init__(self, key: str | None = None, /, *, retry_after: int,
                 code: str | None = None, **params: Any) -> None:
        super().__init__(key, code=code, **params)
        self.retry_after = retry_after


class ServiceUnavailable(BotError):
    code = "unavailable"
    http_status = 503


# --- trading ------------------------------------------------------------------------------


class TradeError(BotError):
    """A signal could not be executed; its sentence says what to do about it."""

    code = "trade_failed"
    retryable = False


class ExchangeError(TradeError):
    """The exchange refused or failed a request."""

    code = "exchange_error"

    def __init__(self, key: str | None = None, /, *, code: str | None = None,
                 ret_code: int | None = None, retryable: bool = False, **params: Any) -> None:
        super().__init__(key, code=code, **params)
        self.ret_code = ret_code
        self.retryable = retryable


class ExchangeUnreachable(ExchangeError):
    """No answer (timeout, dropped connection): the request may or may not have happened."""

    code = "exchange_unreachable"

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        super().__init__(key, retryable=True, **params)


class SettingsError(BotError):
    """A setting value that is not allowed; its sentence lists what is."""

    code = "bad_setting"
