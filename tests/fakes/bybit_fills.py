"""Fills and cancels of the fake Bybit's matching engine, and the record of what they changed.

``Fills`` is the part of ``MatchingEngine`` (``bybit_orders.py``) that carries an order out:
``_match`` fills it as far as it can go (a reduce-only order never opens or flips a position:
it fills what the position has left and the rest is cancelled with ``CancelByReduceOnly``),
``_cancel`` cancels it, and every step appends a ``Change`` (the order, its fills, the
position rows and the wallet, as the stream will show them, taken at that moment) to
``changes``, which ``FakeBybit`` pushes on the private streams.

When a position goes flat its TP/SL, trailing stop and partial TP/SLs are cleared, and (if
``cancel_reduce_only_when_flat``) its resting reduce-only orders are cancelled
(``CancelByReduceOnly``) — so are those that a flip turned into orders that would add to it.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tests.fakes import bybit_stream_frames as frames
from tests.fakes.bybit_market import (
    LINEAR,
    LINEAR_MAKER_FEE,
    LINEAR_TAKER_FEE,
    SPOT,
    SPOT_MAKER_FEE,
    SPOT_TAKER_FEE,
    Market,
    now_ms,
)
from tests.fakes.bybit_state import HEDGE, ZERO, Account, Execution, Order, Position

_PRICE_PLACES = Decimal("0.00000001")
CANCEL_BY_USER, CANCEL_BY_REDUCE_ONLY = "CancelByUser", "CancelByReduceOnly"


@dataclass(frozen=True)
class Change:
    """One order event as the private stream shows it: the ``order`` item, the
    ``executions`` it made, the ``positions`` rows of its symbol (linear only) and the
    ``wallet`` (after a fill), all snapshotted when it happened."""

    api_key: str
    category: str
    symbol: str
    order: dict[str, Any]
    executions: list[dict[str, Any]]
    positions: list[dict[str, Any]]
    wallet: dict[str, Any] | None


def closable(account: Account, position: Position, side: str) -> Decimal:
    """Return how much of ``position`` an order of ``side`` would close (0: none)."""
    if account.position_mode == HEDGE:
        closing = (position.position_idx == 1) == (side == "Sell")
    else:
        closing = position.is_open and position.side != side
    return position.size if closing and position.is_open else ZERO


def must_reduce(account: Account, order: Order) -> bool:
    """Return True if ``order`` may only close: reduce-only, or a hedge-mode closing side."""
    if order.reduce_only:
        return True
    return account.position_mode == HEDGE and (order.position_idx == 1) == (order.side == "Sell")


class Fills:
    """Fill, cancel and record; the validation of new orders is in ``MatchingEngine``."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self.changes: list[Change] = []
        self.cancel_reduce_only_when_flat = True
        self._seq = itertools.count(1)

    # ----------------------------------------------------------------- recording

    def _note(self, account: Account, order: Order, fills: list[Execution]) -> None:
        """Snapshot what the order event changed (see ``Change``)."""
        positions = (frames.position_items(account, self.market, order.symbol)
                     if order.category == LINEAR else [])
        wallet = frames.wallet_item(account, self.market) if fills else None
        self.changes.append(Change(
            account.api_key, order.category, order.symbol, frames.order_item(order, fills),
            [frames.execution_item(f) for f in fills], positions, wallet))

    def take_changes(self) -> list[Change]:
        """Return and forget the changes recorded so far."""
        changes, self.changes = self.changes, []
        return changes

    # ------------------------------------------------------------------ cancelling

    def _cancel(self, account: Account, order: Order, cancel_type: str,
                reject_reason: str = "EC_NoError") -> None:
        order.status = "Cancelled"
        order.cancel_type, order.reject_reason = cancel_type, reject_reason
        order.updated_ms = now_ms()
        account.resting.pop(order.order_id, None)
        self._note(account, order, [])

    def _settle(self, account: Account, symbol: str) -> None:
        """After a linear fill: cancel reduce-only orders left with nothing to reduce."""
        if not self.cancel_reduce_only_when_flat:
            return
        for order in list(account.resting.values()):
            if order.category == LINEAR and order.symbol == symbol and order.reduce_only:
                position = account.position(symbol, order.position_idx)
                if not closable(account, position, order.side):
                    self._cancel(account, order, CANCEL_BY_REDUCE_ONLY)

    # --------------------------------------------------------------------- filling

    def _match(self, account: Account, order: Order, price: Decimal, *, maker: bool,
               base: Decimal | None = None) -> None:
        """Fill ``order`` at ``price`` as far as it can go, note each step, settle."""
        if order.category == SPOT:
            self._match_spot(account, order, price, maker=maker, base=base)
            return
        remaining = order.qty - order.cum_exec_qty
        position = account.position(order.symbol, order.position_idx)
        qty = remaining
        if must_reduce(account, order):
            qty = min(remaining, closable(account, position, order.side))
        if not qty:
            self._cancel(account, order, CANCEL_BY_REDUCE_ONLY)
            return
        if order.order_type == "Market" and qty < remaining:
            order.qty = order.cum_exec_qty + qty  # a reduce-only market order is capped
        fill = self._fill_linear(account, order, position, qty, price, maker=maker)
        if not order.is_open:
            account.resting.pop(order.order_id, None)
        self._note(account, order, [fill])
        if order.is_open:  # reduce-only, larger than what the position had left
            self._cancel(account, order, CANCEL_BY_REDUCE_ONLY)
        self._settle(account, order.symbol)

    def _fill_linear(self, account: Account, order: Order, position: Position, qty: Decimal,
                     price: Decimal, *, maker: bool) -> Execution:
        rate = LINEAR_MAKER_FEE if maker else LINEAR_TAKER_FEE
        close_qty = min(qty, closable(account, position, order.side))
        open_qty = qty - close_qty
        close_fee, open_fee = close_qty * price * rate, open_qty * price * rate
        pnl = ZERO
        if close_qty:
            direction = 1 if position.is_long else -1
            pnl = (price - position.avg_price) * close_qty * direction
            position.size -= close_qty
            position.cur_realised_pnl += pnl - close_fee
            if not position.is_open:
                position.side, position.avg_price = "", ZERO
                position.clear_stops()
        if open_qty:
            if not position.is_open:
                position.cur_realised_pnl = ZERO  # a new holding starts
            size = position.size + open_qty
            cost = position.avg_price * position.size + price * open_qty
            position.avg_price = (cost / size).quantize(_PRICE_PLACES).normalize()
            position.size, position.side = size, order.side
            position.cur_realised_pnl -= open_fee
            position.take_profit = order.take_profit or position.take_profit
            position.stop_loss = order.stop_loss or position.stop_loss
        realised = pnl - close_fee - open_fee
        position.cum_realised_pnl += realised
        position.updated_ms = now_ms()
        position.seq = seq = next(self._seq)  # the fill and the position share it
        account.balances["USDT"] = account.usdt + realised
        return self._record_fill(account, order, qty, price, close_fee + open_fee, rate, "USDT",
                                 close_qty, pnl, seq, maker=maker)

    def _match_spot(self, account: Account, order: Order, price: Decimal, *, maker: bool,
                    base: Decimal | None) -> None:
        coin = self.market.spot(order.symbol).base_coin
        base = order.qty if base is None else base
        value = base * price
        rate = SPOT_MAKER_FEE if maker else SPOT_TAKER_FEE
        if (order.side == "Buy" and value > account.usdt) or (
                order.side == "Sell" and base > account.balance(coin)):
            self._cancel(account, order, "UNKNOWN", "EC_Others")  # nothing was locked
            return
        if order.side == "Buy":
            fee, fee_coin = base * rate, coin
            account.balances["USDT"] = account.usdt - value
            account.balances[coin] = account.balance(coin) + base - fee
        else:
            fee, fee_coin = value * rate, "USDT"
            account.balances[coin] = account.balance(coin) - base
            account.balances["USDT"] = account.usdt + value - fee
        fill = self._record_fill(account, order, base, price, fee, rate, fee_coin, ZERO,
                                 maker=maker)
        account.resting.pop(order.order_id, None)
        self._note(account, order, [fill])

    def _record_fill(self, account: Account, order: Order, qty: Decimal, price: Decimal,
                     fee: Decimal, rate: Decimal, fee_coin: str, closed: Decimal,
                     pnl: Decimal = ZERO, seq: int | None = None, *,
                     maker: bool) -> Execution:
        stamp = now_ms()
        value = qty * price
        order.cum_exec_qty += qty
        order.cum_exec_value += value
        order.cum_exec_fee += fee
        order.closed_pnl += pnl
        order.avg_price = (order.cum_exec_value / order.cum_exec_qty).quantize(
            _PRICE_PLACES).normalize()
        closes = order.category == SPOT or order.cum_exec_qty >= order.qty  # spot: one fill
        order.status = "Filled" if closes else "PartiallyFilled"
        order.fee_currency, order.updated_ms = fee_coin, stamp
        fill = Execution(
            exec_id=str(uuid.uuid4()), order_id=order.order_id,
            order_link_id=order.order_link_id, category=order.category, symbol=order.symbol,
            side=order.side, order_type=order.order_type, order_qty=order.qty,
            exec_price=price, exec_qty=qty, exec_value=value, exec_fee=fee, fee_rate=rate,
            fee_currency=fee_coin, closed_size=closed, exec_ms=stamp,
            seq=next(self._seq) if seq is None else seq, exec_pnl=pnl,
            order_price=order.price, leaves_qty=order.leaves_qty,
            is_maker=maker, mark_price=self.market.price(order.symbol),
            stop_order_type=order.stop_order_type, create_type=order.create_type,
        )
        account.executions.append(fill)
        return fill
