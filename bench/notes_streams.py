"""The prose for the streams' figures: how they are taken, what limits them, the raw numbers.

Numbers come from this run. Statements about the service's code (the connector, what a closed
stream keeps, when the stream learns a position) were checked against bot/trading/streams/
while the bench was written; the isolated checks quoted are not part of the run.
"""

from __future__ import annotations

from bench.ack import AckResults, LiveExchange
from bench.execution import SHIPPED
from bench.memory import Memory
from bench.steady import ACTIONS, Steady, split
from bench.ws_compare import SHIPPED as AS_SHIPPED
from bench.ws_compare import UNLIMITED, Check, Comparison, Footprint


def method(steady: dict[str, Steady], ws: Comparison) -> list[str]:
    on = steady["streams"]
    ours = ws.footprints[UNLIMITED]
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
        "subscribed to all four topics. Ours is measured with the session's connection limit "
        "lifted (`TCPConnector(limit=0)`): as shipped it cannot hold them (its own row). "
        "Behaviours: two more accounts per kind; the fake closes one stream cleanly (close "
        "frame 1000, `drop_streams(key, clean=True)`), then drops it with no close frame; the "
        "other account's callback raises on its first message (a `position` push, from a "
        "set-leverage over REST). After each, the bench waits for a new authentication at the "
        "fake and pushes another message to see whether it reaches the callback.",
    ]


def _strays(steady: Steady) -> int:
    """Private requests beyond one `create` per signal and the first round's one position
    read per user."""
    private = steady.private
    return sum(private.values()) - private.get("/v5/order/create", 0) - steady.users


def limits(acks: AckResults, steady: dict[str, Steady], ws: Comparison, mem: Memory,
           mem_rest: Memory) -> list[str]:
    on, rest = steady["streams"], steady["rest only"]
    first = on.round_per_signal(0)
    strays = _strays(on)
    shipped, ours, pybit = (ws.footprints[AS_SHIPPED], ws.footprints[UNLIMITED],
                            ws.footprints["pybit"])
    lines = [
        f"- **REST per signal with streams** ({on.per_signal:.2f}; REST only "
        f"{rest.per_signal:.2f}: position, create, realtime). Each signal's own cost is one "
        "`/v5/order/create`: the position comes from the stream, the fill from the `order` "
        f"topic. What is above 1.00 is the first round ({first:.2f}): one more "
        "`/v5/position/list` per user. The warm-up read its position over REST while its "
        "stream was still connecting, and `BybitExchange.positions` teaches the stream only "
        "when it is live; the resync lists open positions only, so the stream had not seen "
        "the symbol's position mode, and the first order after it reads REST once more (then "
        "the stream knows it). The figure thus depends on how many signals follow: one round "
        f"alone is {first:.2f}, over the target."
        + (f" Beyond those: {strays} stray `/v5/position/list` in {on.signals} signals, and "
           f"{on.slow_steps} step(s) of one alert per user took over a second. Traced while "
           "writing the bench: the fake stamps a fill's position row just before the order's "
           "own `updatedTime`; when a millisecond boundary falls between the two, the row "
           "looks older than the fill, `AccountState` keeps waiting for a newer one, and the "
           "next signal on that symbol waits `POSITION_WAIT_S` (1 s), then reads REST. Whether "
           "live Bybit ever stamps a position before its fill is not known here; where it "
           "does, that signal pays a second." if strays > 0 else ""),
        f"- **Streams as shipped** ({shipped.subscribed} of {shipped.count} connected). "
        "`StreamManager.start` makes `aiohttp.ClientSession()` with aiohttp's default "
        "connector, which holds at most 100 connections, and a WebSocket keeps its connection "
        "for life: the 101st `ws_connect` waits for a free slot (the public ticker streams "
        "use the same session). In the service the accounts past ~100 never get a stream and "
        "pay three REST requests a signal; in this run that bounded the 200-user phases too "
        "(see the live rows). The fix is in `bot/trading/streams/manager.py`: a connector "
        "with `limit=0` (or max_private_streams + the public streams) for that session; with "
        f"it, {ours.count} streams took {ours.rss_mb:.0f} MB and no thread.",
        f"- **Resident memory with streams** ({mem.rss_seen_mb:.0f} MB against "
        f"{mem_rest.rss_seen_mb:.0f} MB REST only, same steps). The 9,000 spot users each "
        "open a private stream when they trade, so the run churns through them: "
        f"`max_private_streams` {mem.streams.get('private', {}).get('max', '?')} open, "
        f"{mem.streams.get('private', {}).get('evicted', '?')} evicted (those that had "
        "connected each paid a REST resync first). The registry keeps every user's "
        "`BybitExchange`, and its `.stream` keeps the closed `AccountStream` after eviction "
        "— state dicts, a `StreamConnection`, three asyncio primitives: about 4 KB an "
        "account (an isolated check: 9,000 streams opened through a 500-stream manager grew "
        "the process by 37 MB more when the closed streams were kept than when they were "
        "dropped). Dropping `exchange.stream` on eviction (or "
        "not opening streams for spot-only accounts) would return most of it. REST only the "
        f"same steps take {mem_rest.rss_seen_mb:.0f} MB (idle after start "
        f"{mem_rest.rss_idle_mb:.0f} MB); the last report before the streams (commit "
        "40d1040) had 145 MB (idle 59 MB).",
    ]
    live = acks.live.get("rate-live")
    if live is not None:
        lines.append(_live_note(acks, live))
    if pybit.races:
        lines.append(
            f"- **pybit on 127.0.0.1**: {pybit.races} of {pybit.count * 4} subscribe answers "
            "arrived before pybit had recorded the subscription (it records it after "
            "sending); its reader thread then fails with a KeyError and the stream ends for "
            "good. Over a real network the round trip hides the race; the bench makes pybit's "
            "answer handler wait for the record, so its figures are those of working streams.")
    return lines


def _live_note(acks: AckResults, live: LiveExchange) -> str:
    run = acks.loads["rate-live"]["service"]
    parked = acks.loads["rate-parked"]["service"]
    synced = live.streams.get("private", {}).get("synced", 0)
    paths = ", ".join(f"{p.removeprefix('/v5/')} {n}" for p, n in sorted(live.calls.items()))
    cpu = ", ".join(f"{k} {v:.1f} s" for k, v in live.cpu_s.items())
    return (
        f"- **Execution live, 500/s offered** (p99 {run.run.percentile(99):.0f} ms; the last "
        "report before the streams, commit 40d1040, had p50 180 ms and p99 419 ms). After two "
        f"warm-up signals per user, {synced} of 200 private "
        "streams were synced: the others could not connect (the connector limit above), so "
        f"their accounts run on REST as before. The load's {live.signals:,} buys (most of them "
        "skipped: the user is already long) cost "
        f"{sum(split(live.calls)[0].values()):,} private requests ({paths}) = "
        f"{live.private_per_signal:.2f} a signal: a streamed account pays one `create` for "
        "its opening buy and nothing for a skipped one; the rest are the accounts without a "
        "stream, where every buy reads its position and an opening one also looks its fill "
        f"up. Execution caught up {live.catch_up_s:.1f} s after the last ack. Server CPU per "
        f"ack was {run.cpu_us_per_request:.0f} µs against {parked.cpu_us_per_request:.0f} µs "
        f"with the exchange parked (by thread, load and catch-up: {cpu}). What remains is "
        "what the previous report found with py-spy: pybit's threads and the executor share "
        "the one interpreter lock with the acks, and the gate releases its full bucket "
        f"({SHIPPED.requests_per_5s} calls) at once after a quiet spell, so the acks queue "
        "behind bursts of execution — now with fewer calls to queue behind.")


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


def measurements(acks: AckResults, steady: dict[str, Steady], ws: Comparison, mem: Memory,
                 mem_rest: Memory, abandoned: int) -> list[str]:
    lines = [f"- Steady state, {s.summary()}" for s in steady.values()]
    lines += [f"- Steady state, {s.label}: REST during the warm-up {dict(s.warmup_calls)}; "
              f"{s.seconds:.1f} s for the rounds; /healthz streams after: "
              f"{s.stream_status.get('private')}" for s in steady.values()]
    for name, live in acks.live.items():
        lines.append(f"- `{name}` exchange: {live.signals} signals, REST {dict(live.calls)}, "
                     f"{live.orders} orders, caught up {live.catch_up_s:.1f} s after the load; "
                     f"streams after the warm-up {live.streams.get('private')}; CPU "
                     + ", ".join(f"{k} {v:.1f} s" for k, v in live.cpu_s.items()))
    lines += [_footprint(f) for f in ws.footprints.values()]
    for m in (mem, mem_rest):
        lines.append(f"- Memory, {m.label}: idle {m.rss_idle_mb:.0f} MB, seen "
                     f"{m.rss_seen_mb:.0f} MB, lanes {m.rss_lanes_mb:.0f} MB, phase "
                     f"{m.seconds:.0f} s; streams after the spot users {m.streams.get('private')}")
    lines.append(f"- WebSocket upgrades the fake could not answer because the client had "
                 f"already gone (streams closed while connecting): {abandoned}.")
    return lines
