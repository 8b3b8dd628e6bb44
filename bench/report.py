"""One table, printed and written to docs/BENCHMARKS.md with the machine and the versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.ack import WRK_CONNECTIONS, AckResults, ratio
from bench.execution import Parallel
from bench.load import percentile
from bench.memory import Memory
from bench.positions import Positions
from bench.positions_text import rows as position_rows
from bench.steady import Steady
from bench.ws_compare import OURS, Check, Comparison


@dataclass(frozen=True)
class Row:
    figure: str
    ours: str
    baseline: str
    target: str
    verdict: str


def _verdict(met: bool | None, miss: str = "") -> str:
    if met is None:
        return "—"
    return "met" if met else f"**missed**{f' ({miss})' if miss else ''}"


def _ms(value: float) -> str:
    return f"{value:.2f} ms"


SKIPPED = "skipped: wrk is not installed (`apt-get install wrk`)"


def ack_rows(acks: AckResults) -> list[Row]:
    """The acknowledgement's rows: throughput and one at a time by wrk, 500/s offered by the
    Python client; a row wrk could not measure says so."""
    out: list[Row] = []
    loads = acks.loads
    tp = loads.get("throughput-parked")
    if tp:
        ours, base, share = tp["service"].run.rate, tp["baseline"].run.rate, ratio(tp)
        out.append(Row(f"Ack throughput, wrk -c{WRK_CONNECTIONS}, durable journal (exchange "
                       f"parked); medians of {len(tp['service'].rounds)} alternating rounds",
                       f"{ours:,.0f} req/s = {share:.2f}× the baseline", f"{base:,.0f} req/s",
                       "≥ 0.60× the baseline",
                       _verdict(share >= 0.6, f"{0.6 - share:.2f}× short")))
        if "floor" in tp:
            out.append(Row(f"Ack throughput, wrk -c{WRK_CONNECTIONS}, the durable floor: the "
                           "baseline storing each alert through the service's group-commit "
                           "writer, nothing else (no token, validation, log line or dispatch)",
                           f"{tp['floor'].run.rate:,.0f} req/s = "
                           f"{ratio(tp, 'floor'):.2f}× the baseline", "—",
                           "(context: durability alone)", "—"))
    else:
        out.append(Row(f"Ack throughput, wrk -c{WRK_CONNECTIONS}", SKIPPED, "—",
                       "≥ 0.60× the baseline", "—"))
    live = loads.get("throughput-live")
    if live and tp:
        rate = live["service"].run.rate
        out.append(Row(f"Ack throughput, wrk -c{WRK_CONNECTIONS}, execution live behind the "
                       "acks", f"{rate:,.0f} req/s = {rate / tp['baseline'].run.rate:.2f}× the "
                       "baseline", "—", "(context)", "—"))
    for name, label, limit in (
            ("rate-parked", "Ack latency at 500/s offered, Python client (exchange parked)", 10),
            ("rate-live", "Ack latency at 500/s offered, Python client, execution live "
                          "(private streams on)", 50)):
        if name not in loads:
            continue
        run = loads[name]["service"].run
        base_run = loads[name].get("baseline")
        p99 = run.percentile(99)
        out.append(Row(label, f"p50 {_ms(run.percentile(50))}, p99 {_ms(p99)} "
                       f"({run.rate:.0f}/s achieved)",
                       f"p50 {_ms(base_run.run.percentile(50))}, p99 "
                       f"{_ms(base_run.run.percentile(99))}" if base_run else "—",
                       f"p99 < {limit} ms", _verdict(p99 < limit,
                                                     f"{p99 / limit:.1f}× the target")))
    one = loads.get("one-parked")
    if not one:
        return [*out, Row("Ack latency, one request at a time (wrk -c1)", SKIPPED, "—",
                          "p50 ≤ 1 ms, p99 ≤ 3 ms", "—")]
    run = one["service"].run
    p50, p99 = run.percentile(50), run.percentile(99)
    misses = [f"p50 {p50 / 1:.1f}× the target" if p50 > 1 else "",
              f"p99 {p99 / 3:.1f}× the target" if p99 > 3 else ""]
    out.append(Row(f"Ack latency, one request at a time (wrk -c1; medians of "
                   f"{len(one['service'].rounds)} alternating rounds)",
                   f"p50 {_ms(p50)}, p99 {_ms(p99)}",
                   f"p50 {_ms(one['baseline'].run.percentile(50))}, p99 "
                   f"{_ms(one['baseline'].run.percentile(99))}", "p50 ≤ 1 ms, p99 ≤ 3 ms",
                   _verdict(p50 <= 1 and p99 <= 3, ", ".join(m for m in misses if m))))
    return out


def rows(acks: AckResults, s2o: dict[float, list[float]], par: list[Parallel],
         mem: Memory, steady: dict[str, Steady], ws: Comparison, mem_rest: Memory,
         positions: dict[str, Positions]) -> list[Row]:
    out = ack_rows(acks)
    for latency, samples in s2o.items():
        p50, p99 = percentile(samples, 50), percentile(samples, 99)
        target = "p50 < 20 ms" if latency == 0 else "(context)"
        met = p50 < 20 if latency == 0 else None
        out.append(Row(f"Signal → order at the exchange, exchange answers in "
                       f"{latency * 1000:.0f} ms", f"p50 {_ms(p50)}, p99 {_ms(p99)}", "—",
                       target, _verdict(met, f"{p50 / 20:.1f}× the target")))
    for result in par:
        met = result.total_s < 2
        out.append(Row(
            f"200 users × 5 signals, exchange 200 ms, {_setup(result)}",
            f"{result.total_s:.1f} s vs serial {result.serial_s:.0f} s "
            f"(×{result.serial_s / result.total_s:.0f}; {result.calls:,} calls)", "—",
            "well under 2 s",
            _verdict(met, f"floor {_floor(result):.1f} s: {_binding(result)}")))
    peak = max(mem.rss_seen_mb, mem.rss_lanes_mb)
    out.append(Row(f"Resident memory, {mem.users:,} users registered and seen",
                   f"{mem.rss_seen_mb:.0f} MB (idle after start {mem.rss_idle_mb:.0f} MB)", "—",
                   "< 200 MB", _verdict(mem.rss_seen_mb < 200,
                                        f"REST only {mem_rest.rss_seen_mb:.0f} MB: see the notes")))
    out.append(Row(f"Resident memory, {mem.lanes:,} active lanes", f"{mem.rss_lanes_mb:.0f} MB",
                   "—", "< 200 MB", _verdict(peak < 200, "as above")))
    out.append(Row("Resident memory, the same two steps, REST only (`max_private_streams: 0`)",
                   f"{mem_rest.rss_seen_mb:.0f} MB seen, {mem_rest.rss_lanes_mb:.0f} MB lanes "
                   f"(idle after start {mem_rest.rss_idle_mb:.0f} MB)", "—", "(context)", "—"))
    startups = acks.startups
    out.append(Row("Start-up, process start → /healthz 200",
                   f"{mem.startup_s:.2f} s with {mem.users:,} users "
                   f"(fresh database, 200 users: {min(startups):.2f}–{max(startups):.2f} s)",
                   "—", "< 3 s", _verdict(max(mem.startup_s, *startups) < 3)))
    return out + steady_rows(steady) + positions_rows(positions) + stream_rows(ws)


def steady_rows(steady: dict[str, Steady]) -> list[Row]:
    on, rest = steady["streams"], steady["rest only"]
    ratio = on.per_signal / rest.per_signal if rest.per_signal else float("nan")
    rounds = ", ".join(f"{on.round_per_signal(i):.2f}" for i in range(len(on.by_round)))
    return [
        Row(f"REST requests per executed futures signal, steady state ({on.users} demo users "
            "alternating open and close, private streams on)",
            f"{on.per_signal:.2f} private + {on.public_per_signal:.2f} public = "
            f"{ratio:.0%} of REST only (round by round: {rounds})", "—", "≤ 1.2",
            _verdict(on.per_signal <= 1.2, f"{on.per_signal - 1.2:.2f} over")),
        Row("REST requests per executed futures signal, same users and signals, REST only "
            "(`max_private_streams: 0`)",
            f"{rest.per_signal:.2f} private + {rest.public_per_signal:.2f} public", "—",
            "(baseline, same run)", "—"),
    ]


def positions_rows(positions: dict[str, Positions]) -> list[Row]:
    return [Row(figure, ours, "—", target, _verdict(met, miss))
            for figure, ours, target, met, miss in position_rows(positions)]


def _after(check: Check) -> str:
    if check.came_back_s is not None:
        state = f"back in {check.came_back_s:.1f} s"
    else:
        state = "kept" if check.still_open else "ended, not reopened"
    return f"{state}{'' if check.later_message else ', later messages lost'}"


def _recovers(checks: list[Check]) -> bool:
    return all(c.later_message for c in checks)


def stream_rows(ws: Comparison) -> list[Row]:
    ours, pybit = ws.footprints[OURS], ws.footprints["pybit"]
    n = ours.count
    opened = "" if pybit.subscribed == n else f" — only {pybit.subscribed} of {n} up"
    rows = [
        Row(f"{n} private streams in one process: resident memory added",
            f"aiohttp {ours.rss_mb:.1f} MB; pybit {pybit.rss_mb:.1f} MB "
            f"(×{pybit.rss_mb / ours.rss_mb:.1f}){opened}", "—", "below pybit's",
            _verdict(ours.rss_mb < pybit.rss_mb)),
        Row(f"{n} private streams: threads added",
            f"aiohttp +{ours.threads}; pybit +{pybit.threads:,} "
            f"(+{pybit.peak_threads - pybit.before['threads']:,.0f} in the first 20 s)", "—",
            "no thread per stream", _verdict(ours.threads < n)),
        Row(f"{n} private streams: CPU while idle (pings every 20 s)",
            f"aiohttp {ours.cpu_per_min:.2f} s/min; pybit {pybit.cpu_per_min:.2f} s/min",
            "—", "below pybit's", _verdict(ours.cpu_s < pybit.cpu_s)),
        Row(f"{n} private streams: time to open all, authenticated and subscribed",
            f"aiohttp {ours.open_s:.1f} s (at once); pybit {pybit.open_s:.1f} s (one after "
            "another: its constructor blocks until connected)", "—", "(context)", "—"),
        Row(f"{n} private streams with `StreamManager`'s session as shipped",
            f"{ours.subscribed} of {n} connected after {ours.open_s:.1f} s (connector "
            f"limit: {ours.limit_text})", "—", f"all {n} (`max_private_streams` is 500)",
            _verdict(ours.subscribed >= n, "see the notes")),
    ]
    mine, theirs = ws.checks["aiohttp"], ws.checks["pybit"]
    rows.append(Row(
        "A private stream after the server's clean close (1000); after a callback raises",
        f"aiohttp: {_after(mine[0])}; {_after(mine[2])}. pybit: {_after(theirs[0])}; "
        f"{_after(theirs[2])}", "—", "messages flow again, both cases",
        _verdict(_recovers(mine), "see the notes")))
    return rows


def _setup(result: Parallel) -> str:
    shipped = "as shipped" if result.label == "shipped" else "IP budget lifted (fake only)"
    return (f"{shipped}: {result.max_workers} threads, {result.parallel_executions} executions,"
            f" {result.budget_per_5s:,} calls/5 s")


def _floors(result: Parallel) -> dict[str, float]:
    return {"the Bybit IP budget (gate)": result.gate_floor_s,
            "the service's CPU under one interpreter lock": result.cpu_floor_s,
            "calls in flight (threads, executions)": result.thread_floor_s,
            "one user's 5 signals in order": result.lane_floor_s}


def _floor(result: Parallel) -> float:
    return max(_floors(result).values())


def _binding(result: Parallel) -> str:
    floors = _floors(result)
    return max(floors, key=floors.__getitem__)


def table(found: list[Row]) -> str:
    lines = ["| figure | botbybit | bare aiohttp | target | verdict |", "|---|---|---|---|---|"]
    lines += [f"| {r.figure} | {r.ours} | {r.baseline} | {r.target} | {r.verdict} |"
              for r in found]
    return "\n".join(lines)


def markdown(found: list[Row], env: dict[str, Any], notes: list[str]) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    v = env["versions"]
    head = [
        "# Benchmarks",
        "",
        f"Written by `make bench` ({now}, {env['duration_s']:.0f} s). Regenerate with "
        "`make bench`; the numbers are this machine's, on this run.",
        "",
        f"- Machine: **{env['cores']} cores** ({env['cpu']}), Linux {env['kernel']}.",
        f"- Versions: Python {v['python']}, aiohttp {v['aiohttp']}, pybit {v['pybit']} "
        f"(websocket-client {v['websocket-client']}), SQLite {v['sqlite']} (the standard "
        "library's module, on the database's own thread).",
        f"- Disk: one 4 KiB append + fsync takes p50 {env['fsync'][0]:.2f} ms, "
        f"p99 {env['fsync'][1]:.2f} ms here — the floor of every durable commit "
        "(the journal runs WAL with `synchronous=FULL`).",
        f"- Other processes on the machine used {env['others_cores']:.2f} cores on average "
        f"during the run (of {env['cores']}); figures are wall-clock and include that. On "
        "this VM the same build's absolute rates moved by up to ±40% from run to run (the "
        "host's load is invisible from inside); ratios and CPU per request move less.",
        "",
    ]
    return "\n".join([*head, table(found), "", *notes, ""])


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)

