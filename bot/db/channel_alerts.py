"""A channel's alerts, and their expansion into one signal row per subscriber.

An alert is written once, before the provider gets its 200 (`record`): one row, whatever the
number of subscribers. Then `expand_batch` gives the next subscribers (by user id, after the
alert's `cursor`) their signal rows and moves the cursor, in one transaction: after a crash the
expansion resumes from the cursor, nobody skipped, and the unique (channel_alert_id, user_id)
index makes a second row for a subscriber impossible. Each row carries the subscriber's own
sizing; one who cannot trade now gets a `rejected` row that says why.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from bot.db.core import Database
from bot.plans import ExitPlan
from bot.signals import Signal
from bot.vocabulary import ChannelAlertStatus, CopyMode, OrderStatus, SignalStatus
from bot.wire import decimal_text, stored_decimal

CHANNEL_ROUTE = "channel"  # the journal's route of a channel's signal
EXPAND_BATCH = 200  # subscribers given their rows in one transaction

# Why a subscriber got no order from an alert: the row's error code and its sentence.
REFUSALS = {
    "inactive": "your account is not active (an admin has not approved it, or blocked it), "
                "so the channel's alert was not traded for you",
    "paused": "trading is paused for your account, so the channel's alert was not traded: "
              "send /resume to trade again",
    "entries_paused": "new entries are paused for your account, so the channel's {action} was "
                      "not traded (closes still are): send /resume to trade again",
    "no_keys": "your account is set to {account} but no {account} API keys are stored, so the "
               "channel's alert was not traded: send /keys {account} <api_key> <api_secret>, "
               "or /set account paper",
}


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
class Expanded:
    """One subscriber's signal row, as an expansion step wrote it."""

    signal_id: int
    user_id: int
    status: SignalStatus  # queued | awaiting | rejected
    signal: Signal  # with the subscriber's sizing
    error_code: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Expansion:
    """One step of an alert's expansion."""

    alert_id: int
    channel_id: int
    received_at: float
    rows: tuple[Expanded, ...]
    done: bool  # every subscriber has their row now


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


# --- the alert's signal, stored once ----------------------------------------------------------

def signal_to_json(signal: Signal) -> str:
    return json.dumps({
        "symbol": signal.symbol, "action": signal.action, "position": signal.position,
        "price": decimal_text(signal.price), "qty": decimal_text(signal.qty),
        "exits": signal.exits.to_json() if signal.exits is not None else None,
        "client_id": signal.client_id, "timestamp": signal.timestamp,
        "amount": decimal_text(signal.amount), "leverage": signal.leverage,
        "qty_percent": decimal_text(signal.qty_percent)}, separators=(",", ":"))


def signal_from_json(text: str) -> Signal:
    data: dict[str, Any] = json.loads(text)
    return Signal(
        symbol=data["symbol"], action=data["action"], position=data["position"],
        price=stored_decimal(data["price"]), qty=stored_decimal(data["qty"]),
        exits=ExitPlan.from_json(data["exits"]), client_id=data["client_id"],
        timestamp=data["timestamp"], amount=stored_decimal(data["amount"]),
        leverage=data["leverage"], qty_percent=stored_decimal(data["qty_percent"]))


def sized(signal: Signal, amount: Decimal | None, amount_percent: Decimal | None,
          leverage: int | None) -> Signal:
    """The alert as one subscriber trades it.

    Their fixed amount or percent replaces the alert's sizing (its `amount` and `qty`); without
    either the alert is sized as sent (else by the subscriber's own /set amount). Their
    leverage replaces the alert's; without it the alert's applies (else their own setting).
    The alert's `id` stays with the channel's alert: the subscriber's row has none, so it
    never makes one of their own alerts a duplicate.
    """
    changes: dict[str, Any] = {"client_id": None}
    if amount is not None or amount_percent is not None:
        changes.update(amount=amount, amount_percent=amount_percent, qty=None)
    if leverage is not None:
        changes["leverage"] = leverage
    return replace(signal, **changes)


# --- writing an alert ---------------------------------------------------------------------------

_LIVE = "('expanding', 'expanded')"


def _find_duplicate(conn: sqlite3.Connection, entry: ChannelAlertEntry, window_s: float,
                    id_window_s: float) -> sqlite3.Row | None:
    """The earlier alert of the channel this one repeats, by DESIGN §3's rules."""
    signal = entry.signal
    if signal is not None and signal.client_id is not None:
        if id_window_s <= 0:
            return None
        return conn.execute(
            "SELECT id, status FROM channel_alerts WHERE channel_id = ? AND client_id = ?"
            f" AND action = ? AND symbol = ? AND received_at >= ? AND status IN {_LIVE}"
            " ORDER BY id DESC LIMIT 1",
            (entry.channel_id, signal.client_id, signal.action, signal.symbol,
             entry.received_at - id_window_s)).fetchone()
    if entry.payload_hash is None or window_s <= 0:
        return None
    return conn.execute(
        "SELECT id, status FROM channel_alerts WHERE channel_id = ? AND payload_hash = ?"
        f" AND received_at >= ? AND status IN {_LIVE} ORDER BY id DESC LIMIT 1",
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


# --- expanding it -----------------------------------------------------------------------------

_SUBSCRIBERS = """
SELECT s.user_id, s.amount, s.amount_percent, s.leverage, s.mode, u.is_active,
       st.paused, st.entries_paused, st.account_type,
       EXISTS (SELECT 1 FROM api_keys k WHERE k.user_id = s.user_id
               AND k.account_type = st.account_type) AS has_keys
FROM subscriptions s
JOIN users u ON u.id = s.user_id
JOIN user_settings st ON st.user_id = s.user_id
WHERE s.channel_id = ? AND s.active = 1 AND s.user_id > ?
ORDER BY s.user_id LIMIT ?
"""

_INSERT_SIGNAL = """
INSERT INTO signals (user_id, route, source_ip, raw_body, symbol, action, position, price, qty,
    take_profit, stop_loss, signal_time, status, error_code, error, received_at, finished_at,
    amount, leverage, qty_percent, exits, amount_percent, channel_alert_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (channel_alert_id, user_id) WHERE channel_alert_id IS NOT NULL DO NOTHING
"""


def _refusal(row: sqlite3.Row, signal: Signal) -> tuple[str, str] | None:
    """Why this subscriber cannot trade the alert now, or None."""
    if not row["is_active"]:
        return "inactive", REFUSALS["inactive"]
    if row["paused"]:
        return "paused", REFUSALS["paused"]
    if row["entries_paused"] and signal.intent.side is not None:  # it would open a position
        return "entries_paused", REFUSALS["entries_paused"].format(action=signal.action)
    account = row["account_type"]
    if account != "paper" and not row["has_keys"]:
        return "no_keys", REFUSALS["no_keys"].format(account=account)
    return None


def _level(signal: Signal, which: str) -> str | None:
    level = getattr(signal, which)
    return None if level is None else str(level)


def expand_batch(conn: sqlite3.Connection, alert_id: int, limit: int) -> Expansion:
    """Give the next `limit` subscribers their rows and move the cursor past them."""
    alert = conn.execute("SELECT * FROM channel_alerts WHERE id = ?", (alert_id,)).fetchone()
    if alert is None or alert["status"] != ChannelAlertStatus.EXPANDING:
        return Expansion(alert_id, alert["channel_id"] if alert else 0,
                         alert["received_at"] if alert else 0.0, (), True)
    signal = signal_from_json(alert["signal"])
    subscribers = conn.execute(_SUBSCRIBERS, (alert["channel_id"], alert["cursor"],
                                              limit)).fetchall()
    now = time.time()
    rows: list[Expanded] = []
    for sub in subscribers:
        mine = sized(signal, stored_decimal(sub["amount"]), stored_decimal(sub["amount_percent"]),
                     sub["leverage"])
        refusal = _refusal(sub, signal)
        if refusal is not None:
            status, (code, error) = SignalStatus.REJECTED, refusal
        else:
            status, code, error = (SignalStatus.AWAITING if sub["mode"] == CopyMode.CONFIRM
                                   else SignalStatus.QUEUED), None, None
        cursor = conn.execute(_INSERT_SIGNAL, (
            sub["user_id"], CHANNEL_ROUTE, alert["source_ip"], alert["raw_body"], mine.symbol,
            mine.action, mine.position, decimal_text(mine.price), decimal_text(mine.qty),
            _level(mine, "take_profit"), _level(mine, "stop_loss"), mine.timestamp, status,
            code, error, alert["received_at"], now if status.is_final else None,
            decimal_text(mine.amount), mine.leverage, decimal_text(mine.qty_percent),
            mine.exits.to_json() if mine.exits is not None else None,
            decimal_text(mine.amount_percent), alert_id))
        if cursor.rowcount:
            assert cursor.lastrowid is not None
            rows.append(Expanded(cursor.lastrowid, sub["user_id"], status, mine, code, error))
    done = len(subscribers) < limit
    last = subscribers[-1]["user_id"] if subscribers else alert["cursor"]
    conn.execute(
        "UPDATE channel_alerts SET cursor = ?, expanded = expanded + ?, status = ?,"
        " finished_at = ? WHERE id = ?",
        (last, len(rows), ChannelAlertStatus.EXPANDED if done else ChannelAlertStatus.EXPANDING,
         now if done else None, alert_id))
    return Expansion(alert_id, alert["channel_id"], alert["received_at"], tuple(rows), done)


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
