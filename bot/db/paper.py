"""The paper exchange's ledger: balances, positions, leverage and fills of one user.

`PaperBook` wraps a `sqlite3.Connection` inside one write (or read) operation, so a simulated
fill changes balance, position and fill log atomically.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from decimal import Decimal

from bot.vocabulary import Category, Side
from bot.wire import stored_decimal


@dataclass(frozen=True)
class PaperPosition:
    symbol: str
    side: Side
    size: Decimal
    avg_price: Decimal
    leverage: int


@dataclass(frozen=True)
class PaperFill:
    order_link_id: str
    order_id: str
    category: Category
    symbol: str
    side: Side
    qty: Decimal
    price: Decimal
    fee: Decimal
    fee_currency: str
    realised_pnl: Decimal
    reduce_only: bool
    created_at: float = 0.0


class PaperBook:
    """Synchronous ledger access for one user, used inside a database operation."""

    def __init__(self, conn: sqlite3.Connection, user_id: int, start_usdt: Decimal) -> None:
        self._conn = conn
        self.user_id = user_id
        self._start = start_usdt

    def balance(self, coin: str) -> Decimal:
        row = self._conn.execute("SELECT amount FROM paper_balances WHERE user_id = ? AND"
                                 " coin = ?", (self.user_id, coin)).fetchone()
        if row is not None:
            return Decimal(row[0])
        return self._start if coin == "USDT" else Decimal(0)

    def set_balance(self, coin: str, amount: Decimal) -> None:
        self._conn.execute(
            "INSERT INTO paper_balances (user_id, coin, amount) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id, coin) DO UPDATE SET amount = excluded.amount",
            (self.user_id, coin, str(amount)))

    def position(self, symbol: str) -> PaperPosition | None:
        row = self._conn.execute("SELECT * FROM paper_positions WHERE user_id = ? AND"
                                 " symbol = ?", (self.user_id, symbol)).fetchone()
        if row is None:
            return None
        return _position(row)

    def positions(self) -> list[PaperPosition]:
        rows = self._conn.execute("SELECT * FROM paper_positions WHERE user_id = ?"
                                  " ORDER BY symbol", (self.user_id,)).fetchall()
        return [_position(row) for row in rows]

    def save_position(self, position: PaperPosition, *, take_profit: Decimal | None = None,
                      stop_loss: Decimal | None = None) -> None:
        if position.size <= 0:
            self._conn.execute("DELETE FROM paper_positions WHERE user_id = ? AND symbol = ?",
                               (self.user_id, position.symbol))
            return
        self._conn.execute(
            "INSERT INTO paper_positions (user_id, symbol, side, size, avg_price, leverage,"
            " take_profit, stop_loss, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id, symbol) DO UPDATE SET side = excluded.side,"
            " size = excluded.size, avg_price = excluded.avg_price,"
            " leverage = excluded.leverage,"
            " take_profit = COALESCE(excluded.take_profit, paper_positions.take_profit),"
            " stop_loss = COALESCE(excluded.stop_loss, paper_positions.stop_loss),"
            " updated_at = excluded.updated_at",
            (self.user_id, position.symbol, position.side, str(position.size),
             str(position.avg_price), position.leverage,
             None if take_profit is None else str(take_profit),
             None if stop_loss is None else str(stop_loss), time.time()))

    def protection(self, symbol: str) -> PaperExits | None:
        """The open position's take-profit and stop-loss, if it has either."""
        row = self._conn.execute(
            "SELECT * FROM paper_positions WHERE user_id = ? AND symbol = ? AND"
            " (take_profit IS NOT NULL OR stop_loss IS NOT NULL OR trailing IS NOT NULL)",
            (self.user_id, symbol)).fetchone()
        return None if row is None else _protection(row)

    def protect(self, symbol: str, *, stop_loss: Decimal | None, take_profit: Decimal | None,
                trailing: Decimal | None, activation: Decimal | None) -> bool:
        """Set the open position's exits (None keeps one, 0 removes it); False if flat."""
        row = self._conn.execute("SELECT * FROM paper_positions WHERE user_id = ? AND"
                                 " symbol = ?", (self.user_id, symbol)).fetchone()
        if row is None:
            return False

        def value(new: Decimal | None, column: str) -> str | None:
            if new is None:
                return row[column]
            return None if new == 0 else str(new)

        trailing_text = value(trailing, "trailing")
        self._conn.execute(
            "UPDATE paper_positions SET stop_loss = ?, take_profit = ?, trailing = ?,"
            " activation = ?, best = ?, updated_at = ? WHERE user_id = ? AND symbol = ?",
            (value(stop_loss, "stop_loss"), value(take_profit, "take_profit"), trailing_text,
             value(activation, "activation"),
             row["best"] if trailing is None else None, time.time(), self.user_id, symbol))
        return True

    def rest(self, order: RestingOrder) -> None:
        """Keep a reduce-only limit order until a tick reaches it (or it is cancelled)."""
        self._conn.execute(
            "INSERT OR IGNORE INTO paper_orders (user_id, order_link_id, symbol, side, qty,"
            " price, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self.user_id, order.order_link_id, order.symbol, order.side, str(order.qty),
             str(order.price), time.time()))

    def cancel(self, order_link_ids: list[str]) -> None:
        self._conn.executemany("DELETE FROM paper_orders WHERE user_id = ? AND"
                               " order_link_id = ?",
                               [(self.user_id, link) for link in order_link_ids])

    def resting(self, symbol: str) -> list[RestingOrder]:
        rows = self._conn.execute("SELECT * FROM paper_orders WHERE user_id = ? AND"
                                  " symbol = ? ORDER BY created_at", (self.user_id, symbol))
        return [_resting(row) for row in rows]

    def set_best(self, symbol: str, best: Decimal) -> None:
        """A trailing stop's best price so far (it only ever moves in the trade's favour)."""
        self._conn.execute("UPDATE paper_positions SET best = ?, activation = NULL"
                           " WHERE user_id = ? AND symbol = ?", (str(best), self.user_id,
                                                                  symbol))

    def leverage(self, symbol: str) -> int | None:
        row = self._conn.execute("SELECT leverage FROM paper_leverage WHERE user_id = ? AND"
                                 " symbol = ?", (self.user_id, symbol)).fetchone()
        return None if row is None else row[0]

    def set_leverage(self, symbol: str, leverage: int) -> None:
        self._conn.execute(
            "INSERT INTO paper_leverage (user_id, symbol, leverage) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id, symbol) DO UPDATE SET leverage = excluded.leverage",
            (self.user_id, symbol, leverage))

    def fill(self, order_link_id: str) -> PaperFill | None:
        row = self._conn.execute("SELECT * FROM paper_fills WHERE user_id = ? AND"
                                 " order_link_id = ?", (self.user_id, order_link_id)).fetchone()
        return None if row is None else _fill(row)

    def fills(self, limit: int = 500) -> list[PaperFill]:
        rows = self._conn.execute("SELECT * FROM paper_fills WHERE user_id = ? ORDER BY id"
                                  " DESC LIMIT ?", (self.user_id, limit)).fetchall()
        return [_fill(row) for row in reversed(rows)]

    def add_fill(self, fill: PaperFill) -> None:
        self._conn.execute(
            "INSERT INTO paper_fills (user_id, order_link_id, order_id, category, symbol, side,"
            " qty, price, fee, fee_currency, realised_pnl, reduce_only, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.user_id, fill.order_link_id, fill.order_id, fill.category, fill.symbol,
             fill.side, str(fill.qty), str(fill.price), str(fill.fee), fill.fee_currency,
             str(fill.realised_pnl), int(fill.reduce_only), fill.created_at or time.time()))


@dataclass(frozen=True)
class RestingOrder:
    """A paper reduce-only limit order (a take-profit target) waiting for its price."""

    user_id: int
    order_link_id: str
    symbol: str
    side: Side
    qty: Decimal
    price: Decimal


def resting_orders(conn: sqlite3.Connection) -> list[RestingOrder]:
    """Every paper account's resting orders."""
    return [_resting(row) for row in conn.execute("SELECT * FROM paper_orders")]


def _resting(row: sqlite3.Row) -> RestingOrder:
    return RestingOrder(row["user_id"], row["order_link_id"], row["symbol"], Side(row["side"]),
                        Decimal(row["qty"]), Decimal(row["price"]))


@dataclass(frozen=True)
class PaperExits:
    """A paper position's exits, watched on the ticks."""

    user_id: int
    symbol: str
    side: Side
    take_profit: Decimal | None
    stop_loss: Decimal | None
    trailing: Decimal | None = None  # distance
    activation: Decimal | None = None  # the price it starts at; None: started
    best: Decimal | None = None  # the best price since it started


def protected_positions(conn: sqlite3.Connection) -> list[PaperExits]:
    """Every open paper position of every user that has a take-profit or a stop-loss."""
    rows = conn.execute(
        "SELECT * FROM paper_positions WHERE take_profit IS NOT NULL"
        " OR stop_loss IS NOT NULL OR trailing IS NOT NULL").fetchall()
    return [_protection(row) for row in rows]


def open_symbols(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """(user, symbol) of every open paper position."""
    return [(row[0], row[1]) for row in conn.execute(
        "SELECT user_id, symbol FROM paper_positions ORDER BY user_id, symbol")]


def _protection(row: sqlite3.Row) -> PaperExits:
    return PaperExits(row["user_id"], row["symbol"], Side(row["side"]),
                      stored_decimal(row["take_profit"]), stored_decimal(row["stop_loss"]),
                      stored_decimal(row["trailing"]), stored_decimal(row["activation"]),
                      stored_decimal(row["best"]))


def _position(row: sqlite3.Row) -> PaperPosition:
    return PaperPosition(row["symbol"], Side(row["side"]), Decimal(row["size"]),
                         Decimal(row["avg_price"]), row["leverage"])


def _fill(row: sqlite3.Row) -> PaperFill:
    return PaperFill(row["order_link_id"], row["order_id"], Category(row["category"]),
                     row["symbol"], Side(row["side"]), Decimal(row["qty"]), Decimal(row["price"]),
                     Decimal(row["fee"]), row["fee_currency"], Decimal(row["realised_pnl"]),
                     bool(row["reduce_only"]), row["created_at"])
