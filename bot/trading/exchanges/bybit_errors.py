"""Turn what pybit raises into `ExchangeError`s with sentences a trader can act on."""

from __future__ import annotations

from collections.abc import Callable

import requests
from pybit.exceptions import FailedRequestError, InvalidRequestError

from bot.errors import ExchangeError, ExchangeUnreachable

_BALANCE = {110004, 110007, 110012, 110044, 110045}
_SPOT_BALANCE = {170131}
_RETRY_CODES = {10002, 10006, 10016}


def translate(exc: BaseException, *, account: str, symbol: str = "") -> ExchangeError:
    """The one mapping from pybit's exceptions to our domain errors."""
    keys_hint = f"/keys {account} <api_key> <api_secret>"
    if isinstance(exc, InvalidRequestError):
        return _from_ret_code(int(exc.status_code), str(exc.message), account, symbol,
                              keys_hint)
    if isinstance(exc, FailedRequestError):
        status = int(exc.status_code)
        if status == 401:
            return ExchangeError(f"Bybit rejected the {account} API key (HTTP 401); store it "
                                 f"again with {keys_hint}", code="invalid_key")
        if status == 403:
            return ExchangeError("Bybit refused this server's address (IP rate limit or a "
                                 "restricted region); the operator must wait 10 minutes",
                                 code="ip_blocked")
        if status == 429:
            return ExchangeError("Bybit asked us to slow down (HTTP 429)", code="rate_limited",
                                 retryable=True)
        if status == 404:
            return ExchangeError("Bybit does not offer this request for this account "
                                 "(HTTP 404)", code="not_found")
        return ExchangeUnreachable(f"Bybit answered with an error page (HTTP {status}) "
                                   "instead of a result")
    if isinstance(exc, (requests.exceptions.Timeout, requests.exceptions.ConnectionError)):
        return ExchangeUnreachable("Bybit did not answer in time")
    if isinstance(exc, PermissionError):
        return ExchangeError(f"no {account} API keys are stored: send {keys_hint}",
                             code="no_keys")
    return ExchangeUnreachable(f"talking to Bybit failed ({type(exc).__name__})")


def _params_error(message: str, lowered: str, symbol: str,
                  error: Callable[[str, str], ExchangeError]) -> ExchangeError:
    """10001 covers many mistakes; tell them apart by Bybit's message."""
    if "position idx" in lowered:
        return error("the order does not match the account's position mode (hedge or one-way); "
                     "it changed on Bybit while the order was being sent — send the alert again",
                     "position_mode")
    if "maximum" in lowered or "too large" in lowered:
        return error(f"the order is larger than Bybit allows for one {symbol} market order: "
                     "lower the trade amount (/set amount …) or the leverage", "above_maximum")
    if "minimum" in lowered:
        return error(f"the order is smaller than Bybit's minimum for {symbol}: raise the trade "
                     "amount (/set amount …) or the leverage", "below_minimum")
    if "takeprofit" in lowered or "take profit" in lowered:
        return error("Bybit refused the take_profit: the price has already moved past it. "
                     "Send take_profit above the current price for a long (below for a short)",
                     "bad_take_profit")
    if "stoploss" in lowered or "stop loss" in lowered:
        return error("Bybit refused the stop_loss: the price has already moved past it. "
                     "Send stop_loss below the current price for a long (above for a short)",
                     "bad_stop_loss")
    if "qty" in lowered or "decimal" in lowered:
        return error(f"Bybit refused the size of the {symbol} order ({message}); nothing was "
                     "traded — please tell the bot's operator", "bad_qty")
    return error(f"Bybit refused the order as malformed ({message}); nothing was traded — "
                 "please tell the bot's operator", "bad_request")


def _from_ret_code(code: int, message: str, account: str, symbol: str,
                   keys_hint: str) -> ExchangeError:
    def error(text: str, name: str, retryable: bool = False) -> ExchangeError:
        return ExchangeError(text, code=name, ret_code=code, retryable=retryable)

    lowered = message.lower()
    if code == 10003:
        return error(
            f"Bybit does not know this API key on the {account} environment: demo keys work "
            f"only on demo and real keys only on real. Check it, or store it again with "
            f"{keys_hint}", "wrong_environment")
    if code == 10004:
        return error(f"the API secret does not match the key; store the pair again with "
                     f"{keys_hint}", "bad_signature")
    if code == 10005:
        return error("this API key may not trade: in Bybit's API management, give it "
                     "permission for Orders and Positions (Contract and Spot)", "no_permission")
    if code == 10010:
        return error("this API key is restricted to other IP addresses: add this server's IP "
                     "to the key in Bybit, or remove the restriction", "ip_not_allowed")
    if code in _SPOT_BALANCE:
        return error(f"not enough free balance on the Bybit {account} account for this spot "
                     "order: lower the amount (/set amount …) or add funds",
                     "insufficient_balance")
    if code in _BALANCE:
        return error(f"not enough free margin on the Bybit {account} account for this order: "
                     "lower the amount (/set amount …) or the leverage (/set leverage …), or "
                     "add funds", "insufficient_balance")
    if code == 10029 or (code == 10001 and "symbol" in lowered and (
            "invalid" in lowered or "not exist" in lowered or "not support" in lowered)):
        return error(f"{symbol or 'this symbol'} is not traded on Bybit for this market: check "
                     "the alert's symbol, or switch market with /set market", "unknown_symbol")
    if code == 10001:
        return _params_error(message, lowered, symbol, error)
    if code in (170136, 170137, 170148):
        return error(f"Bybit refused the size of the {symbol} order ({message}); nothing was "
                     "traded — please tell the bot's operator", "bad_qty")
    if code in (110094, 170140):
        return error(f"the order is worth less than Bybit's minimum for {symbol}: raise the "
                     "trade amount (/set amount …)", "below_minimum")
    if code == 110017:
        return error("there is no open position for a reduce-only order to close",
                     "no_position")
    if code == 110090:
        return error("the position would exceed Bybit's limit for this leverage: lower the "
                     "leverage (/set leverage …) or the amount", "position_limit")
    if code == 110100:
        return error(f"{symbol} cannot be traded on Bybit's demo account", "demo_unsupported")
    if code == 10006:
        return error("Bybit's rate limit for this account was reached (too many requests at "
                     "once)", "rate_limited", True)
    if code == 10002:
        return error("this server's clock is out of step with Bybit's: the operator must "
                     "synchronise it (NTP)", "clock_drift", True)
    if code in _RETRY_CODES:
        return error(f"Bybit had a temporary problem: {message}", "exchange_busy", True)
    return error(f"Bybit refused the request: {message} (code {code})", "exchange_refused")
