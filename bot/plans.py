"""A position's exits, as an alert (or the trader's defaults) asks for them: stop-loss,
take-profit or a ladder of targets, trailing stop, break-even.

Levels are prices, or percents of the entry price ("2%": a target 2 % above a long's entry,
a stop 2 % below it) — resolved against the entry fill by bot/trading/exits.py. Everything
that can be checked without knowing the entry is checked here, when the alert arrives, and
refused with a `BadSignal` naming the field and the rule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.errors import BadSignal, Failure
from bot.vocabulary import Side

MAX_TARGETS = 10
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Level:
    """A price, or a percent of the entry (a distance, for a trailing stop)."""

    value: Decimal
    percent: bool = False

    def __str__(self) -> str:
        digits = format(self.value, "f")  # as sent: 0.5900 stays 0.5900
        return f"{digits}%" if self.percent else digits

    def price(self, entry: Decimal, side: Side, *, favourable: bool) -> Decimal:
        """The price this level means for a position facing `side` entered at `entry`.

        `favourable`: a target (beyond the entry in the trade's direction); else a stop.
        """
        if not self.percent:
            return self.value
        move = entry * self.value / HUNDRED
        return entry + move if (side == Side.BUY) == favourable else entry - move

    def distance(self, reference: Decimal) -> Decimal:
        """A price distance (trailing): the value, or that percent of `reference`."""
        return reference * self.value / HUNDRED if self.percent else self.value

    @staticmethod
    def parse(value: Any, field: str, *, target: int | None = None) -> Level:
        """`51000`, `"51000"`, `"2%"`, `"2.5 %"`: positive; a percent below 100. `target`:
        the ladder rung (tps) `field` belongs to."""
        percent = isinstance(value, str) and value.strip().endswith("%")
        text = value.strip().removesuffix("%").strip() if isinstance(value, str) else value
        number: Decimal | None = None
        if isinstance(text, (int, Decimal, float)) and not isinstance(text, bool):
            number = Decimal(str(text))
        elif isinstance(text, str):
            try:
                number = Decimal(text.replace(",", ""))
            except InvalidOperation:
                number = None
        if number is None or not number.is_finite() or number <= 0 or (
                percent and number >= HUNDRED):
            shown = json.dumps(value, default=str)
            if target is not None:
                raise BadSignal("bad_number.target_level", field=field, n=target, given=shown)
            raise BadSignal("bad_number.level", field=field, given=shown)
        return Level(number, percent)


@dataclass(frozen=True)
class Target:
    """One rung of a take-profit ladder: where, and which share of the position (percent).

    `share` None: the last target (what the others leave), or an even split of all.
    """

    level: Level
    share: Decimal | None = None


@dataclass(frozen=True)
class ExitPlan:
    """What should close a position, besides the next alert."""

    stop_loss: Level | None = None
    take_profit: Level | None = None  # one target for the whole position
    targets: tuple[Target, ...] = ()  # a ladder of partial targets
    trailing: Level | None = None  # trailing-stop distance
    trailing_activation: Level | None = None
    be_after: int | None = None  # stop to break-even once target n has filled

    @property
    def empty(self) -> bool:
        return self == ExitPlan()

    def shares(self) -> list[Decimal]:
        """Each target's share of the position in percent; the last takes what is left."""
        count = len(self.targets)
        if count == 0:
            return []
        given = [t.share for t in self.targets[:-1]]
        if all(share is None for share in given):
            even = (HUNDRED / count).quantize(Decimal("0.01"))
            given = [even] * (count - 1)
        firsts = [share or Decimal(0) for share in given]
        return [*firsts, HUNDRED - sum(firsts, Decimal(0))]

    def to_json(self) -> str:
        return json.dumps({
            "sl": _text(self.stop_loss), "tp": _text(self.take_profit),
            "tps": [[str(t.level), None if t.share is None else str(t.share)]
                    for t in self.targets],
            "trailing": _text(self.trailing), "activation": _text(self.trailing_activation),
            "be_after": self.be_after}, separators=(",", ":"))

    @staticmethod
    def from_json(text: str | None) -> ExitPlan | None:
        if not text:
            return None
        data = json.loads(text)
        return ExitPlan(
            stop_loss=_level(data.get("sl")), take_profit=_level(data.get("tp")),
            targets=tuple(Target(Level.parse(level, "tps"),
                                 None if share is None else Decimal(share))
                          for level, share in data.get("tps") or []),
            trailing=_level(data.get("trailing")),
            trailing_activation=_level(data.get("activation")),
            be_after=data.get("be_after"))


# Every field an alert's exits are read from (after aliases): most alerts carry none of them.
EXIT_FIELDS = frozenset(("stop_loss", "take_profit", "tps", "trailing", "trailing_activation",
                         "be_after", *(f"tp{n}" for n in range(1, MAX_TARGETS + 1))))


def parse_exit_plan(data: dict[str, Any]) -> ExitPlan | None:
    """The exits an alert asks for (None when it asks for none); `BadSignal` naming the rule."""
    if EXIT_FIELDS.isdisjoint(data):
        return None  # the common alert: nothing to parse (this runs before every ack)
    plan = ExitPlan(
        stop_loss=_optional_level(data, "stop_loss"),
        take_profit=_optional_level(data, "take_profit"),
        targets=_targets(data),
        trailing=_optional_level(data, "trailing"),
        trailing_activation=_optional_level(data, "trailing_activation"),
        be_after=_be_after(data.get("be_after")))
    check_plan(plan)
    return None if plan.empty else plan


def check_plan(plan: ExitPlan) -> None:
    """The rules that hold whatever the entry: one kind of take-profit, shares that fit in
    the position, a break-even inside the ladder, an activation only with a trailing stop."""
    if plan.take_profit is not None and plan.targets:
        raise BadSignal("bad_exit.both")
    if plan.targets:
        given = [t.share for t in plan.targets[:-1] if t.share is not None]
        if given and len(given) != len(plan.targets) - 1:
            raise BadSignal("bad_exit.shares")
        earlier = sum(given, Decimal(0))
        if earlier >= HUNDRED:
            raise BadSignal("bad_exit.shares_total", total=earlier)
        last = plan.targets[-1].share
        if last is not None and given and last != HUNDRED - earlier:
            raise BadSignal("bad_exit.last_share", rest=HUNDRED - earlier, last=last)
    if plan.be_after is not None and plan.be_after >= max(len(plan.targets), 1):
        raise BadSignal("bad_exit.be_after_beyond", be_after=plan.be_after,
                        targets=len(plan.targets), last=max(len(plan.targets) - 1, 0))
    if plan.trailing_activation is not None and plan.trailing is None:
        raise BadSignal("bad_exit.activation")


def check_sides(plan: ExitPlan, side: Side, entry: Decimal) -> None:
    """Price levels against an entry: a long's targets above it and its stop below."""
    long = side == Side.BUY
    levels = [("take_profit", plan.take_profit, True), ("stop_loss", plan.stop_loss, False)]
    levels += [(f"tp{n}", t.level, True) for n, t in enumerate(plan.targets, 1)]
    for name_of, level, favourable in levels:
        if level is None or level.percent:
            continue
        above = level.value > entry
        if level.value == entry or above != (long == favourable):
            key = (("bad_take_profit.long" if long else "bad_take_profit.short") if favourable
                   else ("bad_stop_loss.long" if long else "bad_stop_loss.short"))
            raise BadSignal(key, field=name_of, level=level.value, entry=entry)


def _optional_level(data: dict[str, Any], field: str) -> Level | None:
    value = data.get(field)
    return None if value in (None, "") else Level.parse(value, field)


def _targets(data: dict[str, Any]) -> tuple[Target, ...]:
    ladder = data.get("tps")
    flat = [n for n in range(1, MAX_TARGETS + 1) if data.get(f"tp{n}") not in (None, "")]
    if ladder not in (None, "", []) and flat:
        raise BadSignal("bad_exit.ladder_twice")
    if flat:
        if flat != list(range(1, len(flat) + 1)):
            raise BadSignal("bad_exit.gaps", given=", ".join(f"tp{n}" for n in flat))
        return tuple(Target(Level.parse(data[f"tp{n}"], f"tp{n}"),
                            _share(data.get(f"tp{n}_qty"), f"tp{n}_qty")) for n in flat)
    if ladder in (None, "", []):
        return ()
    if not isinstance(ladder, list) or len(ladder) > MAX_TARGETS:
        raise BadSignal("bad_exit.tps", limit=MAX_TARGETS)
    targets = []
    for n, rung in enumerate(ladder, 1):
        if not isinstance(rung, dict) or ("price" in rung) == ("percent" in rung):
            raise BadSignal("bad_exit.rung", n=n)
        if "price" in rung:
            level = Level.parse(rung["price"], "price", target=n)
        else:
            raw = rung["percent"]
            level = Level.parse(raw if isinstance(raw, str) and raw.strip().endswith("%")
                                else f"{raw}%", "percent", target=n)
        targets.append(Target(level, _share(rung.get("qty_percent"), "qty_percent", n)))
    return tuple(targets)


def _share(value: Any, field: str, target: int | None = None) -> Decimal | None:
    if value in (None, ""):
        return None
    level = Level.parse(value if not isinstance(value, str) else value.strip().removesuffix("%"),
                        field, target=target)
    return level.value


def _be_after(value: Any) -> int | None:
    if value in (None, ""):
        return None
    # isdecimal, not isdigit: "²" is a digit int() refuses. A target number is short: more
    # digits than 4,300 would overflow int()'s own limit.
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdecimal() or len(text) > 9 or int(text) < 1:
        raise BadSignal("bad_exit.be_after", given=json.dumps(value, default=str))
    return int(text)


def _text(level: Level | Decimal | None) -> str | None:
    return None if level is None else str(level)


def _level(text: str | None) -> Level | None:
    return None if text is None else Level.parse(text, "stored level")


@dataclass(frozen=True)
class TargetOrder:
    """One take-profit target as placed: a reduce-only limit order."""

    n: int  # its number on the ladder as placed (1…)
    price: Decimal
    qty: Decimal
    covers: tuple[int, ...]  # the alert's targets it carries (more than one when merged)


@dataclass(frozen=True)
class ResolvedExits:
    """What to place for one opening, all prices and sizes final."""

    side: Side  # the position's
    entry: Decimal
    qty: Decimal
    stop_loss: Decimal | None = None
    take_profit: Decimal | None = None
    targets: tuple[TargetOrder, ...] = ()
    trailing: Decimal | None = None  # price distance
    activation: Decimal | None = None
    be_after: int | None = None  # the placed target (n) whose fill moves the stop
    notes: tuple[Failure, ...] = field(default=())  # what was merged or dropped, and why

    @property
    def protection(self) -> bool:
        """Anything for the position itself (stop, target, trailing), besides the ladder."""
        return any(v is not None for v in (self.stop_loss, self.take_profit, self.trailing))

    def to_json(self) -> str:
        return json.dumps({
            "side": self.side, "entry": str(self.entry), "qty": str(self.qty),
            "sl": _text(self.stop_loss), "tp": _text(self.take_profit),
            "targets": [[t.n, str(t.price), str(t.qty), list(t.covers)] for t in self.targets],
            "trailing": _text(self.trailing), "activation": _text(self.activation),
            "be_after": self.be_after, "notes": [note.to_data() for note in self.notes]},
            separators=(",", ":"), ensure_ascii=False)

    @staticmethod
    def from_json(text: str) -> ResolvedExits:
        data = json.loads(text)
        return ResolvedExits(
            Side(data["side"]), Decimal(data["entry"]), Decimal(data["qty"]),
            stop_loss=_number(data["sl"]), take_profit=_number(data["tp"]),
            targets=tuple(TargetOrder(n, Decimal(price), Decimal(qty), tuple(covers))
                          for n, price, qty, covers in data["targets"]),
            trailing=_number(data["trailing"]), activation=_number(data["activation"]),
            be_after=data["be_after"], notes=tuple(_note(note) for note in data["notes"]))


def _note(data: Any) -> Failure:
    """A stored note: data, or the English line a row from before kept (said as a family)."""
    return Failure.from_data(data) if isinstance(data, dict) else Failure("exits")


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
