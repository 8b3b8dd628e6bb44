"""The acknowledgement's prose: how its loads are taken, what limits its misses, what changed.

`splice` puts a run of `python -m bench --only acks` into the last full run's report.
"""

from __future__ import annotations

from typing import Any

from bench.ack import WRK_CONNECTIONS, AckResults, ratio

# The ack path as commit 88c4154 had it and after issue 17, measured in one run with wrk -c50,
# alternating with the baseline (see `changes`): the loop's and the database thread's CPU µs
# per ack, and the ratio to the baseline.
BEFORE = {"loop_us": 348, "database_us": 67, "ratio": 0.29}
AFTER = {"loop_us": 247, "database_us": 47, "ratio": 0.40}


def method(acks: AckResults) -> list[str]:
    tp = acks.loads.get("throughput-parked")
    rounds = len(tp["service"].rounds) if tp else 0
    return [
        f"- **Load**: throughput and one-at-a-time latency come from wrk (a C load generator, "
        f"Debian's package, one thread; `make bench` installs it where it can and otherwise "
        f"says it skips these rows): {WRK_CONNECTIONS} keep-alive connections, or one, for a "
        "fixed time per round; a Lua script gives every request its own `id` and price and "
        "takes the users in turn. A Python client on these 2 cores caps the bare baseline at "
        "about a quarter of what wrk measures, so it cannot tell a fast service from a slow "
        "one. Baseline and service alternate, the order flipped every round "
        f"({rounds} rounds each, after an untimed second that opens the connections); the "
        "table shows medians (the rate, and each percentile on its own), and the ratio is the "
        "median of the rounds' ratios, each taken back to back. wrk's latency runs from "
        "writing the request to reading the whole answer. The 500/s rows come from an aiohttp "
        "client in the bench process, because wrk offers no fixed rate: open loop, every "
        "request sent on schedule whether or not earlier ones answered, latency from just "
        "before the request is handed to aiohttp until the whole answer is read. Before every "
        "round the bench waits (up to 5 s; 15 s before a 500/s load) for other processes to "
        "quieten. CPU per ack is the service's, by thread (`/proc/<pid>/task`), over the "
        "round.",
    ]


def limits(acks: AckResults, env: dict[str, Any]) -> list[str]:
    """Throughput, one at a time, 500/s with the exchange parked (live: notes_streams)."""
    loads = acks.loads
    fsync_p50, fsync_p99 = env["fsync"]
    lines: list[str] = []
    tp = loads.get("throughput-parked")
    if tp:
        ours, base = tp["service"], tp["baseline"]
        loop, db = ours.thread_us("loop"), ours.thread_us("database")
        lines.append(
            f"- **Ack throughput** ({ratio(tp):.2f}× the baseline; other processes used "
            f"{ours.others:.2f} cores during the service's rounds). The event loop is one "
            f"core, so throughput ≈ 1 / the loop's CPU per ack: {loop:.0f} µs here against "
            f"the whole baseline's {base.cpu_us_per_request:.0f} µs (the database's thread "
            f"adds {db:.0f} µs, on the other core). 0.60× needs the loop at ≈ "
            f"{base.cpu_us_per_request / 0.6:.0f} µs. py-spy on the loop under wrk -c50 "
            "(while the bench was written, the database on tmpfs so the disk was out of the "
            "picture) splits it: aiohttp's own request handling, answer and epoll — what the "
            "baseline pays too — about 60%; the webhook handler about 26% (parsing and "
            "validating the alert ~9%, the journal entry and its hand-off ~3%, the one log "
            "line ~4%, the token's keyed hash ~2%, the rest glue); the router and the "
            "`on_response_prepare` hook our other routes bring ~5%; waking the database's "
            "thread ~10% (a futex wake of a sleeping thread: on this VM 10–20 µs whenever the "
            "thread is idle, which it is between commits unless the load is high). Every "
            "release of the interpreter lock by the loop (a socket send, epoll, a log write) "
            "also lets the database's thread take it, and the loop waits for it back; the "
            "more loaded the machine, the dearer each of those hand-offs (the ratio moved "
            "from 0.40 to 0.15 between runs of the same build while other helpers' test "
            "suites ran). What remains is aiohttp and the work itself: another 0.2× would "
            "need the intake outside Python's objects (a parser and a journal writer in C), "
            "or fewer features on the route (the shared router and hook)."
            + (f" In this run other processes held {ours.others:.1f} of the 2 cores: the "
               "service got what was left, and paid for each of its thread wake-ups in "
               "waiting for a core; the changes' before and after (below) were measured in "
               "one run with both builds alternating." if ours.others > 0.5 else ""))
    else:
        lines.append("- **Ack throughput**: not measured — wrk is not installed.")
    one = loads.get("one-parked")
    if one:
        svc = one["service"]
        lines.append(
            f"- **One at a time** (p50 {svc.run.percentile(50):.2f} ms, p99 "
            f"{svc.run.percentile(99):.2f} ms). The durable commit is on the critical path: "
            f"this disk's fsync alone is p50 {fsync_p50:.2f} ms (p99 {fsync_p99:.2f} ms; "
            "other helpers' test suites write to the same disk), and the bare baseline's round "
            f"trip is p50 {one['baseline'].run.percentile(50):.2f} ms, p99 "
            f"{one['baseline'].run.percentile(99):.2f} ms. On top, the service's own work "
            f"for a lone ack: {svc.thread_us('loop'):.0f} µs of the loop's CPU and "
            f"{svc.thread_us('database'):.0f} µs of the database thread's, and two thread "
            "hand-offs with their wake-ups (loop → database thread → loop). The p99 is the "
            "machine's: a lone ack waits whenever the loop or the database's thread is not "
            "scheduled, and the baseline's own p99 moves with it.")
    rate = loads["rate-parked"]["service"]
    lines.append(
        f"- **500/s offered** (exchange parked): the acks arrive one by one, so each pays the "
        f"lone-ack cost ({rate.cpu_us_per_request:.0f} µs of CPU): the service is "
        f"~{rate.cpu_us_per_request * 500 / 1e6:.0%} busy at 500/s, and at that load any "
        "stall — a collector pause, a slow commit, another process holding the core — "
        "queues the acks behind it. Traced on 2026-12-02 (quiet machine, fresh service per "
        "run, the send time of every request kept): every ack over 10 ms was sent in the "
        "first 0.3 s, while each of the 200 users' first alert opened their private stream "
        "(connect, hello, REST resync, new pool threads) on the same loop; after that, "
        "nothing over 10 ms. One untimed alert per user first: p99 1.9–2.2 ms; "
        "`max_private_streams: 0`, users cold: p99 3.4 ms. SQLite's WAL checkpoints were "
        "not it (0.6–2.2 ms each, no commit over 3 ms; moving them to a second connection "
        "changed nothing). Opening streams at a bounded pace would trade this tail for "
        "later-synced streams (more REST reads on a cold user's first signals): not done.")
    return lines


def changes() -> list[str]:
    b, a = BEFORE, AFTER
    return [
        "- The ack path, after py-spy under wrk (issue 17). Measured with wrk -c50 on the "
        "build before (commit 88c4154), the build after and the baseline, alternating in one "
        "run (the database on tmpfs, so the disk's noise was out; load average 8 from other "
        "helpers' tests): the loop's CPU per "
        f"ack {b['loop_us']} → {a['loop_us']} µs, the database thread's {b['database_us']} → "
        f"{a['database_us']} µs, the ratio to the baseline {b['ratio']:.2f} → "
        f"{a['ratio']:.2f}. What changed: one log line per accepted alert instead of three "
        "(received, the user's settings and queued — or the duplicate it repeats — with "
        "`signal= user=`, so `grep signal=<id>` still tells the whole story; execution's "
        "steps keep their lines), its free-text values masked where they enter it instead of "
        "a redaction pass over the line, and the second's timestamp rendered once; log lines "
        "written once per turn of the loop instead of one write each; SQLite on a thread of "
        "our own instead of aiosqlite's — the loop hands it everything asked for in one turn "
        "at once and gets a whole commit's outcomes back in one call, and a busy thread goes "
        "from one commit to the next without a round trip through the loop; the journal's "
        "insert without a SAVEPOINT (its only change is one statement, which SQLite undoes by "
        "itself); the token's keyed hash from a key prepared once (~1.7 µs instead of ~6 µs, "
        "and the interpreter lock kept); no exits parsed for an alert that has none, no "
        "payload hash for an alert with an `id` (the id rule decides its duplicates).",
        "- Tried and dropped: uvloop (same run, loop CPU per ack 292 µs with it, 274 µs "
        "with asyncio's loop: no gain this bench could see), and orjson (decoding the alert "
        "is ~2.5% of the loop's samples: at most a few µs an ack). aiohttp's access log was "
        "already off (`access_log=None`).",
    ]


def measurements(acks: AckResults) -> list[str]:
    lines = []
    for name, pair in acks.loads.items():
        for target, measured in pair.items():
            s = measured.summary()
            threads = (f" (loop {s['loop_us']}, database {s['database_us']})"
                       if "loop_us" in s else "")
            lines.append(f"- `{name}` {target} ({s['tool']}, {s['rounds']} round(s), req/s "
                         f"{', '.join(map(str, s['by_round']))}): {s['sent']} sent, median "
                         f"{s['rate']}/s, p50 {s['p50_ms']} ms, p99 {s['p99_ms']} ms, server "
                         f"CPU {s['server_cpu_us_per_request']} µs/request{threads}; other "
                         f"processes on the machine: {s['cores_others']} cores"
                         + (f"; the generator's own loop woke at most "
                            f"{s['generator_lag_ms']} ms late" if "generator_lag_ms" in s
                            else ""))
    return lines


# --- `--only acks`: these rows and notes into the last full run's report --------------------

ROW_PREFIX = "| Ack "
MEASURED = ("- `one-parked`", "- `rate-parked`", "- `throughput-parked`", "- `rate-live`",
            "- `throughput-live`")
LIMIT_PREFIXES = ("- **Ack throughput**", "- **One at a time**", "- **500/s offered**")
STALE_CHANGES = ("- The intake's three INFO lines", "- Tried and dropped: one statement",
                 "- The ack path, after py-spy", "- Tried and dropped: uvloop")


def _swap(lines: list[str], prefixes: tuple[str, ...], new: list[str],
          anchor: str | None = None) -> list[str]:
    """Drop the lines starting with `prefixes`; put `new` where the first was (else after
    the heading `anchor`'s blank line)."""
    at = next((i for i, line in enumerate(lines) if line.startswith(prefixes)), None)
    kept = [line for line in lines if not line.startswith(prefixes)]
    if at is None:
        at = kept.index(anchor) + 2 if anchor in kept else len(kept)
    return kept[:at] + new + kept[at:]


def splice(text: str, rows: list[str], acks: AckResults, env: dict[str, Any],
           measured: list[str], live: list[str], stamp: str) -> str:
    """The report `text` with this run's ack rows and notes instead of the last."""
    lines = text.splitlines()
    lines = _swap(lines, (ROW_PREFIX,), rows, "| figure | botbybit | bare aiohttp | target | "
                  "verdict |")
    lines = _swap(lines, ("- **Load**",), method(acks), "## How the figures are taken")
    lines = _swap(lines, (*LIMIT_PREFIXES, "- **Execution live, 500/s offered**"),
                  limits(acks, env) + live, "## What limits the misses")
    lines = _swap(lines, STALE_CHANGES, changes(), "## Changes this bench led to")
    lines = _swap(lines, MEASURED, measured, "## Measurements behind the verdicts")
    lines = [line for line in lines if not line.startswith("- Ack rows:")]
    head = next((i for i, line in enumerate(lines) if line.startswith("- Other processes")), 0)
    lines.insert(head + 1, stamp)
    return "\n".join(lines).rstrip("\n") + "\n"
