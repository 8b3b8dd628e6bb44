"""An exit plan against a real entry: prices on the tick, target sizes on the step. Pure.

`resolve` takes what the alert (or the trader's defaults) asked for and the opening's fill —
side, average price, filled quantity — and the instrument's rules, and says exactly what to
place: the stop-loss and take-profit prices, each ladder target's price and quantity, the
trailing distance and activation price, and after which target the stop moves to break-even.

Ladder quantities are floored to `qtyStep`; the last target takes what the others leave. A
target smaller than `minOrderQty` is merged into the next one (the last into the one before),
and the result says so. A level the fill has made impossible (a price target the market is
already past) is dropped with a reason rather than placed wrongly.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from bot.errors import Failure
from bot.plans import HUNDRED, ExitPlan, Level, ResolvedExits, TargetOrder
from bot.trading import sizing
from bot.trading.models import InstrumentRules
from bot.vocabulary import Side


def resolve(plan: ExitPlan, side: Side, entry: Decimal, qty: Decimal,
            rules: InstrumentRules) -> ResolvedExits:
    """The plan's exits for a position of `qty` facing `side`, entered at `entry`."""
    notes: list[Failure] = []
    tick = rules.tick_size

    def price(level: Level | None, name: str, *, favourable: bool) -> Decimal | None:
        if level is None:
            return None
        value = sizing.round_price(level.price(entry, side, favourable=favourable), tick)
        beyond = value > entry if (side == Side.BUY) == favourable else value < entry
        if value <= 0 or not beyond:
            notes.append(Failure("exits", "exits.not_beyond_profit" if favourable
                                 else "exits.not_beyond_loss",
                                 {"field": name, "level": value, "entry": entry}))
            return None
        return value

    stop_loss = price(plan.stop_loss, "stop_loss", favourable=False)
    take_profit = price(plan.take_profit, "take_profit", favourable=True)
    targets = _ladder(plan, side, entry, qty, rules, notes, price)
    trailing = activation = None
    if plan.trailing is not None:
        activation = price(plan.trailing_activation, "trailing_activation", favourable=True)
        distance = sizing.round_price(plan.trailing.distance(activation or entry), tick)
        if distance > 0:
            trailing = distance
        else:
            notes.append(Failure("exits", "exits.trailing_tick",
                                 {"distance": str(plan.trailing), "tick": tick}))
            activation = None
    be_after = None
    if plan.be_after is not None:
        be_after = next((t.n for t in targets if plan.be_after in t.covers), None)
        if be_after is not None and be_after == len(targets):
            notes.append(Failure("exits", "exits.be_last", {"n": plan.be_after}))
            be_after = None
    return ResolvedExits(side, entry, qty, stop_loss, take_profit, targets, trailing,
                         activation, be_after, tuple(notes))


def _ladder(plan: ExitPlan, side: Side, entry: Decimal, qty: Decimal, rules: InstrumentRules,
            notes: list[Failure], price: Callable[..., Decimal | None]
            ) -> tuple[TargetOrder, ...]:
    if not plan.targets:
        return ()
    rungs: list[tuple[int, Decimal, Decimal]] = []  # (alert's n, price, qty)
    left = qty
    shares = plan.shares()
    for n, (target, share) in enumerate(zip(plan.targets, shares, strict=True), 1):
        at = price(target.level, f"tp{n}", favourable=True)
        last = n == len(plan.targets)
        size = left if last else sizing.floor_to_step(qty * share / HUNDRED, rules.qty_step)
        size = min(size, left)
        left -= size
        if at is None:
            left += size  # its share goes to the next target (the last one: stays open)
            continue
        rungs.append((n, at, size))
    if left > 0 and rungs:  # the last target was dropped: the one before takes the rest
        n, at, size = rungs[-1]
        rungs[-1] = (n, at, size + left)
    return _merge_small(rungs, rules.min_qty, notes)


def _merge_small(rungs: list[tuple[int, Decimal, Decimal]], minimum: Decimal,
                 notes: list[Failure]) -> tuple[TargetOrder, ...]:
    """Targets below the minimum order join the next one (the last joins the one before)."""
    groups: list[tuple[list[int], Decimal, Decimal]] = []  # (alert's ns, price, qty)
    carried: list[int] = []
    carry = Decimal(0)
    for n, at, size in rungs:
        carried.append(n)
        carry += size
        if carry >= minimum:
            groups.append((carried, at, carry))
            carried, carry = [], Decimal(0)
    if carry > 0:
        if groups:
            ns, at, size = groups[-1]
            groups[-1] = (ns + carried, at, size + carry)
        else:
            notes.append(Failure("exits", "exits.too_small", {"minimum": minimum}))
            return ()
    for ns, at, size in groups:
        if len(ns) > 1:
            notes.append(Failure("exits", "exits.merged", {
                "targets": ", ".join(f"tp{n}" for n in ns), "minimum": minimum, "qty": size,
                "price": at}))
    return tuple(TargetOrder(i, at, size, tuple(ns)) for i, (ns, at, size) in
                 enumerate(groups, 1))
