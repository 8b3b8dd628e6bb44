"""A trader's own commands: register, help, language, webhook URL (and /rotate), dashboard
link; the answer to plain text. (/pause and /resume: pausing.py.)"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.handlers import prompts
from bot.handlers.admin import request_approval
from bot.handlers.common import BotContext, button_args, edit, reply
from bot.handlers.menus import set_chat_menu
from bot.handlers.registry import BY_NAME, command_name, help_text
from bot.handlers.settings import menu_keyboard, menu_text, typed
from bot.handlers.views import lifetime, webhook_text
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, t

log = logging.getLogger(__name__)


async def start(update: Update, context: BotContext) -> None:
    """Register the caller (inactive) and ask the admins to approve them."""
    who, me, facade = update.effective_user, context.me, context.facade
    assert who is not None
    user, created = await facade.register(
        who.id, username=who.username, first_name=who.first_name, last_name=who.last_name,
        language_code=who.language_code)
    if user.is_active:
        await reply(update, context.tr("start.active", name=who.first_name))
    elif me.is_admin:  # admins from config.yaml need nobody's approval
        user = await facade.set_active(user.id, True)
        log.info("user=%s registered as an admin from config; active at once", user.id)
        await reply(update, context.tr("start.admin", name=who.first_name))
    elif created:
        log.info("user=%s registered; waiting for an admin's approval", user.id)
        await reply(update, context.tr("start.registered", name=who.first_name, id=user.id))
        await request_approval(context, user)
    else:
        await reply(update, context.tr("start.waiting", id=user.id))


async def help_command(update: Update, context: BotContext) -> None:
    """List the commands this caller may use."""
    await reply(update, help_text(context.me))


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(LANGUAGE_NAMES[code],
                                                       callback_data=f"lang:{code}")
                                  for code in LANGUAGES]])


async def language(update: Update, context: BotContext) -> None:
    """Choose the bot's language: /language ar|en, or buttons."""
    if not context.args:
        await reply(update, context.tr("language.choose"), language_keyboard())
        return
    chosen = context.args[0].lower()
    if chosen not in LANGUAGES or len(context.args) > 1:
        await reply(update, context.tr("language.bad", given=" ".join(context.args),
                                       allowed=", ".join(LANGUAGES)))
        return
    await reply(update, await _switch_language(context, chosen))


async def language_button(update: Update, context: BotContext) -> None:
    """Switch language from the /language buttons."""
    query = update.callback_query
    assert query is not None
    await query.answer()  # answer first, or some clients keep the button spinning
    chosen = (button_args(query) or [""])[0]
    if chosen not in LANGUAGES:
        await edit(query, context.tr("button.expired"))
        return
    await edit(query, await _switch_language(context, chosen))


async def _switch_language(context: BotContext, chosen: str) -> str:
    me = context.me
    if not me.registered:
        return t(chosen, "auth.register_first")
    await context.facade.set_language(me.id, chosen)
    await set_chat_menu(context.bot, me.id, chosen, admin=me.is_admin)
    return t(chosen, "language.set", name=LANGUAGE_NAMES[chosen])


async def webhook(update: Update, context: BotContext) -> None:
    """Show the personal webhook URL and ready TradingView alert messages."""
    user = context.me.user
    assert user is not None
    await reply(update, webhook_text(context.facade, user, context.lang))


ROTATE = "rotate"  # rotate:yes replaces the token; rotate:no leaves it


async def rotate(update: Update, context: BotContext) -> None:
    """Ask before replacing the webhook token: every alert on the old URL stops working."""
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(context.tr("button.rotate"), callback_data=f"{ROTATE}:yes"),
        InlineKeyboardButton(context.tr("button.cancel"), callback_data=f"{ROTATE}:no"),
    ]])
    await reply(update, context.tr("rotate.ask"), keyboard)


async def rotate_button(update: Update, context: BotContext) -> None:
    """Replace the webhook token (rotate:yes), or leave it (rotate:no)."""
    query = update.callback_query
    assert query is not None
    await query.answer()  # answer first, or some clients keep the button spinning
    if button_args(query) != ["yes"]:
        await edit(query, context.tr("rotate.cancelled"))
        return
    facade, me = context.facade, context.me
    user = await facade.rotate_token(me.id)
    log.info("user=%s rotated the webhook token", me.id)
    await edit(query, context.tr("rotate.done", url=facade.webhook_url(user)))


async def open_button(update: Update, context: BotContext) -> None:
    """Open the settings or the TradingView set-up (open:settings|webhook, under the approval
    message) in a new message: the approval, with the URL, stays."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if button_args(query) == ["settings"]:
        await reply(update, await menu_text(context), await menu_keyboard(context))
    else:
        await webhook(update, context)


REVOKE_DASHBOARD = "dash:revoke"


async def dashboard(update: Update, context: BotContext) -> None:
    """Send a new read-only, expiring link to the dashboard as a button (/dashboard), or end
    every link sent before (/dashboard revoke)."""
    user = context.me.user
    assert user is not None
    if context.args:
        if [arg.lower() for arg in context.args] == ["revoke"]:
            await reply(update, await _revoke(context))
        else:
            await reply(update, context.tr("dashboard.usage"))
        return
    link = context.facade.dashboard_link(user)
    works = lifetime(context.lang, link.lifetime_s)
    revoke = [InlineKeyboardButton(context.tr("button.revoke_dashboard"),
                                   callback_data=REVOKE_DASHBOARD)]
    opener = InlineKeyboardButton(context.tr("button.open_dashboard", lifetime=works),
                                  url=link.url)
    try:
        await reply(update, context.tr("dashboard.link", lifetime=works),
                    InlineKeyboardMarkup([[opener], revoke]))
    except BadRequest as exc:
        # Telegram takes no button to an address like http://localhost:8080 (server.public_url
        # unset): give the link as text rather than nothing.
        if "url" not in exc.message.lower():
            raise
        log.warning("user=%s: Telegram refused the dashboard button (%s); sent as text; set "
                    "server.public_url to the server's public address", user.id, exc.message)
        await reply(update, context.tr("dashboard.link_text", lifetime=works, url=link.url),
                    InlineKeyboardMarkup([revoke]))


async def dashboard_button(update: Update, context: BotContext) -> None:
    """The "revoke dashboard links" button under a /dashboard reply."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if button_args(query) != ["revoke"]:
        await edit(query, context.tr("button.expired"))
        return
    await edit(query, await _revoke(context))


async def _revoke(context: BotContext) -> str:
    await context.facade.revoke_dashboard_links(context.me.id)
    log.info("user=%s revoked every dashboard link", context.me.id)
    return context.tr("dashboard.revoked")


async def unknown_command(update: Update, context: BotContext) -> None:
    """Point at /help for a command the bot does not know."""
    message = update.effective_message
    name = command_name(message.text if message is not None else None)
    if name in BY_NAME:  # a known command handled in another group (/keys, /cancel)
        return
    await reply(update, context.tr("unknown.command", command=f"/{name}"))


async def text_hint(update: Update, context: BotContext) -> None:
    """Take the answer to a question the bot asked (a custom amount, a time zone), else point
    at /help."""
    asked = prompts.pending(context)
    if asked in (prompts.AMOUNT, prompts.TZ):
        await typed(update, context, asked)
        return
    await reply(update, context.tr("text.hint"))
