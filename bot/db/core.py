"""The SQLite connection: WAL, `synchronous=FULL`, and one group-committing writer.

Every repository function is a plain function of a `sqlite3.Connection`. Reads run on the
connection's thread one at a time; writes are queued and a single writer task runs whatever
queued up while its previous commit was in flight as one transaction (one fsync), each
operation inside its own SAVEPOINT so one failing operation does not undo its neighbours.
There is no waiting window: a lone write commits at once, a crowd shares a commit.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.db.migrations import apply_migrations

log = logging.getLogger(__name__)

T = TypeVar("T")
Op = Callable[..., Any]

BUSY_TIMEOUT_MS = 2000


class DatabaseUnavailable(Exception):
    """The database could not durably store a write (locked, disk full, closed)."""


class Database:
    """Own the aiosqlite connection, the migrations and the group-commit writer."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None
        self._queue: asyncio.Queue[tuple[Op, tuple[Any, ...], asyncio.Future[Any]] | None]
        self._queue = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self.commits = 0
        self.committed_ops = 0
        self.schema_version = 0

    async def open(self) -> None:
        """Connect, set the pragmas, apply migrations and start the writer."""
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, in the writer.
        self._conn = await aiosqlite.connect(self.path, isolation_level=None,
                                             check_same_thread=False)
        self.schema_version = await self._run(self._prepare)
        self._writer = asyncio.create_task(self._write_loop(), name="db-writer")

    @staticmethod
    def _prepare(conn: sqlite3.Connection) -> int:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        return apply_migrations(conn)

    async def close(self) -> None:
        """Finish queued writes, stop the writer and close the connection."""
        if self._writer is not None:
            await self._queue.put(None)
            await self._writer
            self._writer = None
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    @property
    def is_open(self) -> bool:
        return self._conn is not None and self._writer is not None

    @property
    def pending_writes(self) -> int:
        return self._queue.qsize()

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._conn is None:
            raise DatabaseUnavailable("the database is closed")
        # aiosqlite runs every call on the connection's own thread; `_execute` hands it a
        # function of the raw sqlite3 connection, so a whole batch costs one thread hop.
        raw = self._conn._conn
        return await self._conn._execute(fn, raw, *args)

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(conn, *args)` on the database thread, outside any write transaction."""
        try:
            return await self._run(fn, *args)
        except sqlite3.OperationalError as exc:
            raise DatabaseUnavailable(str(exc)) from exc

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(conn, *args)` in the next group commit; return once it is durable."""
        if self._writer is None or self._writer.done():
            raise DatabaseUnavailable("the database is closed")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        await self._queue.put((fn, args, future))
        return await future

    async def ping(self) -> bool:
        try:
            return await self.read(lambda conn: conn.execute("SELECT 1").fetchone()[0] == 1)
        except DatabaseUnavailable:
            return False

    async def data_version(self) -> int:
        """Return SQLite's data_version: it changes when *another* connection commits."""
        return await self.read(lambda conn: conn.execute("PRAGMA data_version").fetchone()[0])

    async def _write_loop(self) -> None:
        stopping = False
        while not stopping:
            item = await self._queue.get()
            batch = []
            while item is not None:
                batch.append(item)
                try:
                    item = self._queue.get_nowait()
                except asyncio.QueueEmpty:
                    break
            else:
                stopping = True
            if not batch:
                continue
            ops = [(fn, args) for fn, args, _ in batch]
            try:
                outcomes = await self._run(self._commit_batch, ops)
            except Exception as exc:  # the connection itself failed
                log.error("database write failed: %s", exc)
                outcomes = [(False, DatabaseUnavailable(str(exc)))] * len(batch)
            for (_, _, future), (ok, value) in zip(batch, outcomes, strict=True):
                if future.done():
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)

    def _commit_batch(self, conn: sqlite3.Connection,
                      ops: list[tuple[Op, tuple[Any, ...]]]) -> list[tuple[bool, Any]]:
        outcomes: list[tuple[bool, Any]] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            log.error("database busy or unwritable: %s", exc)
            return [(False, DatabaseUnavailable(str(exc)))] * len(ops)
        try:
            for fn, args in ops:
                conn.execute("SAVEPOINT op")
                try:
                    result = fn(conn, *args)
                except Exception as exc:
                    if not conn.in_transaction:
                        # SQLite rolled the whole transaction back itself (disk full, I/O
                        # error): nothing in this batch is stored.
                        raise DatabaseUnavailable(str(exc)) from exc
                    conn.execute("ROLLBACK TO op")
                    conn.execute("RELEASE op")
                    if isinstance(exc, sqlite3.OperationalError):  # locked, disk full, I/O
                        exc = DatabaseUnavailable(str(exc))
                    outcomes.append((False, exc))
                else:
                    conn.execute("RELEASE op")
                    outcomes.append((True, result))
            conn.execute("COMMIT")
        except (sqlite3.Error, DatabaseUnavailable) as exc:
            log.error("database write failed, nothing of this batch was stored: %s", exc)
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            return [(False, DatabaseUnavailable(str(exc)))] * len(ops)
        self.commits += 1
        self.committed_ops += len(ops)
        return outcomes
