"""``POST /v5/position/trading-stop`` of the fake Bybit, and the TP/SL side checks it shares
with ``/v5/order/create``.

``apply_trading_stop`` validates a request like Bybit and changes the position row:

* ``tpslMode=Full``: ``takeProfit`` / ``stopLoss`` set or replace the position's TP/SL
  (``"0"`` cancels one); ``trailingStop`` is a price distance (``"0"`` cancels it) with an
  optional ``activePrice`` (the trailing stop is active at once without one); nothing changed
  gives ``34040``. ``tpOrderType``/``slOrderType`` must be ``Market``.
* ``tpslMode=Partial``: adds a partial TP (``takeProfit`` + ``tpSize``) and/or SL (``stopLoss``
  + ``slSize``), each ``Market`` or ``Limit`` (``tpLimitPrice``/``slLimitPrice``); at most 20
  (``110061``); their sizes per side at most the position (``110058``).

The triggers themselves are in ``bybit_triggers.py``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.fakes.bybit_market import (
    LINEAR,
    BybitError,
    Market,
    fmt,
    is_multiple,
    parse_wire_number,
)
from tests.fakes.bybit_rows import PARTIAL_STOP_LOSS, PARTIAL_TAKE_PROFIT, ZERO, PartialStop
from tests.fakes.bybit_state import Account, Position

TRIGGER_BY = ("LastPrice", "MarkPrice", "IndexPrice")
MAX_PARTIALS = 20
ZERO_POSITION = "can not set tp/sl/ts for zero position"
NOT_MODIFIED = "not modified"
PAIRS = ('"tpSize" and "takeProfit" or "slSize" and "stopLoss" need to input in pairs and '
         "must set at least one pair when tpslMode is Partial")


def take_profit_error(side: str, take_profit: Decimal, base: Decimal) -> BybitError | None:
    """Return Bybit's 10001 for a TP on the wrong side of ``base`` (the last price)."""
    if (take_profit > base) == (side == "Buy") and take_profit != base:
        return None
    word = "higher" if side == "Buy" else "lower"
    return BybitError(10001, f"TakeProfit:{fmt(take_profit)} set for {side} position should "
                      f"be {word} than base_price:{fmt(base)}??LastPrice")


def stop_loss_error(side: str, stop_loss: Decimal, base: Decimal) -> BybitError | None:
    """Return Bybit's 10001 for an SL on the wrong side of ``base`` (the last price)."""
    if (stop_loss < base) == (side == "Buy") and stop_loss != base:
        return None
    relation = "should lower than" if side == "Buy" else "should greater"
    return BybitError(10001, f"StopLoss:{fmt(stop_loss)} set for {side} position "
                      f"{relation} base_price:{fmt(base)}??LastPrice")


def _price(params: dict[str, Any], key: str) -> Decimal | None:
    """Return the value of ``key`` (None when absent or empty)."""
    raw = params.get(key)
    if raw in (None, ""):
        return None
    return parse_wire_number(raw, BybitError(10001, f"params error: {key} invalid"))


def _choice(params: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str | None:
    raw = params.get(key)
    if raw in (None, ""):
        return None
    if raw not in allowed:
        raise BybitError(10001, f"params error: {key} invalid")
    return str(raw)


def _position(market: Market, account: Account, params: dict[str, Any]) -> Position:
    if params.get("category") != LINEAR:
        raise BybitError(10001, "params error: category invalid")
    rules = market.linear(str(params.get("symbol", "")))
    if params.get("tpslMode") in (None, ""):
        raise BybitError(10001, "params error: tpslMode is required")
    if params["tpslMode"] not in ("Full", "Partial"):
        raise BybitError(10001, "params error: tpslMode invalid")
    raw_idx = params.get("positionIdx")
    if raw_idx in (None, ""):
        raise BybitError(10001, "params error: positionIdx is required")
    try:
        idx = int(raw_idx)
    except (TypeError, ValueError):
        raise BybitError(10001, "params error: positionIdx invalid") from None
    if idx not in account.position_indexes():
        raise BybitError(10001, "position idx not match position mode")
    position = account.position(rules.symbol, idx)
    if not position.is_open:
        raise BybitError(10001, ZERO_POSITION)
    return position


def apply_trading_stop(market: Market, account: Account, params: dict[str, Any]) -> Position:
    """Validate and apply one trading-stop request; return the changed position row."""
    position = _position(market, account, params)
    _on_the_tick(market, position.symbol, params)
    last = market.price(position.symbol)
    tp_by = _choice(params, "tpTriggerBy", TRIGGER_BY)
    sl_by = _choice(params, "slTriggerBy", TRIGGER_BY)
    tp_size, sl_size = _price(params, "tpSize"), _price(params, "slSize")
    if tp_size and sl_size and tp_size != sl_size:
        raise BybitError(10001, "slSize and tpSize must be equal if both values are set when "
                         f"tpslMode is {params['tpslMode']}")
    before = _stops(position)
    if params["tpslMode"] == "Full":
        _apply_full(position, params, last, tp_by, sl_by)
    else:
        _apply_partial(market, position, params, last, (tp_size, sl_size), (tp_by, sl_by))
    _apply_trailing(position, params, last)
    if _stops(position) == before:
        raise BybitError(34040, NOT_MODIFIED)
    return position


def _on_the_tick(market: Market, symbol: str, params: dict[str, Any]) -> None:
    """Prices and distances must be multiples of the symbol's tickSize: more decimals are a
    10001 (Bybit answers a price sent with too many decimals so; pybit rounds nothing)."""
    tick = market.linear(symbol).tick_size
    for key in ("takeProfit", "stopLoss", "trailingStop", "activePrice"):
        value = _price(params, key)
        if value and not is_multiple(value, tick):
            raise BybitError(10001, f"params error: {key} {params[key]} is not a multiple of "
                             f"the tick size {fmt(tick)}")


def _stops(position: Position) -> tuple[Any, ...]:
    return (position.take_profit, position.stop_loss, position.tp_trigger_by,
            position.sl_trigger_by, position.trailing_stop, position.active_price,
            len(position.partials))


def _apply_full(position: Position, params: dict[str, Any], last: Decimal,
                tp_by: str | None, sl_by: str | None) -> None:
    for key in ("tpOrderType", "slOrderType"):
        if params.get(key) not in (None, "", "Market"):
            raise BybitError(10001, f"params error: {key} must be Market when tpslMode is Full")
    take_profit, stop_loss = _price(params, "takeProfit"), _price(params, "stopLoss")
    if take_profit and take_profit != position.take_profit:
        error = take_profit_error(position.side, take_profit, last)
        if error is not None:
            raise error
    if stop_loss and stop_loss != position.stop_loss:
        error = stop_loss_error(position.side, stop_loss, last)
        if error is not None:
            raise error
    if take_profit is not None:
        position.take_profit = take_profit
    if stop_loss is not None:
        position.stop_loss = stop_loss
    position.tp_trigger_by = tp_by or position.tp_trigger_by
    position.sl_trigger_by = sl_by or position.sl_trigger_by


def _apply_partial(market: Market, position: Position, params: dict[str, Any], last: Decimal,
                   sizes: tuple[Decimal | None, Decimal | None],
                   trigger_by: tuple[str | None, str | None]) -> None:
    rules = market.linear(position.symbol)
    take_profit = _price(params, "takeProfit") or None  # "0" adds nothing here
    stop_loss = _price(params, "stopLoss") or None
    wanted = [(PARTIAL_TAKE_PROFIT, take_profit, sizes[0], "tp", trigger_by[0]),
              (PARTIAL_STOP_LOSS, stop_loss, sizes[1], "sl", trigger_by[1])]
    if any((price is None) != (size is None) for _, price, size, _, _ in wanted) or all(
            price is None for _, price, _, _, _ in wanted):
        raise BybitError(10001, PAIRS)
    added = []
    for kind, price, size, prefix, by in wanted:
        if price is None or size is None:
            continue
        error = (take_profit_error(position.side, price, last) if prefix == "tp"
                 else stop_loss_error(position.side, price, last))
        if error is not None:
            raise error
        if size % rules.qty_step or size < rules.min_order_qty:
            raise BybitError(10001, f"params error: {prefix}Size invalid")
        held = sum((p.size for p in position.partials if p.kind == kind), ZERO)
        if held + size > position.size:
            raise BybitError(110058, "You can't set take profit and stop loss due to "
                             "insufficient size of remaining position size.")
        order_type = _choice(params, f"{prefix}OrderType", ("Market", "Limit")) or "Market"
        limit = _price(params, f"{prefix}LimitPrice") or ZERO
        if order_type == "Limit" and not limit:
            raise BybitError(10001, f"params error: {prefix}LimitPrice is required when "
                             f"{prefix}OrderType is Limit")
        added.append(PartialStop(kind, price, size, order_type, limit, by or "LastPrice"))
    if len(position.partials) + len(added) > MAX_PARTIALS:
        raise BybitError(110061, "Not allowed to have more than 20 TP/SLs under Partial "
                         "tpSlMode")
    position.partials.extend(added)


def _apply_trailing(position: Position, params: dict[str, Any], last: Decimal) -> None:
    distance, active = _price(params, "trailingStop"), _price(params, "activePrice")
    if distance is None and active is None:
        return
    if distance is None and not position.trailing_stop:
        raise BybitError(10001, "params error: activePrice needs a trailingStop")
    if distance == 0:
        position.trailing_stop = position.active_price = position.trailing_best = ZERO
        return
    distance = position.trailing_stop if distance is None else distance
    if distance >= last and position.is_long:
        raise BybitError(10001, f"params error: trailingStop:{fmt(distance)} is not below "
                         f"last_price:{fmt(last)}")
    if active:
        better = active > max(position.avg_price, last) if position.is_long else (
            active < min(position.avg_price, last))
        if not better:
            word = "greater" if position.is_long else "less"
            raise BybitError(10001, f"TrailingProfit:{fmt(active)} set for {position.side} "
                             f"position should be {word} than entry_price:"
                             f"{fmt(position.avg_price)}??LastPrice and last_price:{fmt(last)}")
    if (distance, active or ZERO) == (position.trailing_stop, position.active_price):
        return  # unchanged: the trailing stop keeps its best price
    position.trailing_stop, position.active_price = distance, active or ZERO
    position.trailing_best = ZERO if active else last  # active at once without activePrice
