"""wrk, the C load generator, driven from the bench: closed-loop connections for a fixed time.

A Python client on these 2 cores caps a bare aiohttp server at about a quarter of its speed, so
the acknowledgement's throughput and its one-at-a-time latency are measured with wrk (Debian's
package; `make bench` installs it where it can). A Lua script makes every request unique — its
own `id` and price, the users in turn — and prints wrk's own summary (HdrHistogram latencies,
µs) as one JSON line. Each wrk thread numbers its requests `thread, thread + threads, …`, so no
two requests of a run share an id.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import shutil
from dataclasses import dataclass
from pathlib import Path

MARK = "WRK-JSON "
MISSING = ("wrk is not installed (`make bench` installs Debian's where it runs as root; else "
           "`sudo apt-get install wrk`, or BOTBYBIT_WRK=/path/to/wrk)")

# `paths` and `tag` are filled in per run. Requests rotate over the paths (one per user), each
# with a body like bench.ack.alert(): a unique id and price, BTCUSDT, buy.
_SCRIPT = """
local paths = {%(paths)s}
local tag = "%(tag)s"
local threads = {}
local counter = 0
local step = 1
local offset = 0
local headers = {["Content-Type"] = "text/plain"}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  step = %(threads)d
end

function request()
  local n = counter * step + offset
  counter = counter + 1
  local body = string.format(
    '{"symbol":"BTCUSDT","action":"buy","price":%%d.%%02d,"id":"%%s-%%d"}',
    50000 + math.floor(n / 100), n %% 100, tag, n)
  return wrk.format("POST", paths[(n %% #paths) + 1], headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%(mark)s{"requests":%%d,"duration_us":%%d,"connect":%%d,"read":%%d,"write":%%d,' ..
    '"status":%%d,"timeout":%%d,"p50_us":%%d,"p90_us":%%d,"p99_us":%%d,"max_us":%%d,' ..
    '"mean_us":%%.1f}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
"""


def find() -> str | None:
    """wrk's path: $BOTBYBIT_WRK, else `wrk` on the PATH; None when it is not installed."""
    given = os.environ.get("BOTBYBIT_WRK")
    if given and os.access(given, os.X_OK):
        return given
    return shutil.which("wrk")


@dataclass(frozen=True)
class WrkRun:
    """wrk's summary of one run."""

    requests: int
    duration_s: float
    errors: dict[str, int]  # connect, read, write, status (non-2xx/3xx), timeout
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    cpu_s: float = 0.0  # wrk's own CPU seconds (user + system)

    @property
    def rate(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def failed(self) -> int:
        return sum(self.errors.values())

    # The same reading as bench.load.Run's, so a report takes either.
    @property
    def sent(self) -> int:
        return self.requests

    @property
    def ok(self) -> int:
        return self.requests - self.errors["status"]

    @property
    def statuses(self) -> dict[str, int]:
        return {"2xx": self.ok, **{k: v for k, v in self.errors.items() if v}}

    capped = False  # wrk runs for a duration, not a count
    generator_lag_ms = 0.0  # wrk is C in its own process: no collector, no shared loop

    def percentile(self, p: float) -> float:
        """wrk's own percentiles (HdrHistogram): 50, 90 and 99 are kept."""
        return {50: self.p50_ms, 90: self.p90_ms, 99: self.p99_ms, 100: self.max_ms}[int(p)]


def script(paths: list[str], tag: str, threads: int) -> str:
    if any('"' in p or "\\" in p for p in paths) or '"' in tag:
        raise ValueError("paths and tag must not need escaping")
    return _SCRIPT % {"paths": ",".join(f'"{p}"' for p in paths), "tag": tag,
                      "threads": threads, "mark": MARK}


async def run(wrk: str, base: str, paths: list[str], *, tag: str, connections: int,
              threads: int, duration_s: float, scratch: Path) -> WrkRun:
    """Run wrk against `base` (http://host:port) for `duration_s`; return its summary."""
    lua = scratch / f"wrk-{tag}.lua"
    lua.write_text(script(paths, tag, threads))
    proc = await asyncio.create_subprocess_exec(
        wrk, f"-t{threads}", f"-c{connections}", f"-d{duration_s:g}s", "--timeout", "10s",
        "-s", str(lua), base + paths[0], stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    out, err = await proc.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
    lua.unlink(missing_ok=True)
    text = out.decode(errors="replace")
    for line in text.splitlines():
        if line.startswith(MARK):
            found = json.loads(line[len(MARK):])
            return WrkRun(
                requests=found["requests"], duration_s=found["duration_us"] / 1e6,
                errors={k: found[k] for k in ("connect", "read", "write", "status", "timeout")},
                p50_ms=found["p50_us"] / 1000, p90_ms=found["p90_us"] / 1000,
                p99_ms=found["p99_us"] / 1000, max_ms=found["max_us"] / 1000,
                mean_ms=found["mean_us"] / 1000, cpu_s=cpu_s)
    raise RuntimeError(f"wrk printed no summary (exit {proc.returncode}):\n{text}\n"
                       f"{err.decode(errors='replace')}")
