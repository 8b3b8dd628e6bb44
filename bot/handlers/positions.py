"""/positions and the buttons under each position (callback area `pos`).

`/positions` sends a header (the account, the spot coins the bot bought) and then one message
per open futures position, with its buttons. Every press re-reads the position first: a
keyboard made for a position that is gone, or whose side or size changed, only shows the
position as it is now.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.handlers import closing, protect
from bot.handlers.common import BotContext, button_args, reply
from bot.handlers.position_view import (
    ORDERS_LOOKBACK,
    PositionKey,
    card_and_keyboard,
    current,
    show_changed,
)
from bot.i18n import ltr
from bot.i18n.numbers import qty_text
from bot.vocabulary import MarketType

log = logging.getLogger(__name__)


async def positions(update: Update, context: BotContext) -> None:
    """List open futures positions, each with its buttons, and the spot coins this bot bought."""
    await send_positions(update, context)


async def send_positions(update: Update, context: BotContext) -> None:
    facade, me, tr, lang = context.facade, context.me, context.tr, context.lang
    assert me.settings is not None
    account = me.settings.account_type
    futures = me.settings.market_type == MarketType.FUTURES
    rows = await facade.open_positions(me.id, account)
    lines = [tr("positions.title", account=tr(f"account.{account}"))]
    for symbol, qty in await facade.spot_holdings(me.id, account):
        lines.append(tr("positions.spot", qty=ltr(lang, qty_text(qty)),
                        symbol=ltr(lang, symbol)))
    if rows:
        lines.append(tr("positions.count", count=ltr(lang, len(rows))))
        if not futures:
            lines.append(tr("positions.buttons_on_futures",
                            command=ltr(lang, "/set market futures")))
    elif len(lines) == 1:
        lines.append(tr("positions.none"))
    await reply(update, "\n".join(lines))
    orders = await facade.recent_orders(me.id, ORDERS_LOOKBACK) if rows else []
    plans = await facade.open_plans(me.id, account) if rows else []
    for position in rows:
        text, markup = await card_and_keyboard(context, account, position, orders, plans)
        await reply(update, text, markup if futures else None)


async def position_button(update: Update, context: BotContext) -> None:
    """Route a position button (pos:<action>:…) after checking it still fits the position."""
    query = update.callback_query
    assert query is not None
    args = button_args(query)
    action, rest = (args[0], args[1:]) if args else ("", [])
    parsed = None if action == "list" else PositionKey.parse(rest, sized=action != "x")
    if action != "list" and parsed is None:
        await query.answer(context.tr("button.expired"))
        return
    await query.answer()  # answer first, or some clients keep the button spinning
    if parsed is None:  # list: the Positions button under a trade message
        await send_positions(update, context)
        return
    key, extra = parsed
    if action == "no":
        await closing.cancelled(query, context, key)
        return
    if not await closing.on_futures(update, context):
        return
    if action == "x":  # Close under a trade message: all of the position as it is now
        await closing.ask_for_current(update, context, key)
        return
    if action == "ok" and closing.expired(extra):
        await closing.say_expired(query, context, key)
        return
    position = await current(context, key)
    if position is None or not key.matches(position):
        await show_changed(query, context, key, refreshing=action == "r")
    elif action == "c" and extra:
        await closing.ask(query, context, position, extra[0])
    elif action == "ok" and len(extra) == 2:
        await closing.confirmed(query, context, position, extra[0], extra[1])
    elif action == "be":
        await protect.break_even_button(query, context, position)
    elif action == "tr":
        await protect.trailing_button(update, context, position)
    else:  # r (refresh), or data this version does not know: show the position
        await show_changed(query, context, key, refreshing=True)
