"""Turn what pybit raises into `ExchangeError`s: a code and the values its sentence needs.

The sentences, each with what the trader can do, are in the catalogs (bot/i18n/errors_*.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests
from pybit.exceptions import FailedRequestError, InvalidRequestError

from bot.errors import ExchangeError, ExchangeUnreachable

_BALANCE = {110004, 110007, 110012, 110044, 110045}
_SPOT_BALANCE = {170131}
_RETRY_CODES = {10002, 10006, 10016}


def translate(exc: BaseException, *, account: str, symbol: str = "") -> ExchangeError:
    """The one mapping from pybit's exceptions to our domain errors."""
    if isinstance(exc, InvalidRequestError):
        return _from_ret_code(int(exc.status_code), str(exc.message), account, symbol)
    if isinstance(exc, FailedRequestError):
        status = int(exc.status_code)
        if status == 401:
            return ExchangeError("invalid_key", account=account)
        if status == 403:
            return ExchangeError("ip_blocked")
        if status == 429:
            return ExchangeError("rate_limited.bybit", retryable=True)
        if status == 404:
            return ExchangeError("not_found")
        return ExchangeUnreachable("exchange_unreachable.page", status_code=status)
    if isinstance(exc, (requests.exceptions.Timeout, requests.exceptions.ConnectionError)):
        return ExchangeUnreachable("exchange_unreachable.timeout")
    if isinstance(exc, PermissionError):
        return ExchangeError("no_keys", account=account)
    return ExchangeUnreachable("exchange_unreachable.failed", problem=type(exc).__name__)


def _params_error(message: str, lowered: str, symbol: str,
                  error: Callable[..., ExchangeError]) -> ExchangeError:
    """10001 covers many mistakes; tell them apart by Bybit's message."""
    if "position idx" in lowered:
        return error("position_mode")
    if "maximum" in lowered or "too large" in lowered:
        return error("above_maximum.bybit", symbol=symbol)
    if "minimum" in lowered:
        return error("below_minimum.bybit", symbol=symbol)
    if "takeprofit" in lowered or "take profit" in lowered:
        return error("bad_take_profit.bybit")
    if "stoploss" in lowered or "stop loss" in lowered:
        return error("bad_stop_loss.bybit")
    if "qty" in lowered or "decimal" in lowered:
        return error("bad_qty", symbol=symbol, reply=message)
    return error("bad_request.bybit", reply=message)


def _from_ret_code(code: int, message: str, account: str, symbol: str) -> ExchangeError:
    def error(key: str, retryable: bool = False, **params: Any) -> ExchangeError:
        return ExchangeError(key, ret_code=code, retryable=retryable, **params)

    lowered = message.lower()
    if code == 10003:
        return error("wrong_environment", account=account)
    if code == 10004:
        return error("bad_signature", account=account)
    if code == 10005:
        return error("no_permission")
    if code == 10010:
        return error("ip_not_allowed")
    if code in _SPOT_BALANCE:
        return error("insufficient_balance.spot", account=account)
    if code in _BALANCE:
        return error("insufficient_balance.margin", account=account)
    if code == 10029 or (code == 10001 and "symbol" in lowered and (
            "invalid" in lowered or "not exist" in lowered or "not support" in lowered)):
        if not symbol:
            return error("unknown_symbol.unnamed")
        return error("unknown_symbol.bybit", symbol=symbol)
    if code == 10001:
        return _params_error(message, lowered, symbol, error)
    if code in (170136, 170137, 170148):
        return error("bad_qty", symbol=symbol, reply=message)
    if code in (110094, 170140):
        return error("below_minimum.value", symbol=symbol)
    if code == 110017:
        return error("no_position.bybit")
    if code == 110090:
        return error("position_limit")
    if code == 110100:
        return error("demo_unsupported", symbol=symbol)
    if code == 10006:
        return error("rate_limited.account", True)
    if code == 10002:
        return error("clock_drift", True)
    if code in _RETRY_CODES:
        return error("exchange_busy", True, reply=message)
    return error("exchange_refused", reply=message, bybit_code=code)
