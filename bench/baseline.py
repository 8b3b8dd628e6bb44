"""The baseline: a bare aiohttp handler that parses the same JSON and answers 200.

    python -m bench.baseline --port 0
    python -m bench.baseline --port 0 --journal /tmp/floor.db

It prints `listening on <port>` once ready. No journal, no authentication, no dispatcher:
what any aiohttp service on this machine pays for receiving an alert and answering it.
With `--journal`, the same handler also stores the body durably before answering — one INSERT
through the service's own group-commit writer (`bot.db.core.Database`: WAL,
`synchronous=FULL`) — and nothing else: no token, no validation, no log line, no dispatch.
That is the floor of a durable ack here; the service's distance from it is its intake.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import socket
import sqlite3
import sys
import time
from itertools import count
from pathlib import Path

from aiohttp import web

from bot.db.core import Database, single_statement

_ids = count(1)
JOURNAL_KEY: web.AppKey[Database] = web.AppKey("journal", Database)


@single_statement
def _insert(conn: sqlite3.Connection, path: str, body: str, at: float) -> int:
    cursor = conn.execute("INSERT INTO floor_acks (path, body, received_at) VALUES (?, ?, ?)",
                          (path, body, at))
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _create(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS floor_acks (id INTEGER PRIMARY KEY, path TEXT,"
                 " body TEXT, received_at REAL)")


async def journaled(request: web.Request) -> web.Response:
    """Parse the alert, store it durably, then answer: the durable ack and nothing more."""
    body = await request.read()
    data = json.loads(body)
    if not isinstance(data, dict):
        return web.json_response({"ok": False, "error": "bad_json"}, status=400)
    signal_id = await request.app[JOURNAL_KEY].write(_insert, request.path, body.decode(),
                                                     time.time())
    return web.json_response({"ok": True, "signal_id": signal_id, "status": "queued"})


async def webhook(request: web.Request) -> web.Response:
    """Parse the alert and answer like the service does, without doing anything else."""
    data = json.loads(await request.read())
    if not isinstance(data, dict):
        return web.json_response({"ok": False, "error": "bad_json"}, status=400)
    return web.json_response({"ok": True, "signal_id": next(_ids), "status": "queued"})


async def healthz(_: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def serve(port: int, journal: Path | None) -> None:
    app = web.Application()
    db = None
    if journal is not None:
        db = app[JOURNAL_KEY] = Database(journal)
        await db.open()
        await db.write(_create)
    app.router.add_post("/personal/{user_id}/webhook", webhook if db is None else journaled)
    app.router.add_get("/healthz", healthz)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    site = web.SockSite(runner, sock)
    await site.start()
    print(f"listening on {sock.getsockname()[1]}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()
    if db is not None:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--journal", type=Path, help="store every alert durably in this file")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port, args.journal))
    sys.exit(0)


if __name__ == "__main__":
    main()
