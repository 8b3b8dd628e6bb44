"""The trader's default exits: `/set sl|tp|trailing|be`, and how /settings shows them.

A default is used for an opening whose alert brings no exits of its own (an alert with any
exits uses only its own). It applies to every symbol, so its levels are percents of the entry
(a fixed price is refused with a sentence); a trailing stop may also be a distance in price.
Values are read like every number people type (`2%`, `٢٫٥٪`), the whole plan is checked with
`bot.plans.check_plan`, and on bad input `Refused` says what to type and nothing is stored.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from bot.errors import BadSignal
from bot.i18n import Html, ltr, t
from bot.i18n.numbers import grouped, read_number, read_percent
from bot.plans import HUNDRED, MAX_TARGETS, ExitPlan, Level, Target, check_plan

EXIT_SETTINGS = ("sl", "tp", "trailing", "be")
OFF_WORDS = ("off", "none")
TARGET_SEPARATORS = re.compile("[,\u060c]")  # a comma, or the Arabic comma ،
EXAMPLES = {"sl": "/set sl 2%", "tp": "/set tp 1%,2%,3%", "tp_one": "/set tp 3%",
            "trailing": "/set trailing 1%", "distance": "/set trailing 200", "be": "/set be 1"}


class Refused(Exception):
    """A value that is not allowed; `key` names the catalog message that says what is."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def text(self, lang: str) -> str:
        return t(lang, self.key, **self.values)


class RefusedExit(Refused):
    """A default exit refused: what was typed, numbers and examples sit in LTR isolates."""

    def text(self, lang: str) -> str:
        return t(lang, self.key, **{name: ltr(lang, value) for name, value in self.values.items()})


# --- parsing: pure ------------------------------------------------------------------------------

def parse_exit(name: str, raw: str, current: ExitPlan | None) -> ExitPlan | None:
    """The default exits after `/set <name> <raw>` (None: no defaults left), or `Refused`."""
    plan = current or ExitPlan()
    text = raw.strip()
    off = text.lower() in OFF_WORDS
    if name == "sl":
        plan = replace(plan, stop_loss=None if off else _percent(text, "sl", text))
    elif name == "tp":
        levels = () if off else _ladder(text)
        plan = replace(plan, take_profit=levels[0] if len(levels) == 1 else None,
                       targets=tuple(Target(level) for level in levels) if len(levels) > 1
                       else ())
    elif name == "trailing":
        plan = replace(plan, trailing=None if off else _trailing(text),
                       trailing_activation=None if off else plan.trailing_activation)
    elif name == "be":
        plan = replace(plan, be_after=None if off else _target_number(text))
    else:
        raise ValueError(f"not a default exit: {name}")
    try:
        check_plan(plan)
    except BadSignal:
        raise _ladder_refusal(name, plan) from None
    return None if plan.empty else plan


def _percent(text: str, name: str, given: str) -> Level:
    percent = read_percent(text)
    if percent is None:
        price = read_number(text)
        if price is not None and price > 0:
            raise RefusedExit("set.price_not_default", given=given, example=EXAMPLES[name])
    if percent is None or not 0 < percent < HUNDRED:
        if name == "tp":
            raise RefusedExit("set.bad_tp", given=given, max=MAX_TARGETS, off="/set tp off",
                              one=EXAMPLES["tp_one"], ladder=EXAMPLES["tp"])
        raise RefusedExit("set.bad_sl", given=given, example=EXAMPLES["sl"], off="/set sl off")
    return Level(percent, percent=True)


def _ladder(text: str) -> tuple[Level, ...]:
    parts = [part.strip() for part in TARGET_SEPARATORS.split(text)]
    if len(parts) > MAX_TARGETS:
        raise RefusedExit("set.tp_too_many", count=len(parts), max=MAX_TARGETS,
                          example=EXAMPLES["tp"])
    levels = tuple(_percent(part, "tp", part or text) for part in parts)
    if any(later.value <= earlier.value for earlier, later in pairwise(levels)):
        raise RefusedExit("set.tp_order", given=text, example=EXAMPLES["tp"])
    return levels


def _trailing(text: str) -> Level:
    percent = read_percent(text)
    if percent is not None and 0 < percent < HUNDRED:
        return Level(percent, percent=True)
    distance = read_number(text) if percent is None else None
    if distance is not None and distance > 0:
        return Level(distance)
    raise RefusedExit("set.bad_trailing", given=text, percent=EXAMPLES["trailing"],
                      distance=EXAMPLES["distance"], off="/set trailing off")


def _target_number(text: str) -> int:
    value = read_number(text) if read_percent(text) is None else None
    if value is None or value != value.to_integral_value() or not 1 <= value <= MAX_TARGETS:
        raise RefusedExit("set.bad_be", given=text, example=EXAMPLES["be"], off="/set be off")
    return int(value)


def _ladder_refusal(name: str, plan: ExitPlan) -> Refused:
    """Why `check_plan` refused a plan only /set made: break-even outside the ladder."""
    count = len(plan.targets)
    n = plan.be_after or 1
    if name != "be":
        return RefusedExit("set.tp_leaves_be", n=n, need=n + 1, be_off="/set be off",
                           example=_example_ladder(n + 1))
    if count < 2:
        return RefusedExit("set.be_no_ladder", example=_example_ladder(max(n + 1, 2)),
                           be=f"/set be {n}")
    last = count - 1
    return RefusedExit("set.be_beyond", count=count, range="1" if last == 1 else f"1…{last}",
                       example=f"/set be {last}")


def _example_ladder(count: int) -> str:
    return "/set tp " + ",".join(f"{n}%" for n in range(1, min(count, MAX_TARGETS) + 1))


# --- showing ------------------------------------------------------------------------------------

def level_text(level: Level) -> str:
    """`2%`, `2.5%`, or a trailing distance in price (`1,000`)."""
    return f"{grouped(level.value)}%" if level.percent else grouped(level.value)


def exits_text(lang: str, plan: ExitPlan | None) -> Html:
    """One line: `stop 2% · targets 1%, 2%, 3% · trailing 1% · break-even after 1`, or none."""
    if plan is None or plan.empty:
        return Html(t(lang, "exits.none"))
    parts = []
    if plan.stop_loss is not None:
        parts.append(t(lang, "exits.stop", level=ltr(lang, level_text(plan.stop_loss))))
    if plan.take_profit is not None:
        parts.append(t(lang, "exits.take", level=ltr(lang, level_text(plan.take_profit))))
    if plan.targets:
        levels = ", ".join(level_text(target.level) for target in plan.targets)
        parts.append(t(lang, "exits.targets", levels=ltr(lang, levels)))
    if plan.trailing is not None:
        parts.append(t(lang, "exits.trailing", level=ltr(lang, level_text(plan.trailing))))
    if plan.be_after is not None:
        parts.append(t(lang, "exits.be", n=ltr(lang, plan.be_after)))
    return Html(" · ".join(parts))


def done_text(lang: str, name: str, plan: ExitPlan | None) -> str:
    """What `/set <name>` did, then every default exit as it is now."""
    now = plan or ExitPlan()
    key, values = f"set.done_{name}_off", dict[str, str]()
    if name == "sl" and now.stop_loss is not None:
        key, values = "set.done_sl", {"level": level_text(now.stop_loss)}
    elif name == "tp" and now.take_profit is not None:
        key, values = "set.done_tp", {"level": level_text(now.take_profit)}
    elif name == "tp" and now.targets:
        shares = ", ".join(f"{grouped(share)}%" for share in now.shares())
        key, values = "set.done_tp_ladder", {
            "levels": ", ".join(level_text(target.level) for target in now.targets),
            "shares": shares}
    elif name == "trailing" and now.trailing is not None:
        kind = "percent" if now.trailing.percent else "distance"
        key, values = f"set.done_trailing_{kind}", {"level": level_text(now.trailing)}
    elif name == "be" and now.be_after is not None:
        key, values = "set.done_be", {"n": str(now.be_after)}
    done = t(lang, key, **{field: ltr(lang, value) for field, value in values.items()})
    return done + "\n" + t(lang, "set.exits_note", exits=exits_text(lang, plan))


def help_text(lang: str, plan: ExitPlan | None) -> str:
    """What the menu's 🎯 button shows: the four commands, and the defaults as they are."""
    examples = {"sl": EXAMPLES["sl"], "tp": EXAMPLES["tp"], "trailing": EXAMPLES["trailing"],
                "distance": EXAMPLES["distance"], "be": EXAMPLES["be"], "off": "/set sl off",
                "others": "tp, trailing, be", "max": MAX_TARGETS,
                "fields": "sl, tp, tps, trailing, be_after"}
    return t(lang, "settings.exits_help", exits=exits_text(lang, plan),
             **{name: ltr(lang, value) for name, value in examples.items()})


def usage_text(lang: str) -> str:
    """The default exits' part of `/set`'s usage."""
    examples = {"sl": EXAMPLES["sl"], "tp": EXAMPLES["tp"], "trailing": EXAMPLES["trailing"],
                "be": EXAMPLES["be"], "off": "/set sl off", "menu": "/settings"}
    return t(lang, "set.usage_exits", **{name: ltr(lang, value)
                                         for name, value in examples.items()})
