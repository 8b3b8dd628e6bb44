"""The baseline: a bare aiohttp handler that parses the same JSON and answers 200.

    python -m bench.baseline --port 0

It prints `listening on <port>` once ready. No journal, no authentication, no dispatcher:
what any aiohttp service on this machine pays for receiving an alert and answering it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import socket
import sys
from itertools import count

from aiohttp import web

_ids = count(1)


async def webhook(request: web.Request) -> web.Response:
    """Parse the alert and answer like the service does, without doing anything else."""
    data = json.loads(await request.read())
    if not isinstance(data, dict):
        return web.json_response({"ok": False, "error": "bad_json"}, status=400)
    return web.json_response({"ok": True, "signal_id": next(_ids), "status": "queued"})


async def healthz(_: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def serve(port: int) -> None:
    app = web.Application()
    app.router.add_post("/personal/{user_id}/webhook", webhook)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port))
    sys.exit(0)


if __name__ == "__main__":
    main()
