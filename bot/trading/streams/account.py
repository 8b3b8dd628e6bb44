"""One Bybit account as its private stream tells it: positions, orders, wallet.

The stream itself (its connection, authentication and resync) is bot/trading/streams/private.py.

`AccountState` keeps what the `position`, `order` and `wallet` topics pushed, and answers only
what it knows to be current: nothing before the stream is synced (authenticated, subscribed,
and re-read over REST once), nothing for a symbol whose position mode it never saw, and nothing
about a position in the moment between our own fill and the position message that follows it
— then the caller waits a little, or reads REST. A dead stream unsyncs the state at once.

Every item carries Bybit's `updatedTime`; an item older than what is known is ignored, so
messages and REST snapshots may arrive in any order.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from bot.trading.exchanges.bybit_parse import (
    FINAL_STATUSES,
    Item,
    PositionRow,
    parse_order,
    parse_position,
    parse_wallet,
    updated_ms,
)
from bot.trading.models import Balance, OrderResult, Position, PositionBook
from bot.trading.streams.connection import Message
from bot.vocabulary import Category, Side

log = logging.getLogger(__name__)

KEPT_ORDERS = 500  # orders remembered per account (ours are looked up within seconds)
# Bybit's stopOrderType of the orders its own exits make, in our words.
TRIGGERS = {"StopLoss": "stop_loss", "PartialStopLoss": "stop_loss",
            "TakeProfit": "take_profit", "PartialTakeProfit": "take_profit",
            "TrailingStop": "trailing_stop"}

Snapshot = tuple[list[Item], list[Item]]  # REST: open positions, open orders
Held = tuple[str, int]  # an open position: symbol, positionIdx


class AccountWatcher(Protocol):
    """Told, on the event loop, what changed in the account (must not block)."""

    def held_changed(self, before: set[Held], after: set[Held]) -> None:
        """The open positions changed: (symbol, positionIdx), so that in hedge mode one side
        going flat is told while the other stays open."""
        ...

    def order_final(self, result: OrderResult, symbol: str) -> None:
        """An order with an orderLinkId reached its final state."""
        ...

    def exit_triggered(self, result: OrderResult, symbol: str, kind: str,
                       pnl: Decimal | None) -> None:
        """Bybit closed (part of) a position by its own stop-loss, take-profit or trailing
        stop (`kind`: stop_loss, take_profit, trailing_stop); `pnl` as Bybit reports it."""
        ...


@dataclass(frozen=True)
class _Order:
    result: OrderResult
    symbol: str
    category: str
    final: bool
    updated: int


class AccountState:
    """What the stream said about one account, and whether it can be trusted now."""

    def __init__(self) -> None:
        self._synced = asyncio.Event()
        self._rows: dict[tuple[str, int], PositionRow] = {}
        self._hedge: dict[str, bool] = {}  # position mode per symbol, once seen
        self._orders: OrderedDict[str, _Order] = OrderedDict()
        self._order_waiters: dict[str, list[asyncio.Future[OrderResult]]] = {}
        self._pending: dict[str, int] = {}  # symbol → our fill's time, until its position row
        self._fill_seq: dict[str, int] = {}  # symbol → seq of our latest fill (execution)
        self._position_waiters: dict[str, list[asyncio.Future[None]]] = {}
        self._wallet: dict[str, Balance] = {}
        self.watchers: list[AccountWatcher] = []

    @property
    def synced(self) -> bool:
        """Connected, subscribed and re-read over REST: what it says is current."""
        return self._synced.is_set()

    async def wait_synced(self, timeout: float) -> bool:
        try:
            async with asyncio.timeout(timeout):
                await self._synced.wait()
        except TimeoutError:
            return False
        return True

    # --- answers -----------------------------------------------------------------------------

    async def book(self, symbol: str, *, wait_s: float) -> PositionBook | None:
        """The symbol's rows if they are current; None means: read REST."""
        if not self.synced or symbol not in self._hedge:
            return None
        if symbol in self._pending:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._position_waiters.setdefault(symbol, []).append(waiter)
            try:
                async with asyncio.timeout(wait_s):
                    await waiter
            except TimeoutError:
                return None
            if not self.synced:
                return None
        rows = [row for (sym, _), row in self._rows.items() if sym == symbol]
        leverage = next((row.leverage for row in rows if row.leverage is not None), None)
        return PositionBook(symbol, self._hedge[symbol],
                            tuple(row.position for row in rows if row.position is not None),
                            leverage)

    def open_positions(self) -> list[Position] | None:
        if not self.synced:
            return None
        return [row.position for row in self._rows.values() if row.position is not None]

    def held_symbols(self) -> set[str]:
        return {symbol for symbol, _ in self.held()}

    def held(self) -> set[Held]:
        return {key for key, row in self._rows.items() if row.position is not None}

    def balance(self, coin: str) -> Balance | None:
        return self._wallet.get(coin) if self.synced else None

    def order(self, link: str) -> OrderResult | None:
        known = self._orders.get(link)
        return known.result if known is not None and known.final else None

    def unfinished(self) -> list[tuple[str, str]]:
        """(symbol, orderLinkId) of the linear orders last seen open: after a gap, those not
        open any more ended unseen (the resync looks them up)."""
        return [(order.symbol, link) for link, order in self._orders.items()
                if not order.final and order.category in (Category.LINEAR, "")]

    async def wait_order(self, link: str, timeout: float) -> OrderResult | None:
        """The order's final state as the stream reports it, or None within `timeout`."""
        known = self.order(link)
        if known is not None:
            return known
        waiter: asyncio.Future[OrderResult] = asyncio.get_running_loop().create_future()
        self._order_waiters.setdefault(link, []).append(waiter)
        try:
            async with asyncio.timeout(timeout):
                return await waiter
        except TimeoutError:
            return None
        finally:
            waiters = self._order_waiters.get(link, [])
            if waiter in waiters:
                waiters.remove(waiter)
            if not waiters:
                self._order_waiters.pop(link, None)

    # --- what arrives ------------------------------------------------------------------------

    def apply(self, message: Message) -> None:
        """One topic message from the stream."""
        topic, data = message.get("topic"), message.get("data")
        if not isinstance(data, list):
            return
        if topic == "position":
            self.apply_positions(data)
        elif topic == "order":
            for item in data:
                self.apply_order(item)
        elif topic == "execution":
            for item in data:
                self._apply_execution(item)
        elif topic == "wallet":
            for account in data:
                self._wallet.update(parse_wallet(account))

    def apply_positions(self, items: list[Item]) -> None:
        held = self.held()
        for item in items:
            if item.get("category", "linear") != "linear":
                continue
            row = parse_position(item)
            if not row.symbol:
                continue
            self._hedge[row.symbol] = row.hedge
            known = self._rows.get((row.symbol, row.position_idx))
            if known is not None and known.updated > row.updated:
                continue  # older than what we know
            self._rows[(row.symbol, row.position_idx)] = row
            pending = self._pending.get(row.symbol)
            fill_seq = self._fill_seq.get(row.symbol, 0)
            if pending is not None and (row.updated >= pending
                                        or (fill_seq and row.seq >= fill_seq)):
                self._release(row.symbol)
        self._held_changed(held)

    def apply_order(self, item: Item) -> None:
        link = item.get("orderLinkId") or ""
        if item.get("side") not in ("Buy", "Sell"):
            return
        if not link:
            self._apply_trigger(item)
            return
        updated = updated_ms(item)
        known = self._orders.get(link)
        if known is not None and known.updated > updated:
            return
        order = _Order(parse_order(item), item.get("symbol", ""), item.get("category", ""),
                       item.get("orderStatus") in FINAL_STATUSES, updated)
        self._orders[link] = order
        self._orders.move_to_end(link)
        while len(self._orders) > KEPT_ORDERS:
            self._orders.popitem(last=False)
        if not order.final:
            return
        if order.category == Category.LINEAR and order.result.filled_qty > 0:
            self._expect_position(order.symbol, updated)
        for waiter in self._order_waiters.pop(link, []):
            if not waiter.done():
                waiter.set_result(order.result)
        if known is None or not known.final:  # once: Bybit may repeat a Filled
            for watcher in self.watchers:
                watcher.order_final(order.result, order.symbol)

    def _apply_execution(self, item: Item) -> None:
        """Our fills' seq: the position row with the same (or a later) seq includes them."""
        symbol = item.get("symbol", "")
        try:
            seq = int(item.get("seq") or 0)
        except (TypeError, ValueError):
            return
        if symbol and seq and item.get("orderLinkId"):
            self._fill_seq[symbol] = max(seq, self._fill_seq.get(symbol, 0))
            row_seq = max((row.seq for (sym, _), row in self._rows.items() if sym == symbol),
                          default=0)
            if symbol in self._pending and row_seq >= seq:
                self._release(symbol)

    def _apply_trigger(self, item: Item) -> None:
        """An order Bybit made itself: tell the watchers when a stop or target filled."""
        kind = TRIGGERS.get(item.get("stopOrderType") or "")
        key = f"id:{item.get('orderId')}"
        if kind is None or item.get("orderStatus") not in FINAL_STATUSES or key in self._orders:
            return
        result = parse_order(item)
        if result.filled_qty <= 0:
            return
        symbol = item.get("symbol", "")
        self._orders[key] = _Order(result, symbol, item.get("category", ""), True,
                                   updated_ms(item))
        pnl = item.get("closedPnl")
        for watcher in self.watchers:
            watcher.exit_triggered(result, symbol, kind,
                                   None if pnl in (None, "") else Decimal(str(pnl)))

    def _release(self, symbol: str) -> None:
        """The symbol's rows include our fill: the book is current again."""
        self._pending.pop(symbol, None)
        for waiter in self._position_waiters.pop(symbol, []):
            if not waiter.done():
                waiter.set_result(None)

    def _expect_position(self, symbol: str, since: int) -> None:
        """Our fill moved the position; until its row arrives, the book is not current."""
        latest = max((row.updated for (sym, _), row in self._rows.items() if sym == symbol),
                     default=0)
        if latest < since:
            self._pending[symbol] = since

    def apply_snapshot(self, snapshot: Snapshot, started_ms: int) -> None:
        """The REST resync after a (re)connect: open positions and open orders.

        Rows the snapshot leaves out are flat now — unless the stream changed them after the
        snapshot was asked for.
        """
        positions, orders = snapshot
        held = self.held()
        seen = set()
        for item in positions:
            row = parse_position(item)
            seen.add((row.symbol, row.position_idx))
        for key, row in list(self._rows.items()):
            if key not in seen and row.position is not None and row.updated < started_ms:
                self._rows[key] = PositionRow(row.symbol, row.position_idx, None, row.leverage,
                                              started_ms)
        self.apply_positions(positions)
        for item in orders:
            self.apply_order(item)
        self._pending.clear()
        self._synced.set()
        self._held_changed(held)

    def learn_rows(self, items: list[Item]) -> None:
        """Rows read over REST (a symbol's whole list, flat rows included): the mode too."""
        self.apply_positions(items)

    def unsync(self) -> None:
        self._synced.clear()
        # The wallet topic sends no snapshot and the resync does not read it: a balance
        # pushed before the gap is not current after it; REST answers until the next push.
        self._wallet.clear()
        for waiters in self._position_waiters.values():
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)
        self._position_waiters.clear()

    def break_even(self, symbol: str, side: Side) -> Decimal | None:
        """Bybit's break-even price of the symbol's open position facing `side` (entry with
        fees): in hedge mode the other side's row is another position."""
        return next((row.position.break_even for (sym, _), row in self._rows.items()
                     if sym == symbol and row.position is not None
                     and row.position.side == side), None)

    def _held_changed(self, before: set[Held]) -> None:
        after = self.held()
        if after != before:
            for watcher in self.watchers:
                watcher.held_changed(before, after)
