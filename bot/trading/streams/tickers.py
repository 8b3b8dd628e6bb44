"""Live prices: Bybit's public `tickers.<SYMBOL>` for every symbol somebody watches.

One public connection per category (linear, spot), opened when the first symbol is watched
(its openings ahead of the private streams' in the budget of openings, `budget.py`).
Watchers are counted per symbol — an open position, a paper account, an open dashboard — and
a symbol is subscribed while anybody watches it and unsubscribed when the last one stops. A
price is only ever given from a connection that is up and has sent that symbol's snapshot;
otherwise `price()` says None and the caller asks REST, so a dead feed never prices an order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import aiohttp

from bot.trading.streams.budget import OpeningBudget
from bot.trading.streams.connection import BACKOFF_S, Hello, Message, StreamConnection
from bot.trading.streams.urls import public_url
from bot.vocabulary import Category

log = logging.getLogger(__name__)

SUBSCRIBE_CHUNK = 10  # Bybit: at most 10 args per public subscribe request (spot)


@dataclass(frozen=True)
class Ticker:
    symbol: str
    last: Decimal
    mark: Decimal | None  # linear only


Listener = Callable[[Category, Ticker], None]


class TickerFeed:
    """The public streams of one server: subscribe by use, remember the latest tick."""

    def __init__(self, stream_url: str, session: aiohttp.ClientSession, *,
                 ping_interval_s: float = 20.0, ping_timeout_s: float = 10.0,
                 backoff_s: tuple[float, ...] = BACKOFF_S,
                 budget: OpeningBudget | None = None) -> None:
        self._stream_url = stream_url
        self._budget = budget
        self._session = session
        self._ping = (ping_interval_s, ping_timeout_s)
        self._backoff = backoff_s
        self._connections: dict[Category, StreamConnection] = {}
        self._watchers: dict[tuple[Category, str], set[Hashable]] = {}
        self._tickers: dict[tuple[Category, str], Ticker] = {}
        self._listeners: list[Listener] = []

    def add_listener(self, listener: Listener) -> None:
        """Call `listener(category, ticker)` on the event loop for every tick."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def price(self, category: Category, symbol: str) -> Decimal | None:
        """The last traded price from a live stream, or None (then ask REST)."""
        ticker = self._tickers.get((category, symbol))
        return ticker.last if ticker is not None else None

    def ticker(self, category: Category, symbol: str) -> Ticker | None:
        return self._tickers.get((category, symbol))

    def watched(self, category: Category) -> set[str]:
        return {symbol for (cat, symbol) in self._watchers if cat == category}

    def watch(self, category: Category, symbol: str, owner: Hashable) -> None:
        """`owner` uses `symbol`'s price: subscribe it if nobody did yet."""
        owners = self._watchers.setdefault((category, symbol), set())
        first = not owners
        owners.add(owner)
        if first:
            connection = self._connection(category)
            self._request(connection, "subscribe", [symbol])

    def unwatch(self, category: Category, symbol: str, owner: Hashable) -> None:
        """`owner` no longer needs the price; the last one out unsubscribes."""
        owners = self._watchers.get((category, symbol))
        if owners is None:
            return
        owners.discard(owner)
        if not owners:
            del self._watchers[(category, symbol)]
            self._tickers.pop((category, symbol), None)
            connection = self._connections.get(category)
            if connection is not None:
                self._request(connection, "unsubscribe", [symbol])

    def status(self) -> dict[str, Any]:
        return {str(category): {"connected": c.connected, "reconnects": c.reconnects,
                                "held": c.held, "symbols": len(self.watched(category))}
                for category, c in self._connections.items()}

    async def close(self) -> None:
        for connection in self._connections.values():
            await connection.close()
        self._connections.clear()
        self._tickers.clear()

    # --- the connections ---------------------------------------------------------------------

    def _connection(self, category: Category) -> StreamConnection:
        connection = self._connections.get(category)
        if connection is None:
            connection = StreamConnection(
                f"public-{category}", public_url(self._stream_url, category), self._session,
                hello=lambda hello: self._hello(category, hello),
                on_message=lambda message: self._on_message(category, message),
                on_down=lambda: self._forget(category), budget=self._budget, urgent=True,
                ping_interval_s=self._ping[0], ping_timeout_s=self._ping[1],
                backoff_s=self._backoff)
            self._connections[category] = connection
            connection.start()
        return connection

    def _request(self, connection: StreamConnection, op: str, symbols: list[str]) -> None:
        """Subscribe or unsubscribe now if the connection is up; else its next hello will."""
        if not connection.connected:
            return
        task = asyncio.create_task(connection.send_request(op, _topics(symbols)))
        task.add_done_callback(lambda done: done.exception() if not done.cancelled() else None)

    async def _hello(self, category: Category, hello: Hello) -> None:
        # Until the connection is up `watch` leaves subscribing to the hello: a symbol watched
        # while the hello waits for an answer is subscribed here too, not at the next one.
        sent: set[str] = set()
        while symbols := sorted(self.watched(category) - sent)[:SUBSCRIBE_CHUNK]:
            await hello.request("subscribe", _topics(symbols))
            sent.update(symbols)

    def _forget(self, category: Category) -> None:
        """The connection is down: none of its prices may be used any more."""
        for key in [key for key in self._tickers if key[0] == category]:
            del self._tickers[key]

    def _on_message(self, category: Category, message: Message) -> None:
        topic = str(message.get("topic", ""))
        data = message.get("data")
        if not topic.startswith("tickers.") or not isinstance(data, dict):
            return
        symbol = topic.removeprefix("tickers.")
        if (category, symbol) not in self._watchers:
            return  # a late message for a symbol just unsubscribed
        known = self._tickers.get((category, symbol))
        if message.get("type") != "snapshot" and known is None:
            return  # a delta before its snapshot: wait for the snapshot
        last = _decimal(data.get("lastPrice")) or (known.last if known else None)
        if last is None:
            return
        mark = _decimal(data.get("markPrice")) or (known.mark if known else None)
        ticker = Ticker(symbol, last, mark)
        self._tickers[(category, symbol)] = ticker
        for listener in self._listeners:
            try:
                listener(category, ticker)
            except Exception:
                log.exception("a ticker listener failed on %s %s", category, symbol)


def _topics(symbols: list[str]) -> list[Any]:
    return [f"tickers.{symbol}" for symbol in symbols]


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    number = Decimal(str(value))
    return number if number > 0 else None
