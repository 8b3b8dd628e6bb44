"""Orders placed for signals, and the spot coins this bot bought for each user."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from decimal import Decimal

from bot.db.core import Database
from bot.vocabulary import AccountType, Category, Leg, OrderStatus, Side
from bot.wire import decimal_text, stored_decimal


@dataclass(frozen=True)
class OrderRecord:
    """One leg of a signal as stored: what was asked and what the exchange filled."""

    signal_id: int
    user_id: int
    leg: Leg
    order_link_id: str
    account_type: AccountType
    category: Category
    symbol: str
    side: Side
    qty: Decimal
    reduce_only: bool
    status: OrderStatus
    leverage: int | None = None
    exchange_order_id: str | None = None
    filled_qty: Decimal | None = None
    avg_price: Decimal | None = None
    fee: Decimal | None = None
    fee_currency: str | None = None
    realised_pnl: Decimal | None = None
    error: str | None = None
    created_at: float = 0.0

    @property
    def fee_in_quote(self) -> Decimal:
        """The fee in USDT; a spot buy pays it in the coin, worth the fill price each."""
        fee = self.fee or Decimal(0)
        if self.fee_currency in (None, "", "USDT", "USDC") or self.avg_price is None:
            return fee
        return fee * self.avg_price

    @property
    def entry_fee(self) -> Decimal:
        """What opening the quantity this futures close closed cost in fees: at this close's
        own fee rate (both are market orders, charged Bybit's taker rate; the paper account
        charges one rate), on the entry price its realised PnL implies. 0 for anything else."""
        qty, price, pnl = self.filled_qty, self.avg_price, self.realised_pnl
        if (not self.reduce_only or self.category == Category.SPOT or pnl is None or not qty
                or not price):
            return Decimal(0)
        direction = 1 if self.side == Side.SELL else -1  # selling closes a long
        entry = price - pnl / (qty * direction)
        return self.fee_in_quote * entry / price if entry > 0 else Decimal(0)

    @property
    def fees(self) -> Decimal:
        """Every fee of the trade a close ends: its own and its entry's share."""
        return self.fee_in_quote + self.entry_fee

    @property
    def pnl_after_fee(self) -> Decimal | None:
        """A close's realised PnL less the fees of the trade it ends — its own and what
        opening the quantity cost: what the balance gained since before the entry, and what
        the dashboard's chart (every order's PnL less its fee) gained over the same trade."""
        if self.realised_pnl is None:
            return None
        return self.realised_pnl - self.fees


def _record(row: sqlite3.Row) -> OrderRecord:
    return OrderRecord(
        signal_id=row["signal_id"], user_id=row["user_id"], leg=Leg(row["leg"]),
        order_link_id=row["order_link_id"], account_type=AccountType(row["account_type"]),
        category=Category(row["category"]), symbol=row["symbol"], side=Side(row["side"]),
        qty=Decimal(row["qty"]), reduce_only=bool(row["reduce_only"]),
        status=OrderStatus(row["status"]),
        leverage=row["leverage"], exchange_order_id=row["exchange_order_id"],
        filled_qty=stored_decimal(row["filled_qty"]), avg_price=stored_decimal(row["avg_price"]),
        fee=stored_decimal(row["fee"]), fee_currency=row["fee_currency"],
        realised_pnl=stored_decimal(row["realised_pnl"]), error=row["error"],
        created_at=row["created_at"],
    )


def _upsert(conn: sqlite3.Connection, order: OrderRecord) -> None:
    conn.execute(
        "INSERT INTO orders (signal_id, user_id, leg, order_link_id, account_type, category,"
        " symbol, side, qty, reduce_only, leverage, status, exchange_order_id, filled_qty,"
        " avg_price, fee, fee_currency, realised_pnl, error, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (order_link_id) DO UPDATE SET status = excluded.status,"
        " exchange_order_id = excluded.exchange_order_id, filled_qty = excluded.filled_qty,"
        " avg_price = excluded.avg_price, fee = excluded.fee,"
        " fee_currency = excluded.fee_currency, realised_pnl = excluded.realised_pnl,"
        " error = excluded.error",
        (order.signal_id, order.user_id, order.leg, order.order_link_id, order.account_type,
         order.category, order.symbol, order.side, str(order.qty), int(order.reduce_only),
         order.leverage, order.status, order.exchange_order_id, decimal_text(order.filled_qty),
         decimal_text(order.avg_price), decimal_text(order.fee), order.fee_currency,
         decimal_text(order.realised_pnl), order.error, order.created_at or time.time()),
    )


def _add_holding(conn: sqlite3.Connection, user_id: int, account_type: str, symbol: str,
                 delta: Decimal) -> Decimal:
    row = conn.execute("SELECT qty FROM spot_holdings WHERE user_id = ? AND account_type = ?"
                       " AND symbol = ?", (user_id, account_type, symbol)).fetchone()
    qty = max(Decimal(0), (Decimal(row[0]) if row else Decimal(0)) + delta)
    conn.execute(
        "INSERT INTO spot_holdings (user_id, account_type, symbol, qty) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (user_id, account_type, symbol) DO UPDATE SET qty = excluded.qty",
        (user_id, account_type, symbol, str(qty)))
    return qty


class OrderRepo:
    """Async access to `orders` and `spot_holdings`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def save(self, order: OrderRecord, *, holding_delta: Decimal | None = None) -> None:
        """Store a leg; for spot, move the bot's holding in the same transaction."""
        def store(conn: sqlite3.Connection) -> None:
            _upsert(conn, order)
            if holding_delta is not None and holding_delta != 0:
                _add_holding(conn, order.user_id, order.account_type, order.symbol,
                             holding_delta)

        await self._db.write(store)

    async def mark(self, order_link_id: str, status: OrderStatus, error: str) -> None:
        """Change a recorded order's status (a resting target cancelled)."""
        await self._db.write(lambda conn: conn.execute(
            "UPDATE orders SET status = ?, error = ? WHERE order_link_id = ?"
            " AND status = 'placed'", (status, error, order_link_id)))

    async def for_signal(self, signal_id: int) -> list[OrderRecord]:
        def fetch(conn: sqlite3.Connection) -> list[OrderRecord]:
            rows = conn.execute("SELECT * FROM orders WHERE signal_id = ? ORDER BY id",
                                (signal_id,)).fetchall()
            return [_record(row) for row in rows]

        return await self._db.read(fetch)

    async def recent(self, user_id: int, limit: int = 50) -> list[OrderRecord]:
        def fetch(conn: sqlite3.Connection) -> list[OrderRecord]:
            rows = conn.execute("SELECT * FROM orders WHERE user_id = ? ORDER BY id DESC"
                                " LIMIT ?", (user_id, limit)).fetchall()
            return [_record(row) for row in rows]

        return await self._db.read(fetch)

    async def holding(self, user_id: int, account_type: str, symbol: str) -> Decimal:
        def fetch(conn: sqlite3.Connection) -> Decimal:
            row = conn.execute("SELECT qty FROM spot_holdings WHERE user_id = ?"
                               " AND account_type = ? AND symbol = ?",
                               (user_id, account_type, symbol)).fetchone()
            return Decimal(row[0]) if row else Decimal(0)

        return await self._db.read(fetch)

    async def forget_holding(self, user_id: int, account_type: str, symbol: str) -> None:
        """The coins this bot bought left the wallet (sold by hand): it holds none now."""
        await self._db.write(lambda conn: conn.execute(
            "UPDATE spot_holdings SET qty = '0' WHERE user_id = ? AND account_type = ?"
            " AND symbol = ?", (user_id, account_type, symbol)))

    async def live_accounts(self, since: float, limit: int) -> list[tuple[int, AccountType]]:
        """Bybit accounts (user, demo or real) that traded since `since`, latest first."""
        def fetch(conn: sqlite3.Connection) -> list[tuple[int, AccountType]]:
            rows = conn.execute(
                "SELECT user_id, account_type FROM orders WHERE created_at >= ?"
                " AND account_type != 'paper' GROUP BY user_id, account_type"
                " ORDER BY MAX(created_at) DESC LIMIT ?", (since, limit)).fetchall()
            return [(row[0], AccountType(row[1])) for row in rows]

        return await self._db.read(fetch)

    async def futures_fills(self, user_id: int, account_type: str,
                            since: float = 0.0) -> list[OrderRecord]:
        """One account's futures legs that filled (wholly or in part) since `since`, oldest
        first: what /profit sums."""
        def fetch(conn: sqlite3.Connection) -> list[OrderRecord]:
            rows = conn.execute(
                "SELECT * FROM orders WHERE user_id = ? AND account_type = ? AND category = ?"
                " AND status IN (?, ?) AND created_at >= ? ORDER BY id",
                (user_id, account_type, Category.LINEAR, OrderStatus.FILLED,
                 OrderStatus.PARTIAL, since)).fetchall()
            return [_record(row) for row in rows]

        return await self._db.read(fetch)
