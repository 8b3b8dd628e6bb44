"""The two pauses and /resume.

`/pause entries`: alerts that would open a position are refused (and told); closes, exits and
actions from Telegram still run. `/pause all`: every alert is refused, and a refused close is
always told. `/pause` alone offers both as buttons; `/resume` ends either. Buttons carry
`pause:entries`, `pause:all`, `pause:resume` (the last also under a refusal notice).
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.handlers.common import BotContext, button_args, edit, reply
from bot.i18n import ltr

log = logging.getLogger(__name__)

MODES = ("entries", "all")
AREA = "pause"


def choice_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(context.tr("button.pause_entries"), callback_data=f"{AREA}:entries")],
        [InlineKeyboardButton(context.tr("button.pause_all"), callback_data=f"{AREA}:all")],
        [InlineKeyboardButton(context.tr("button.cancel"), callback_data=f"{AREA}:cancel")],
    ])


async def pause(update: Update, context: BotContext) -> None:
    """Pause new entries or everything: /pause entries|all, or buttons."""
    args = [arg.lower() for arg in context.args or []]
    if not args:
        await reply(update, await _choice_text(context), choice_keyboard(context))
        return
    if len(args) != 1 or args[0] not in MODES:
        await reply(update, context.tr("pause.usage", entries=ltr(context.lang, "/pause entries"),
                                       all=ltr(context.lang, "/pause all")))
        return
    await reply(update, await set_pause(context, args[0]))


async def resume(update: Update, context: BotContext) -> None:
    """End either pause."""
    await reply(update, await set_pause(context, None))


async def pause_button(update: Update, context: BotContext) -> None:
    """The /pause choice, and "resume" under a refusal notice."""
    query = update.callback_query
    assert query is not None
    await query.answer()  # answer first, or some clients keep the button spinning
    choice = (button_args(query) or [""])[0]
    if choice in MODES:
        await edit(query, await set_pause(context, choice))
    elif choice == "resume":  # under a refusal notice: that message stays as it is
        await reply(update, await set_pause(context, None))
    else:
        await edit(query, context.tr("pause.cancelled"))


async def _choice_text(context: BotContext) -> str:
    settings = await context.facade.settings(context.me.id)
    now = {"all": "pause.now_all", "entries": "pause.now_entries"}.get(settings.pause or "",
                                                                       "pause.now_trading")
    return context.tr("pause.choose") + "\n" + context.tr(now)


async def set_pause(context: BotContext, mode: str | None) -> str:
    """Store the pause (`entries`, `all`, or None to resume); return what to say."""
    me = context.me
    settings = await context.facade.settings(me.id)
    resume = ltr(context.lang, "/resume")
    if settings.pause == mode:
        key = {"all": "pause.already", "entries": "pause.already_entries"}.get(
            mode or "", "resume.already")
        return context.tr(key, resume=resume)
    await context.facade.update_settings(me.id, paused=mode == "all",
                                         entries_paused=mode == "entries")
    log.info("user=%s %s", me.id, f"paused {mode}" if mode else "resumed trading")
    key = {"all": "pause.done_all", "entries": "pause.done_entries"}.get(mode or "",
                                                                          "resume.done")
    return context.tr(key, resume=resume)
