"""The group-commit writer: one failing operation never undoes its neighbours."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.db import Database, DatabaseUnavailable


def insert(conn: sqlite3.Connection, key: str) -> int:
    return conn.execute("INSERT INTO meta (key, value) VALUES (?, 'v')", (key,)).rowcount


def explode(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES ('half-done', 'v')")
    raise ValueError("boom")


async def test_a_failing_write_is_undone_alone(tmp_path: Path) -> None:
    db = Database(tmp_path / "w.db")
    await db.open()
    try:
        results = await asyncio.gather(db.write(insert, "a"), db.write(explode),
                                       db.write(insert, "b"), return_exceptions=True)
        assert results[0] == 1 and results[2] == 1
        assert isinstance(results[1], ValueError)
        keys = await db.read(lambda c: [r[0] for r in c.execute("SELECT key FROM meta")])
        assert sorted(keys) == ["a", "b"]  # 'half-done' was rolled back with its operation
        assert db.commits <= 2  # the three writes shared commits
    finally:
        await db.close()


async def test_a_write_that_cannot_be_stored_reports_unavailable(tmp_path: Path) -> None:
    db = Database(tmp_path / "full.db")
    await db.open()
    try:
        pages = await db.read(lambda c: c.execute("PRAGMA page_count").fetchone()[0])
        await db.read(lambda c: c.execute(f"PRAGMA max_page_count = {pages}").fetchone())

        def big(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT INTO meta (key, value) VALUES ('big', ?)", ("x" * 100_000,))

        with pytest.raises(DatabaseUnavailable):
            await db.write(big)
        await db.read(lambda c: c.execute("PRAGMA max_page_count = 1073741823").fetchone())
        assert await db.write(insert, "after") == 1  # the writer carries on
    finally:
        await db.close()


async def test_writes_after_close_are_refused(tmp_path: Path) -> None:
    db = Database(tmp_path / "closed.db")
    await db.open()
    await db.close()
    with pytest.raises(DatabaseUnavailable):
        await db.write(insert, "late")
