"""The authorisation gate and the error handler: one rule in, one way out.

The gate runs before every other handler (group -1). It loads the caller, checks the access
the command or button needs (from the registry) and stops the update if it is not allowed —
buttons included, so forged callback data from a non-admin changes nothing.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Bot, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.errors import BotError
from bot.handlers import prompts
from bot.handlers.common import Access, BotContext, Caller, load_caller, reply
from bot.handlers.registry import BY_NAME, access_for, allowed, command_name, shows_secret
from bot.i18n import pick, t
from bot.i18n.errors import render_error

log = logging.getLogger(__name__)


async def authorise(update: object, context: BotContext) -> None:
    """Let the update through only if its sender may use what it asks for."""
    if not isinstance(update, Update) or update.effective_user is None:
        raise ApplicationHandlerStop  # channel posts and the like: not ours
    caller = await load_caller(context.facade, update.effective_user)
    context.caller = caller
    needed = access_for(update)
    if not allowed(needed, caller):
        await _refuse(update, context, caller, needed)
        raise ApplicationHandlerStop
    secret = shows_secret(update)
    chat = update.effective_chat
    if secret is not None and (chat is None or chat.type != ChatType.PRIVATE):
        log.info("user=%s asked for %s in a %s chat: refused, its answer holds a secret",
                 caller.id, secret, chat.type if chat is not None else "unknown")
        await _answer(update, t(caller.lang, "auth.private_only"))
        raise ApplicationHandlerStop


def _refusal_key(caller: Caller, needed: Access) -> str:
    if needed is Access.ADMIN:
        return "auth.admin_only"
    return "auth.waiting" if caller.registered else "auth.register_first"


async def _refuse(update: Update, context: BotContext, caller: Caller, needed: Access) -> None:
    text = t(caller.lang, _refusal_key(caller, needed))
    query = update.callback_query
    if query is not None:
        if needed is Access.ADMIN:
            log.warning("refused an admin button from user=%s (data %r)", caller.id,
                        (query.data or "")[:64])
        await query.answer(text, show_alert=True)
        return
    message = update.effective_message
    words = (message.text or "") if message is not None else ""
    name = command_name(words)
    if needed is Access.ADMIN:
        log.warning("refused admin command /%s from user=%s", name, caller.id)
    command = BY_NAME.get(name or "")
    secret_args = command is not None and command.secret_args and len(words.split()) > 1
    # Plain text while the guided /keys flow waits is a key or a secret (deactivated meanwhile).
    awaited = name is None and prompts.KEYS_DRAFT in (context.user_data or {})
    if message is not None and (secret_args or awaited):
        await delete_quietly(message.get_bot(), message.chat_id, message.message_id)
    await reply(update, text)


async def _answer(update: Update, text: str) -> None:
    """Say why nothing was done: as an alert under a pressed button, else as a reply."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await reply(update, text)


async def delete_quietly(bot: Bot, chat_id: int, message_id: int) -> bool:
    """Delete a message; say (and log) when Telegram would not."""
    try:
        return await bot.delete_message(chat_id, message_id)
    except TelegramError as exc:
        log.warning("could not delete message %s in chat %s: %s", message_id, chat_id,
                    exc.message)
        return False


async def on_error(update: object, context: BotContext) -> None:
    """Log what went wrong and tell the user, without echoing the update (it may hold keys).

    It also ends the update's handling: a failed gate must not let the handlers run.
    """
    error = context.error
    if not isinstance(update, Update):
        log.error("Telegram error outside an update: %s", error, exc_info=error)
        return
    lang = await _language(update, context)
    if isinstance(error, BotError):
        log.info("update %s refused: %s", update.update_id, error)
        text = t(lang, "error.reason", reason=render_error(lang, error.key, error.params,
                                                         fallback=error.english_given))
    else:
        log.error("update %s failed in a handler: %s", update.update_id,
                  type(error).__name__, exc_info=error)
        text = t(lang, "error.generic")
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):  # it may have been answered already
            await update.callback_query.answer()
    try:
        await reply(update, text)
    except TelegramError as exc:
        log.warning("could not tell the user about the error: %s", exc.message)
    # No later handler group may run: if the gate itself failed, nothing was authorised.
    raise ApplicationHandlerStop


async def _language(update: Update, context: BotContext) -> str:
    if context.caller is not None:
        return context.caller.lang
    if update.effective_user is None:
        return "en"
    try:
        return (await load_caller(context.facade, update.effective_user)).lang
    except Exception:  # the database is what failed: fall back to Telegram's language
        return pick([update.effective_user.language_code])
