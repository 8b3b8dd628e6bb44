"""The two pauses and /resume.

`/pause entries`: alerts that would open a position are refused (and told); closes, exits and
actions from Telegram still run. `/pause all`: every alert is refused, and a refused close is
always told. `/pause` alone is the kill switch it always was — everything stops at once — and
its reply offers the lighter pause and Resume as buttons; `/resume` ends either. Buttons carry
`pause:entries`, `pause:resume` (the last also under a refusal notice).
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.handlers.common import BotContext, button_args, edit, reply
from bot.i18n import ltr

log = logging.getLogger(__name__)

MODES = ("entries", "all")
AREA = "pause"


def paused_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    """Under "everything paused": [New entries only] instead, or [Resume trading]."""
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(context.tr("button.pause_entries"), callback_data=f"{AREA}:entries")],
        [InlineKeyboardButton(context.tr("button.resume"), callback_data=f"{AREA}:resume")],
    ])


async def pause(update: Update, context: BotContext) -> None:
    """Pause everything (/pause, /pause all) or new entries (/pause entries)."""
    args = [arg.lower() for arg in context.args or []]
    if not args:  # the kill switch stays one word: everything stops, the buttons offer less
        await reply(update, await set_pause(context, "all"), paused_keyboard(context))
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
    """[New entries only] under /pause's answer, and [Resume] there or under a refusal
    notice."""
    query = update.callback_query
    assert query is not None
    await query.answer()  # answer first, or some clients keep the button spinning
    choice = (button_args(query) or [""])[0]
    if choice in MODES:
        await edit(query, await set_pause(context, choice))
    elif choice == "resume":  # the message it was under stays as it is
        await reply(update, await set_pause(context, None))
    else:
        await edit(query, context.tr("button.expired"))


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
