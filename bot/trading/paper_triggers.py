"""Paper positions on live prices: their symbols watched, their take-profits and stop-losses hit.

Every open paper position's symbol is watched on the public tickers, so paper orders fill at
the live price and dashboards show a live mark. A position with a take-profit or a stop-loss
is indexed by symbol; when a tick reaches one (Bybit triggers on the last price: a long's
take-profit at or above it, its stop at or below; a short the mirror), a close is journaled
for the position's owner — route `take_profit` or `stop_loss`, the tick's price on it — and
handed to their lane. It then runs like any alert: once, in order, recorded, and told in
Telegram and on the dashboard.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Coroutine
from dataclasses import replace
from decimal import Decimal
from typing import Any

from bot.db import Journal, JournalEntry, UserRepo
from bot.db.core import Database
from bot.db.paper import (
    PaperBook,
    PaperExits,
    RestingOrder,
    open_symbols,
    protected_positions,
    resting_orders,
)
from bot.events import EventHub, signal_event
from bot.signals import Signal
from bot.trading.dispatcher import Job
from bot.trading.exchanges.paper import PaperExchange
from bot.trading.keeper import ExitKeeper
from bot.trading.streams.tickers import Ticker, TickerFeed
from bot.vocabulary import AccountType, Category, MarketType, Side

log = logging.getLogger(__name__)

RETRIGGER_AFTER_S = 30.0  # a trigger whose close changed nothing may fire again after this

# Also the journal's route for the close each one fires.
TAKE_PROFIT, STOP_LOSS, TRAILING_STOP = "take_profit", "stop_loss", "trailing_stop"


def hit(protection: PaperExits, price: Decimal) -> str | None:
    """Which exit `price` reaches, if any (a stop wins when both would)."""
    long = protection.side == Side.BUY
    stop, target = protection.stop_loss, protection.take_profit
    if stop is not None and (price <= stop if long else price >= stop):
        return STOP_LOSS
    trailing = trailing_stop(protection)
    if trailing is not None and (price <= trailing if long else price >= trailing):
        return TRAILING_STOP
    if target is not None and (price >= target if long else price <= target):
        return TAKE_PROFIT
    return None


def trailing_stop(protection: PaperExits) -> Decimal | None:
    """Where the trailing stop stands: its distance behind the best price since it started."""
    if protection.trailing is None or protection.best is None:
        return None
    if protection.side == Side.BUY:
        return protection.best - protection.trailing
    return protection.best + protection.trailing


def advance(protection: PaperExits, price: Decimal) -> PaperExits:
    """The trailing stop after `price`: started once the activation price is reached, and
    its best price only ever moving in the trade's favour."""
    if protection.trailing is None:
        return protection
    long = protection.side == Side.BUY
    start = protection.activation
    if protection.best is None and start is not None and (price < start if long
                                                          else price > start):
        return protection  # not active yet
    best = protection.best
    if best is None or (price > best if long else price < best):
        return replace(protection, best=price, activation=None)
    return protection


class PaperTriggers:
    """Watches paper positions' symbols and fires their exits."""

    def __init__(self, db: Database, users: UserRepo, journal: Journal, feed: TickerFeed,
                 submit: Callable[[Job], bool], events: EventHub, *,
                 start_usdt: Decimal, keeper: ExitKeeper | None = None,
                 paper: Callable[[int], PaperExchange] | None = None) -> None:
        self._db = db
        self._keeper = keeper
        self._paper = paper
        self._resting: dict[str, dict[str, RestingOrder]] = {}  # symbol → link → order
        self._filling: set[str] = set()
        self._events = events
        self._users = users
        self._journal = journal
        self._feed = feed
        self._submit = submit
        self._start = start_usdt
        self._guards: dict[str, dict[int, PaperExits]] = {}  # symbol → user → exits
        self._fired: dict[tuple[int, str], float] = {}  # in flight, since
        self._tasks: set[asyncio.Task[None]] = set()
        self.fired = 0
        feed.add_listener(self.on_tick)

    async def start(self) -> None:
        for user_id, symbol in await self._db.read(open_symbols):
            self._feed.watch(Category.LINEAR, symbol, ("paper", user_id))
        for protection in await self._db.read(protected_positions):
            self._guards.setdefault(protection.symbol, {})[protection.user_id] = protection
        for order in await self._db.read(resting_orders):
            self._resting.setdefault(order.symbol, {})[order.order_link_id] = order

    def changed(self, user_id: int, symbol: str) -> None:
        """A paper fill moved `user_id`'s `symbol`: read its position again."""
        self._spawn(self._refresh(user_id, symbol))

    async def _refresh(self, user_id: int, symbol: str) -> None:
        def read(conn: sqlite3.Connection
                 ) -> tuple[bool, PaperExits | None, list[RestingOrder]]:
            book = PaperBook(conn, user_id, self._start)
            return (book.position(symbol) is not None, book.protection(symbol),
                    book.resting(symbol))

        held, protection, resting = await self._db.read(read)
        orders = self._resting.setdefault(symbol, {})
        for link in [link for link, o in orders.items() if o.user_id == user_id]:
            del orders[link]
        orders.update({o.order_link_id: o for o in resting})
        if not held and resting and self._keeper is not None and self._paper is not None:
            await self._keeper.flat(self._paper(user_id), user_id, AccountType.PAPER, symbol)
        owner = ("paper", user_id)
        if held:
            self._feed.watch(Category.LINEAR, symbol, owner)
        else:
            self._feed.unwatch(Category.LINEAR, symbol, owner)
        guards = self._guards.setdefault(symbol, {})
        if protection is None:
            guards.pop(user_id, None)
        else:
            guards[user_id] = protection
        if not guards:
            self._guards.pop(symbol, None)
        self._fired.pop((user_id, symbol), None)

    def on_tick(self, category: Category, ticker: Ticker) -> None:
        if category != Category.LINEAR:
            return
        now = time.monotonic()
        self._fill_targets(ticker)
        guards = self._guards.get(ticker.symbol, {})
        for user_id, protection in list(guards.items()):
            moved = advance(protection, ticker.last)
            if moved != protection:
                guards[user_id] = protection = moved
                self._spawn(self._keep_best(protection))
            kind = hit(protection, ticker.last)
            since = self._fired.get((user_id, ticker.symbol))
            if kind is None or (since is not None and now - since < RETRIGGER_AFTER_S):
                continue
            self._fired[(user_id, ticker.symbol)] = now
            self._spawn(self._fire(protection, kind, ticker.last))

    def _fill_targets(self, ticker: Ticker) -> None:
        """Resting targets the price reached: a long's (sells) at or below it, a short's
        (buys) at or above it."""
        for link, order in list(self._resting.get(ticker.symbol, {}).items()):
            reached = ticker.last >= order.price if order.side == Side.SELL \
                else ticker.last <= order.price
            if reached and link not in self._filling:
                self._filling.add(link)
                self._spawn(self._fill(order))

    async def _fill(self, order: RestingOrder) -> None:
        try:
            if self._paper is None or self._keeper is None:
                return
            exchange = self._paper(order.user_id)
            result = await exchange.fill_resting(order)
            if result is not None:
                await self._keeper.target_filled(exchange, order.user_id, result)
        finally:
            self._filling.discard(order.order_link_id)

    async def _keep_best(self, protection: PaperExits) -> None:
        if protection.best is None:
            return
        best = protection.best
        await self._db.write(lambda conn: PaperBook(conn, protection.user_id, self._start)
                             .set_best(protection.symbol, best))

    async def _fire(self, protection: PaperExits, kind: str, price: Decimal) -> None:
        user_id, symbol = protection.user_id, protection.symbol
        settings = await self._users.get_settings(user_id)
        if (settings.account_type != AccountType.PAPER
                or settings.market_type != MarketType.FUTURES):
            # The trader moved on to another account or market: a paper exit must never
            # close anything there. Their paper position keeps its exits for when they return.
            log.info("user=%s paper %s %s reached at %s, but the account is now %s %s; "
                     "not closed", user_id, symbol, kind, price, settings.account_type,
                     settings.market_type)
            return
        level = {TAKE_PROFIT: protection.take_profit, STOP_LOSS: protection.stop_loss,
                 TRAILING_STOP: trailing_stop(protection)}[kind]
        signal = Signal(symbol=symbol, action="close", price=price)
        raw = json.dumps({"trigger": kind, "symbol": symbol, "level": str(level),
                          "price": str(price)})
        received = time.time()
        entry = JournalEntry(user_id, kind, None, raw, signal, None, received)
        journaled = await self._journal.record(entry)
        log.info("signal=%s user=%s paper %s of %s %s reached at %s (level %s): closing",
                 journaled.signal_id, user_id, kind.replace("_", "-"), protection.side.direction,
                 symbol, price, level)
        self.fired += 1
        self._events.publish(user_id, signal_event(journaled.signal_id, journaled.status, signal,
                                                   route=kind))
        self._submit(Job(journaled.signal_id, user_id, signal, received, route=kind))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("paper trigger failed", exc_info=task.exception())

    async def idle(self) -> None:
        """Wait until every trigger that fired has been journaled and handed over."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
