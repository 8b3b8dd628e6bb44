"""Position management's rows and prose (issue 14): what an entry with exits, a partial close,
a break-even move and a position going flat with targets left cost at the exchange.

`splice` puts them into an existing docs/BENCHMARKS.md, so `python -m bench --only positions`
updates these rows and sections and leaves the others as the last full run wrote them.
"""

from __future__ import annotations

import datetime as dt
import re

from bench.positions import EFFECT_S, LEVERAGE, QUIET_S, STEPS, Positions, Step

FIGURE = "REST requests for a managed position: "
# step -> (the figure's words, the target's words: what DESIGN §10/§11 lead to expect)
TEXT = {
    "first entry": ("entry with a stop-loss price and a 3-target ladder, the first at a new "
                    "leverage",
                    "3: the order carrying its stop (§11), one batch for the ladder, "
                    "set-leverage once"),
    "partial close": ("partial close (`close`, `qty_percent` 50)",
                      "1: the order (§10: a plain close is one request)"),
    "break-even move": ("break-even move (target 1 filled at the exchange, `be_after` 1)",
                        "1: one trading-stop (§11)"),
    "close, targets left": ("`close` to flat with targets 2 and 3 resting",
                            "2: the order, one cancel for the leftovers (§11)"),
    "entry": ("entry with a stop-loss price and a 3-target ladder, leverage already set",
              "2: the order carrying its stop, one batch for the ladder"),
    "stop-loss fires": ("Bybit's stop-loss closes the position, 3 targets resting",
                        "1: one cancel for the leftovers"),
    "percent entry": ("entry with a 2 % stop-loss, a 1 % trailing stop and a 3-target ladder",
                      "3: the order, one batch, one trading-stop for stop and trailing"),
    "trailing fires": ("the trailing stop closes the position, 3 targets resting",
                       "1: one cancel for the leftovers"),
}
NOT_DONE = {"break-even move": "stops moved", "close, targets left": "accounts left clean",
            "stop-loss fires": "accounts left clean", "trailing fires": "accounts left clean"}
COSTS = "## What position management costs"


def _paths(step: Step) -> str:
    return step.paths() or "none"


def _rest_only(on: Step, rest: Step | None) -> str:
    if rest is None:
        return ""
    text = f"; REST only {rest.per_user:.2f} ({_paths(rest)})"
    if rest.done < rest.users:
        text += (f", not done: {rest.done} of {rest.users} {NOT_DONE.get(rest.name, 'done')} "
                 f"within {EFFECT_S['rest only']:.0f} s")
    return text


def _miss(step: Step) -> str:
    parts = []
    if step.done < step.users:
        parts.append(f"{step.users - step.done} of {step.users} not done")
    if step.extra:
        parts.append("beyond the target: " + ", ".join(
            f"{p.removeprefix('/v5/')} {n / step.users:.2f}" for p, n in sorted(
                step.extra.items())))
    return "; ".join(parts) + "; see the notes"


def rows(positions: dict[str, Positions]) -> list[tuple[str, str, str, bool, str]]:
    """(figure, ours, target, met, what missed) per step, for the report's table."""
    on, rest = positions["streams"], positions.get("rest only")
    out = []
    for name in STEPS:
        step = on.steps[name]
        figure, target = TEXT[name]
        out.append((f"{FIGURE}{figure} ({on.users} demo futures users, private streams on)",
                    f"{step.per_user:.2f} ({_paths(step)})"
                    + _rest_only(step, rest.steps.get(name) if rest else None),
                    target, step.met, _miss(step)))
    return out


def method(positions: dict[str, Positions]) -> list[str]:
    on = positions["streams"]
    return [
        f"- **Position management** (also alone: `python -m bench --only positions`): "
        f"{on.users} demo futures users on a fresh service, the fake answering at once, each "
        "warmed by one `close` with nothing open (its private stream opened; "
        f"{on.synced} of {on.users} synced before the first step). Then one position's life, "
        "each step for every user at once, BTCUSDT at 50,000: a buy at leverage "
        f"{LEVERAGE} (the account holds 10×) with `\"sl\": 49000` and the ladder "
        "`tps` 1 %/40 %, 2 %/30 %, 3 %/the rest, `be_after` 1; a `close` with `qty_percent` "
        "50; the fake's price moved to 50,750 (past target 1, short of target 2), so target "
        "1 fills at the fake and the service hears it on its stream; a `close` of what is "
        "left; the same buy again (`sl` 49700); the price moved to 49,500, through the stop: "
        "Bybit's stop-loss closes the position; a buy with `\"sl\": \"2%\"`, "
        "`\"trailing\": \"1%\"` and the ladder; the price moved to 48,800, through the "
        "trailing stop. The fake's own cancel of a flat position's reduce-only orders is "
        "switched off (`cancel_reduce_only_when_flat = False`), so the service's cancel is the "
        "one measured. A step ends when the fake shows its effect for every user (position, "
        "stop and three more resting orders; half the position; a new stop; flat with no "
        "resting order) — or after "
        f"{EFFECT_S['streams']:.0f} s — and then received nothing for {QUIET_S} s; counted: "
        "every request from the step's start until then, so the keeper's follow-ups (the "
        "cancel after a signal finished, the break-even move) are in the step that caused "
        "them; private as above. The same steps on a service with `max_private_streams: 0` "
        f"(REST only; a step waits {EFFECT_S['rest only']:.0f} s for an effect that does not "
        "come, then the bench cancels the leftover targets at the fake, uncounted) are the "
        "REST-only figures in the same rows.",
    ]


def costs(positions: dict[str, Positions]) -> list[str]:
    on, rest = positions["streams"], positions.get("rest only")
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    s = on.steps
    lines = [COSTS, "", f"Measured {when}.", ""]
    lines.append(
        f"- **Entry with exits** ({s['entry'].per_user:.2f}; the first at a new leverage "
        f"{s['first entry'].per_user:.2f}, with a percent stop and trailing "
        f"{s['percent entry'].per_user:.2f}). `order/create` is the opening, carrying the "
        "stop-loss when it is a price: the position was read from the stream before it and "
        "its fill came on the `order` topic after it, so neither `position/list` nor "
        "`order/realtime`. Then the keeper places the ladder as reduce-only limits in one "
        "`order/create-batch` — one request whatever the ladder's length (up to 20 linear "
        "orders), where Bybit's partial TP/SL would cost one trading-stop per target. A stop "
        "or take-profit given as a percent is a price only once the fill is known, so it "
        "cannot ride on the opening order: it and the trailing stop go in one "
        "`position/trading-stop` after the fill. `position/set-leverage` is paid once per "
        "symbol when the account holds another leverage (then it is remembered).")
    lines.append(
        f"- **Partial close** ({s['partial close'].per_user:.2f}): one reduce-only "
        "`order/create` for half the position as the stream holds it; the targets are left "
        "as they are (a reduce-only order never opens the other side: at the fake, what exceeds "
        "the position when it fills is cancelled, `CancelByReduceOnly`).")
    moved = ""
    if on.stop_moves is not None:
        entry, before, after = on.stop_moves
        moved = f" (one user: entry {entry:f}, stop {before:f} → {after:f})"
    lines.append(
        f"- **Break-even move** ({s['break-even move'].per_user:.2f}): the target's fill "
        "arrives on the `order` topic; the keeper records it, tells the trader and moves the "
        "stop to the position's break-even price as the stream's position row gives it"
        f"{moved} — one `position/trading-stop`, nothing read. From the price move until "
        f"every user's stop had moved: {s['break-even move'].seconds:.2f} s. The stop is sent as "
        "the row's `breakEvenPrice`, not rounded to the price tick (BTCUSDT's is 0.10, at the "
        "fake as at Bybit); the fake's trading-stop does not check the tick, and whether Bybit "
        "refuses a stop off it (the keeper would then log the stop as not moved) is not "
        "verified here.")
    lines.append(
        f"- **Flat with targets left** (a `close`: "
        f"{s['close, targets left'].per_user:.2f}; Bybit's stop-loss: "
        f"{s['stop-loss fires'].per_user:.2f}; the trailing stop: "
        f"{s['trailing fires'].per_user:.2f}). When the stream shows the position gone, one "
        "`order/cancel-batch` cancels every target not filled; a `close` adds its own "
        "`order/create`, a close by Bybit's own stop adds nothing (it is journaled from the "
        "stream, with Bybit's PnL: "
        + (", ".join(f"{n} {route.replace('_', ' ')}" for route, n in
                     sorted(on.closes.items())) or "none")
        + " journaled in this run). The keeper sends the cancel for every target not filled, "
        "so where Bybit has cancelled a flat position's reduce-only orders itself (the fake's "
        "default, and what its VERIFY note takes Bybit to do) it still costs that request.")
    for step in s.values():
        if not step.met:
            why = _miss(step).removesuffix("; see the notes")
            missing = ", ".join(f"{p.removeprefix('/v5/')} {n}"
                                for p, n in sorted(step.missing.items())) or "none"
            lines.append(f"- **{step.name.capitalize()}, missed**: {why}; missing: {missing}. "
                         f"Paths per user: {_paths(step)}.")
    if rest is not None:
        total = sum(x.per_user for x in s.values())
        rest_total = sum(x.per_user for x in rest.steps.values())
        r = rest.steps
        lines.append(
            "- **REST only** (`max_private_streams: 0`): each signal adds the position read "
            "before its order and the fill look-up after it (entry "
            f"{r['entry'].per_user:.2f}, partial close {r['partial close'].per_user:.2f}). "
            "Nothing tells a REST-only service that a target filled or that the position went "
            f"flat: {r['break-even move'].done} of {r['break-even move'].users} stops moved to "
            f"break-even, {sum(r[n].done for n in NOT_DONE) - r['break-even move'].done} of "
            f"{3 * rest.users} flat positions had their targets cancelled, and Bybit's own "
            "closes were not journaled ("
            + (", ".join(f"{n} {k}" for k, n in sorted(rest.closes.items())) or "none")
            + "). A position's whole life here (the eight steps): "
            f"{total:.2f} private requests with streams, {rest_total:.2f} REST only — which "
            "did less.")
    lines.append("")
    return lines


def measurements(positions: dict[str, Positions]) -> list[str]:
    lines = [f"- Position management, {p.summary()}" for p in positions.values()]
    lines += [f"- Position management, {p.label}: REST during the warm-up "
              f"{dict(p.warmup_calls)}; Bybit's closes journaled {dict(p.closes)}; streams "
              f"after: {p.stream_status.get('private')}" for p in positions.values()]
    return lines


# --- `--only positions`: these rows and sections into the last full run's report ------------

def _replace_rows(text: str, new_rows: list[str]) -> str:
    lines = [line for line in text.splitlines() if not line.startswith(f"| {FIGURE}")]
    table = [i for i, line in enumerate(lines) if line.startswith("| ")]
    if not table:
        raise ValueError("no table in the report: run the whole bench first")
    steady = [i for i in table if lines[i].startswith("| REST requests per executed")]
    at = (steady[-1] if steady else table[-1]) + 1
    return "\n".join(lines[:at] + new_rows + lines[at:])


def _replace_bullet(text: str, heading: str, prefix: str, new: list[str]) -> str:
    lines = text.splitlines()
    lines = [line for line in lines if not line.startswith(prefix)]
    if heading not in lines:
        return "\n".join([*lines, "", heading, "", *new])
    at = lines.index(heading) + 2
    while at < len(lines) and lines[at].startswith("- "):
        at += 1
    return "\n".join(lines[:at] + new + lines[at:])


def _replace_section(text: str, section: list[str], before: str) -> str:
    pattern = re.compile(rf"^{re.escape(COSTS)}\n.*?(?=^## |\Z)", re.M | re.S)
    body = "\n".join(section) + "\n"
    if pattern.search(text):
        return pattern.sub(lambda _: body, text, count=1)
    if f"\n{before}\n" in text:
        return text.replace(f"\n{before}\n", f"\n{body}\n{before}\n".replace("\n\n\n", "\n\n"),
                            1)
    return text.rstrip("\n") + "\n\n" + body


def splice(text: str, table_rows: list[str], positions: dict[str, Positions]) -> str:
    """The report `text` with this run's position rows and sections instead of the last."""
    text = _replace_rows(text, table_rows)
    text = _replace_bullet(text, "## How the figures are taken", "- **Position management**",
                           method(positions))
    text = _replace_section(text, costs(positions), "## Changes this bench led to")
    text = _replace_bullet(text, "## Measurements behind the verdicts",
                           "- Position management, ", measurements(positions))
    return text.rstrip("\n") + "\n"
