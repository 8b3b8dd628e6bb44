"""The acknowledgement's prose: how its loads are taken and what limits its misses."""

from __future__ import annotations

from typing import Any

from bench.ack import WRK_CONNECTIONS, AckResults, ratio


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
        "quieten.",
    ]


def limits(acks: AckResults, env: dict[str, Any]) -> list[str]:
    """Throughput, one at a time, 500/s with the exchange parked (live: notes_streams)."""
    loads = acks.loads
    fsync_p50, fsync_p99 = env["fsync"]
    lines: list[str] = []
    tp = loads.get("throughput-parked")
    if tp:
        ours, base = tp["service"], tp["baseline"]
        lines.append(
            f"- **Ack throughput** ({ratio(tp):.2f}× the baseline). The service spends "
            f"{ours.cpu_us_per_request:.0f} µs of CPU per ack against the baseline's "
            f"{base.cpu_us_per_request:.0f} µs; the event loop is one core, so throughput ≈ "
            "1 / the loop's share per ack.")
    one = loads.get("one-parked")
    if one:
        lines.append(
            f"- **One at a time** (p50 {one['service'].run.percentile(50):.2f} ms, p99 "
            f"{one['service'].run.percentile(99):.2f} ms). The durable commit is on the "
            f"critical path: this disk's fsync alone is p50 {fsync_p50:.2f} ms (p99 "
            f"{fsync_p99:.2f} ms), and the bare baseline's round trip is p50 "
            f"{one['baseline'].run.percentile(50):.2f} ms. The rest is the service's own work "
            f"for a lone ack: {one['service'].cpu_us_per_request:.0f} µs of CPU across the "
            "loop and the database thread.")
    rate = loads["rate-parked"]["service"]
    lines.append(
        f"- **500/s offered**: the acks arrive one by one, so each pays the lone-ack cost "
        f"({rate.cpu_us_per_request:.0f} µs of CPU): the service is "
        f"~{rate.cpu_us_per_request * 500 / 1e6:.0%} busy at 500/s, and at that load any "
        "stall — a collector pause, a slow commit, a burst — queues the acks behind it.")
    return lines
