"""The exits each opening placed for its position (`position_plans`), and how far they got."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from bot.db.core import Database
from bot.plans import ResolvedExits
from bot.vocabulary import AccountType

PLACING, ACTIVE, CLOSED = "placing", "active", "closed"


@dataclass(frozen=True)
class PositionPlan:
    """An opening's exits as placed, for the position it opened."""

    signal_id: int
    user_id: int
    account_type: AccountType
    symbol: str
    position_idx: int
    exits: ResolvedExits
    status: str
    filled: tuple[int, ...] = ()  # ladder targets (n) filled so far
    be_moved: bool = False
    opened_at: float = 0.0

    @property
    def left(self) -> tuple[int, ...]:
        return tuple(t.n for t in self.exits.targets if t.n not in self.filled)


def _plan(row: sqlite3.Row) -> PositionPlan:
    filled = tuple(int(n) for n in row["filled"].split(",") if n)
    return PositionPlan(row["signal_id"], row["user_id"], AccountType(row["account_type"]),
                        row["symbol"], row["position_idx"], ResolvedExits.from_json(row["exits"]),
                        row["status"], filled, bool(row["be_moved"]), row["opened_at"])


class PlanRepo:
    """Async access to `position_plans`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def save(self, plan: PositionPlan) -> None:
        def store(conn: sqlite3.Connection) -> None:
            now = time.time()
            conn.execute(
                "INSERT INTO position_plans (signal_id, user_id, account_type, symbol,"
                " position_idx, exits, status, filled, be_moved, opened_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (signal_id) DO UPDATE SET"
                " exits = excluded.exits, status = excluded.status, filled = excluded.filled,"
                " be_moved = excluded.be_moved, updated_at = excluded.updated_at",
                (plan.signal_id, plan.user_id, plan.account_type, plan.symbol,
                 plan.position_idx, plan.exits.to_json(), plan.status,
                 ",".join(str(n) for n in plan.filled), int(plan.be_moved),
                 plan.opened_at or now, now))

        await self._db.write(store)

    async def get(self, signal_id: int) -> PositionPlan | None:
        def fetch(conn: sqlite3.Connection) -> PositionPlan | None:
            row = conn.execute("SELECT * FROM position_plans WHERE signal_id = ?",
                               (signal_id,)).fetchone()
            return None if row is None else _plan(row)

        return await self._db.read(fetch)

    async def open_for(self, user_id: int, account_type: str,
                       symbol: str | None = None) -> list[PositionPlan]:
        """The user's plans not yet closed on that account (and symbol), oldest first."""
        def fetch(conn: sqlite3.Connection) -> list[PositionPlan]:
            rows = conn.execute(
                "SELECT * FROM position_plans WHERE user_id = ? AND account_type = ?"
                " AND (? IS NULL OR symbol = ?) AND status != 'closed' ORDER BY signal_id",
                (user_id, account_type, symbol, symbol)).fetchall()
            return [_plan(row) for row in rows]

        return await self._db.read(fetch)

    async def all_open(self) -> list[PositionPlan]:
        def fetch(conn: sqlite3.Connection) -> list[PositionPlan]:
            rows = conn.execute("SELECT * FROM position_plans WHERE status != 'closed'"
                                " ORDER BY signal_id").fetchall()
            return [_plan(row) for row in rows]

        return await self._db.read(fetch)
