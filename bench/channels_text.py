"""The signal channels' section of docs/BENCHMARKS.md: its table, how it is taken, and what
sets each figure. `python -m bench --only channels` replaces this section alone (between its
markers); the full `make bench` writes it after the other notes."""

from __future__ import annotations

from pathlib import Path

from bench.channels import BASELINE_ALERTS, TELEGRAM_PER_S, ChannelRun
from bench.report import Row, table

BEGIN, END = "<!-- channels:begin -->", "<!-- channels:end -->"


def _ratio(value: float, floor: float) -> str:
    return f"×{value / floor:.2f} the floor" if floor > 0 else "no floor"


def rows(runs: list[ChannelRun]) -> list[Row]:
    out: list[Row] = []
    for run in runs:
        n = f"{run.subscribers:,} {run.account} subscribers, {run.label}"
        near = run.ack_ms <= max(2 * run.baseline_p50_ms, max(run.baseline_ack_ms))
        out.append(Row(
            f"One channel alert to {n}: ack",
            f"{run.ack_ms:.1f} ms (answer counts {run.answered:,} subscribers)",
            f"one-subscriber channel, same service: p50 {run.baseline_p50_ms:.1f} ms, max "
            f"{max(run.baseline_ack_ms):.1f} ms", "does not grow with the subscribers",
            "met" if near else f"**missed** ({run.ack_ms / run.baseline_p50_ms:.1f}× the "
                               "one-subscriber p50)"))
        if run.account == "demo":
            trade = (f"first {run.first_trade_s:.2f} s, last {run.last_trade_s:.2f} s = "
                     f"{_ratio(run.last_trade_s, run.order_floor_s)} "
                     f"({run.calls_per_order:.2f} REST calls per order)")
            target = (f"budget floor: {run.orders:,} orders at {run.budget_per_5s} per 5 s ≥ "
                      f"{run.order_floor_s:.1f} s; the calls made ≥ {run.call_floor_s:.1f} s")
            verdict = _ratio(run.last_trade_s, run.call_floor_s) + " of the calls made"
        else:
            trade = f"first {run.first_trade_s:.2f} s, last {run.last_trade_s:.2f} s"
            target, verdict = "(no exchange request per trade: context)", "—"
        out.append(Row(f"One channel alert to {n}: until the last subscriber's trade"
                       + (f" (exchange {run.latency_s * 1000:.0f} ms a request)"
                          if run.latency_s else ""),
                       trade + f"; every signal finished {run.executed_s:.2f} s", "—",
                       target, verdict))
        out.append(Row(f"One channel alert to {n}: until the last subscriber's notification",
                       f"{run.notified_s:.1f} s = {_ratio(run.notified_s, run.notify_floor_s)}"
                       f" ({run.notified:,} sent)", "—",
                       f"Telegram floor: {run.subscribers:,} messages at {TELEGRAM_PER_S}/s "
                       f"(a bucket of {TELEGRAM_PER_S}) ≥ "
                       f"{run.notify_floor_s:.1f} s", "—"))
        statuses = ", ".join(f"{k} {v:,}" for k, v in sorted(run.statuses.items()))
        out.append(Row(f"One channel alert to {n}: orders",
                       f"{run.orders:,} orders; signals: {statuses}", "—",
                       "exactly one order per subscriber, no orderLinkId twice",
                       "met" if run.one_each else "**missed**"))
    return out


def method(runs: list[ChannelRun]) -> list[str]:
    demo = next((r for r in runs if r.account == "demo"), None)
    lines = [
        "### How the channel figures are taken",
        "",
        "- `python -m bench --only channels` runs this section alone (`make bench` runs it last). "
        "Each phase is a fresh `python main.py` with a bot polling the fake Telegram Bot "
        "API and Bybit at the fake Bybit, both in the bench process on one clock "
        "(`time.monotonic`). Before it starts, the bench writes the subscribers (active, "
        "futures, 100 USDT at 10x; demo ones with their own keys, and an account each at the "
        "fake), a channel with all of them in auto mode, and a second channel with one paper "
        "subscriber, with the project's own repositories.",
        f"- **Ack**: {BASELINE_ALERTS} alerts to the one-subscriber channel one at a time "
        "(the same run's baseline), then one alert to the big channel; from just before the "
        "POST until its 200 is read. One sample: it is the first and only alert of that size "
        "in the phase.",
        "- **Last trade**: paper — the latest `orders.created_at` of the alert's signals "
        "(the service's wall clock against the bench's, same machine); demo — the moment "
        "the fake Bybit received the last `/v5/order/create` of them. **Every signal "
        "finished**: `/healthz` counts all of them completed and no lane left (polled every "
        "20 ms). **Last notification**: the fake Telegram received the last subscriber's "
        "`sendMessage` about it.",
    ]
    if demo is not None:
        lines.append(
            f"- **Demo**: the fake answers every REST request after "
            f"{demo.latency_s * 1000:.0f} ms; thread pool ({demo.max_workers}), parallel "
            f"executions ({demo.parallel_executions}), the IP request budget "
            f"({demo.budget_per_5s} per 5 s) and private streams as shipped; every subscriber "
            "is cold (their first signal: their exchange session, position and leverage are "
            "read over REST). **The budget floor**: the bucket starts full, so N requests "
            f"need at least (N − {demo.budget_per_5s}) / {demo.rate:.0f} s; one request per "
            "order gives the first floor, the requests the phase really made the second.")
    lines.append("")
    return lines


def limits(runs: list[ChannelRun], cores: int | str, others_cores: float) -> list[str]:
    lines = ["### What sets the channel figures", ""]
    for run in runs:
        cpu = f"the service used {run.cpu_s:.1f} s of CPU"
        if run.account == "paper":
            lines.append(
                f"- **Paper, last trade at {run.last_trade_s:.2f} s**: no exchange request "
                f"per trade, so the work is the service's own — {cpu} for "
                f"{run.subscribers:,} signal rows written in steps of 200, executed (a paper "
                "fill is a ledger transaction each) and reported, under one interpreter "
                f"lock, while other processes used {others_cores:.2f} of the {cores} cores: "
                "that CPU, at the share of the machine left to it, is this figure's floor, "
                "and it moves with the machine's load from run to run.")
        else:
            lines.append(_demo_limit(run, cpu))
        lines.append(
            f"- **{run.account.capitalize()}, {run.label}: last notification at "
            f"{run.notified_s:.1f} s**: "
            f"{_ratio(run.notified_s, run.notify_floor_s)} — python-telegram-bot's "
            f"`AIORateLimiter` lets the bot send {TELEGRAM_PER_S} messages a second (a "
            f"bucket of {TELEGRAM_PER_S}), as Telegram asks, so {run.subscribers:,} reports "
            "need ≥ "
            f"{run.notify_floor_s:.1f} s however early the trades finish.")
    lines.append("")
    return lines


def _demo_limit(run: ChannelRun, cpu: str) -> str:
    calls = ", ".join(f"{path.removeprefix('/v5/')} {n:,}" for path, n in
                      run.calls.most_common(6))
    streams = run.streams
    head = (f"- **Demo, {run.label}: last trade at {run.last_trade_s:.2f} s**, "
            f"{_ratio(run.last_trade_s, run.order_floor_s)} of one request per order "
            f"({run.order_floor_s:.1f} s) and {_ratio(run.last_trade_s, run.call_floor_s)} of "
            f"the requests made ({sum(run.calls.values()):,}, {run.calls_per_order:.2f} an "
            f"order: {calls}). ")
    why = (f"At most {run.max_streams} accounts have a private stream "
           f"(`bybit.max_private_streams`); after this alert {streams.get('synced', 0):,} "
           f"were synced, and since the start {streams.get('evicted', 0):,} had been closed "
           f"for another and {streams.get('crowded', 0):,} times an account was left on "
           "REST because every stream was in recent use. ")
    if streams.get("held"):
        why += (f"{streams['held']:,} streams were waiting for their turn to connect: Bybit "
                "allows 500 WebSocket openings per domain in 5 minutes and the service "
                "spends at most 300 (`bot/trading/streams/budget.py`); their accounts read "
                "REST meanwhile. ")
    if "cold" in run.label:
        why += ("Every subscriber starts cold: its position is read over REST (a new stream "
                "is not synced yet), and a stream's opening costs its own REST resync "
                "(positions and open orders); subscribers without a stream look their fill "
                "up over REST (`order/realtime`). ")
    else:
        why += ("With a stream the order is the only request (position and fill come from "
                "the stream); without one a signal costs three: the position, the order and "
                "the fill's look-up. ")
    return head + why + (
        "Every request spends the one IP budget, which the fair gate hands to the "
        "subscribers in turn, so the last order waits for nearly everyone's requests: the "
        f"last trade is {_ratio(run.last_trade_s, run.call_floor_s)} of the requests made"
        + (" (that floor counts the fill look-ups after the last order too, so the last "
           "order can come just under it). " if run.last_trade_s < run.call_floor_s else ". ")
        +
        "The gap to the floor of one request per order is the requests a signal needs "
        "beyond its order. Above the requests' floor: each subscriber's own chain of "
        f"{run.latency_s * 1000:.0f} ms answers, and the service's CPU ({cpu}) on this "
        "loaded machine.")


def changes() -> list[str]:
    """What measuring this section changed (figures from the runs while it was written,
    same machine, one alert each)."""
    return [
        "### Changes this section led to",
        "",
        "- **Streams no longer close each other in turn.** With more subscribers than "
        "`bybit.max_private_streams` (1,000 against 500), every alert walked the subscribers "
        "in the same order and the least-recently-used rule closed, for each newcomer, the "
        "stream that would be needed next: every signal paid a stream's opening, its REST "
        "resync and a REST position read — 4.02 requests per order even for the second "
        "alert, more than REST alone (3). A stream used in the last 5 minutes is now kept "
        "and the newcomer reads REST (`bot/trading/streams/manager.py`, `crowded` in "
        "`/healthz`): the second alert measured 4,016 → 2,000 requests and its last trade "
        "40.1 s → 17.1–18.6 s; the first (cold) alert 4,059 → ~3,570 requests, 35.6 s → "
        "30.6 s.",
        "- **The answer goes out before the expansion starts.** The first expansion step "
        "(200 subscribers' rows, log lines and jobs) started while the 200 was still being "
        "written and shared the loop and the interpreter lock with it: the ack of the first "
        "demo alert to 1,000 subscribers measured 14.3 and 16.2 ms against a one-subscriber "
        "p50 of 3.9 and 5.6 ms (with 100 subscribers, as low as 2.3 ms). The channel route "
        "now writes its answer, then starts the fan-out: 2.5 ms (p50 3.8 ms). One sample per "
        "alert on a loaded machine: the later alerts' acks vary with the machine's load, "
        "within the one-subscriber channel's range.",
        "",
    ]


def summary(runs: list[ChannelRun]) -> list[str]:
    """How far above the shipped budget's floor the demo alerts' last trades are."""
    demo = [run for run in runs if run.account == "demo"]
    if not demo:
        return []
    floor = demo[0].order_floor_s
    each = "; ".join(f"{run.label}: {run.last_trade_s:.1f} s = "
                     f"{_ratio(run.last_trade_s, run.order_floor_s)} "
                     f"({run.calls_per_order:.2f} requests an order; "
                     f"{_ratio(run.last_trade_s, run.call_floor_s)} of those requests)"
                     for run in demo)
    return [f"**Against the request budget**: {demo[0].orders:,} orders at the shipped "
            f"{demo[0].budget_per_5s} requests per 5 s take at least {floor:.1f} s. "
            f"{each[:1].upper()}{each[1:]}. "
            "What separates the two floors is the requests a subscriber's signal needs "
            "beyond its order (see below).", ""]


def section(runs: list[ChannelRun], cores: int | str, others_cores: float) -> list[str]:
    """The whole section, between its markers."""
    if not runs:
        return []
    return [BEGIN, "## Signal channels: one alert, many subscribers", "",
            f"Other processes used {others_cores:.2f} of this machine's {cores} cores on "
            "average while this section was measured; the ratios to the floors are the "
            "figures to compare between runs.", "", *summary(runs),
            table(rows(runs)), "", *method(runs), *limits(runs, cores, others_cores),
            *changes(), END]


def splice_section(path: Path, lines: list[str]) -> None:
    """Put the section into the report in place of its old one (or at its end)."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    block = "\n".join(lines)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)
