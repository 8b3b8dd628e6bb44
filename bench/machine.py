"""The machine the numbers came from: cores, versions, the disk's fsync, and who else ran.

The bench shares the machine with whatever else runs on it. `CpuWatch` reads /proc/stat and
the CPU time of our own processes, so the report can say how much of the machine other
processes took while a phase ran — a figure measured under a busy neighbour is marked so.
"""

from __future__ import annotations

import contextlib
import os
import platform
import resource
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from bench.load import percentile

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "aiohttp": version("aiohttp"),
        "pybit": version("pybit"),
        "websocket-client": version("websocket-client"),
        "sqlite": sqlite3.sqlite_version,
    }


def describe() -> dict[str, str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": str(os.cpu_count()), "cpu": cpu, "kernel": platform.release(),
            "implementation": f"{platform.python_implementation()} {sys.version.split()[0]}"}


def fsync_ms(directory: Path, rounds: int = 200) -> tuple[float, float]:
    """p50 and p99 of one 4 KiB append + fsync in `directory`: the floor of a durable commit."""
    path = directory / "fsync-probe.bin"
    samples = []
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for _ in range(rounds):
            os.write(fd, b"\0" * 4096)
            start = time.perf_counter()
            os.fsync(fd)
            samples.append((time.perf_counter() - start) * 1000)
    finally:
        os.close(fd)
        path.unlink(missing_ok=True)
    return percentile(samples, 50), percentile(samples, 99)


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS


def _own_cpu() -> float:
    """CPU seconds of this process and its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


@dataclass
class CpuShare:
    """How the machine's CPU was spent during one phase, in cores (2.0 = both cores busy)."""

    wall_s: float
    ours: float  # the bench process plus the processes it watched
    others: float  # everything else on the machine


class CpuWatch:
    """Measure machine-wide and our own CPU over a phase: `watch.start(); …; watch.stop()`."""

    def __init__(self, cpu_of_children: list[Callable[[], float]]) -> None:
        self._children = cpu_of_children  # callables returning a child's CPU seconds
        self._start: tuple[float, float, float] | None = None

    def _ours(self) -> float:
        total = _own_cpu()
        for read in self._children:
            with contextlib.suppress(OSError, AssertionError):  # the process has ended
                total += read()
        return total

    def start(self) -> None:
        busy, _ = _machine_busy()
        self._start = (time.perf_counter(), busy, self._ours())

    def stop(self) -> CpuShare:
        assert self._start is not None
        began, busy0, ours0 = self._start
        wall = time.perf_counter() - began
        busy, _ = _machine_busy()
        ours = self._ours() - ours0
        others = max(0.0, (busy - busy0) - ours)
        return CpuShare(wall, ours / wall if wall else 0.0, others / wall if wall else 0.0)


class RunWatch:
    """Machine-wide CPU against ours (this process and every child it reaped) over a run."""

    def __init__(self) -> None:
        self._began = time.perf_counter()
        self._busy = _machine_busy()[0]
        self._ours = self._ours_now()

    @staticmethod
    def _ours_now() -> float:
        total = 0.0
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
            usage = resource.getrusage(who)
            total += usage.ru_utime + usage.ru_stime
        return total

    def stop(self) -> CpuShare:
        wall = time.perf_counter() - self._began
        ours = self._ours_now() - self._ours
        others = max(0.0, _machine_busy()[0] - self._busy - ours)
        return CpuShare(wall, ours / wall, others / wall)


def others_now(window_s: float = 0.5) -> float:
    """Cores used by everything but this process over the next `window_s` (children count as
    others: call this between loads, when they are idle)."""
    busy0, own0 = _machine_busy()[0], _own_cpu()
    time.sleep(window_s)
    return max(0.0, (_machine_busy()[0] - busy0) - (_own_cpu() - own0)) / window_s


def wait_quiet(limit_cores: float = 0.3, max_wait_s: float = 15.0) -> float:
    """Wait (at most `max_wait_s`) until other processes use under `limit_cores`; return the
    last reading. A shared machine is the largest source of noise in these figures."""
    deadline = time.perf_counter() + max_wait_s
    while True:
        load = others_now()
        if load < limit_cores or time.perf_counter() > deadline:
            return load
