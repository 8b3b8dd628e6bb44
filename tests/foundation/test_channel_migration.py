"""The channels migration: a database from before it is upgraded in place, its signals and
orders kept, and the journal takes the two new statuses."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.db import Database
from bot.db.migrations import LATEST, MIGRATIONS, apply_migrations

CHANNELS = next(number for number, script in enumerate(MIGRATIONS, 1)
                if "CREATE TABLE channels" in script)


async def test_a_database_from_before_channels_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "before.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    apply_migrations(conn, upto=CHANNELS - 1)
    conn.execute("INSERT INTO users (id, is_active, token_digest, created_at, updated_at)"
                 " VALUES (7, 1, 'digest', 1, 1)")
    conn.execute("INSERT INTO signals (user_id, route, raw_body, symbol, action, status,"
                 " received_at) VALUES (7, 'personal', '{}', 'BTCUSDT', 'buy', 'done', 1)")
    conn.execute("INSERT INTO orders (signal_id, user_id, leg, order_link_id, account_type,"
                 " category, symbol, side, qty, status, created_at)"
                 " VALUES (1, 7, 'o', 'bbx-1-o', 'paper', 'linear', 'BTCUSDT', 'Buy', '0.02',"
                 " 'filled', 1)")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("INSERT INTO signals (user_id, route, raw_body, status, received_at)"
                     " VALUES (7, 'channel', '{}', 'awaiting', 2)")
    conn.close()

    db = Database(path)
    await db.open()
    try:
        assert db.schema_version == LATEST

        def check(conn: sqlite3.Connection) -> tuple[object, ...]:
            for status in ("awaiting", "skipped"):
                conn.execute("INSERT INTO signals (user_id, route, raw_body, status,"
                             " received_at) VALUES (7, 'channel', '{}', ?, 2)", (status,))
            return (conn.execute("PRAGMA integrity_check").fetchall(),
                    conn.execute("PRAGMA foreign_key_check").fetchall(),
                    conn.execute("SELECT id, status FROM signals ORDER BY id").fetchall(),
                    conn.execute("SELECT signal_id, order_link_id FROM orders").fetchall())

        integrity, foreign, signals, orders = await db.write(check)
        assert [tuple(row) for row in integrity] == [("ok",)] and foreign == []
        assert [tuple(row) for row in signals] == [(1, "done"), (2, "awaiting"), (3, "skipped")]
        assert [tuple(row) for row in orders] == [(1, "bbx-1-o")]
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            await db.write(lambda conn: conn.execute(
                "INSERT INTO signals (user_id, route, raw_body, status, received_at)"
                " VALUES (7, 'channel', '{}', 'maybe', 3)"))
    finally:
        await db.close()
    # A second connection (the CLI, say) reads the widened constraint from the file.
    with sqlite3.connect(path) as fresh:
        fresh.execute("INSERT INTO signals (user_id, route, raw_body, status, received_at)"
                      " VALUES (7, 'channel', '{}', 'awaiting', 4)")
