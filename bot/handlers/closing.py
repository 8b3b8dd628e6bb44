"""Closing a futures position from Telegram: Close n % buttons, `/close <symbol> [25|50|75|100]`,
and the confirmation both lead to.

The confirmation names the quantity (floored to the symbol's qtyStep, as the planner will) and
the expected PnL at the mark. Confirm journals the close of that side (`close_long` or
`close_short`) like an alert (route `telegram`) and queues it; its outcome comes back as the
normal report. Its callback data,
`pos:ok:<account>:<symbol>:<side>:<size>:<share>:<issued>`, carries when it was made (base 36
Unix seconds): after `CONFIRM_TTL_S` it does nothing. The confirmation's message id and that
time are the close's `id`, so a second press of the same Confirm is a journaled duplicate,
never a second close.
"""

from __future__ import annotations

import logging
import time
from decimal import Decimal

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.errors import BadSignal
from bot.handlers.common import BotContext, edit, reply
from bot.handlers.position_view import (
    CLOSE_SHARES,
    PositionKey,
    current,
    gone_text,
    keyboard,
    show_changed,
    symbol_rows,
)
from bot.i18n import ltr
from bot.i18n.numbers import (
    duration,
    pnl_text,
    price_text,
    qty_text,
    read_number,
    read_percent,
)
from bot.signals import Signal, normalise_symbol
from bot.trading.models import InstrumentRules, Position
from bot.trading.sizing import floor_to_step
from bot.vocabulary import MarketType, Side

log = logging.getLogger(__name__)

CONFIRM_TTL_S = 180  # a confirmation older than this does nothing
SHARES_SHOWN = " | ".join(f"{share}%" for share in CLOSE_SHARES)


def close_qty(size: Decimal, share: int, rules: InstrumentRules) -> tuple[Decimal, bool]:
    """(quantity, widened to all of it) for closing `share` % — the planner's own rule: floored
    to qtyStep, and all of it when the rest would be below the minimum order."""
    if share >= 100:
        return size, False
    qty = floor_to_step(size * share / 100, rules.qty_step)
    if size - qty < rules.min_qty:
        return size, True
    return qty, False


def close_signal(position: Position, share: int, *, client_id: str | None = None) -> Signal:
    """The close as a signal: this side's close, never a plain `close`. It runs in the
    trader's lane after whatever is queued there; an alert ahead of it may have reversed the
    position, and what was confirmed was closing this side, not whatever is open then."""
    return Signal(symbol=position.symbol, action=f"close_{position.side.direction}",
                  qty_percent=None if share >= 100 else Decimal(share), client_id=client_id)


async def on_futures(update: Update, context: BotContext) -> bool:
    """Position management is for futures: say how to switch when the market is spot."""
    settings = context.me.settings
    assert settings is not None
    if settings.market_type == MarketType.FUTURES:
        return True
    await reply(update, context.tr("position.spot_market",
                                   command=ltr(context.lang, "/set market futures")))
    return False


async def confirmation(context: BotContext, account: str, position: Position,
                       share: int) -> tuple[str, InlineKeyboardMarkup]:
    """The question before a close: what, how much, the PnL at the mark; Confirm, Cancel."""
    lang, tr = context.lang, context.tr
    rules = await context.facade.instrument(context.me.id, account, position.symbol)
    key = PositionKey.of(account, position)
    qty, widened = close_qty(position.size, share, rules)
    side = tr(f"side.{position.side.direction}")
    lines = [tr("close.ask", share=ltr(lang, f"{share}%"), side=side,
                symbol=ltr(lang, position.symbol))]
    if qty <= 0 or qty < rules.min_qty:
        lines.append(tr("close.below_minimum", qty=ltr(lang, qty_text(qty)),
                        minimum=ltr(lang, f"{qty_text(rules.min_qty)} {rules.base_coin}")))
        return "\n".join(lines), keyboard(lang, key)
    lines.append(tr("close.qty", qty=ltr(lang, f"{qty_text(qty)} {rules.base_coin}"),
                    size=ltr(lang, qty_text(position.size))))
    if widened:
        lines.append(tr("close.widened", minimum=ltr(
            lang, f"{qty_text(rules.min_qty)} {rules.base_coin}")))
    if position.mark_price is not None:
        direction = 1 if position.side == Side.BUY else -1
        pnl = (position.mark_price - position.avg_price) * qty * direction
        lines.append(tr("close.pnl", mark=ltr(lang, price_text(position.mark_price,
                                                                rules.tick_size)),
                        pnl=pnl_text(lang, pnl)))
    else:
        lines.append(tr("close.pnl_unknown"))
    lines.append(tr("close.when", minutes=duration(lang, CONFIRM_TTL_S // 60, "minute")))
    issued = _base36(int(time.time()))
    markup = InlineKeyboardMarkup([[
        InlineKeyboardButton(tr("button.confirm"), callback_data=key.data("ok", share, issued)),
        InlineKeyboardButton(tr("button.cancel"), callback_data=key.data("no")),
    ]])
    return "\n".join(lines), markup


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while number:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
    return text or "0"


def _share(text: str) -> int | None:
    """25, 50, 75 or 100, however typed: `50`, `50%`, `٥٠٪` (DESIGN §13)."""
    value = read_percent(text)
    if value is None:
        value = read_number(text)
    return int(value) if value is not None and value in CLOSE_SHARES else None


# --- buttons -------------------------------------------------------------------------------

async def ask(query: CallbackQuery, context: BotContext, position: Position,
              share_text: str) -> None:
    """Close n % pressed under a position: turn its card into the confirmation."""
    settings = context.me.settings
    assert settings is not None
    share = _share(share_text)
    if share is None:
        await show_changed(query, context, PositionKey.of(settings.account_type, position),
                           refreshing=True)
        return
    await edit(query, *await confirmation(context, settings.account_type, position, share))


async def ask_for_current(update: Update, context: BotContext, key: PositionKey) -> None:
    """Close under a trade message: a new confirmation for all of the position as it is now."""
    position = await current(context, key)
    if position is None:
        await reply(update, gone_text(context, key))
        return
    await reply(update, *await confirmation(context, key.account, position, 100))


def expired(extra: list[str]) -> bool:
    """Whether a Confirm's data is older than `CONFIRM_TTL_S` (or unreadable)."""
    try:
        issued = int(extra[1], 36)
    except (IndexError, ValueError):
        return True
    return time.time() - issued > CONFIRM_TTL_S


async def say_expired(query: CallbackQuery, context: BotContext, key: PositionKey) -> None:
    """An old Confirm: nothing is sent; the position is shown as it is now."""
    await show_changed(query, context, key, note=context.tr(
        "close.expired", minutes=duration(context.lang, CONFIRM_TTL_S // 60, "minute")))


async def confirmed(query: CallbackQuery, context: BotContext, position: Position,
                    share_text: str, issued: str) -> None:
    """Confirm pressed: journal the close and queue it; the report follows."""
    me, lang = context.me, context.lang
    assert me.settings is not None and query.message is not None
    share = _share(share_text)
    if share is None:
        await show_changed(query, context, PositionKey.of(me.settings.account_type, position))
        return
    signal = close_signal(position, share, client_id=f"tg-{query.message.message_id}-{issued}")
    signal_id = await context.facade.submit_action(me.id, signal)
    log.info("signal=%s user=%s close %s%% of %s %s confirmed in Telegram", signal_id, me.id,
             share, position.side.direction, position.symbol)
    await edit(query, context.tr("close.sent", share=ltr(lang, f"{share}%"),
                                 side=context.tr(f"side.{position.side.direction}"),
                                 symbol=ltr(lang, position.symbol),
                                 id=ltr(lang, f"#{signal_id}")))


async def cancelled(query: CallbackQuery, context: BotContext, key: PositionKey) -> None:
    """Cancel: nothing is sent; the card comes back."""
    await show_changed(query, context, key, note=context.tr("close.cancelled"))


# --- /close --------------------------------------------------------------------------------

async def close_command(update: Update, context: BotContext) -> None:
    """Ask to confirm closing a position: /close <symbol> [25|50|75|100] (100 if left out)."""
    args, lang = context.args or [], context.lang
    if not 1 <= len(args) <= 2:
        await reply(update, context.tr("close.usage", whole=ltr(lang, "/close BTCUSDT"),
                                       part=ltr(lang, "/close BTCUSDT 50"),
                                       shares=ltr(lang, SHARES_SHOWN)))
        return
    symbol = await parse_symbol(update, context, args[0])
    if symbol is None:
        return
    share = _share(args[1]) if len(args) == 2 else 100
    if share is None:
        await reply(update, context.tr("close.bad_share", given=ltr(lang, args[1]),
                                       shares=ltr(lang, SHARES_SHOWN),
                                       example=ltr(lang, f"/close {symbol} 50")))
        return
    if not await on_futures(update, context):
        return
    account = context.me.settings.account_type if context.me.settings else ""
    rows = await symbol_rows(context, account, symbol)
    if not rows:
        await no_position(update, context, symbol)
        return
    for position in rows:  # one confirmation per side (two only in hedge mode)
        await reply(update, *await confirmation(context, account, position, share))


async def parse_symbol(update: Update, context: BotContext, given: str) -> str | None:
    """A typed symbol in Bybit's form (`btc/usdt` → BTCUSDT), or None after saying why."""
    try:
        return normalise_symbol(given)
    except BadSignal:
        await reply(update, context.tr("position.bad_symbol", given=ltr(context.lang, given),
                                       example=ltr(context.lang, "BTCUSDT")))
        return None


async def no_position(update: Update, context: BotContext, symbol: str) -> None:
    settings = context.me.settings
    assert settings is not None
    await reply(update, context.tr("position.none_for", symbol=ltr(context.lang, symbol),
                                   account=context.tr(f"account.{settings.account_type}")))
