"""One table, printed and written to docs/BENCHMARKS.md with the machine and the versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.ack import AckResults
from bench.execution import SHIPPED, Parallel
from bench.load import percentile
from bench.memory import Memory


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


def rows(acks: AckResults, s2o: dict[float, list[float]], par: list[Parallel],
         mem: Memory) -> list[Row]:
    out: list[Row] = []
    loads = acks.loads
    tp = loads["throughput-parked"]
    ours, base = tp["service"].run.rate, tp["baseline"].run.rate
    ratio = ours / base if base else 0.0
    out.append(Row("Ack throughput, 50 concurrent senders (exchange parked)",
                   f"{ours:,.0f} req/s = {ratio:.0%} of baseline", f"{base:,.0f} req/s",
                   "≥ 60% of baseline", _verdict(ratio >= 0.6, f"{0.6 - ratio:.0%} short")))
    live = loads.get("throughput-live")
    if live:
        rate = live["service"].run.rate
        out.append(Row("Ack throughput, 50 senders, execution live behind the acks",
                       f"{rate:,.0f} req/s = {rate / base if base else 0:.0%} of baseline", "—",
                       "(context)", "—"))
    for name, label in (("rate-parked", "Ack latency at 500/s offered (exchange parked)"),
                        ("rate-live", "Ack latency at 500/s offered, execution live")):
        if name not in loads:
            continue
        run = loads[name]["service"].run
        base_run = loads[name].get("baseline")
        p99 = run.percentile(99)
        out.append(Row(label, f"p50 {_ms(run.percentile(50))}, p99 {_ms(p99)} "
                       f"({run.rate:.0f}/s achieved)",
                       f"p50 {_ms(base_run.run.percentile(50))}, p99 "
                       f"{_ms(base_run.run.percentile(99))}" if base_run else "—",
                       "p99 < 10 ms", _verdict(p99 < 10, f"{p99 / 10:.1f}× the target")))
    one = loads["one-parked"]
    run = one["service"].run
    p50, p99 = run.percentile(50), run.percentile(99)
    misses = [f"p50 {p50:.2f}" if p50 > 1 else "", f"p99 {p99:.2f}" if p99 > 3 else ""]
    out.append(Row("Ack latency, one request at a time", f"p50 {_ms(p50)}, p99 {_ms(p99)}",
                   f"p50 {_ms(one['baseline'].run.percentile(50))}, p99 "
                   f"{_ms(one['baseline'].run.percentile(99))}", "p50 ≤ 1 ms, p99 ≤ 3 ms",
                   _verdict(p50 <= 1 and p99 <= 3, ", ".join(m for m in misses if m))))
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
                   "< 200 MB", _verdict(mem.rss_seen_mb < 200)))
    out.append(Row(f"Resident memory, {mem.lanes:,} active lanes", f"{mem.rss_lanes_mb:.0f} MB",
                   "—", "< 200 MB", _verdict(peak < 200)))
    startups = acks.startups
    out.append(Row("Start-up, process start → /healthz 200",
                   f"{mem.startup_s:.2f} s with {mem.users:,} users "
                   f"(fresh database, 200 users: {min(startups):.2f}–{max(startups):.2f} s)",
                   "—", "< 3 s", _verdict(max(mem.startup_s, *startups) < 3)))
    return out


def _setup(result: Parallel) -> str:
    shipped = "as shipped" if result.label == "shipped" else "IP budget lifted (fake only)"
    return (f"{shipped}: {result.max_workers} threads, {result.parallel_executions} executions,"
            f" {result.budget_per_5s:,} calls/5 s")


def _floor(result: Parallel) -> float:
    return max(result.gate_floor_s, result.thread_floor_s, result.lane_floor_s)


def _binding(result: Parallel) -> str:
    floors = {"the Bybit IP budget (gate)": result.gate_floor_s,
              "the pybit thread pool": result.thread_floor_s,
              "one user's signals in order": result.lane_floor_s}
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
        f"- Versions: Python {v['python']}, aiohttp {v['aiohttp']}, pybit {v['pybit']}, "
        f"aiosqlite {v['aiosqlite']}, SQLite {v['sqlite']}.",
        f"- Disk: one 4 KiB append + fsync takes p50 {env['fsync'][0]:.2f} ms, "
        f"p99 {env['fsync'][1]:.2f} ms here — the floor of every durable commit "
        "(the journal runs WAL with `synchronous=FULL`).",
        f"- Other processes on the machine used {env['others_cores']:.2f} cores on average "
        f"while the loads ran (of {env['cores']}); figures are wall-clock and include that.",
        "",
    ]
    return "\n".join([*head, table(found), "", *notes, ""])


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def notes(acks: AckResults, par: list[Parallel], mem: Memory, env: dict[str, Any]) -> list[str]:
    """How each figure was taken, and the measurements behind the verdicts."""
    tp = acks.loads["throughput-parked"]
    cpu_ours, cpu_base = tp["service"].cpu_us_per_request, tp["baseline"].cpu_us_per_request
    lines = [
        "## How the figures are taken",
        "",
        "- **Load**: an aiohttp client in the bench process, keep-alive connections; every "
        "load has a fixed request count and a time cap. Latency runs from just before the "
        "request is handed to aiohttp until the whole answer is read, so the client's own "
        "cost is in both columns alike.",
        "- **Baseline**: `python -m bench.baseline`, a bare aiohttp app that reads the body, "
        "`json.loads` it and answers the same JSON shape — same URLs, bodies and client.",
        "- **Service**: `python main.py` in its own process, INFO log to a file, rate limits "
        "off, `max_signal_age_s` 3600, a fresh SQLite database (WAL, `synchronous=FULL`) per "
        "phase with 200 active futures users on demo keys. Every alert has its own `id` and "
        "price, so the duplicate check never short-cuts the journal; every 200 was checked.",
        "- **Exchange parked**: the fake Bybit holds every request, so executions wait "
        "without using CPU and the acks are measured alone, as in the baseline. **Execution "
        "live**: the fake answers at once and execution runs behind the acks at the pace "
        f"the gate allows ({SHIPPED.requests_per_5s} calls per 5 s), the fake answering in "
        "50 ms.",
        "- **Signal → order**: one alert at a time on a quiet service (each user warmed by one "
        "`close`, so its pybit session exists); from before the POST to the fake Bybit, in "
        "the bench process on the same clock, receiving `/v5/order/create` for that signal. "
        "A futures buy costs a position read before the order.",
        "- **Parallelism**: 200 users each send buy, close, buy, close, buy (each user's in "
        "order, all users at once); the fake answers every call after 200 ms. Serial = exchange"
        " calls × 200 ms. Done = `/healthz` shows every job completed and no lane left; each "
        "user's orders were checked to reach the exchange in order, with no duplicate.",
        f"- **Memory**: VmRSS of the service process with {mem.users:,} users registered "
        f"({mem.users - mem.lanes:,} spot users each sent one sell, executed in full with "
        f"nothing to sell: account cached, exchange session built), then with "
        f"{mem.lanes:,} futures users' buys held at the exchange ({mem.lanes:,} lanes open).",
        "- **Start-up**: from exec of `python main.py` to the first `/healthz` 200 (polled "
        "every 5 ms).",
        "",
        "## Measurements behind the verdicts",
        "",
        f"- Server CPU per request in the throughput load: service {cpu_ours:.0f} µs, baseline "
        f"{cpu_base:.0f} µs (both processes' user + system time, all threads).",
    ]
    for name, pair in acks.loads.items():
        for target, measured in pair.items():
            s = measured.summary()
            lines.append(f"- `{name}` {target}: {s['sent']} sent, {s['rate']}/s, p50 "
                         f"{s['p50_ms']} ms, p99 {s['p99_ms']} ms, server CPU "
                         f"{s['server_cpu_us_per_request']} µs/request, other processes "
                         f"{s['cores_others']} cores")
    for result in par:
        lines.append(
            f"- Parallelism, {_setup(result)}: {result.signals} signals, "
            f"{result.calls} exchange calls, {result.total_s:.1f} s. Floors: one user's chain "
            f"{result.lane_floor_s:.1f} s; threads {result.thread_floor_s:.1f} s "
            f"(calls × 200 ms / calls in flight); gate {result.gate_floor_s:.1f} s "
            f"((calls − {result.budget_per_5s}) / {result.budget_per_5s // 5} per s). "
            f"Orders {result.orders}, each user in order: {result.in_order}.")
    lines.append(f"- Registering {mem.users:,} users with `UserRepo` (keys encrypted) took "
                 f"{mem.register_s:.1f} s.")
    return lines
