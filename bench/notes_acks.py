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

# A run on a quiet host (make bench, 2026-12-02 04:32 UTC, commit d729de6): the bare
# baseline's CPU per request one at a time, and what the service measured in the same run. The
# host's speed moves (the VM's neighbours are invisible from inside); when this run's baseline
# is clearly slower, the notes say so next to the rows it moves.
QUIET = {"base_cpu_us": 135, "base_p50": 0.17, "base_p99": 0.53, "one_p50": 0.71,
         "one_p99": 1.92, "live_p50": 1.37, "live_p99": 21.7}
SLOWER_HOST = 1.15


def host_note(acks: AckResults) -> str:
    """A sentence when this run's host was slower than the quiet run's, else nothing."""
    one = acks.loads.get("one-parked")
    if not one:
        return ""
    base = one["baseline"]
    factor = base.cpu_us_per_request / QUIET["base_cpu_us"]
    if factor < SLOWER_HOST:
        return ""
    q = QUIET
    return (f" This run's host was slower: the bare baseline took "
            f"{base.cpu_us_per_request:.0f} µs of CPU a request one at a time (p50 "
            f"{base.run.percentile(50):.2f}, p99 {base.run.percentile(99):.2f} ms) against "
            f"{q['base_cpu_us']} µs (p50 {q['base_p50']}, p99 {q['base_p99']} ms) in the quiet "
            f"run of 2026-12-02 04:32, where the service measured one at a time p50 "
            f"{q['one_p50']} / p99 {q['one_p99']} ms and at 500/s live p50 {q['live_p50']} / "
            f"p99 {q['live_p99']} ms. The same day, on this slower host, the build before "
            "that day's second session (commit dd7204b) and the build after it, alternating, "
            "measured alike: one at a time p50 0.90–0.91 against 0.92–1.05 ms, 500/s live "
            "p50 2.7–3.2 against 2.4–3.7 ms.")


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
            f"adds {db:.0f} µs, most of it outside the interpreter lock: SQLite's steps and "
            "the fsync release it). 0.60× needs the loop at ≈ "
            f"{base.cpu_us_per_request / 0.6:.0f} µs. Where the loop's time goes (py-spy "
            "`--gil` under wrk -c50, 2026-12-02, quiet machine): aiohttp, asyncio and the "
            "sockets — what the baseline pays too — about half; the rest is spread thin, no "
            "item over 6%: validating the alert ~11% in all, the one log line ~9% (Python's "
            "logging — the record, its format, the handler — is most of it), resuming the "
            "handler's coroutines when the commit lands ~6%, the router and the middleware "
            "~5%, the token's keyed hash ~2%. Taking one part out at a time (experiments, "
            "same run): the log line, the validation, the journal, the middleware or the "
            "`on_response_prepare` hook each gave 0.02–0.04× more; all of them at once "
            "0.72×. The hook is gone since (its header now set by the middleware). "
            "Experiments, each against the baseline in the same run (2026-12-02): "
            "the journal taken out altogether (the ack answered right after validation, no "
            "database at all) gave 0.36–0.38×, `synchronous=OFF` on tmpfs 0.36× — neither the "
            "disk nor the database's thread is the limit, the loop's Python is; uvloop in the "
            "service 0.31× against 0.33× on asyncio's loop (0.32× with uvloop under the "
            "baseline too): dropped again; opening private streams a few at a time: no change. "
            "A journal that has lived (2026-12-02, the same two services side by side, one "
            "with 1,000,000 finished signals written in before it started, 247 MB): 0.85× the "
            "fresh one's acks a second, the database thread's CPU per ack 40–55 → 60–90 µs; "
            "SQLite's page cache at 64 MB instead of 2 MB changed nothing (0.99×), so it is "
            "not the indexes' reads (the journal is never pruned: left to the operator). "
            + _floor(tp) +
            "The rest would need the intake outside the "
            "interpreter (a parser and journal writer in C) or the acks on the second core (a "
            "process of their own, handing journaled signals to the service): both change "
            "what the service is (one asyncio process, DESIGN §1) and are not done."
            + (" The service's rounds slowed down one after the other (the rates by round, "
               "below): with the exchange parked every accepted alert stays queued in its "
               "lane, so the process and its database grow by ~20,000 signals a round, which "
               "the baseline never holds; in service the lanes drain."
               if _slowing(ours) else "")
            + (f" In this run other processes held {ours.others:.1f} of the 2 cores: the "
               "service got what was left, and paid for each of its thread wake-ups in "
               "waiting for a core." if ours.others > 0.5 else ""))
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
            "hand-offs with their wake-ups (loop → database thread → loop). The p99 grew "
            "round after round as the journal grew (~1.7 ms in the first 5 s round, ~3 ms in "
            "the fifth): SQLite's automatic checkpoint, run inside the commit that passes its "
            "page count, was that tail — with it off, p99 stayed at 1.7–2.1 ms. At 200 pages "
            "instead of SQLite's 1,000 (`bot/db/core.py`) the checkpoints are shorter and p99 "
            "stays under 2 ms in the later rounds; a checkpointer thread with its own "
            "connection did no better here (its fsyncs compete for the disk). The rest is the "
            "machine's: a lone ack waits whenever the loop or the database's thread is not "
            "scheduled, and the baseline's own p99 moves with it." + host_note(acks))
    rate = loads["rate-parked"]["service"]
    lines.append(
        f"- **500/s offered** (exchange parked, p99 {rate.run.percentile(99):.1f} ms): the "
        "acks arrive one by one, so each pays the lone-ack cost "
        f"({rate.cpu_us_per_request:.0f} µs of CPU): the service is "
        f"~{rate.cpu_us_per_request * 500 / 1e6:.0%} busy at 500/s. Traced (2026-12-02, "
        "quiet machine, fresh service per run, every request's send time kept): every ack "
        "over 10 ms was sent in the first 0.3 s, while the 200 users' first alerts were "
        "executed for the first time — each account's exchange session, its first REST "
        "reads on new pool threads, its private stream (connect, hello, resync) — on the "
        "same loop and the same interpreter lock; after that, nothing over 10 ms. py-spy "
        "`--gil` over those first 0.5 s: ~40% of the interpreter lock's time went to pybit's "
        "REST calls being built and sent in the pool threads (requests, urllib3, "
        "http.client: a cold account's position read, then its new stream's resync of "
        "positions and open orders — three calls each, 600 in 0.4 s), ~9% to opening the "
        "streams, ~5% to the acks themselves. One "
        "untimed alert per user first: p99 1.9–2.2 ms; `max_private_streams: 0`, users "
        "cold: p99 3.4 ms. Opening the streams at most 4 at a time left as many slow acks "
        "(it is the work of a cold account's first signal, not the streams' number at "
        "once); SQLite's WAL checkpoints were not it (0.6–2.2 ms each; moving them to a "
        "second connection changed nothing). The generator itself no longer stalls (its "
        "collector is paused for the load): its own loop woke at most "
        f"{rate.run.runs[0].generator_lag_ms:.1f} ms late.")
    return lines


def _floor(tp: dict[str, Any]) -> str:
    """What the durable floor (the baseline plus the journal's write) says of the intake."""
    if "floor" not in tp:
        return ""
    floor, base = tp["floor"], tp["baseline"]
    floor_us = floor.cpu_us_per_request
    intake_us = base.cpu_us_per_request / 0.6 - floor_us
    return (f"The durable floor — the baseline storing each alert through the same group-"
            f"commit writer and nothing else — ran at {ratio(tp, 'floor'):.2f}× in the same "
            f"rounds ({floor_us:.0f} µs of CPU an ack, all threads): 0.60× would leave the "
            f"whole intake — token, validation, duplicate rules, the log line, the lane — "
            f"{intake_us:.0f} µs beyond it, where today it takes "
            f"{tp['service'].cpu_us_per_request - floor_us:.0f} µs. ")


def _slowing(measured: Any) -> bool:
    """Whether the later rounds ran clearly slower than the first ones."""
    rates = [r.run.rate for r in measured.rounds]
    return len(rates) >= 4 and min(rates[:2]) > 1.15 * max(rates[-2:])


def changes() -> list[str]:
    b, a = BEFORE, AFTER
    return [
        "- The ack path, second pass (2026-12-02, quiet machine; wrk -c50, the build before "
        "(commit f4e22b6) and this one, each alternating with the baseline, twice): "
        "0.31× → 0.35× and 0.31× → 0.36× the baseline. What changed: an accepted alert's "
        "answer written as bytes (always the same three fields) instead of encoded; no "
        "dashboard event built when nobody watches the user; a JSON number's Decimal taken "
        "as it is (it was parsed again from its text); an action's intent and an intent's "
        "side looked up instead of tested in turn; the alias pass skipped for an alert in "
        "our own names. Found on the way: a body that arrived in more than one piece (TCP "
        "segments, chunked transfer) was cut at its first piece and refused as not JSON; it "
        "is now read to its end, still bounded by `server.max_body_bytes` "
        "(tests/webhook/test_statuses.py). Then (same method): the `Referrer-Policy` header "
        "set by the middleware every answer passes instead of an `on_response_prepare` hook "
        "(a signal dispatch on every answer), and a symbol already in Bybit's form taken as "
        "it is: 0.33× → 0.37× and 0.34× → 0.38×; the journal's identical-body index made "
        "partial (migration 12: an alert with an `id` has no body hash, and its INSERT no "
        "longer writes an index entry nobody reads): 0.32× → 0.36× and 0.33× → 0.35× over "
        "six 5 s rounds; SQLite's checkpoint every 200 WAL pages instead of 1,000: the lone "
        "ack's p99 in the later rounds 2.8–3.0 → 1.7–2.0 ms. The durable floor's row was "
        "added to "
        "tell what durability costs from what the intake costs. And the 500/s generator "
        "pauses its own garbage "
        "collector for the load: a full collection of the bench process (which also holds "
        "the fake Bybit's state) stalled it 30–40 ms mid-load, and those were the run's "
        "slowest acks. A generator in a process of its own was tried: three busy processes "
        "on 2 cores made the service wait for a core (live p99 34–64 ms in three runs, "
        "against 10–16 ms with the collector paused in the bench process).",
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
                 "- The ack path, after py-spy", "- Tried and dropped: uvloop",
                 "- The ack path, second pass")


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
