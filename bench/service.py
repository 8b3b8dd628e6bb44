"""The real service as a subprocess (`python main.py --config …`), its users, and its vitals.

Users are registered straight in its database with the project's own `UserRepo` (the same
`BOTBYBIT_MASTER_KEY` encrypts their demo keys) before the process starts, as an operator's
`python main.py users add` would. Memory is VmRSS from /proc/<pid>/status; CPU time comes from
/proc/<pid>/stat.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import yaml
from cryptography.fernet import Fernet

from bot.crypto import SecretBox
from bot.db import Database, UserRepo
from bot.models import UserSettings

ROOT = Path(__file__).resolve().parents[1]
MASTER_KEY = Fernet.generate_key().decode()
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Variables that would change what the service does (a bot, the legacy keys, another config).
_DROPPED_ENV = ("TELEGRAM_BOT_TOKEN", "BYBIT_API_KEY", "BYBIT_API_SECRET", "BOTBYBIT_CONFIG",
                "PORT", "LOG_LEVEL", "LEGACY_WEBHOOK_SECRET")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Trader:
    """A registered user as a sender sees it."""

    id: int
    token: str
    api_key: str
    market_type: str

    def url(self, base: str) -> str:
        return f"{base}/personal/{self.id}/webhook?token={self.token}"


async def register(db_path: Path, user_ids: range, *, market_type: str,
                   batch: int = 500) -> list[Trader]:
    """Register active users on demo with stored keys (`key-<id>` / `secret-<id>`)."""
    db = Database(db_path)
    await db.open()
    users = UserRepo(db, SecretBox(MASTER_KEY.encode()))
    settings = UserSettings(market_type=market_type, trade_amount=Decimal(100), leverage=10,
                            account_type="demo")

    async def one(user_id: int) -> Trader:
        user, _ = await users.create_user(user_id, defaults=settings, is_active=True,
                                          first_name=f"bench{user_id}")
        await users.set_api_keys(user_id, "demo", f"key-{user_id}", f"secret-{user_id}")
        return Trader(user_id, users.webhook_token(user), f"key-{user_id}", market_type)

    try:
        traders: list[Trader] = []
        ids = list(user_ids)
        for start in range(0, len(ids), batch):  # concurrent writes share group commits
            traders += await asyncio.gather(*(one(i) for i in ids[start:start + batch]))
        return traders
    finally:
        await db.close()


def service_config(workdir: Path, port: int, bybit_url: str, *,
                   bybit: dict[str, Any] | None = None,
                   limits: dict[str, Any] | None = None) -> dict[str, Any]:
    """The bench's config.yaml: 127.0.0.1, rate limits off, signals never stale, Bybit's REST
    and streams at the fake; everything else (journal durability, thread pool, IP budget,
    parallel executions, private streams) as shipped unless a phase overrides it."""
    return {
        "server": {"host": "127.0.0.1", "port": port, "public_url": f"http://127.0.0.1:{port}",
                   "shutdown_timeout_s": 2},
        "database": {"path": str(workdir / "data" / "botbybit.db")},
        # The streams too: the fake serves them on its REST port (ws://, same host and port).
        "bybit": {"base_url": bybit_url, "stream_url": bybit_url.replace("http", "ws", 1),
                  **(bybit or {})},
        "limits": {"per_user_per_minute": 0, "per_ip_per_minute": 0,
                   "max_signal_age_s": 3600, **(limits or {})},
        "legacy_webhook": {"enabled": False},
    }


class ServiceRun:
    """One `python main.py` process: start it, time its start-up, read its vitals, stop it."""

    def __init__(self, workdir: Path, config: dict[str, Any]) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.workdir = workdir
        self.port = config["server"]["port"]
        self.base = f"http://127.0.0.1:{self.port}"
        self.config_path = workdir / "config.yaml"
        self.config_path.write_text(yaml.safe_dump(config))
        self.log_path = workdir / "service.log"
        self.proc: asyncio.subprocess.Process | None = None
        self.startup_s = float("nan")

    @property
    def db_path(self) -> Path:
        return self.workdir / "data" / "botbybit.db"

    async def start(self, timeout: float = 30.0) -> float:
        """Start the process; return seconds from exec to the first /healthz 200."""
        env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
        env.update(BOTBYBIT_MASTER_KEY=MASTER_KEY, NO_PROXY="127.0.0.1,localhost",
                   no_proxy="127.0.0.1,localhost")
        with self.log_path.open("ab") as log:  # the operator's log file: what production pays
            began = time.perf_counter()
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, str(ROOT / "main.py"), "--config", str(self.config_path),
                cwd=self.workdir, env=env, stdout=log, stderr=log)
        async with aiohttp.ClientSession() as http:
            while time.perf_counter() - began < timeout:
                if self.proc.returncode is not None:
                    break
                with contextlib.suppress(aiohttp.ClientError, OSError):
                    async with http.get(self.base + "/healthz") as response:
                        if response.status == 200:
                            self.startup_s = time.perf_counter() - began
                            return self.startup_s
                await asyncio.sleep(0.005)
        raise RuntimeError(f"the service did not become healthy; log:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def rss_mb(self) -> float:
        """Resident memory of the service process (VmRSS), in MB."""
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_s(self) -> float:
        """User + system CPU seconds the service process used so far (all its threads)."""
        assert self.proc is not None
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def thread_cpu_s(self) -> dict[str, float]:
        """CPU seconds by thread: the event loop, the database thread, and the rest (pybit's
        pool). The database thread is the first one the process starts (Database.open comes
        before the exchanges in Service.start)."""
        assert self.proc is not None
        spent: dict[int, float] = {}
        for stat in Path(f"/proc/{self.proc.pid}/task").glob("*/stat"):
            with contextlib.suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                spent[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        main = spent.pop(self.proc.pid, 0.0)
        database = spent.pop(min(spent), 0.0) if spent else 0.0
        return {"loop": main, "database": database, "other threads": sum(spent.values())}

    async def health(self, http: aiohttp.ClientSession) -> dict[str, Any]:
        async with http.get(self.base + "/healthz") as response:
            return await response.json()

    async def wait_synced(self, http: aiohttp.ClientSession, count: int,
                          timeout: float = 30.0, settle_s: float = 3.0) -> dict[str, Any]:
        """Wait until /healthz counts `count` synced private streams, or until that number has
        not grown for `settle_s` (fewer can be synced; the caller reports how many). Return
        /healthz's streams."""
        deadline = time.perf_counter() + timeout
        best, since = -1, time.perf_counter()
        while True:
            streams = (await self.health(http))["streams"]
            synced = streams["private"]["synced"]
            now = time.perf_counter()
            if synced > best:
                best, since = synced, now
            if synced >= count or now - since > settle_s or now > deadline:
                return streams
            await asyncio.sleep(0.05)

    async def wait_idle(self, http: aiohttp.ClientSession, completed: int,
                        timeout: float, poll_s: float = 0.02) -> float:
        """Wait until the dispatcher completed `completed` jobs and no lane is left.

        Return the perf_counter time it was first seen so (poll granularity `poll_s`).
        """
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            queue = (await self.health(http))["queue"]
            if queue["completed"] >= completed and queue["lanes"] == 0:
                return time.perf_counter()
            await asyncio.sleep(poll_s)
        raise TimeoutError(f"the service did not finish {completed} jobs in {timeout} s")

    async def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM and wait; SIGKILL if it does not stop in time."""
        if self.proc is None or self.proc.returncode is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.kill()
            return await self.proc.wait()


class BaselineRun:
    """The bare aiohttp baseline (`python -m bench.baseline`) as a subprocess; with `journal`,
    the durable floor (the baseline storing each alert through the group-commit writer)."""

    def __init__(self, journal: Path | None = None) -> None:
        self.proc: asyncio.subprocess.Process | None = None
        self.base = ""
        self.journal = journal

    async def start(self) -> None:
        extra = ["--journal", str(self.journal)] if self.journal is not None else []
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.baseline", "--port", "0", *extra, cwd=ROOT,
            stdout=asyncio.subprocess.PIPE)
        assert self.proc.stdout is not None
        line = await asyncio.wait_for(self.proc.stdout.readline(), 20)
        self.base = f"http://127.0.0.1:{int(line.split()[-1])}"

    def cpu_s(self) -> float:
        assert self.proc is not None
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.proc.wait(), 10)


async def fresh_service(root: Path, name: str, fake: Any, groups: list[tuple[range, str]], *,
                        bybit: dict[str, Any] | None = None,
                        limits: dict[str, Any] | None = None,
                        ) -> tuple[ServiceRun, list[Trader]]:
    """A new database with these users (ids, market type), their fake accounts, and a
    started service. Each phase gets its own, so no backlog carries over."""
    workdir = root / name
    run = ServiceRun(workdir, service_config(workdir, free_port(), fake.url, bybit=bybit,
                                             limits=limits))
    traders: list[Trader] = []
    for ids, market_type in groups:
        traders += await register(run.db_path, ids, market_type=market_type)
    for trader in traders:
        fake.add_account(trader.api_key, f"secret-{trader.id}")
    await run.start()
    return run, traders
