"""A position's plan as the dashboard shows it: its exits beside the position's row, and its
levels as lines on the symbol's price chart.

A plan is an opening's exits as placed (`bot.db.plans.PositionPlan`): stop-loss, take-profit
or a ladder of targets, trailing stop, break-even after a target. A position carries the plans
of the openings that made it (more than one when it was added to), matched by symbol and side.
Values are picked field by field, like every other frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from bot.db.plans import PositionPlan
from bot.wire import plain


def _num(value: Any) -> float:
    """A chart coordinate: display only, never fed back into an order."""
    return round(float(value), 8)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def plan_row(plan: PositionPlan) -> dict[str, Any]:
    """One plan's exits: every level as placed, which targets filled, break-even's state."""
    exits = plan.exits
    return {"signal_id": plan.signal_id, "status": plan.status, "side": str(exits.side),
            "entry": plain(exits.entry), "qty": plain(exits.qty),
            "stop": _text(exits.stop_loss), "take_profit": _text(exits.take_profit),
            "targets": [{"n": t.n, "price": plain(t.price), "qty": plain(t.qty),
                         "filled": t.n in plan.filled} for t in exits.targets],
            "trailing": _text(exits.trailing),
            "activation": _text(exits.activation),
            "be_after": exits.be_after, "be_moved": plan.be_moved,
            "opened_at": plan.opened_at}


def belongs(plan: PositionPlan, symbol: str, side: str) -> bool:
    """Whether the plan is one of this position's (same symbol, same side)."""
    return plan.symbol == symbol and str(plan.exits.side) == str(side)


def attach_plans(rows: Sequence[dict[str, Any]],
                 plans: Sequence[PositionPlan]) -> list[dict[str, Any]]:
    """Position rows, each with `plans`: its open plans, oldest first (often none)."""
    return [{**row, "plans": [plan_row(p) for p in plans
                              if belongs(p, row["symbol"], row["side"])]} for row in rows]


def plan_levels(plans: Iterable[PositionPlan]) -> dict[str, list[dict[str, Any]]]:
    """Per symbol, the horizontal lines the open plans draw on its price chart.

    `kind` is `target` (one per rung, `filled` once it did), `take_profit`, or `stop`. A stop
    moved to break-even is drawn at the entry with `moved` (the exchange may have put it at
    its own break-even price, the entry with fees).
    """
    levels: dict[str, list[dict[str, Any]]] = {}
    for plan in plans:
        exits = plan.exits
        mine = levels.setdefault(plan.symbol, [])
        base = {"signal_id": plan.signal_id, "side": str(exits.side)}
        for target in exits.targets:
            mine.append({**base, "kind": "target", "n": target.n, "of": len(exits.targets),
                         "price": _num(target.price), "qty": plain(target.qty),
                         "filled": target.n in plan.filled})
        if exits.take_profit is not None:
            mine.append({**base, "kind": "take_profit", "price": _num(exits.take_profit),
                         "qty": plain(exits.qty), "filled": False})
        if plan.be_moved:
            mine.append({**base, "kind": "stop", "price": _num(exits.entry), "moved": True})
        elif exits.stop_loss is not None:
            mine.append({**base, "kind": "stop", "price": _num(exits.stop_loss),
                         "moved": False})
    return levels
