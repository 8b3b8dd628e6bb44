"""A process that holds many Bybit private streams: ours (aiohttp) or pybit's `WebSocket`.

    python -m bench.ws_clients aiohttp|pybit --url ws://127.0.0.1:<port> --count 500
        [--raise-first KEY] [--open-timeout S]

Started by `bench/ws_compare.py`, which reads this process's memory, threads and CPU from
/proc while it holds the streams, so nothing else runs in it. Account i signs in with
`ws-<i>` / `ws-secret-<i>`. Commands, one a line on stdin: `open` (open every stream, each
subscribed to position, execution, order and wallet), `status`, `quit`. Answers, one JSON
object a line on stdout: `ready` (imported, nothing open), `opened`, `status`, and `message`
for every topic message a callback received. `--raise-first KEY`: that account's callback
raises on its first topic message (the behaviour check).

- **aiohttp**: `bot.trading.streams.manager.StreamManager(stream_url=…, max_private=count)`,
  `open_private` per account, every stream's resync a coroutine returning `([], [])` (no
  REST: the streams alone are measured), ping every 20 s, the manager's own session — all as
  shipped but the budget of openings, raised to `count` (the fake is not Bybit). `opened`
  reports that session's connector limit (aiohttp's default is 100 connections, and a
  WebSocket holds its connection for life: with it, the 101st stream would wait for a free
  slot).
- **pybit**: `pybit.unified_trading.WebSocket(channel_type="private", testnet=False,
  demo=True, …)`, defaults as shipped (ping_interval 20 s, ping_timeout 10 s, 10 retries,
  restart_on_error). pybit builds `wss://stream-demo.bybit.com/v5/private` from its own host
  names; `LocalWebSocket` overrides `_connect(url)` — the one method that receives that URL
  template (and, on a reconnect, the endpoint it made) — to pass the fake's URL instead.
  And pybit records a subscription only after sending it: on 127.0.0.1 the fake's answer can
  arrive first, and pybit's reader thread fails (KeyError) and ends that stream; the answer
  waits for the record (as a network round trip would), and `opened` says how often.
  Nothing else of pybit changes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import threading
import time
from typing import Any

TOPICS = ("position", "execution", "order", "wallet")
_out = threading.Lock()


def emit(event: str, **fields: Any) -> None:
    with _out:
        sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
        sys.stdout.flush()


def keys(count: int) -> list[tuple[str, str]]:
    return [(f"ws-{i}", f"ws-secret-{i}") for i in range(count)]


class Callbacks:
    """Count topic messages; the account named by `raise_first` raises on its first."""

    def __init__(self, raise_first: str | None) -> None:
        self.raise_first = raise_first
        self.raised = False
        self.messages = 0

    def __call__(self, key: str, message: dict[str, Any]) -> None:
        self.messages += 1
        emit("message", key=key, topic=message.get("topic"))
        if key == self.raise_first and not self.raised:
            self.raised = True
            raise RuntimeError(f"bench: the callback of {key} raises on its first message")


# --- pybit -----------------------------------------------------------------------------------

def run_pybit(url: str, count: int, callbacks: Callbacks) -> None:
    from pybit.unified_trading import WebSocket

    class LocalWebSocket(WebSocket):
        def __init__(self, local_url: str, **kwargs: Any) -> None:
            self._local_url = local_url
            super().__init__(channel_type="private", testnet=False, demo=True, **kwargs)

        def _connect(self, url: str) -> None:  # pybit's URL template is replaced
            super()._connect(self._local_url)

        def _process_subscription_message(self, message: dict[str, Any]) -> None:
            # pybit records a subscription only after sending it; the fake on 127.0.0.1 can
            # answer first, and the KeyError ends the stream. Wait (at most 1 s) as a network
            # round trip would, and count how often it was needed.
            req_id = message.get("req_id")
            if req_id and req_id not in self.subscriptions:
                races[0] += 1
                deadline = time.monotonic() + 1.0
                while req_id not in self.subscriptions and time.monotonic() < deadline:
                    time.sleep(0.001)
            super()._process_subscription_message(message)

    streams: dict[str, Any] = {}
    races = [0]
    emit("ready")
    for line in sys.stdin:
        command = line.strip()
        if command == "open":
            began = time.perf_counter()
            for key, secret in keys(count):
                ws = LocalWebSocket(f"{url}/v5/private", api_key=key, api_secret=secret)
                for topic in TOPICS:
                    getattr(ws, f"{topic}_stream")(lambda m, k=key: callbacks(k, m))
                streams[key] = ws
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not all(s.auth for s in streams.values()):
                time.sleep(0.01)
            emit("opened", seconds=time.perf_counter() - began,
                 authenticated=sum(1 for s in streams.values() if s.auth), races=races[0])
        elif command == "status":
            emit("status", messages=callbacks.messages, streams={
                key: {"connected": ws.is_connected(), "exited": ws.exited, "auth": ws.auth}
                for key, ws in streams.items()})
        elif command == "quit":
            return


# --- aiohttp (ours) --------------------------------------------------------------------------

async def run_aiohttp(url: str, count: int, callbacks: Callbacks, *,
                      open_timeout: float) -> None:
    from bot.trading.streams.budget import OPENINGS_PER_WINDOW, OpeningBudget
    from bot.trading.streams.manager import StreamManager
    from bot.vocabulary import AccountType

    async def resync() -> tuple[list[Any], list[Any]]:
        return [], []

    # The budget of openings (Bybit's limit per domain) raised to `count`: this measures the
    # client holding `count` streams; against Bybit, openings past 300 in 5 minutes wait.
    manager = StreamManager(stream_url=url, max_private=count,
                            budget=OpeningBudget(limit=max(count, OPENINGS_PER_WINDOW)))
    await manager.start()
    session = manager._session
    limit = session.connector.limit if session is not None and session.connector else None
    streams: dict[str, Any] = {}
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    emit("ready")
    try:
        while line := await reader.readline():
            command = line.decode().strip()
            if command == "open":
                began = time.perf_counter()
                for i, (key, secret) in enumerate(keys(count)):
                    stream = manager.open_private((i, AccountType.DEMO), api_key=key,
                                                  api_secret=secret, resync=resync)
                    assert stream is not None
                    streams[key] = stream
                    apply = stream.connection._on_message  # the state's, as in the service

                    def on_message(message: dict[str, Any], key: str = key,
                                   apply: Any = apply) -> None:
                        callbacks(key, message)
                        apply(message)

                    stream.connection._on_message = on_message
                while manager.status()["private"]["synced"] < count:
                    if time.perf_counter() - began > open_timeout:
                        break
                    await asyncio.sleep(0.01)
                emit("opened", seconds=time.perf_counter() - began,
                     authenticated=manager.status()["private"]["synced"],
                     connector_limit=limit)
            elif command == "status":
                emit("status", messages=callbacks.messages, streams={
                    key: {"connected": s.live, "connects": s.connection.connects,
                          "reconnects": s.connection.reconnects, "resyncs": s.resyncs,
                          "handler_errors": s.connection.handler_errors}
                    for key, s in streams.items()})
            elif command == "quit":
                return
    finally:
        await manager.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("aiohttp", "pybit"))
    parser.add_argument("--url", required=True, help="ws://host:port of the fake Bybit")
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--raise-first", default=None)
    parser.add_argument("--open-timeout", type=float, default=60.0,
                        help="aiohttp: stop waiting for every stream after this long")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    callbacks = Callbacks(args.raise_first)
    if args.kind == "pybit":
        run_pybit(args.url, args.count, callbacks)
    else:
        asyncio.run(run_aiohttp(args.url, args.count, callbacks,
                                open_timeout=args.open_timeout))


if __name__ == "__main__":
    main()
