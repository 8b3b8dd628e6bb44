"""Turn a TradingView alert body into a validated `Signal`, or a `BadSignal` saying why not."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_CEILING, Decimal, InvalidOperation, localcontext
from typing import Any

from bot.errors import BadSignal
from bot.plans import ExitPlan, Level, check_sides, parse_exit_plan
from bot.vocabulary import Intent

BUY_ACTIONS = ("buy", "long")
SELL_ACTIONS = ("sell", "short")
CLOSE_ACTIONS = ("close", "exit", "stop")
SIDE_CLOSE_ACTIONS = ("close_long", "close_short")
PARTIAL_ACTIONS = ("partial_close", "close_partial")  # the earlier bot's; 50% unless told
# From Telegram only (never an alert's action): change an open position's protection.
PROTECT_ACTIONS = ("set_stop", "break_even", "set_trailing")
ACTIONS = BUY_ACTIONS + SELL_ACTIONS + CLOSE_ACTIONS + SIDE_CLOSE_ACTIONS + PARTIAL_ACTIONS
POSITIONS = ("long", "short", "flat")
PARTIAL_DEFAULT_PERCENT = Decimal(50)
# Other receivers' names for our fields; each pair may be sent as either, never as both.
ALIASES = {"action": "signal", "take_profit": "tp", "stop_loss": "sl",
           "qty_percent": "percentage"}

_ALIAS_NAMES = frozenset(ALIASES.values())

MAX_ID_LENGTH = 128
_SYMBOL_RE = re.compile(r"^[A-Z0-9]{2,30}$")
_PLACEHOLDER_RE = re.compile(r"\{\{.*?\}\}")
_SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")
_AS_TEXT = json.JSONEncoder(ensure_ascii=False, default=str)
EXAMPLE = '{"symbol": "BTCUSDT", "action": "buy", "price": 50000}'


@dataclass(frozen=True)
class SignalLimits:
    """The server's bounds on what one alert may ask for (config `limits`)."""

    max_trade_amount: Decimal = Decimal("100000")
    max_leverage: int = 100


@dataclass(frozen=True)
class Signal:
    """One validated alert: what to trade and how."""

    symbol: str
    action: str  # as sent, lower case; a `position` of flat turns it into close
    position: str | None = None
    # `position` (long or short) turned another action into its side: the strategy is still
    # on that side after this order (a sell leaving it long is a partial exit of its long),
    # so an account already on that side needs nothing, pyramiding or not (bot/trading/planner).
    position_turned: bool = False
    price: Decimal | None = None
    qty: Decimal | None = None
    exits: ExitPlan | None = None  # stop-loss, take-profit or ladder, trailing, break-even
    client_id: str | None = None
    timestamp: float | None = None
    amount: Decimal | None = None  # USDT margin for this alert, instead of trade_amount
    leverage: int | None = None  # for this alert, instead of the user's
    qty_percent: Decimal | None = None  # a close: this share of the position, 0 < p ≤ 100
    # A channel subscriber's sizing (/copy amount=n%): this percent of the available USDT,
    # read when the signal runs; it becomes `amount` then. Never from an alert body.
    amount_percent: Decimal | None = None

    @property
    def intent(self) -> Intent:
        """What the action asks the executor to do."""
        return _INTENTS.get(self.action, Intent.CLOSE)

    @property
    def take_profit(self) -> Level | None:
        return self.exits.take_profit if self.exits is not None else None

    @property
    def stop_loss(self) -> Level | None:
        return self.exits.stop_loss if self.exits is not None else None

    @property
    def close_share(self) -> Decimal | None:
        """The percent of the position a close takes; None closes all of it."""
        if self.qty_percent is not None:
            return self.qty_percent
        return PARTIAL_DEFAULT_PERCENT if self.action in PARTIAL_ACTIONS else None

    def describe(self) -> str:
        text = f"{self.action} {self.symbol}"
        if self.price is not None:
            text += f" @ {self.price}"
        return text


# Each action's intent (every other action closes); `Signal.intent` is read often on the way.
_INTENTS = {**dict.fromkeys(BUY_ACTIONS, Intent.BUY), **dict.fromkeys(SELL_ACTIONS, Intent.SELL),
            **{action: Intent(action) for action in SIDE_CLOSE_ACTIONS},
            **dict.fromkeys(PROTECT_ACTIONS, Intent.PROTECT)}


def normalise_symbol(value: Any) -> str:
    """Map TradingView's forms (`BYBIT:BTCUSDT.P`, `btc/usdt`, …) to Bybit's `BTCUSDT`."""
    if not isinstance(value, str):
        raise BadSignal("bad_symbol.not_text", given=_show(value))
    if _SYMBOL_RE.fullmatch(value):  # not .match: its `$` would let a "\n" through
        return value  # already Bybit's form: what the steps below would make of it
    text = value.strip()
    if _PLACEHOLDER_RE.search(text):
        raise BadSignal("bad_symbol.placeholder", given=_show(text))
    text = text.upper().rsplit(":", 1)[-1]
    for suffix in (".PERP", ".P"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    text = text.replace("/", "").replace("-", "").replace("_", "")
    if not _SYMBOL_RE.fullmatch(text):  # "BTCUSDT\n.P" bares a "\n" that strip() left
        raise BadSignal("bad_symbol.not_pair", given=_show(value))
    return text


def normalise_action(value: Any) -> str:
    if not isinstance(value, str) or value.strip().lower() not in ACTIONS:
        raise BadSignal("unknown_action", given=_show(value), actions=", ".join(ACTIONS))
    return value.strip().lower()


def parse_body(body: bytes) -> dict[str, Any]:
    """Decode the body as a JSON object, whatever the Content-Type said."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadSignal("not_json.encoding", example=EXAMPLE) from None
    text = text.strip().lstrip("\ufeff")
    if not text:
        raise BadSignal("empty_body", example=EXAMPLE)
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant,
                          object_pairs_hook=_object)
    except _RepeatedField as repeated:
        raise BadSignal("bad_field.repeated", field=_show(repeated.field)) from None
    except (ValueError, RecursionError):
        unexpanded = _PLACEHOLDER_RE.search(text) is not None
        raise BadSignal("not_json.placeholder" if unexpanded else "not_json.invalid",
                        example=EXAMPLE) from None
    if not isinstance(data, dict):
        raise BadSignal("not_json.not_object", example=EXAMPLE)
    if "\\u" in text and _SURROGATE_ESCAPE_RE.search(text) and not _is_text(data):
        raise BadSignal("not_json.encoding", example=EXAMPLE)
    return data


def _is_text(data: dict[str, Any]) -> bool:
    """Whether every string decoded is Unicode text: JSON's grammar lets an escape name half
    of a UTF-16 pair ("\\ud800"), which no UTF-8 column, log line or answer can hold (a whole
    pair, an emoji, is one character and fine)."""
    try:
        _AS_TEXT.encode(data).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _RepeatedField(Exception):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose every field appears once: `{"qty": 1, "qty": 100}` would let the
    last one win in silence, and which one the sender meant is theirs to say."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _RepeatedField(key)
            seen.add(key)
    return data


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def parse_signal(data: dict[str, Any], limits: SignalLimits | None = None) -> Signal:
    """Validate a decoded alert; raise `BadSignal` naming the field and what is allowed.

    Fields this service does not know are ignored (TradingView users add their own); a field
    it knows is always used or refused, never silently dropped.
    """
    limits = limits or SignalLimits()
    data = _resolve_aliases(data)
    if data.get("symbol") in (None, ""):
        raise BadSignal("missing_field.symbol", example=EXAMPLE)
    if data.get("action") in (None, ""):
        raise BadSignal("missing_field.action", example=EXAMPLE)
    symbol = normalise_symbol(data["symbol"])
    action = normalise_action(data["action"])
    position = _optional_position(data.get("position"))
    turned = False
    if position == "flat":
        action = "close"
    elif position == "long" and action not in BUY_ACTIONS:
        action, turned = "buy", True
    elif position == "short" and action not in SELL_ACTIONS:
        action, turned = "sell", True
    signal = Signal(
        symbol=symbol,
        action=action,
        position=position,
        position_turned=turned,
        price=_optional_number(data, "price"),
        qty=_optional_number(data, "qty"),
        exits=parse_exit_plan(data),
        client_id=_optional_id(data.get("id")),
        timestamp=_optional_timestamp(data.get("timestamp")),
        amount=_optional_amount(data, limits),
        leverage=_optional_leverage(data.get("leverage"), limits),
        qty_percent=_optional_percent(data.get("qty_percent")),
    )
    opens = signal.intent.side
    if signal.exits is not None and opens is not None and signal.price is not None:
        check_sides(signal.exits, opens, signal.price)
    if signal.qty_percent is not None and not signal.intent.closes_only:
        if position:
            raise BadSignal("bad_field.percent_position", action=action, position=position)
        raise BadSignal("bad_field.percent", action=action)
    return signal


def _resolve_aliases(data: dict[str, Any]) -> dict[str, Any]:
    """Accept another receiver's name for a field, once: both names at once is ambiguous."""
    if data.keys().isdisjoint(_ALIAS_NAMES):
        return data  # the common case: our own names only
    resolved = dict(data)
    for name, alias in ALIASES.items():
        if data.get(alias) in (None, ""):
            continue
        if data.get(name) not in (None, "") and data[name] != data[alias]:
            raise BadSignal("bad_field.alias", field=name, alias=alias)
        resolved[name] = data[alias]
    return resolved


def _optional_position(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value.strip().lower() not in POSITIONS:
        raise BadSignal("bad_position", given=_show(value))
    return value.strip().lower()


def _optional_number(data: dict[str, Any], field: str, example: str = "50000"
                     ) -> Decimal | None:
    value = data.get(field)
    if value is None or value == "":
        return None
    number: Decimal | None = None
    if type(value) is Decimal:  # a JSON number (parse_body reads them as Decimal)
        number = value
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = Decimal(str(value))  # str(): a float's shortest form, never its binary tail
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite() or number <= 0 or abs(number.adjusted()) > 20:
        unexpanded = isinstance(value, str) and _PLACEHOLDER_RE.search(value) is not None
        raise BadSignal("bad_number.placeholder" if unexpanded else "bad_number.number",
                        field=field, example=example, given=_show(value))
    return number


def _optional_amount(data: dict[str, Any], limits: SignalLimits) -> Decimal | None:
    amount = _optional_number(data, "amount", "100")
    if amount is not None and amount > limits.max_trade_amount:
        raise BadSignal("above_limit.amount", amount=amount, limit=limits.max_trade_amount)
    return amount


def check_qty_margin(qty: Decimal, price: Decimal, leverage: int | None,
                     limits: SignalLimits) -> None:
    """Refuse an opening `qty` that puts up more than `limits.max_trade_amount` at `price`:
    qty × price ÷ leverage on futures, qty × price on spot (`leverage` None)."""
    worth = qty * price
    if worth <= limits.max_trade_amount * (leverage or 1):
        return
    with localcontext() as context:  # a qty and a price of 20 digits each: 40 and cents
        context.prec = 60
        margin = (worth / (leverage or 1)).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
    if leverage is None:
        raise BadSignal("above_limit.spot_qty", qty=qty, price=price, margin=margin,
                        limit=limits.max_trade_amount)
    raise BadSignal("above_limit.qty", qty=qty, price=price, leverage=leverage, margin=margin,
                    limit=limits.max_trade_amount)


def _optional_leverage(value: Any, limits: SignalLimits) -> int | None:
    """A whole number of times; "10x" is read as 10."""
    if value is None or value == "":
        return None
    number = _with_unit(value, "leverage", "x", "10")
    if number is None or number != number.to_integral_value():
        raise BadSignal("bad_number.leverage", given=_show(value))
    leverage = int(number)
    if leverage > limits.max_leverage:
        raise BadSignal("above_limit.leverage", leverage=leverage, limit=limits.max_leverage)
    return leverage


def _with_unit(value: Any, field: str, unit: str, example: str) -> Decimal | None:
    """A positive number that may carry its unit as text ("10x", "50%"); None if only a unit."""
    text = value.strip().lower().removesuffix(unit) if isinstance(value, str) else value
    return None if text == "" else _optional_number({field: text}, field, example)


def _optional_percent(value: Any) -> Decimal | None:
    """A share of a position in percent: 50, "50" or "50%"; above 0, at most 100."""
    if value is None or value == "":
        return None
    number = _with_unit(value, "qty_percent", "%", "50")
    if number is None or number > 100:
        raise BadSignal("bad_number.percent", given=_show(value))
    return number


def _optional_id(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise BadSignal("bad_id.type", given=_show(value))
    text = str(value).strip()
    if len(text) > MAX_ID_LENGTH:
        raise BadSignal("bad_id.length", limit=MAX_ID_LENGTH)
    return text or None


def _optional_timestamp(value: Any) -> float | None:
    """Accept ISO 8601 (TradingView's {{timenow}}) or Unix seconds or milliseconds."""
    if value is None or value == "":
        return None
    seconds: float | None = None
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        try:
            seconds = float(value)
        except OverflowError:  # an integer beyond any float (a Decimal becomes inf)
            seconds = None
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
        raise BadSignal("bad_timestamp", given=_show(value))
    return seconds


def _show(value: Any, limit: int = 40) -> str:
    """Quote a client's value for an error message, shortened and printable."""
    text = json.dumps(value, default=str, ensure_ascii=False) if not isinstance(
        value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…\""
