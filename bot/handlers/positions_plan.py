"""A position's plan on its Telegram card: the ladder's targets (n of N, price, qty, ✓ once
filled), the move to break-even and the trailing stop, from the openings that made it.

A position carries the open plans of its symbol and side (more than one when alerts added to
it); the card's TP/SL line already shows what the account holds on the position itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from bot.db.plans import PositionPlan
from bot.i18n import Html, ltr, t
from bot.i18n.numbers import price_text, qty_text
from bot.trading.models import Position


def plans_of(position: Position, plans: Iterable[PositionPlan]) -> list[PositionPlan]:
    """The open plans that belong to this position: same symbol, same side."""
    return [plan for plan in plans
            if plan.symbol == position.symbol and plan.exits.side == position.side]


def plan_lines(lang: str, plans: Sequence[PositionPlan], tick: Decimal | None) -> list[str]:
    """The card's lines for the position's plans (none when it has none)."""
    lines: list[str] = []
    for plan in plans:
        exits = plan.exits
        if len(plans) > 1:
            lines.append(t(lang, "plan.head", signal=ltr(lang, f"#{plan.signal_id}")))
        count = len(exits.targets)
        for target in exits.targets:
            done = target.n in plan.filled
            lines.append(t(lang, "plan.target", n=ltr(lang, target.n), of=ltr(lang, count),
                           qty=ltr(lang, qty_text(target.qty)),
                           price=ltr(lang, price_text(target.price, tick)),
                           filled=Html(t(lang, "plan.filled")) if done else ""))
        if exits.be_after is not None:
            key = "plan.be_moved" if plan.be_moved else "plan.be_after"
            lines.append(t(lang, key, n=ltr(lang, exits.be_after)))
        if exits.trailing is not None:
            distance = ltr(lang, price_text(exits.trailing, tick))
            if exits.activation is not None:
                lines.append(t(lang, "plan.trailing_from", distance=distance,
                               price=ltr(lang, price_text(exits.activation, tick))))
            else:
                lines.append(t(lang, "plan.trailing", distance=distance))
    return lines
