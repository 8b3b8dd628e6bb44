"""`make bench`: the real service against the fake Bybit, and a bare-aiohttp baseline.

    python -m bench [--quick] [--out docs/BENCHMARKS.md]
    python -m bench --only positions [--users N]   (one section, spliced into the report)
    python -m bench --only channels [--subscribers N]   (likewise)
    python -m bench --only acks [--quick]          (the acknowledgement's rows, printed)

Everything listens on 127.0.0.1. Each phase starts its own service process (`python main.py`)
on a fresh SQLite database, so no backlog carries over; the fake Bybit (REST and streams) runs
in this process. The streams comparison starts its own client processes (`bench/ws_clients.py`,
one for aiohttp, one for pybit). The run is bounded: every load has a request count and a time
cap.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import channels_text, machine, notes, notes_acks, notes_streams, positions_text, report
from bench.ack import AckResults, measure_acks
from bench.channels import SUBSCRIBERS, run_channels
from bench.exchange import TimedFakeBybit
from bench.execution import UNTHROTTLED, parallel, signal_to_order
from bench.memory import memory
from bench.positions import POSITION_USERS, position_management
from bench.positions import VARIANTS as POSITION_VARIANTS
from bench.steady import VARIANTS as STEADY_VARIANTS
from bench.steady import steady_state
from bench.ws_compare import compare

ROOT = Path(__file__).resolve().parents[1]

# wrk_s: each wrk round; wrk_rounds: rounds per server, alternating; live_s: the live
# throughput load (its catch-up grows with it); quiet_s: the most a round waits for quiet.
FULL = {"wrk_s": 5, "wrk_rounds": 5, "live_s": 3, "quiet_s": 5, "rate": 500,
        "rate_count": 2500, "time_cap_s": 6,
        "s2o": {0.0: 100, 0.05: 50}, "parallel": ("shipped", "unthrottled"),
        "steady_rounds": 3, "streams": 500, "stream_idle_s": 45,
        "subscribers": SUBSCRIBERS}
QUICK = {**FULL, "wrk_s": 3, "wrk_rounds": 2, "rate_count": 1000, "time_cap_s": 4,
         "s2o": {0.0: 30, 0.05: 10}, "parallel": ("unthrottled",),
         "steady_rounds": 1, "streams": 150, "stream_idle_s": 21,
         "subscribers": 200}
VARIANTS = {"shipped": {}, "unthrottled": UNTHROTTLED}


def say(text: str) -> None:
    print(text, flush=True)


async def run(settings: dict, out: Path | None, only_acks: bool = False) -> None:
    began = time.perf_counter()
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"  # requests, pybit
    scratch = Path(tempfile.mkdtemp(prefix="botbybit-bench-"))
    watch = machine.RunWatch()
    fake = TimedFakeBybit()
    await fake.start()
    try:
        env = {**machine.describe(), "versions": machine.versions(),
               "fsync": machine.fsync_ms(scratch)}
        say(f"botbybit bench: {env['cores']} cores, {env['versions']}, fsync p50/p99 "
            f"{env['fsync'][0]:.2f}/{env['fsync'][1]:.2f} ms; scratch {scratch}")
        say("acknowledgement (baseline vs service):")
        acks = await measure_acks(scratch, fake, settings, say)
        if only_acks:
            await _acks_only(acks, env, began, watch, out)
            return
        say("signal to order:")
        s2o = await signal_to_order(scratch, fake, settings["s2o"], say)
        fake.forget_requests()
        say("REST requests per signal in steady state (private streams on, REST only):")
        steady = {}
        for first, label in zip((40001, 40101), STEADY_VARIANTS, strict=True):
            steady[label] = await steady_state(scratch, fake, label=label, first_user=first,
                                               rounds=settings["steady_rounds"], say=say)
            fake.forget_requests()
        say("position management's REST (private streams on, REST only):")
        positions = {}
        for first, label in zip((40201, 40301), POSITION_VARIANTS, strict=True):
            positions[label] = await position_management(scratch, fake, label=label,
                                                         first_user=first, say=say)
            fake.forget_requests()
        say("parallelism across users:")
        par = []
        for first, label in zip((30001, 30201), settings["parallel"], strict=False):
            par.append(await parallel(scratch, fake, label=label, first_user=first,
                                      latency_s=0.2, overrides=VARIANTS[label], say=say))
            fake.forget_requests()
        say("memory and start-up:")
        mem = await memory(scratch, fake, say)
        fake.forget_requests()
        mem_rest = await memory(scratch, fake, say, label="REST only",
                                bybit={"max_private_streams": 0})
        fake.forget_requests()
        say(f"{settings['streams']} private streams, aiohttp against pybit, each in its own "
            "process:")
        ws = await compare(fake, scratch, settings["streams"], settings["stream_idle_s"], say)
        fake.forget_requests()
        say(f"signal channels: one alert to {settings['subscribers']:,} subscribers:")
        channels = await run_channels(scratch, fake, say, subscribers=settings["subscribers"])
    finally:
        await fake.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    share = watch.stop()
    env.update(duration_s=time.perf_counter() - began, others_cores=share.others)
    found = report.rows(acks, s2o, par, mem, steady, ws, mem_rest, positions)
    print()
    print(report.table(found))
    section = channels_text.section(channels, env["cores"], share.others)
    print("\n".join(section))
    if out is not None:
        report.write(out, report.markdown(found, env, [*notes.notes(
            acks, s2o, par, mem, env, steady, ws, mem_rest, positions,
            fake.abandoned.count), *section]))
        print(f"\nwritten to {out}")


async def run_channels_only(subscribers: int, out: Path | None) -> None:
    """`python -m bench --only channels`: the signal channels' phases alone; their section
    replaces the one in the report (the rest stays as the last full run wrote it)."""
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    scratch = Path(tempfile.mkdtemp(prefix="botbybit-bench-"))
    watch = machine.RunWatch()
    fake = TimedFakeBybit()
    await fake.start()
    cores = machine.describe()["cores"]
    try:
        say(f"signal channels: one alert to {subscribers:,} subscribers ({cores} cores):")
        found = await run_channels(scratch, fake, say, subscribers=subscribers)
    finally:
        await fake.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    section = channels_text.section(found, cores, watch.stop().others)
    print()
    print("\n".join(section))
    if out is not None:
        channels_text.splice_section(out, section)
        print(f"\nwritten to {out}")


async def run_positions(out: Path | None, users: int) -> None:
    """Only the position-management section; its rows and notes go into the report `out`
    already holds (the last full run's), the other sections left as they are."""
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    scratch = Path(tempfile.mkdtemp(prefix="botbybit-bench-"))
    fake = TimedFakeBybit()
    await fake.start()
    try:
        say("position management's REST (private streams on, REST only):")
        positions = {}
        for n, label in enumerate(POSITION_VARIANTS):
            positions[label] = await position_management(scratch, fake, label=label,
                                                         first_user=40201 + n * users, say=say,
                                                         users=users)
            fake.forget_requests()
    finally:
        await fake.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    found = report.positions_rows(positions)
    table = report.table(found)
    print()
    print(table)
    if out is not None:
        spliced = positions_text.splice(await asyncio.to_thread(out.read_text),
                                        table.splitlines()[2:], positions)
        await asyncio.to_thread(out.write_text, spliced)
        print(f"\nthe position rows and notes of {out} replaced")


async def _acks_only(acks: AckResults, env: dict, began: float, watch: machine.RunWatch,
                     out: Path | None) -> None:
    """`--only acks`: print the ack rows; with `out`, splice them and their notes into it."""
    rows = report.ack_rows(acks)
    table = report.table(rows)
    print()
    print(table)
    if out is None:
        return
    share = watch.stop()
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    stamp = (f"- Ack rows: `python -m bench --only acks` ({now}, "
             f"{time.perf_counter() - began:.0f} s; other processes used {share.others:.2f} "
             f"cores on average, fsync p50 {env['fsync'][0]:.2f} ms, p99 "
             f"{env['fsync'][1]:.2f} ms); the other rows are from the run above.")
    live = [notes_streams.live_note(acks, acks.live["rate-live"])] if "rate-live" in acks.live \
        else []
    text = notes_acks.splice(await asyncio.to_thread(out.read_text), table.splitlines()[2:],
                             acks, env,
                             notes_acks.measurements(acks)
                             + notes_streams.live_measurements(acks), live, stamp)
    await asyncio.to_thread(out.write_text, text)
    print(f"\nthe ack rows and notes of {out} replaced")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller loads, for trying the bench out (not for the record)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "BENCHMARKS.md",
                        help="where to write the report (default docs/BENCHMARKS.md)")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    parser.add_argument("--only", choices=("positions", "channels", "acks"), default=None,
                        help="one section alone; positions, channels: its rows and notes "
                        "replace theirs in --out; acks: the acknowledgement's rows, printed")
    parser.add_argument("--users", type=int, default=POSITION_USERS,
                        help="--only positions: how many users (default %(default)s)")
    parser.add_argument("--subscribers", type=int, default=None,
                        help=f"the channels' subscribers (default {SUBSCRIBERS:,}; another "
                        "number is printed, not written)")
    args = parser.parse_args()
    settings = QUICK if args.quick else FULL
    out = None if args.no_write or args.quick else args.out
    if args.subscribers:
        settings = {**settings, "subscribers": args.subscribers}
        if args.subscribers != SUBSCRIBERS:
            out = None  # not the figure the report promises
    if args.only == "positions":
        asyncio.run(run_positions(out, args.users))
    elif args.only == "channels":
        asyncio.run(run_channels_only(settings["subscribers"], out))
    else:
        asyncio.run(run(settings, out, args.only == "acks"))
    sys.exit(0)


if __name__ == "__main__":
    main()
