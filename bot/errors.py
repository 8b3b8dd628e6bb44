"""Domain errors. Each carries a machine `code` and a `message` a person can act on.

One place maps them to HTTP statuses (`bot/webhook_server.py`), one place to Telegram replies
(`bot/notify.py` and the handlers). Messages never contain secrets.
"""

from __future__ import annotations


class BotError(Exception):
    """Base of every error whose message is meant for a person."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


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

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServiceUnavailable(BotError):
    code = "unavailable"
    http_status = 503


# --- trading ------------------------------------------------------------------------------


class TradeError(BotError):
    """A signal could not be executed; the message says what to do about it."""

    code = "trade_failed"
    retryable = False


class ExchangeError(TradeError):
    """The exchange refused or failed a request."""

    code = "exchange_error"

    def __init__(self, message: str, *, code: str | None = None, ret_code: int | None = None,
                 retryable: bool = False) -> None:
        super().__init__(message, code=code)
        self.ret_code = ret_code
        self.retryable = retryable


class ExchangeUnreachable(ExchangeError):
    """No answer (timeout, dropped connection): the request may or may not have happened."""

    code = "exchange_unreachable"

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=True)


class SettingsError(BotError):
    """A setting value that is not allowed; the message lists what is."""

    code = "bad_setting"
