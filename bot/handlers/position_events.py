"""Position events in the reader's language: a ladder target filled, the stop moved."""

from __future__ import annotations

from decimal import Decimal

from bot.handlers.common import number, user_language
from bot.handlers.facade import HandlerFacade
from bot.i18n import t
from bot.i18n.numbers import pnl_text, usdt
from bot.outcomes import PositionEvent


async def format_position_event(facade: HandlerFacade,
                                event: PositionEvent) -> list[tuple[int, str]]:
    """(chat, HTML text) for the position's owner."""
    lang = await user_language(facade, event.user_id)
    net = event.pnl_after_fee  # the target's PnL minus its own fee
    lines = [t(lang, "event.target_filled_after_fees", symbol=event.symbol, n=event.target,
               of=event.targets, qty=number(event.qty), price=number(event.price),
               pnl=pnl_text(lang, net), fee=usdt(event.fee or Decimal(0)),
               account=t(lang, f"account.{event.account}"))]
    if event.stop_moved_to is not None:
        lines.append(t(lang, "event.break_even", price=number(event.stop_moved_to)))
    return [(event.user_id, "\n".join(lines))]
