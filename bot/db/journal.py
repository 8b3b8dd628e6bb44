"""The signal journal: every accepted, duplicate or refused alert of a known user, and its fate.

Status moves `queued → processing → done | failed`, or is `rejected`, `expired` or
`duplicate` from the start. Rows are written through the group-commit writer, so a 200 is only
sent once its row is on disk.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from bot.db.core import Database, single_statement
from bot.errors import Failure
from bot.plans import ExitPlan, Level
from bot.signals import Signal
from bot.vocabulary import EXECUTED_STATUSES, OPEN_SIGNAL_STATUSES, SignalStatus
from bot.wire import decimal_text, stored_decimal


def _in(statuses: frozenset[SignalStatus]) -> str:
    """An SQL `IN (…)` list of statuses (our own constants, never user input)."""
    return "(" + ", ".join(f"'{status}'" for status in sorted(statuses)) + ")"


_OPEN = _in(OPEN_SIGNAL_STATUSES)
_EXECUTED = _in(EXECUTED_STATUSES)
# An earlier row an alert can repeat: not itself refused or a repeat, and not a signal that
# ended (failed, expired) before any order of it reached the exchange — its corrected resend
# must run.
REPEATABLE = (
    "s.status NOT IN ('rejected', 'duplicate') AND NOT (s.status IN ('failed', 'expired')"
    " AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.signal_id = s.id"
    " AND o.status != 'failed'))")


@dataclass(frozen=True)
class JournalEntry:
    """What arrived: written before the answer goes out."""

    user_id: int
    route: str  # personal | legacy
    source_ip: str | None
    raw_body: str
    signal: Signal | None
    payload_hash: str | None
    received_at: float
    status: SignalStatus = SignalStatus.QUEUED
    error_code: str | None = None
    error: str | None = None  # the English sentence, for operators
    failure: Failure | None = None  # the refusal as data, for its readers


@dataclass(frozen=True)
class Journaled:
    """The outcome of writing an entry: its id, and the earlier one if it was a duplicate."""

    signal_id: int
    status: SignalStatus
    duplicate_of: int | None = None
    original_status: SignalStatus | None = None  # what became of the earlier one
    original_result: str | None = None  # its result or error line, when it has one
    original_outcome: str | None = None  # its outcome as data (JSON), when it has one


@dataclass(frozen=True)
class _Original:
    id: int
    status: SignalStatus
    result: str | None
    outcome: str | None


@dataclass(frozen=True)
class SignalRecord:
    id: int
    user_id: int
    route: str
    status: SignalStatus
    signal: Signal | None
    error_code: str | None
    error: str | None
    result: str | None
    received_at: float
    finished_at: float | None
    notified_at: float | None
    source_ip: str | None = None
    failure: Failure | None = None  # why not, as data (None: a row from before, or done)
    outcome_json: str | None = None  # the executed outcome (bot.outcomes.Outcome.from_json)


def record_from_row(row: sqlite3.Row) -> SignalRecord:
    signal = None
    if row["symbol"] is not None and row["action"] is not None:
        signal = Signal(
            symbol=row["symbol"], action=row["action"], position=row["position"],
            position_turned=bool(row["position_turned"]),
            price=stored_decimal(row["price"]), qty=stored_decimal(row["qty"]),
            exits=_exits(row),
            client_id=row["client_id"], timestamp=row["signal_time"],
            amount=stored_decimal(row["amount"]), leverage=row["leverage"],
            qty_percent=stored_decimal(row["qty_percent"]),
            amount_percent=stored_decimal(row["amount_percent"]),
        )
    return SignalRecord(
        id=row["id"], user_id=row["user_id"], route=row["route"],
        status=SignalStatus(row["status"]),
        signal=signal, error_code=row["error_code"], error=row["error"], result=row["result"],
        received_at=row["received_at"], finished_at=row["finished_at"],
        notified_at=row["notified_at"], source_ip=row["source_ip"],
        failure=Failure.from_json(row["error_params"]), outcome_json=row["outcome"],
    )


def _exits(row: sqlite3.Row) -> ExitPlan | None:
    """The alert's exits: the JSON column, or a row from before it (prices only)."""
    plan = ExitPlan.from_json(row["exits"])
    if plan is not None or (row["take_profit"] is None and row["stop_loss"] is None):
        return plan
    return ExitPlan(stop_loss=_price(row["stop_loss"]), take_profit=_price(row["take_profit"]))


def _price(text: str | None) -> Level | None:
    return None if text is None else Level.parse(text, "stored level")


def _find_duplicate(conn: sqlite3.Connection, entry: JournalEntry, window_s: float,
                    id_window_s: float) -> _Original | None:
    """The earlier signal this entry repeats, by DESIGN §3's rules, or None.

    With an `id`: the same id, action and symbol within `id_window_s`. Without one: the
    identical body within `window_s`.
    """
    signal = entry.signal
    if signal is not None and signal.client_id is not None:
        if id_window_s <= 0:
            return None
        row = conn.execute(
            "SELECT s.id, s.status, s.result, s.error, s.outcome FROM signals s"
            " WHERE s.user_id = ? AND s.client_id = ? AND s.action = ? AND s.symbol = ?"
            " AND s.received_at >= ?"
            f" AND {REPEATABLE} ORDER BY s.id DESC LIMIT 1",
            (entry.user_id, signal.client_id, signal.action, signal.symbol,
             entry.received_at - id_window_s)).fetchone()
    elif entry.payload_hash is not None and window_s > 0:
        row = conn.execute(
            "SELECT s.id, s.status, s.result, s.error, s.outcome FROM signals s"
            " WHERE s.user_id = ? AND s.payload_hash = ? AND s.received_at >= ?"
            f" AND {REPEATABLE}"
            " ORDER BY s.id DESC LIMIT 1",
            (entry.user_id, entry.payload_hash, entry.received_at - window_s)).fetchone()
    else:
        return None
    if row is None:
        return None
    return _Original(row["id"], SignalStatus(row["status"]), row["result"] or row["error"],
                     row["outcome"])


@single_statement  # the duplicate look-up reads; the INSERT is the only change
def insert_entry(conn: sqlite3.Connection, entry: JournalEntry, duplicate_window_s: float,
                 id_window_s: float = 0) -> Journaled:
    status, error, failure = SignalStatus(entry.status), entry.error, entry.failure
    original = None
    if status == SignalStatus.QUEUED:
        original = _find_duplicate(conn, entry, duplicate_window_s, id_window_s)
        if original is not None:
            status = SignalStatus.DUPLICATE
            failure = Failure("duplicate", "duplicate.status",
                              {"original": original.id, "status": original.status})
            error = failure.english
    duplicate_of = original.id if original is not None else None
    signal = entry.signal
    final = status.is_final
    cursor = conn.execute(
        "INSERT INTO signals (user_id, route, source_ip, raw_body, symbol, action, position,"
        " price, qty, take_profit, stop_loss, client_id, payload_hash, signal_time, status,"
        " error_code, error, duplicate_of, received_at, finished_at, amount, leverage,"
        " qty_percent, exits, error_params, position_turned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (entry.user_id, entry.route, entry.source_ip, entry.raw_body,
         signal and signal.symbol, signal and signal.action, signal and signal.position,
         signal and decimal_text(signal.price), signal and decimal_text(signal.qty),
         signal and _level_text(signal.take_profit), signal and _level_text(signal.stop_loss),
         signal and signal.client_id, entry.payload_hash, signal and signal.timestamp,
         status, entry.error_code if status == entry.status else "duplicate", error,
         duplicate_of, entry.received_at, entry.received_at if final else None,
         signal and decimal_text(signal.amount), signal and signal.leverage,
         signal and decimal_text(signal.qty_percent),
         signal and signal.exits and signal.exits.to_json(),
         None if failure is None else failure.to_json(),
         signal is not None and signal.position_turned),
    )
    assert cursor.lastrowid is not None  # an INSERT always has one
    if original is None:
        return Journaled(cursor.lastrowid, status)
    return Journaled(cursor.lastrowid, status, original.id, original.status, original.result,
                     original.outcome)


class Journal:
    """Async access to the `signals` table."""

    def __init__(self, db: Database, *, duplicate_window_s: float = 10,
                 id_window_s: float = 86400) -> None:
        self._db = db
        self.duplicate_window_s = duplicate_window_s
        self.id_window_s = id_window_s

    async def record(self, entry: JournalEntry) -> Journaled:
        """Write the entry durably; a repeat of an earlier alert comes back as `duplicate`."""
        return await self._db.write(insert_entry, entry, self.duplicate_window_s,
                                    self.id_window_s)

    async def mark_processing(self, signal_id: int) -> bool:
        """Move a queued row to processing; False if it is already final."""
        def update(conn: sqlite3.Connection) -> int:
            return conn.execute(
                "UPDATE signals SET status = 'processing', started_at = ?"
                f" WHERE id = ? AND status IN {_OPEN}",
                (time.time(), signal_id)).rowcount

        return await self._db.write(update) > 0

    async def finish(self, signal_id: int, status: SignalStatus, *, result: str | None = None,
                     error_code: str | None = None, error: str | None = None,
                     failure: Failure | None = None, outcome: str | None = None) -> None:
        """Put a row in its final state with what was done or why not: the English line for
        operators (`result` or `error`), and as data for its readers (`failure`, `outcome`:
        an `Outcome`'s JSON)."""
        status = SignalStatus(status)
        if not status.is_final:
            raise ValueError(f"not a final status: {status}")
        params = None if failure is None else failure.to_json()
        if failure is not None and error_code is None:
            error_code = failure.code

        def update(conn: sqlite3.Connection) -> None:
            conn.execute(
                "UPDATE signals SET status = ?, result = ?, error_code = ?, error = ?,"
                " error_params = ?, outcome = ?, finished_at = ? WHERE id = ?",
                (status, result, error_code, error, params, outcome, time.time(), signal_id))

        await self._db.write(update)

    async def mark_notified(self, signal_id: int) -> None:
        def update(conn: sqlite3.Connection) -> None:
            conn.execute("UPDATE signals SET notified_at = ? WHERE id = ?",
                         (time.time(), signal_id))

        await self._db.write(update)

    async def get(self, signal_id: int) -> SignalRecord | None:
        def fetch(conn: sqlite3.Connection) -> SignalRecord | None:
            row = conn.execute("SELECT * FROM signals WHERE id = ?", (signal_id,)).fetchone()
            return None if row is None else record_from_row(row)

        return await self._db.read(fetch)

    async def open_signals(self) -> list[SignalRecord]:
        """Rows a previous run left queued or processing, oldest first."""
        def fetch(conn: sqlite3.Connection) -> list[SignalRecord]:
            rows = conn.execute(f"SELECT * FROM signals WHERE status IN {_OPEN}"
                                " ORDER BY id").fetchall()
            return [record_from_row(row) for row in rows]

        return await self._db.read(fetch)

    async def unnotified(self, since: float) -> list[SignalRecord]:
        """Final rows whose owner was never told (the process died in between)."""
        def fetch(conn: sqlite3.Connection) -> list[SignalRecord]:
            rows = conn.execute(
                "SELECT * FROM signals WHERE notified_at IS NULL AND received_at >= ?"
                f" AND status IN {_EXECUTED} ORDER BY id", (since,)).fetchall()
            return [record_from_row(row) for row in rows]

        return await self._db.read(fetch)

    async def recent(self, user_id: int, limit: int = 10) -> list[SignalRecord]:
        def fetch(conn: sqlite3.Connection) -> list[SignalRecord]:
            rows = conn.execute("SELECT * FROM signals WHERE user_id = ? ORDER BY id DESC"
                                " LIMIT ?", (user_id, limit)).fetchall()
            return [record_from_row(row) for row in rows]

        return await self._db.read(fetch)

    async def counts_since(self, since: float) -> dict[str, int]:
        """Signals by status received since `since` (for /stats)."""
        def fetch(conn: sqlite3.Connection) -> dict[str, Any]:
            rows = conn.execute("SELECT status, COUNT(*) FROM signals WHERE received_at >= ?"
                                " GROUP BY status", (since,)).fetchall()
            return {row[0]: row[1] for row in rows}

        return await self._db.read(fetch)


def _level_text(level: Level | None) -> str | None:
    return None if level is None else str(level)
