"""Run `main.py` as a real subprocess and follow its log, for end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path
from typing import ClassVar

import yaml

ROOT = Path(__file__).resolve().parents[1]


class ServiceProcess:
    """`python main.py --config …` with its stderr captured line by line."""

    # Started and not yet ended: tests/conftest.py kills what a failed test left running.
    alive: ClassVar[set[ServiceProcess]] = set()

    def __init__(self, config: dict, tmp_path: Path, env: dict[str, str] | None = None) -> None:
        self.config_path = tmp_path / "config.yaml"
        self.config_path.write_text(yaml.safe_dump(config))
        self.env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost",
                    "no_proxy": "127.0.0.1,localhost", **(env or {})}
        self.cwd = tmp_path
        self.lines: list[str] = []
        self.proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._new_line = asyncio.Condition()

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "main.py"), "--config", str(self.config_path),
            cwd=self.cwd, env=self.env, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE)
        ServiceProcess.alive.add(self)
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        while line := await self.proc.stderr.readline():
            async with self._new_line:
                self.lines.append(line.decode(errors="replace").rstrip())
                self._new_line.notify_all()
        await self.proc.wait()
        ServiceProcess.alive.discard(self)
        async with self._new_line:
            self._new_line.notify_all()

    async def wait_for_line(self, pattern: str, timeout: float = 20) -> re.Match[str]:
        """Wait until a log line matches; fail with the log so far."""
        regex = re.compile(pattern)

        def find() -> re.Match[str] | None:
            for line in self.lines:
                match = regex.search(line)
                if match:
                    return match
            return None

        async def wait() -> re.Match[str]:
            async with self._new_line:
                while (match := find()) is None:
                    if self._reader is not None and self._reader.done():
                        raise AssertionError(f"process ended before {pattern!r}:\n"
                                             + "\n".join(self.lines))
                    await self._new_line.wait()
                return match

        try:
            return await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            raise AssertionError(f"no log line matched {pattern!r} within {timeout} s:\n"
                                 + "\n".join(self.lines)) from None

    async def wait_for_count(self, pattern: str, count: int, timeout: float = 60) -> int:
        """Wait until `count` log lines match; return how many matched."""
        regex = re.compile(pattern)
        seen = 0
        scanned = 0

        async def wait() -> int:
            nonlocal seen, scanned
            async with self._new_line:
                while True:
                    seen += sum(1 for line in self.lines[scanned:] if regex.search(line))
                    scanned = len(self.lines)
                    if seen >= count:
                        return seen
                    if self._reader is not None and self._reader.done():
                        raise AssertionError(f"process ended with {seen}/{count} {pattern!r}")
                    await self._new_line.wait()

        try:
            return await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            raise AssertionError(f"only {seen}/{count} lines matched {pattern!r} within "
                                 f"{timeout} s") from None

    def rss_kib(self) -> int:
        """The process's resident memory, from /proc."""
        assert self.proc is not None
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise AssertionError("no VmRSS")

    async def wait_ready(self) -> int:
        """Wait for the listening line; return the port."""
        match = await self.wait_for_line(r"webhook server listening on http://[^:]+:(\d+)")
        return int(match.group(1))

    async def terminate(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        if self._reader is not None:
            await self._reader
        return code

    async def kill(self) -> None:
        """SIGKILL: the crash the journal must survive."""
        assert self.proc is not None
        self.proc.kill()
        await self.proc.wait()
        if self._reader is not None:
            await self._reader

    @property
    def log(self) -> str:
        return "\n".join(self.lines)
