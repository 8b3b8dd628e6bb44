"""A channel's alerts: written once, before the provider gets its 200 (`record`) — one row,
whatever the number of subscribers — then expanded step by step into one signal row per
subscriber (`channel_expansion.py`), confirmed, skipped or expired, and counted for /channel
stats.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from decimal import Decimal

from bot.db.channel_expansion import (
    EXPAND_BATCH,
    Expansion,
    expand_batch,
    signal_to_json,
)
from bot.db.core import Database
from bot.db.journal import REPEATABLE
from bot.signals import Signal
from bot.vocabulary import ChannelAlertStatus, OrderStatus, SignalStatus
from bot.wire import stored_decimal


@dataclass(frozen=True)
class ChannelAlertEntry:
    """What arrived at a channel's webhook: written before the answer goes out."""

    channel_id: int
    source_ip: str | None
    raw_body: str
    signal: Signal | None
    payload_hash: str | None
    received_at: float
    status: ChannelAlertStatus = ChannelAlertStatus.EXPANDING
    error_code: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class ChannelAlertAck:
    """The row written for an alert, and the earlier one if it was a repeat."""

    alert_id: int
    status: ChannelAlertStatus
    duplicate_of: int | None = None
    original_status: ChannelAlertStatus | None = None


@dataclass(frozen=True)
class AlertStats:
    """What became of one alert of a channel, subscriber by subscriber."""

    alert_id: int
    symbol: str | None
    action: str | None
    received_at: float
    expanding: bool
    subscribers: int  # signal rows written for it
    done: int
    failed: int
    skipped: int
    awaiting: int
    rejected: int
    expired: int
    running: int  # queued or executing


# --- writing an alert ---------------------------------------------------------------------------

_LIVE = "('expanding', 'expanded')"
# An earlier alert a repeat is a duplicate of: still expanding, expanded to nobody, or with a
# subscriber's signal that counts by the personal route's rule (journal.REPEATABLE). One whose
# every signal was refused, or failed before any order reached the exchange, does not make
# its corrected resend a duplicate.
_REPEATED = (
    "a.status = 'expanding' OR NOT EXISTS (SELECT 1 FROM signals s"
    " WHERE s.channel_alert_id = a.id) OR EXISTS (SELECT 1 FROM signals s"
    f" WHERE s.channel_alert_id = a.id AND {REPEATABLE})")


def _find_duplicate(conn: sqlite3.Connection, entry: ChannelAlertEntry, window_s: float,
                    id_window_s: float) -> sqlite3.Row | None:
    """The earlier alert of the channel this one repeats, by DESIGN §3's rules."""
    signal = entry.signal
    if signal is not None and signal.client_id is not None:
        if id_window_s <= 0:
            return None
        return conn.execute(
            "SELECT a.id, a.status FROM channel_alerts a WHERE a.channel_id = ?"
            " AND a.client_id = ? AND a.action = ? AND a.symbol = ? AND a.received_at >= ?"
            f" AND a.status IN {_LIVE} AND ({_REPEATED}) ORDER BY a.id DESC LIMIT 1",
            (entry.channel_id, signal.client_id, signal.action, signal.symbol,
             entry.received_at - id_window_s)).fetchone()
    if entry.payload_hash is None or window_s <= 0:
        return None
    return conn.execute(
        "SELECT a.id, a.status FROM channel_alerts a WHERE a.channel_id = ?"
        f" AND a.payload_hash = ? AND a.received_at >= ? AND a.status IN {_LIVE}"
        f" AND ({_REPEATED}) ORDER BY a.id DESC LIMIT 1",
        (entry.channel_id, entry.payload_hash, entry.received_at - window_s)).fetchone()


def insert_alert(conn: sqlite3.Connection, entry: ChannelAlertEntry, window_s: float,
                 id_window_s: float) -> ChannelAlertAck:
    status, error_code, error = entry.status, entry.error_code, entry.error
    original = None
    if status == ChannelAlertStatus.EXPANDING:
        original = _find_duplicate(conn, entry, window_s, id_window_s)
        if original is not None:
            status, error_code = ChannelAlertStatus.DUPLICATE, "duplicate"
            error = f"same alert as channel alert {original['id']}; not traded again"
    signal = entry.signal
    final = status != ChannelAlertStatus.EXPANDING
    cursor = conn.execute(
        "INSERT INTO channel_alerts (channel_id, source_ip, raw_body, signal, symbol, action,"
        " client_id, payload_hash, status, error_code, error, duplicate_of, received_at,"
        " finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (entry.channel_id, entry.source_ip, entry.raw_body,
         signal_to_json(signal) if signal is not None else None,
         signal and signal.symbol, signal and signal.action, signal and signal.client_id,
         entry.payload_hash, status, error_code, error,
         original["id"] if original is not None else None, entry.received_at,
         entry.received_at if final else None))
    assert cursor.lastrowid is not None
    if original is None:
        return ChannelAlertAck(cursor.lastrowid, status)
    return ChannelAlertAck(cursor.lastrowid, status, original["id"],
                           ChannelAlertStatus(original["status"]))


# --- the repository -----------------------------------------------------------------------------

class ChannelAlertRepo:
    """Async access to `channel_alerts` and to the channel signals they expanded into."""

    def __init__(self, db: Database, *, duplicate_window_s: float = 10,
                 id_window_s: float = 86400) -> None:
        self._db = db
        self.duplicate_window_s = duplicate_window_s
        self.id_window_s = id_window_s

    async def record(self, entry: ChannelAlertEntry) -> ChannelAlertAck:
        """Write the alert durably (one row); a repeat comes back as `duplicate`."""
        return await self._db.write(insert_alert, entry, self.duplicate_window_s,
                                    self.id_window_s)

    async def expand(self, alert_id: int, limit: int = EXPAND_BATCH) -> Expansion:
        """The next step of an alert's expansion, durable when this returns."""
        return await self._db.write(expand_batch, alert_id, limit)

    async def expanding(self) -> list[tuple[int, int]]:
        """(alert id, channel id) of every alert not fully expanded, oldest first."""
        def fetch(conn: sqlite3.Connection) -> list[tuple[int, int]]:
            rows = conn.execute("SELECT id, channel_id FROM channel_alerts"
                                " WHERE status = 'expanding' ORDER BY id").fetchall()
            return [(row[0], row[1]) for row in rows]

        return await self._db.read(fetch)

    # --- a confirm-mode subscriber's answer ---------------------------------------------

    async def confirm(self, signal_id: int, user_id: int,
                      fresh_since: float) -> SignalStatus | None:
        """Execute pressed: `awaiting → queued` if the alert is still fresh. Returns the status
        the row has now (queued if this press queued it); None if it is not the user's."""
        def store(conn: sqlite3.Connection) -> SignalStatus | None:
            changed = conn.execute(
                # notified_at told of the question; now the result is still to be told.
                "UPDATE signals SET status = 'queued', notified_at = NULL WHERE id = ?"
                " AND user_id = ? AND status = 'awaiting' AND received_at >= ?",
                (signal_id, user_id, fresh_since)).rowcount
            if changed:
                return SignalStatus.QUEUED
            _expire_stale(conn, fresh_since, signal_id)
            return _status_of(conn, signal_id, user_id)

        return await self._db.write(store)

    async def skip(self, signal_id: int, user_id: int,
                   fresh_since: float) -> SignalStatus | None:
        """Skip pressed: `awaiting → skipped` (final, not executed), or expired if it is too
        late for an answer. Returns the row's status now; None if it is not the user's."""
        def store(conn: sqlite3.Connection) -> SignalStatus | None:
            _expire_stale(conn, fresh_since, signal_id)
            now = time.time()
            conn.execute(
                "UPDATE signals SET status = 'skipped', error_code = 'skipped',"
                " error = 'skipped by the subscriber', finished_at = ?, notified_at = ?"
                " WHERE id = ? AND user_id = ? AND status = 'awaiting'",
                (now, now, signal_id, user_id))
            return _status_of(conn, signal_id, user_id)

        return await self._db.write(store)

    async def expire_awaiting(self, fresh_since: float) -> int:
        """Expire every confirmation not given in time; returns how many."""
        return await self._db.write(_expire_stale, fresh_since, None)

    async def untold(self, since: float) -> list[int]:
        """Channel signals whose subscriber never got their question (awaiting) or their
        refusal (rejected): a crash came between the expansion step and the message."""
        def fetch(conn: sqlite3.Connection) -> list[int]:
            rows = conn.execute(
                "SELECT id FROM signals WHERE channel_alert_id IS NOT NULL"
                " AND status IN ('awaiting', 'rejected') AND notified_at IS NULL"
                " AND received_at >= ? ORDER BY id", (since,)).fetchall()
            return [row[0] for row in rows]

        return await self._db.read(fetch)

    async def channel_of_signal(self, signal_id: int) -> int | None:
        """The id of the channel a signal came from, if it came from one."""
        def fetch(conn: sqlite3.Connection) -> int | None:
            row = conn.execute(
                "SELECT a.channel_id FROM signals s"
                " JOIN channel_alerts a ON a.id = s.channel_alert_id WHERE s.id = ?",
                (signal_id,)).fetchone()
            return None if row is None else int(row[0])

        return await self._db.read(fetch)

    # --- for the channel's admin --------------------------------------------------------

    async def stats(self, channel_id: int, limit: int) -> list[AlertStats]:
        """The channel's last `limit` alerts that trade (not refused or repeats), newest first."""
        def fetch(conn: sqlite3.Connection) -> list[AlertStats]:
            rows = conn.execute(
                "SELECT a.id, a.symbol, a.action, a.received_at, a.status,"
                " COUNT(s.id) AS subscribers,"
                " COALESCE(SUM(s.status = 'done'), 0) AS done,"
                " COALESCE(SUM(s.status = 'failed'), 0) AS failed,"
                " COALESCE(SUM(s.status = 'skipped'), 0) AS skipped,"
                " COALESCE(SUM(s.status = 'awaiting'), 0) AS awaiting,"
                " COALESCE(SUM(s.status = 'rejected'), 0) AS rejected,"
                " COALESCE(SUM(s.status = 'expired'), 0) AS expired,"
                " COALESCE(SUM(s.status IN ('queued', 'processing')), 0) AS running"
                " FROM channel_alerts a LEFT JOIN signals s ON s.channel_alert_id = a.id"
                f" WHERE a.channel_id = ? AND a.status IN {_LIVE}"
                " GROUP BY a.id ORDER BY a.id DESC LIMIT ?", (channel_id, limit)).fetchall()
            return [AlertStats(row["id"], row["symbol"], row["action"], row["received_at"],
                               row["status"] == ChannelAlertStatus.EXPANDING,
                               row["subscribers"], row["done"], row["failed"], row["skipped"],
                               row["awaiting"], row["rejected"], row["expired"],
                               row["running"]) for row in rows]

        return await self._db.read(fetch)

    async def realised(self, channel_id: int) -> tuple[Decimal, int]:
        """The subscribers' realised futures PnL after fees from the orders of the channel's
        signals (closing fills' PnL minus every fill's USDT fee), and the closing fills."""
        def fetch(conn: sqlite3.Connection) -> list[sqlite3.Row]:
            return conn.execute(
                "SELECT o.fee, o.fee_currency, o.realised_pnl, o.reduce_only FROM orders o"
                " JOIN signals s ON s.id = o.signal_id"
                " JOIN channel_alerts a ON a.id = s.channel_alert_id"
                " WHERE a.channel_id = ? AND o.category = 'linear' AND o.status IN (?, ?)",
                (channel_id, OrderStatus.FILLED, OrderStatus.PARTIAL)).fetchall()

        net, closing = Decimal(0), 0
        for row in await self._db.read(fetch):
            if row["fee_currency"] in (None, "", "USDT"):
                net -= stored_decimal(row["fee"]) or Decimal(0)
            if row["reduce_only"]:
                net += stored_decimal(row["realised_pnl"]) or Decimal(0)
                closing += 1
        return net, closing


def _status_of(conn: sqlite3.Connection, signal_id: int, user_id: int) -> SignalStatus | None:
    row = conn.execute("SELECT status FROM signals WHERE id = ? AND user_id = ?",
                       (signal_id, user_id)).fetchone()
    return None if row is None else SignalStatus(row[0])


def _expire_stale(conn: sqlite3.Connection, fresh_since: float, signal_id: int | None) -> int:
    """Awaiting rows older than `fresh_since` (one, or all) → expired; nothing more to tell."""
    now = time.time()
    only = "" if signal_id is None else " AND id = ?"
    return conn.execute(
        "UPDATE signals SET status = 'expired', error_code = 'expired',"
        " error = 'not confirmed in time, so it was not traded', finished_at = ?,"
        f" notified_at = ? WHERE status = 'awaiting' AND received_at < ?{only}",
        (now, now, fresh_since, *(() if signal_id is None else (signal_id,)))).rowcount
