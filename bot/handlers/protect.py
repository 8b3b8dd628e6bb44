"""Protecting an open futures position from Telegram: `/sl <symbol> <price|be> [long|short]`,
`/trail <symbol> <distance|n%> [long|short]`, and the SL → break-even and Trailing buttons.

Each is validated here (bad input gets a reply saying what to type, and nothing is journaled),
then journaled like an alert (route `telegram`) as a `set_stop`, `break_even` or
`set_trailing` signal and queued in the trader's lane. The signal names the side it is for
(its `position`: the card's side, or the one side open when typed; with both open in hedge
mode the typed command must end with `long` or `short`): it runs after whatever is queued, and
an alert ahead of it that closed or reversed that side leaves nothing to protect. The trading
core carries them out and the outcome comes back as the normal report; end-to-end execution is
covered by the trading tests, the Telegram side by tests/telegram/test_positions_protect.py.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from telegram import CallbackQuery, Update

from bot.handlers.closing import no_position, on_futures, parse_symbol
from bot.handlers.common import BotContext, reply
from bot.handlers.position_view import PositionKey, rules_or_none, show_changed, symbol_rows
from bot.i18n import ltr
from bot.i18n.numbers import grouped, price_text, read_number, read_percent
from bot.plans import ExitPlan, Level
from bot.signals import Signal
from bot.trading.models import Position
from bot.vocabulary import Side

log = logging.getLogger(__name__)

BREAK_EVEN_WORDS = ("be", "breakeven", "break-even", "break_even")
SIDE_WORDS = {"long": Side.BUY, "short": Side.SELL}


def parse_stop(text: str) -> Decimal | str | None:
    """`/sl`'s second word: a price above 0, "be" for break-even, or None."""
    if text.strip().lower() in BREAK_EVEN_WORDS:
        return "be"
    if read_percent(text) is not None:
        return None  # a stop-loss here is a price
    price = read_number(text)
    return price if price is not None and price > 0 else None


def parse_trailing(text: str) -> Level | None:
    """`/trail`'s second word: a price distance above 0, or a percent between 0 and 100."""
    percent = read_percent(text)
    if percent is not None:
        return Level(percent, percent=True) if 0 < percent < 100 else None
    distance = read_number(text)
    return Level(distance) if distance is not None and distance > 0 else None


def stop_on_wrong_side(position: Position, price: Decimal) -> bool:
    """A long's stop must be below the mark, a short's above (unknown mark: not checked)."""
    mark = position.mark_price
    if mark is None:
        return False
    return price >= mark if position.side == Side.BUY else price <= mark


async def _position(update: Update, context: BotContext, symbol: str, side_word: str | None,
                    example: str) -> Position | None:
    """The open position the command is for: the one side open, or the side named (needed
    when both are open); None after saying why there is none. `example`: the command so far."""
    lang, tr = context.lang, context.tr
    side = SIDE_WORDS.get(side_word.strip().lower()) if side_word is not None else None
    if side_word is not None and side is None:
        await reply(update, tr("protect.bad_side", given=ltr(lang, side_word),
                               example=ltr(lang, f"{example} long")))
        return None
    if not await on_futures(update, context):
        return None
    settings = context.me.settings
    assert settings is not None
    rows = [row for row in await symbol_rows(context, settings.account_type, symbol)
            if side is None or row.side == side]
    if not rows:
        await no_position(update, context, symbol)
        return None
    if len(rows) > 1:
        await reply(update, tr("protect.which_side", symbol=ltr(lang, symbol),
                               long=ltr(lang, f"{example} long"),
                               short=ltr(lang, f"{example} short")))
        return None
    return rows[0]


def _signal(position: Position, action: str, exits: ExitPlan | None = None) -> Signal:
    """The action for this side only (`position`): never the other side, nor a position an
    alert queued ahead of it opens."""
    return Signal(symbol=position.symbol, action=action, position=position.side.direction,
                  exits=exits)


async def _submit(context: BotContext, signal: Signal) -> str:
    """Journal and queue the action; its id as the messages show it."""
    signal_id = await context.facade.submit_action(context.me.id, signal)
    log.info("signal=%s user=%s %s from Telegram", signal_id, context.me.id, signal.describe())
    return ltr(context.lang, f"#{signal_id}")


async def sl_command(update: Update, context: BotContext) -> None:
    """Set the stop-loss of an open position: /sl <symbol> <price|be> [long|short]."""
    args, lang, tr = context.args or [], context.lang, context.tr
    if len(args) not in (2, 3):
        await reply(update, tr("sl.usage", price=ltr(lang, "/sl BTCUSDT 49000"),
                               be=ltr(lang, "/sl BTCUSDT be")))
        return
    symbol = await parse_symbol(update, context, args[0])
    if symbol is None:
        return
    stop = parse_stop(args[1])
    if stop is None:
        await reply(update, tr("sl.bad_price", given=ltr(lang, args[1]),
                               price=ltr(lang, f"/sl {symbol} 49000"),
                               be=ltr(lang, f"/sl {symbol} be")))
        return
    position = await _position(update, context, symbol, args[2] if len(args) == 3 else None,
                               f"/sl {symbol} {args[1]}")
    if position is None:
        return
    if stop == "be":
        signal_id = await _submit(context, _signal(position, "break_even"))
        await reply(update, tr("be.sent", symbol=ltr(lang, symbol), id=signal_id))
        return
    assert isinstance(stop, Decimal)
    if stop_on_wrong_side(position, stop):
        settings = context.me.settings
        assert settings is not None
        rules = await rules_or_none(context, settings.account_type, symbol)
        tick = rules.tick_size if rules is not None else None
        await reply(update, tr(f"sl.wrong_side_{position.side.direction}",
                               price=ltr(lang, grouped(stop)),
                               mark=ltr(lang, price_text(position.mark_price, tick))))
        return
    signal_id = await _submit(context, _signal(position, "set_stop",
                                               ExitPlan(stop_loss=Level(stop))))
    await reply(update, tr("sl.sent", symbol=ltr(lang, symbol), price=ltr(lang, grouped(stop)),
                           id=signal_id))


async def trail_command(update: Update, context: BotContext) -> None:
    """Set a trailing stop on an open position: /trail <symbol> <distance|n%> [long|short]."""
    args, lang, tr = context.args or [], context.lang, context.tr
    if len(args) not in (2, 3):
        await reply(update, tr("trail.usage", percent=ltr(lang, "/trail BTCUSDT 1%"),
                               distance=ltr(lang, "/trail BTCUSDT 500")))
        return
    symbol = await parse_symbol(update, context, args[0])
    if symbol is None:
        return
    level = parse_trailing(args[1])
    if level is None:
        await reply(update, tr("trail.bad_distance", given=ltr(lang, args[1]),
                               distance=ltr(lang, f"/trail {symbol} 500"),
                               percent=ltr(lang, f"/trail {symbol} 1%")))
        return
    position = await _position(update, context, symbol, args[2] if len(args) == 3 else None,
                               f"/trail {symbol} {args[1]}")
    if position is None:
        return
    signal_id = await _submit(context, _signal(position, "set_trailing",
                                               ExitPlan(trailing=level)))
    shown = f"{grouped(level.value)}%" if level.percent else grouped(level.value)
    await reply(update, tr("trail.sent", symbol=ltr(lang, symbol), distance=ltr(lang, shown),
                           id=signal_id))


async def break_even_button(query: CallbackQuery, context: BotContext,
                            position: Position) -> None:
    """SL → break-even under a position: journal it; the card says it went out."""
    settings = context.me.settings
    assert settings is not None
    signal_id = await _submit(context, _signal(position, "break_even"))
    note = context.tr("be.sent", symbol=ltr(context.lang, position.symbol), id=signal_id)
    await show_changed(query, context, PositionKey.of(settings.account_type, position),
                       note=note)


async def trailing_button(update: Update, context: BotContext, position: Position) -> None:
    """Trailing under a position: ask for the distance, typed (with the card's side when both
    sides are open, so that the command is for this card's position)."""
    settings = context.me.settings
    assert settings is not None
    example = f"/trail {position.symbol} 1%"
    if len(await symbol_rows(context, settings.account_type, position.symbol)) > 1:
        example += f" {position.side.direction}"
    await reply(update, context.tr("trail.ask", example=ltr(context.lang, example)))
