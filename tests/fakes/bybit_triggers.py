"""What a price move sets off at the fake Bybit: resting limit orders and position triggers.

``Triggers`` is the part of ``MatchingEngine`` that ``FakeBybit.set_price`` runs. For every
account, in the order the move from the old price to the new one reaches them:

* a resting ``Limit`` order fills when the price crosses it (Buy at or below its price, Sell
  at or above) at its own price, as a maker (``LINEAR_MAKER_FEE`` / ``SPOT_MAKER_FEE``);
* a position's Full ``takeProfit`` / ``stopLoss`` (LastPrice) closes the whole position with a
  Market order at the new price: ``stopOrderType`` ``TakeProfit`` / ``StopLoss``,
  ``createType`` ``CreateByTakeProfit`` / ``CreateByStopLoss``, reduce-only,
  ``closeOnTrigger``, no orderLinkId;
* a trailing stop, once active (its ``activePrice`` reached, or at once without one), follows
  the best price and fires when the price comes back by ``trailingStop``
  (``TrailingStop`` / ``CreateByTrailingStop``, ``triggerPrice`` = its activePrice, or 0);
* a partial TP/SL closes its size (capped to the position) by Market, or places a reduce-only
  Limit order at its limit price (``PartialTakeProfit`` / ``CreateByPartialTakeProfit`` …).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from decimal import Decimal
from functools import partial

from tests.fakes.bybit_fills import Fills
from tests.fakes.bybit_market import LINEAR
from tests.fakes.bybit_rows import (
    PARTIAL_TAKE_PROFIT,
    STOP_LOSS,
    TAKE_PROFIT,
    TRAILING_STOP,
    ZERO,
    PartialStop,
)
from tests.fakes.bybit_state import Account, Order, Position

_Event = tuple[Decimal, int, Callable[[], None]]


def _reached(position: Position, kind: str, trigger: Decimal, price: Decimal) -> bool:
    """Return True if ``price`` reached a TP (profit side) or a stop (loss side)."""
    profit_side = kind in (TAKE_PROFIT, PARTIAL_TAKE_PROFIT)
    if profit_side == position.is_long:
        return price >= trigger
    return price <= trigger


def _crosses(order: Order, price: Decimal) -> bool:
    return price <= order.price if order.side == "Buy" else price >= order.price


class Triggers(Fills):
    """Run what a price move reaches; ``MatchingEngine`` adds placing and cancelling."""

    def _place_limit(self, account: Account, order: Order) -> None:
        """Defined by ``MatchingEngine``: fill a new Limit order at once or let it rest."""
        raise NotImplementedError

    def price_moved(self, accounts: list[Account], symbol: str, old: Decimal) -> set[str]:
        """Run every fill and trigger the move ``old`` → current price reaches; return the
        keys of the accounts that changed."""
        touched = set()
        for account in accounts:
            before = len(self.changes)
            self._sweep(account, symbol, old, self.market.price(symbol))
            if len(self.changes) > before:
                touched.add(account.api_key)
        return touched

    def _sweep(self, account: Account, symbol: str, old: Decimal, new: Decimal) -> None:
        order_of = itertools.count()
        events: list[_Event] = [
            (abs(order.price - old), next(order_of), partial(self._fill_resting, account, order))
            for order in list(account.resting.values())
            if order.symbol == symbol and _crosses(order, new)]
        rows = [row for (held, _), row in account.positions.items()
                if held == symbol and row.is_open]
        for row in rows:
            for trigger, run in self._position_events(account, row, new):
                events.append((abs(trigger - old), next(order_of), run))
        for _, _, run in sorted(events, key=lambda event: event[:2]):
            run()
        for row in rows:
            self._follow(row, new)

    def _fill_resting(self, account: Account, order: Order) -> None:
        if order.order_id in account.resting:  # not cancelled by an earlier event
            self._match(account, order, order.price, maker=True)

    def _position_events(self, account: Account, row: Position,
                         new: Decimal) -> list[tuple[Decimal, Callable[[], None]]]:
        found: list[tuple[Decimal, Callable[[], None]]] = []
        for kind, trigger in ((TAKE_PROFIT, row.take_profit), (STOP_LOSS, row.stop_loss),
                              (TRAILING_STOP, row.trailing_trigger())):
            if trigger and _reached(row, kind, trigger, new):
                found.append((trigger, partial(self._close_whole, account, row, kind)))
        for stop in row.partials:
            if _reached(row, stop.kind, stop.trigger, new):
                found.append((stop.trigger, partial(self._close_part, account, row, stop)))
        return found

    @staticmethod
    def _follow(row: Position, price: Decimal) -> None:
        """Activate a trailing stop whose activePrice was reached; track its best price."""
        if not row.is_open or not row.trailing_stop:
            return
        if not row.trailing_best:
            reached = price >= row.active_price if row.is_long else price <= row.active_price
            row.trailing_best = price if reached else row.trailing_best
        elif row.is_long:
            row.trailing_best = max(row.trailing_best, price)
        else:
            row.trailing_best = min(row.trailing_best, price)

    def _close_whole(self, account: Account, row: Position, kind: str) -> None:
        trigger = {TAKE_PROFIT: row.take_profit, STOP_LOSS: row.stop_loss,
                   TRAILING_STOP: row.active_price}[kind]
        if not row.is_open or (kind == TRAILING_STOP and not row.trailing_stop) or (
                kind != TRAILING_STOP and not trigger):
            return  # an earlier event of this move closed it or took the trigger away
        order = self._system_order(account, row, kind, row.size, trigger, "Market")
        self._match(account, order, self.market.price(row.symbol), maker=False)

    def _close_part(self, account: Account, row: Position, stop: PartialStop) -> None:
        if not row.is_open or stop not in row.partials:
            return
        row.partials.remove(stop)
        order = self._system_order(account, row, stop.kind, min(stop.size, row.size),
                                   stop.trigger, stop.order_type, stop.limit_price)
        order.tpsl_mode = "Partial"
        if stop.order_type == "Market":
            self._match(account, order, self.market.price(row.symbol), maker=False)
        else:
            self._place_limit(account, order)

    def _system_order(self, account: Account, row: Position, kind: str, qty: Decimal,
                      trigger: Decimal, order_type: str, price: Decimal | None = None) -> Order:
        """Create the reduce-only order Bybit makes when a TP/SL/trailing stop fires."""
        last = self.market.price(row.symbol)
        order = Order(
            order_id=str(uuid.uuid4()), order_link_id="", category=LINEAR, symbol=row.symbol,
            side="Sell" if row.is_long else "Buy", order_type=order_type, qty=qty,
            price=price or last, position_idx=row.position_idx, reduce_only=True,
            market_unit="", take_profit=ZERO, stop_loss=ZERO,
            time_in_force="IOC" if order_type == "Market" else "GTC", last_price=last,
            stop_order_type=kind, create_type=f"CreateBy{kind}", trigger_price=trigger,
            trigger_by="LastPrice", close_on_trigger=True, tpsl_mode="Full")
        account.orders[order.order_id] = order
        return order
