"""The prose for the streams' figures: how they are taken, what limits them, the raw numbers.

Numbers come from this run. Statements about the service's code (the connector, what a closed
stream keeps, when the stream learns a position) were checked against bot/trading/streams/
while the bench was written; the isolated checks quoted are not part of the run.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from bench.ack import AckResults, LiveExchange
from bench.execution import SHIPPED
from bench.memory import Memory
from bench.notes_acks import host_note
from bench.steady import ACTIONS, Steady, split
from bench.ws_compare import OURS, Check, Comparison, Footprint


def method(steady: dict[str, Steady], ws: Comparison) -> list[str]:
    on = steady["streams"]
    ours = ws.footprints[OURS]
    return [
        f"- **REST per signal, steady state**: {on.users} demo futures users on a fresh "
        "service, the fake answering at once. One warm-up signal per user (a `close` with "
        "nothing open: it reads the position over REST and opens the user's private stream, "
        "whose resync reads open positions and open orders), then the bench waits until "
        f"`/healthz` counts the private streams synced ({on.synced} of {on.users}). Then "
        f"{len(on.by_round)} rounds of {', '.join(ACTIONS)}: one alert per user at once per "
        f"step, the next step once every signal finished. Every signal placed one order "
        f"({on.orders} orders for {on.signals} signals). Counted: every request the fake "
        "received from the first step until the last signal finished; private is every path "
        "but `/v5/market/…` (public market data, counted apart). The REST-only row is the "
        "same on a service with `bybit.max_private_streams: 0`.",
        f"- **{ours.count} private streams**: each kind in its own process "
        "(`python -m bench.ws_clients`), nothing else in it, against the fake in the bench "
        "process. Ours: `StreamManager(stream_url=…, max_private="
        f"{ours.count})` and `open_private` per account, each stream's resync a coroutine "
        "returning `([], [])` (no REST: the streams alone are measured). pybit: "
        "`pybit.unified_trading.WebSocket(channel_type=\"private\", testnet=False, "
        "demo=True, api_key=…, api_secret=…)` with its defaults, subscribed to position, "
        "order, execution and wallet; pybit builds `wss://stream-demo.bybit.com/v5/private` "
        "from its own host names, so a subclass overrides `_connect(url)` to hand it the "
        "fake's `ws://127.0.0.1:<port>/v5/private` (on a reconnect too). Memory is VmRSS "
        "after every stream is authenticated, subscribed and idle minus VmRSS just before the "
        "first opened (libraries imported); threads likewise (`Threads` in /proc/<pid>/"
        "status); CPU is user + system time over an idle window with the pings running (every "
        "20 s for both, as shipped), the fake counting the JSON pings it answered. Open time: "
        "from the `open` command until the fake counts every connection authenticated and "
        "subscribed to all four topics. Ours runs as shipped, the manager's own session (the "
        "client reports its connector's limit), so its footprint is also the as-shipped row. "
        "Behaviours: two more accounts per kind; the fake closes one stream cleanly (close "
        "frame 1000, `drop_streams(key, clean=True)`), then drops it with no close frame; the "
        "other account's callback raises on its first message (a `position` push, from a "
        "set-leverage over REST). After each, the bench waits for a new authentication at the "
        "fake and pushes another message to see whether it reaches the callback.",
    ]


def _beyond_create(calls: Counter[str]) -> Counter[str]:
    """Private requests other than `order/create`."""
    private = split(calls)[0]
    private.pop("/v5/order/create", None)
    return private


def _paths(calls: Counter[str]) -> str:
    return ", ".join(f"`{p.removeprefix('/v5/')}` {n:,}" for p, n in sorted(calls.items()))


def _steady_note(on: Steady, rest: Steady) -> str:
    extra = _beyond_create(on.calls)
    first = _beyond_create(on.by_round[0])
    text = (f"- **REST per signal with streams** ({on.per_signal:.2f}; REST only "
            f"{rest.per_signal:.2f}: position, create, realtime). Each signal's own cost is one "
            "`/v5/order/create`: the position comes from the stream, the fill from the `order` "
            "topic.")
    if not extra:
        return text + (" Nothing else was requested in the "
                       f"{on.signals} signals, the first round included; "
                       f"{on.slow_steps} step(s) took over a second.")
    return text + (
        f" Beyond that: {_paths(extra)} in {on.signals} signals ({_paths(first) or 'none'} "
        f"of them in the first round, which cost {on.round_per_signal(0):.2f} a signal), and "
        f"{on.slow_steps} step(s) of one alert per user took over a second. A `position/list` "
        "is a signal that found its book not current (the stream had not seen the symbol's "
        "position mode, or a fill's position row had not arrived within `POSITION_WAIT_S`, "
        "1 s); which of the two, this run does not say.")


def _held_note(private: dict[str, Any]) -> str:
    """What Bybit's connection limit held back (bot/trading/streams/budget.py)."""
    held = private.get("held", 0)
    if not held:
        return ""
    return (f" Of those streams {held} were still waiting for their turn to connect: every "
            "WebSocket opening takes a place in its domain's rolling 5-minute window, 300 of "
            "Bybit's 500 (a restart's openings and other clients on the address are not "
            "counted by this process); the accounts waiting read REST meanwhile.")


def _memory_note(mem: Memory, mem_rest: Memory) -> str:
    private = mem.streams.get("private", {})
    spent = _beyond_create(mem.spot_calls)
    resyncs = mem.spot_calls.get("/v5/position/list", 0)
    done = mem.spot_calls.get("/v5/order/realtime", 0)
    evicted = private.get("evicted", 0)
    if evicted:
        who = ("The 9,000 spot users each open a private stream when they trade, so the run "
               f"churns through them: `max_private_streams` {private.get('max', '?')} open, "
               f"{evicted} evicted (an evicted stream is let go by its account since commit "
               "4e63e16).")
        fate = "for streams that were evicted before any signal used them"
    else:
        who = (f"The first {private.get('open', '?')} spot users to trade get a private "
               f"stream (`max_private_streams`); the other {private.get('crowded', 0):,} "
               "read REST, since a stream used in the last 5 minutes is not closed for "
               "another (commit 55518c5; before it, the run churned through 8,500 "
               "evictions)." + _held_note(private))
        fate = "for streams no signal used again in this step"
    return (
        f"- **Resident memory with streams** ({mem.rss_seen_mb:.0f} MB against "
        f"{mem_rest.rss_seen_mb:.0f} MB REST only, same steps). {who} What "
        "the streams add is mostly not the streams themselves (see the 500-stream rows of "
        "the table: a process of their own) but the REST they cause: a "
        "stream that connects reads its account (open positions, then open orders) before it "
        "counts as synced, and in this run the spot step cost "
        f"{_paths(spent) or 'nothing'} at the fake with streams against "
        f"{_paths(_beyond_create(mem_rest.spot_calls)) or 'none'} REST only (a spot sell "
        f"with nothing to sell needs no request): {resyncs:,} resyncs began and {done:,} "
        f"reached their second read, {fate} — {private.get('synced', '?')} of the "
        f"{private.get('open', '?')} open were "
        "synced when the step ended. Each of those reads goes through the account's pybit "
        "session (its connection pool, a connection kept open, an answer parsed), which REST "
        "only never uses for these accounts. And those reads spend the IP budget "
        f"({SHIPPED.requests_per_5s} per 5 s): the spot step took {mem.spot_s:.0f} s with "
        f"streams against {mem_rest.spot_s:.0f} s REST only, and a signal that needed the "
        "exchange then would have shared the budget with them (the gate serves accounts "
        "in turn, so it waits at most one token per account waiting). Not opening streams "
        "for accounts "
        "that trade spot only, or resyncing a stream only when a signal first needs it, "
        "would remove both; the last report (commit f18707f) had 232 MB, with evicted "
        "streams kept but only ~100 streams ever connected, so far fewer resyncs.")


def limits(acks: AckResults, steady: dict[str, Steady], ws: Comparison, mem: Memory,
           mem_rest: Memory) -> list[str]:
    ours, pybit = ws.footprints[OURS], ws.footprints["pybit"]
    lines = [_steady_note(steady["streams"], steady["rest only"])]
    if ours.subscribed < ours.count:
        lines.append(
            f"- **Streams as shipped** ({ours.subscribed} of {ours.count} connected within "
            f"the wait; the session's connector limit: {ours.limit_text}). Accounts without "
            "a stream read REST for every signal (three requests instead of one).")
    if mem.rss_seen_mb >= 200 or mem.rss_lanes_mb >= 200:
        lines.append(_memory_note(mem, mem_rest))
    live = acks.live.get("rate-live")
    if live is not None:
        lines.append(live_note(acks, live))
    if pybit.races:
        lines.append(
            f"- **pybit on 127.0.0.1**: {pybit.races} of {pybit.count * 4} subscribe answers "
            "arrived before pybit had recorded the subscription (it records it after "
            "sending); its reader thread then fails with a KeyError and the stream ends for "
            "good. Over a real network the round trip hides the race; the bench makes pybit's "
            "answer handler wait for the record, so its figures are those of working streams.")
    return lines


def live_note(acks: AckResults, live: LiveExchange) -> str:
    run = acks.loads["rate-live"]["service"]
    parked = acks.loads["rate-parked"]["service"]
    synced = live.streams.get("private", {}).get("synced", 0)
    cpu = ", ".join(f"{k} {v:.1f} s" for k, v in live.cpu_s.items())
    reads = _beyond_create(live.calls)
    if not reads:
        without = " Nothing but orders was requested."
    elif synced < 200:
        without = (" The accounts without a synced stream read their position for every buy "
                   f"and look an opening's fill up: {_paths(reads)}.")
    else:
        without = f" Beyond orders: {_paths(reads)}, with every stream synced."
    return (
        f"- **Execution live, 500/s offered** (p99 {run.run.percentile(99):.0f} ms; the last "
        "report before the streams, commit 40d1040, had p50 180 ms and p99 419 ms). After two "
        f"warm-up signals per user, {synced} of 200 private streams were synced. The load's "
        f"{live.signals:,} buys (most of them skipped: the user is already long) cost "
        f"{sum(split(live.calls)[0].values()):,} private requests ({_paths(live.calls)}) = "
        f"{live.private_per_signal:.2f} a signal: a streamed account pays one `create` for "
        f"its opening buy and nothing for a skipped one.{without} Execution caught up "
        f"{live.catch_up_s:.1f} s after the last ack. Server CPU per ack was "
        f"{run.cpu_us_per_request:.0f} µs against {parked.cpu_us_per_request:.0f} µs with the "
        f"exchange parked (by thread, load and catch-up: {cpu}). The slowest acks are "
        "those behind a burst of execution: the executor's threads share the one "
        "interpreter lock with the acks, and the gate releases its full bucket "
        f"({SHIPPED.requests_per_5s} calls) at once after a quiet spell. The generator's "
        f"own loop woke at most {run.run.runs[0].generator_lag_ms:.1f} ms late (its collector "
        "paused for the load; before, its pauses were timed as the service's)."
        + host_note(acks))


def _check_text(check: Check) -> str:
    if check.came_back_s is not None:
        state = f"reconnected (a new authentication) after {check.came_back_s:.1f} s"
    elif check.still_open:
        state = "the connection stayed open"
    else:
        state = "the connection ended and was not opened again"
    return (f"{check.event}: {state}; a message pushed afterwards "
            f"{'reached' if check.later_message else 'did not reach'} the callback")


def behaviours(ws: Comparison) -> list[str]:
    lines = ["", "What the streams did (pybit's and websocket-client's versions above):"]
    for kind, checks in ws.checks.items():
        for check in checks:
            lines.append(f"- {kind}: {_check_text(check)}. Client's view: {check.client_view}")
    return lines


def _footprint(f: Footprint) -> str:
    b, a = f.before, f.after
    return (f"- Streams, {f.kind}: {f.subscribed} of {f.count} subscribed after the window, "
            f"open {f.open_s:.2f} s; VmRSS {b['rss_mb']:.1f} → {a['rss_mb']:.1f} MB, threads "
            f"{b['threads']:.0f} → {a['threads']:.0f} (peak {f.peak_threads}), descriptors "
            f"{b['fds']:.0f} → {a['fds']:.0f}; CPU {f.cpu_s:.2f} s in {f.window_s:.0f} s idle, "
            f"{f.pings} JSON pings answered by the fake"
            + (f"; {f.races} subscribe answers before pybit's record" if f.races else ""))


def live_measurements(acks: AckResults) -> list[str]:
    return [f"- `{name}` exchange: {live.signals} signals, REST {dict(live.calls)}, "
            f"{live.orders} orders, caught up {live.catch_up_s:.1f} s after the load; "
            f"streams after the warm-up {live.streams.get('private')}; CPU "
            + ", ".join(f"{k} {v:.1f} s" for k, v in live.cpu_s.items())
            for name, live in acks.live.items()]


def measurements(acks: AckResults, steady: dict[str, Steady], ws: Comparison, mem: Memory,
                 mem_rest: Memory, abandoned: int) -> list[str]:
    lines = [f"- Steady state, {s.summary()}" for s in steady.values()]
    lines += [f"- Steady state, {s.label}: REST during the warm-up {dict(s.warmup_calls)}; "
              f"{s.seconds:.1f} s for the rounds; /healthz streams after: "
              f"{s.stream_status.get('private')}" for s in steady.values()]
    lines += live_measurements(acks)
    lines += [_footprint(f) for f in ws.footprints.values()]
    for m in (mem, mem_rest):
        lines.append(f"- Memory, {m.label}: idle {m.rss_idle_mb:.0f} MB, seen "
                     f"{m.rss_seen_mb:.0f} MB, lanes {m.rss_lanes_mb:.0f} MB, phase "
                     f"{m.seconds:.0f} s; the spot step {m.spot_s:.0f} s, REST during it "
                     f"{dict(m.spot_calls)}; streams after the spot users "
                     f"{m.streams.get('private')}")
    lines.append(f"- WebSocket upgrades the fake could not answer because the client had "
                 f"already gone (streams closed while connecting): {abandoned}.")
    return lines
