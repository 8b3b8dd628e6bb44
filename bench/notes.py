"""The prose under the table: how each figure is taken, and what limits each miss.

Numbers come from this run; the reasoning was checked with py-spy and per-thread CPU while
the bench was written (see the commit messages of the fixes it led to).
"""

from __future__ import annotations

from typing import Any

from bench import notes_acks, notes_streams, positions_text
from bench.ack import LIVE_EXCHANGE_LATENCY_S, AckResults
from bench.execution import SHIPPED, Parallel
from bench.load import percentile
from bench.memory import Memory
from bench.positions import Positions
from bench.steady import Steady
from bench.ws_compare import OURS, Comparison


def method(acks: AckResults, mem: Memory, steady: dict[str, Steady],
           ws: Comparison) -> list[str]:
    return [
        "## How the figures are taken",
        "",
        *notes_acks.method(acks),
        "- **Baseline**: `python -m bench.baseline`, a bare aiohttp app that reads the body, "
        "`json.loads` it and answers the same JSON shape — same URLs, bodies and load.",
        "- **Service**: `python main.py` in its own process, INFO log to a file, rate limits "
        "off, `max_signal_age_s` 3600, a fresh SQLite database (WAL, `synchronous=FULL`) per "
        "phase with 200 active futures users on demo keys; thread pool, IP budget, "
        "parallel executions and private streams (`bybit.stream_url` at the fake, which "
        "serves Bybit's V5 streams on its REST port) as shipped unless a row says otherwise. "
        "Every alert has its own "
        "`id` and price, so the duplicate check never short-cuts the journal; every answer "
        "was checked to be a 200.",
        "- **Exchange parked**: the fake Bybit holds every request, so executions wait "
        "without using CPU and the acks are measured alone, as the baseline's are. "
        "**Execution live**: the fake answers in "
        f"{LIVE_EXCHANGE_LATENCY_S * 1000:.0f} ms and execution runs behind the acks as fast "
        f"as the gate allows ({SHIPPED.requests_per_5s} calls per 5 s), after two "
        "warm-up signals per user (a `close` each: the first opens the user's private stream, "
        "the second, once it is synced, teaches it the position); the bench then waits until "
        "execution caught up and counts what it cost at the exchange.",
        "- **Signal → order**: one alert at a time on a quiet service, 50 users taking turns "
        "(each warmed by two `close`s as above, so its pybit session exists and its private "
        "stream is synced and knows its position; a user's long is closed, untimed, before "
        "its next buy); from before the POST until the fake Bybit — in the bench process, "
        "same clock — receives `/v5/order/create` for that signal. The position comes from "
        "the stream, so the order is the signal's first exchange request and the exchange's "
        "latency does not show before it.",
        "- **Parallelism**: 200 users each send buy, close, buy, close, buy (each user's in "
        "order, all users at once); the fake answers every call after 200 ms. Serial = "
        "exchange calls × 200 ms. Done = `/healthz` shows every job completed and no lane "
        "left; every user's orders reached the exchange in order, with no duplicate.",
        f"- **Memory**: VmRSS of the service with {mem.users:,} users registered: "
        f"{mem.users - mem.lanes:,} spot users each sent one sell, executed in full with "
        "nothing to sell (account cached, exchange session built), then "
        f"{mem.lanes:,} futures users' buys were held at the exchange ({mem.lanes:,} lanes "
        "open at once). Each spot user's sell opens its private stream (at most 500 open; "
        "the least recently used is closed for a newcomer unless it was used in the last 5 "
        "minutes, else the newcomer reads REST). The same steps REST only "
        "(`max_private_streams: 0`) are the context row.",
        *notes_streams.method(steady, ws),
        "- **Start-up**: from exec of `python main.py` to the first `/healthz` 200 (polled "
        "every 5 ms).",
        "",
    ]


def limits(acks: AckResults, s2o: dict[float, list[float]], par: list[Parallel],
           env: dict[str, Any]) -> list[str]:
    """The misses the streams did not change (theirs are in notes_streams.limits)."""
    lines = ["## What limits the misses", "", *notes_acks.limits(acks, env)]
    for result in par:
        if result.label == "shipped":
            lines.append(
                f"- **200 users × 5 signals, as shipped** ({result.total_s:.1f} s). Not "
                "reachable by construction: a user's five signals run in order, each user "
                "starts cold (its first signal reads the position over REST while its private "
                "stream connects, and the stream's resync reads positions and open orders; "
                f"{result.streams.get('synced', '?')} of the 200 streams were synced at the "
                "end): "
                f"{result.calls / result.signals:.1f} calls a signal on average, so one user "
                f"alone takes {result.lane_floor_s:.1f} s at 200 ms a call. Above that, the "
                f"gate spends {result.budget_per_5s} calls per 5 s (Bybit allows 600 per IP): "
                f"{result.calls:,} calls need ≥ {result.gate_floor_s:.1f} s. Lanes and threads "
                f"do run in parallel: ×{result.serial_s / result.total_s:.0f} against one call "
                "at a time.")
        else:
            cpu = sum(result.cpu_s.values())
            lines.append(
                f"- **With the IP budget lifted** ({result.total_s:.1f} s, fake only): the "
                f"service used {cpu:.1f} s of CPU in those {result.total_s:.1f} s "
                f"({', '.join(f'{k} {v:.1f} s' for k, v in result.cpu_s.items())}) — one "
                "interpreter lock — so the floor is CPU per signal, not waiting; the "
                f"{result.lane_floor_s:.1f} s chain of one user's signals is the floor after "
                "that.")
    zero = s2o.get(0.0)
    if zero:
        lines.append(f"- Signal → order with a 0 ms exchange: p50 {percentile(zero, 50):.1f} "
                     "ms is one durable commit (processing) and the order's own request, the "
                     "position read from the stream — met.")
    lines.append("")
    return lines


def changes(ws: Comparison, mem: Memory, steady: dict[str, Steady]) -> list[str]:
    ours = ws.footprints[OURS]
    on = steady["streams"]
    return [
        "## Changes this bench led to",
        "",
        "- The streams' session had aiohttp's default connector, which holds 100 "
        "connections, and a WebSocket keeps its connection for life: the last report "
        "(commit f18707f) connected 100 of 500 private streams, and the 200-user phases had "
        "100 streams. Commit 4e63e16 gave the session `TCPConnector(limit=0)`: "
        f"{ours.subscribed} of {ours.count} connected in {ours.open_s:.1f} s in this run "
        f"(connector limit reported by the client: {ours.limit_text}).",
        "- An evicted private stream stayed referenced by its account's exchange (state, "
        "connection, asyncio primitives): 232 MB in the last report's memory row. Commit "
        f"4e63e16 lets it go: {mem.rss_seen_mb:.0f} MB here (what is left above REST only "
        "is in the notes above).",
        "- The first signal after the warm-up read its position over REST once more (the "
        "warm-up's read, made while the stream connected, taught it nothing): the steady "
        "state's first round cost 1.25 requests a signal. Commit 4e63e16 teaches a stream "
        f"still connecting: first round {on.round_per_signal(0):.2f} here. The same commit "
        "releases a symbol's book on a position row with the fill's `seq`, where the last "
        "report saw a signal wait 1 s for a row stamped a millisecond before its fill: "
        f"{on.slow_steps} step(s) over a second here (2 before).",
        *notes_acks.changes(),
        "- `python main.py` freezes its start-up heap out of the cyclic collector's full "
        "passes (`gc.freeze()` after start): a full pass in a started service took 45–52 ms, "
        "now well under 1 ms.",
        "- Log redaction tested every registered secret against every line, and `/keys` "
        "registers two per user for the life of the process: with 20,000 (10,000 users with "
        "keys) a line cost 5.5 ms. Past 400 they are looked up by prefix: ~45–75 µs a line "
        "however many there are. (Not visible in the table: the bench stores keys directly, "
        "as `users add` would, so none are registered.)",
        "",
    ]


def measurements(acks: AckResults, par: list[Parallel], mem: Memory) -> list[str]:
    lines = ["## Measurements behind the verdicts", "", *notes_acks.measurements(acks)]
    for result in par:
        lines.append(
            f"- Parallelism, {result.label}: {result.signals} signals, {result.calls} exchange "
            f"calls, {result.total_s:.1f} s. Floors: one user's chain "
            f"{result.lane_floor_s:.1f} s; calls in flight {result.thread_floor_s:.1f} s; "
            f"gate {result.gate_floor_s:.1f} s; service CPU {result.cpu_floor_s:.1f} s. "
            f"Orders {result.orders}, each user's in order and none twice: "
            f"{result.in_order}. Service CPU by thread: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in result.cpu_s.items())
            + f". Private streams at the end: {result.streams}.")
    lines.append(f"- Memory: idle after start {mem.rss_idle_mb:.0f} MB; registering "
                 f"{mem.users:,} users with `UserRepo` (keys encrypted) took "
                 f"{mem.register_s:.1f} s.")
    return lines


def notes(acks: AckResults, s2o: dict[float, list[float]], par: list[Parallel], mem: Memory,
          env: dict[str, Any], steady: dict[str, Steady], ws: Comparison,
          mem_rest: Memory, positions: dict[str, Positions], abandoned: int = 0) -> list[str]:
    how = method(acks, mem, steady, ws)  # its last two: start-up, and the blank line
    return [*how[:-2], *positions_text.method(positions), *how[-2:],
            *limits(acks, s2o, par, env)[:-1],
            *notes_streams.limits(acks, steady, ws, mem, mem_rest), "",
            *positions_text.costs(positions), *changes(ws, mem, steady),
            *measurements(acks, par, mem),
            *notes_streams.measurements(acks, steady, ws, mem, mem_rest, abandoned),
            *positions_text.measurements(positions), *notes_streams.behaviours(ws)]
