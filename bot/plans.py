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

from bot.errors import BadSignal
from bot.vocabulary import Side
from bot.wire import plain

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
    def parse(value: Any, field: str) -> Level:
        """`51000`, `"51000"`, `"2%"`, `"2.5 %"`: positive; a percent below 100."""
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
            raise BadSignal(f"{field} must be a price such as 51000 or a percent of the entry "
                            f"such as \"2%\" (above 0, below 100%), got {shown}",
                            code="bad_number")
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


def parse_exit_plan(data: dict[str, Any]) -> ExitPlan | None:
    """The exits an alert asks for (None when it asks for none); `BadSignal` naming the rule."""
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
        raise BadSignal("send either take_profit (one target for the whole position) or a "
                        "ladder (tps, or tp1…tp10), not both", code="bad_exit")
    if plan.targets:
        given = [t.share for t in plan.targets[:-1] if t.share is not None]
        if given and len(given) != len(plan.targets) - 1:
            raise BadSignal("give qty_percent to every target but the last (which takes what "
                            "is left), or to none (an even split)", code="bad_exit")
        earlier = sum(given, Decimal(0))
        if earlier >= HUNDRED:
            raise BadSignal(f"the targets' qty_percent add up to {plain(earlier)}% before the "
                            "last one: together they must stay below 100%", code="bad_exit")
        last = plan.targets[-1].share
        if last is not None and given and last != HUNDRED - earlier:
            raise BadSignal(f"the last target takes what the others leave "
                            f"({plain(HUNDRED - earlier)}%), not {plain(last)}%: drop its "
                            "qty_percent or make them add up to 100", code="bad_exit")
    if plan.be_after is not None and plan.be_after >= max(len(plan.targets), 1):
        raise BadSignal(f"be_after {plan.be_after} is beyond the ladder: with "
                        f"{len(plan.targets)} target(s), the stop can move to break-even after "
                        f"target 1…{max(len(plan.targets) - 1, 0)} (after the last one nothing "
                        "is left)", code="bad_exit")
    if plan.trailing_activation is not None and plan.trailing is None:
        raise BadSignal("trailing_activation needs a trailing distance: add \"trailing\" "
                        "(a price distance such as 200, or \"1%\")", code="bad_exit")


def check_sides(plan: ExitPlan, side: Side, entry: Decimal) -> None:
    """Price levels against an entry: a long's targets above it and its stop below."""
    name, long = side.direction, side == Side.BUY
    levels = [("take_profit", plan.take_profit, True), ("stop_loss", plan.stop_loss, False)]
    levels += [(f"tp{n}", t.level, True) for n, t in enumerate(plan.targets, 1)]
    for name_of, level, favourable in levels:
        if level is None or level.percent:
            continue
        above = level.value > entry
        if level.value == entry or above != (long == favourable):
            where = "above" if long == favourable else "below"
            what = "target" if favourable else "stop"
            raise BadSignal(f"{name_of} {plain(level.value)} is on the wrong side of the entry "
                            f"{plain(entry)}: a {name}'s {what} must be {where} its entry",
                            code="bad_take_profit" if favourable else "bad_stop_loss")


def _optional_level(data: dict[str, Any], field: str) -> Level | None:
    value = data.get(field)
    return None if value in (None, "") else Level.parse(value, field)


def _targets(data: dict[str, Any]) -> tuple[Target, ...]:
    ladder = data.get("tps")
    flat = [n for n in range(1, MAX_TARGETS + 1) if data.get(f"tp{n}") not in (None, "")]
    if ladder not in (None, "", []) and flat:
        raise BadSignal("send the ladder once: tps, or tp1…tp10, not both", code="bad_exit")
    if flat:
        if flat != list(range(1, len(flat) + 1)):
            raise BadSignal(f"targets must be numbered from tp1 without gaps, got "
                            f"{', '.join(f'tp{n}' for n in flat)}", code="bad_exit")
        return tuple(Target(Level.parse(data[f"tp{n}"], f"tp{n}"),
                            _share(data.get(f"tp{n}_qty"), f"tp{n}_qty")) for n in flat)
    if ladder in (None, "", []):
        return ()
    if not isinstance(ladder, list) or len(ladder) > MAX_TARGETS:
        raise BadSignal(f"tps must be a list of at most {MAX_TARGETS} targets such as "
                        "[{\"price\": 51000, \"qty_percent\": 50}, {\"percent\": \"3%\"}]",
                        code="bad_exit")
    targets = []
    for n, rung in enumerate(ladder, 1):
        if not isinstance(rung, dict) or ("price" in rung) == ("percent" in rung):
            raise BadSignal(f"tps target {n} needs a \"price\" or a \"percent\" (one of them)",
                            code="bad_exit")
        if "price" in rung:
            level = Level.parse(rung["price"], f"tps target {n} price")
        else:
            raw = rung["percent"]
            level = Level.parse(raw if isinstance(raw, str) and raw.strip().endswith("%")
                                else f"{raw}%", f"tps target {n} percent")
        targets.append(Target(level, _share(rung.get("qty_percent"),
                                            f"tps target {n} qty_percent")))
    return tuple(targets)


def _share(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    level = Level.parse(value if not isinstance(value, str) else value.strip().removesuffix("%"),
                        field)
    return level.value


def _be_after(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not str(value).strip().isdigit() or int(str(value)) < 1:
        raise BadSignal(f"be_after must be a target number such as 1, got "
                        f"{json.dumps(value, default=str)}", code="bad_exit")
    return int(str(value))


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
    notes: tuple[str, ...] = field(default=())  # what was merged or dropped, and why

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
            "be_after": self.be_after, "notes": list(self.notes)}, separators=(",", ":"))

    @staticmethod
    def from_json(text: str) -> ResolvedExits:
        data = json.loads(text)
        return ResolvedExits(
            Side(data["side"]), Decimal(data["entry"]), Decimal(data["qty"]),
            stop_loss=_number(data["sl"]), take_profit=_number(data["tp"]),
            targets=tuple(TargetOrder(n, Decimal(price), Decimal(qty), tuple(covers))
                          for n, price, qty, covers in data["targets"]),
            trailing=_number(data["trailing"]), activation=_number(data["activation"]),
            be_after=data["be_after"], notes=tuple(data["notes"]))


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
