"""The SQLite connection: WAL, `synchronous=FULL`, and group commits on the database's thread.

Every repository function is a plain function of a `sqlite3.Connection`. One thread owns the
connection and runs every read and write on it, in the order they were asked for. Writes are
group-committed by that thread itself: whatever was asked for while its previous commit was in
flight runs as one transaction (one fsync), each operation inside its own SAVEPOINT so one
failing operation does not undo its neighbours. There is no waiting window: a lone write
commits at once, a crowd shares a commit.

Thread hand-offs: what the loop asks for in one of its turns is handed to the thread at once
(one queue put, one wake-up), and the thread hands back a whole batch's outcomes with one
`call_soon_threadsafe`. While writes keep arriving the thread goes from one commit straight to
the next, without a round trip through the event loop in between.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from bot.db.migrations import apply_migrations

log = logging.getLogger(__name__)

T = TypeVar("T")
Op = Callable[..., Any]

BUSY_TIMEOUT_MS = 2000
# SQLite copies the WAL back into the database inside the commit that passes this many pages,
# and that commit's acks wait for it. Its default, 1,000, made it the one-at-a-time ack's p99
# (~3 ms once the journal's indexes grow, against ~1.8 ms with no checkpoint at all); a fifth
# of it, copied five times as often, kept p99 at 1.7–2.0 ms with p50 and throughput unchanged
# (docs/BENCHMARKS.md).
WAL_CHECKPOINT_PAGES = 200


class DatabaseUnavailable(Exception):
    """The database could not durably store a write (locked, disk full, closed)."""


@dataclass(slots=True)
class _Job:
    fn: Op
    args: tuple[Any, ...]
    future: asyncio.Future[Any]
    write: bool


# (future, ok, value, was a write): what the thread hands back for each job.
_Outcome = tuple[asyncio.Future[Any], bool, Any, bool]


class Database:
    """Own the connection and its thread, the migrations and the group commits."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn: sqlite3.Connection | None = None
        self._jobs: queue.SimpleQueue[list[_Job] | None] = queue.SimpleQueue()
        self._outbox: list[_Job] = []  # asked for in this turn of the loop, handed over after
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped: asyncio.Future[None] | None = None
        self._writes_pending = 0
        self._running = False  # the thread takes work (set by open, cleared by close or its end)
        self.commits = 0
        self.committed_ops = 0
        self.schema_version = 0

    async def open(self) -> None:
        """Connect, set the pragmas, apply migrations and start the database's thread."""
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._loop = asyncio.get_running_loop()
        self._stopped = self._loop.create_future()
        self._jobs = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._work, name="database", daemon=True)
        self._running = True
        self._thread.start()
        self.schema_version = await self._submit(self._prepare, (), write=False)

    def _prepare(self, _: None) -> int:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, in `_commit_batch`.
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._conn = conn
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        conn.execute("PRAGMA foreign_keys = ON")
        return apply_migrations(conn)

    async def close(self) -> None:
        """Finish what was asked for, then stop the thread and close the connection."""
        if self._thread is None:
            return
        thread, self._thread = self._thread, None
        self._running = False
        self._hand_over()
        self._jobs.put(None)
        if self._stopped is not None and thread.is_alive():
            await self._stopped  # the thread's last act: it is ending
        thread.join()

    @property
    def is_open(self) -> bool:
        return self._conn is not None and self._thread is not None and self._thread.is_alive()

    @property
    def pending_writes(self) -> int:
        """Writes asked for and not yet committed."""
        return self._writes_pending

    def _submit(self, fn: Callable[..., T], args: tuple[Any, ...], *,
                write: bool) -> asyncio.Future[T]:
        if not self._running or self._loop is None:
            raise DatabaseUnavailable("the database is closed")
        future: asyncio.Future[T] = self._loop.create_future()
        if write:
            self._writes_pending += 1
        self._outbox.append(_Job(fn, args, future, write))
        if len(self._outbox) == 1:
            self._loop.call_soon(self._hand_over)
        return future

    def _hand_over(self) -> None:
        """Everything asked for in one turn of the loop goes to the thread at once: one
        wake-up for a crowd of alerts, not one each."""
        jobs, self._outbox = self._outbox, []
        if jobs:
            self._jobs.put(jobs)

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(conn, *args)` on the database's thread, outside any write transaction."""
        try:
            return await self._submit(fn, args, write=False)
        except sqlite3.OperationalError as exc:
            raise DatabaseUnavailable(str(exc)) from exc

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(conn, *args)` in the next group commit; return once it is durable."""
        return await self._submit(fn, args, write=True)

    async def ping(self) -> bool:
        try:
            return await self.read(lambda conn: conn.execute("SELECT 1").fetchone()[0] == 1)
        except DatabaseUnavailable:
            return False

    async def data_version(self) -> int:
        """Return SQLite's data_version: it changes when *another* connection commits."""
        return await self.read(lambda conn: conn.execute("PRAGMA data_version").fetchone()[0])

    # --- on the database's thread ---

    def _work(self) -> None:
        try:
            self._serve(self._jobs)
        finally:
            self._running = False
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            self._hand_back([])  # and then stopped

    def _serve(self, jobs: queue.SimpleQueue[list[_Job] | None]) -> None:
        stopping = False
        while not stopping:
            handed = [jobs.get()]
            with contextlib.suppress(queue.Empty):
                while True:
                    handed.append(jobs.get_nowait())
            batch: list[_Job | None] = []
            for part in handed:
                batch += part if part is not None else [None]
            done: list[_Outcome] = []
            writes: list[_Job] = []
            # In the order asked for; consecutive writes share one commit.
            for job in batch:
                if job is None:
                    stopping = True
                elif job.write:
                    writes.append(job)
                else:
                    if writes:
                        done += self._commit(writes)
                        writes = []
                    done.append(self._read(job))
            if writes:
                done += self._commit(writes)
            if done:
                self._hand_back(done)

    def _read(self, job: _Job) -> _Outcome:
        try:
            return job.future, True, job.fn(self._conn, *job.args), False
        except BaseException as exc:  # handed to the caller, like any outcome
            return job.future, False, exc, False

    def _commit(self, writes: list[_Job]) -> list[_Outcome]:
        ops = [(job.fn, job.args) for job in writes]
        try:
            if self._conn is None:
                raise DatabaseUnavailable("the database is closed")
            outcomes = self._commit_batch(self._conn, ops)
        except Exception as exc:  # the connection itself failed
            log.error("database write failed: %s", exc)
            outcomes = [(False, DatabaseUnavailable(str(exc)))] * len(ops)
        return [(job.future, ok, value, True)
                for job, (ok, value) in zip(writes, outcomes, strict=True)]

    def _hand_back(self, done: list[_Outcome]) -> None:
        loop = self._loop
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting
            loop.call_soon_threadsafe(self._settle, done)

    # --- back on the event loop ---

    def _settle(self, done: list[_Outcome]) -> None:
        if not done and self._stopped is not None and not self._stopped.done():
            self._stopped.set_result(None)  # the thread's last hand-back: it is ending
        for future, ok, value, write in done:
            if write:
                self._writes_pending -= 1
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
                savepoint = not getattr(fn, "single_statement", False)
                if savepoint:
                    conn.execute("SAVEPOINT op")
                try:
                    result = fn(conn, *args)
                except Exception as exc:
                    if not conn.in_transaction:
                        # SQLite rolled the whole transaction back itself (disk full, I/O
                        # error): nothing in this batch is stored.
                        raise DatabaseUnavailable(str(exc)) from exc
                    if savepoint:
                        conn.execute("ROLLBACK TO op")
                        conn.execute("RELEASE op")
                    if isinstance(exc, sqlite3.OperationalError):  # locked, disk full, I/O
                        exc = DatabaseUnavailable(str(exc))
                    outcomes.append((False, exc))
                else:
                    if savepoint:
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


F = TypeVar("F", bound=Callable[..., Any])


def single_statement(fn: F) -> F:
    """Mark a write function whose only change to the database is one statement, run last
    (reads before it are fine): SQLite undoes a statement that fails by itself, so the writer
    runs it without a SAVEPOINT of its own — three statements fewer on the thread a write,
    each a release and a re-take of the interpreter lock."""
    fn.single_statement = True  # type: ignore[attr-defined]
    return fn
