"""Turn a TradingView alert body into a validated `Signal`, or a `BadSignal` saying why not."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.errors import BadSignal
from bot.vocabulary import Intent

BUY_ACTIONS = ("buy", "long")
SELL_ACTIONS = ("sell", "short")
CLOSE_ACTIONS = ("close", "exit", "stop")
ACTIONS = BUY_ACTIONS + SELL_ACTIONS + CLOSE_ACTIONS
POSITIONS = ("long", "short", "flat")

MAX_ID_LENGTH = 128
_SYMBOL_RE = re.compile(r"^[A-Z0-9]{2,30}$")
_PLACEHOLDER_RE = re.compile(r"\{\{.*?\}\}")
EXAMPLE = '{"symbol": "BTCUSDT", "action": "buy", "price": 50000}'


@dataclass(frozen=True)
class Signal:
    """One validated alert: what to trade and how."""

    symbol: str
    action: str  # as sent, lower case; a `position` of flat turns it into close
    position: str | None = None
    price: Decimal | None = None
    qty: Decimal | None = None
    take_profit: Decimal | None = None
    stop_loss: Decimal | None = None
    client_id: str | None = None
    timestamp: float | None = None

    @property
    def intent(self) -> Intent:
        """What the action asks the executor to do: buy, sell or close."""
        if self.action in BUY_ACTIONS:
            return Intent.BUY
        if self.action in SELL_ACTIONS:
            return Intent.SELL
        return Intent.CLOSE

    def describe(self) -> str:
        text = f"{self.action} {self.symbol}"
        if self.price is not None:
            text += f" @ {self.price}"
        return text


def normalise_symbol(value: Any) -> str:
    """Map TradingView's forms (`BYBIT:BTCUSDT.P`, `btc/usdt`, …) to Bybit's `BTCUSDT`."""
    if not isinstance(value, str):
        raise BadSignal(f"symbol must be text such as \"BTCUSDT\", got {_show(value)}",
                        code="bad_symbol")
    text = value.strip()
    if _PLACEHOLDER_RE.search(text):
        raise BadSignal(
            f"symbol {_show(text)} is a TradingView placeholder that was not filled in: "
            "check its spelling in the alert message (for example {{ticker}})",
            code="bad_symbol")
    text = text.upper().rsplit(":", 1)[-1]
    for suffix in (".PERP", ".P"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    text = text.replace("/", "").replace("-", "").replace("_", "")
    if not _SYMBOL_RE.match(text):
        raise BadSignal(
            f"symbol {_show(value)} is not a trading pair: use letters and digits like "
            "\"BTCUSDT\" (\"BYBIT:BTCUSDT.P\" and \"BTC/USDT\" work too)", code="bad_symbol")
    return text


def normalise_action(value: Any) -> str:
    if not isinstance(value, str) or value.strip().lower() not in ACTIONS:
        raise BadSignal(
            f"action {_show(value)} is not known: use one of {', '.join(ACTIONS)}",
            code="unknown_action")
    return value.strip().lower()


def parse_body(body: bytes) -> dict[str, Any]:
    """Decode the body as a JSON object, whatever the Content-Type said."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadSignal("the body is not UTF-8 text; send JSON such as " + EXAMPLE,
                        code="not_json") from None
    text = text.strip().lstrip("\ufeff")
    if not text:
        raise BadSignal("the body is empty; send JSON such as " + EXAMPLE, code="empty_body")
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        hint = ""
        if _PLACEHOLDER_RE.search(text):
            hint = " (a TradingView placeholder was left unexpanded: check its spelling)"
        raise BadSignal("the body is not valid JSON" + hint + "; send JSON such as " + EXAMPLE,
                        code="not_json") from None
    if not isinstance(data, dict):
        raise BadSignal("the body must be a JSON object such as " + EXAMPLE, code="not_json")
    return data


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def parse_signal(data: dict[str, Any]) -> Signal:
    """Validate a decoded alert; raise `BadSignal` naming the field and what is allowed."""
    for required in ("symbol", "action"):
        if data.get(required) in (None, ""):
            raise BadSignal(f"the field \"{required}\" is missing; send JSON such as {EXAMPLE}",
                            code="missing_field")
    symbol = normalise_symbol(data["symbol"])
    action = normalise_action(data["action"])
    position = _optional_position(data.get("position"))
    if position == "flat":
        action = "close"
    elif position == "long" and action not in BUY_ACTIONS:
        action = "buy"
    elif position == "short" and action not in SELL_ACTIONS:
        action = "sell"
    return Signal(
        symbol=symbol,
        action=action,
        position=position,
        price=_optional_number(data, "price"),
        qty=_optional_number(data, "qty"),
        take_profit=_optional_number(data, "take_profit"),
        stop_loss=_optional_number(data, "stop_loss"),
        client_id=_optional_id(data.get("id")),
        timestamp=_optional_timestamp(data.get("timestamp")),
    )


def _optional_position(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value.strip().lower() not in POSITIONS:
        raise BadSignal(
            f"position {_show(value)} is not known: use long, short or flat "
            "(TradingView's {{strategy.market_position}})", code="bad_position")
    return value.strip().lower()


def _optional_number(data: dict[str, Any], field: str) -> Decimal | None:
    value = data.get(field)
    if value is None or value == "":
        return None
    number: Decimal | None = None
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = Decimal(str(value))  # str(): a float's shortest form, never its binary tail
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite() or number <= 0 or abs(number.adjusted()) > 20:
        hint = ""
        if isinstance(value, str) and _PLACEHOLDER_RE.search(value):
            hint = " (a TradingView placeholder was left unexpanded)"
        raise BadSignal(f"{field} must be a positive number such as 50000, got "
                        f"{_show(value)}{hint}", code="bad_number")
    return number


def _optional_id(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise BadSignal(f"id must be text or a number, got {_show(value)}", code="bad_id")
    text = str(value).strip()
    if len(text) > MAX_ID_LENGTH:
        raise BadSignal(f"id is longer than {MAX_ID_LENGTH} characters", code="bad_id")
    return text or None


def _optional_timestamp(value: Any) -> float | None:
    """Accept ISO 8601 (TradingView's {{timenow}}) or Unix seconds or milliseconds."""
    if value is None or value == "":
        return None
    seconds: float | None = None
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip()
        try:
            seconds = float(text)
        except ValueError:
            try:
                seconds = datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
            except ValueError:
                seconds = None
            else:
                if "+" not in text[10:] and "Z" not in text and "-" not in text[10:]:
                    seconds = None  # a time without a zone is ambiguous
    if seconds is not None and seconds > 1e11:
        seconds /= 1000  # milliseconds
    if seconds is None or not math.isfinite(seconds) or seconds <= 0:
        raise BadSignal(
            f"timestamp {_show(value)} is not a time: use TradingView's {{{{timenow}}}} "
            "(like 2026-11-28T00:00:00Z) or Unix seconds", code="bad_timestamp")
    return seconds


def _show(value: Any, limit: int = 40) -> str:
    """Quote a client's value for an error message, shortened and printable."""
    text = json.dumps(value, default=str, ensure_ascii=False) if not isinstance(
        value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…\""
