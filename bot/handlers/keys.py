"""Bybit API keys: `/keys <demo|real> <api_key> <api_secret>`, or a guided flow.

Private chats only. Every message that may carry a key or secret is deleted at once; the
keys are tried with a read-only call before they are stored (encrypted) and never echoed or
logged. The guided flow is a ConversationHandler in its own handler group, so that any other
command both ends the flow and still does its own job. It starts from /keys, or from a button
(keys:add:<demo|real>: [🔑 Add demo keys] under "no demo keys", [Try again] under a failed
check); every step has [Cancel] (keys:cancel) and names /cancel.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.handlers import prompts
from bot.handlers.auth import delete_quietly
from bot.handlers.common import BotContext, button_args, edit, number, reply, stale_button
from bot.i18n import ltr
from bot.i18n.errors import render_failure
from bot.logging_setup import REDACTOR

log = logging.getLogger(__name__)

KEY_ACCOUNTS = ("demo", "real")
CHOOSE, KEY, SECRET = range(3)
DRAFT = prompts.KEYS_DRAFT  # user_data: the account (and key) while the secret is awaited
ADD = "keys:add"  # keys:add:<demo|real>: the flow from the key ([Add demo keys], [Try again])
CANCEL = "keys:cancel"
CHECK_MESSAGES = {"wrong_environment": "keys.wrong_environment",
                  "no_permission": "keys.no_permission", "invalid_key": "keys.invalid",
                  "bad_signature": "keys.bad_signature", "ip_not_allowed": "keys.ip_not_allowed",
                  "exchange_unreachable": "keys.unreachable"}


async def _forget(message: Message | None) -> None:
    """Delete a message that carried a key or a secret, at once."""
    if message is not None:
        await delete_quietly(message.get_bot(), message.chat_id, message.message_id)


def _drafts(context: BotContext) -> dict[Any, Any]:
    """PTB's per-user storage; it exists for every update the gate let in (they have a user)."""
    data = context.user_data
    assert data is not None, "an update without a user got past the authorisation gate"
    return data


def _cancel_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(context.tr("button.cancel"),
                                                       callback_data=CANCEL)]])


def _prompt(context: BotContext, key: str, /, **values: object) -> str:
    """A step of the flow, saying that /cancel (or its button) stops it."""
    return context.tr(key, **values) + "\n" + context.tr(
        "keys.or_cancel", cancel=ltr(context.lang, "/cancel"))


async def keys_command(update: Update, context: BotContext) -> int:
    """Store API keys in one line, or start the guided flow."""
    prompts.forget(context)
    args = context.args or []
    if args:
        await _forget(update.effective_message)  # it may hold a secret: gone before all else
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        await reply(update, context.tr("keys.private_only" if not args else "keys.revoke"))
        return ConversationHandler.END
    if not args:
        stored = await context.facade.key_accounts(context.me.id)
        await reply(update, _prompt(context, "keys.choose",
                                    demo="✅" if "demo" in stored else "—",
                                    real="✅" if "real" in stored else "—"),
                    _choose_keyboard(context))
        return CHOOSE
    if len(args) != 3 or args[0].lower() not in KEY_ACCOUNTS:
        await reply(update, context.tr("keys.usage"))
        return ConversationHandler.END
    await check_and_store(update, context, args[0].lower(), args[1], args[2])
    return ConversationHandler.END


def _choose_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(context.tr("account.demo"), callback_data="keys:demo"),
        InlineKeyboardButton(context.tr("account.real"), callback_data="keys:real"),
        InlineKeyboardButton(context.tr("button.cancel"), callback_data=CANCEL),
    ]])


async def account_chosen(update: Update, context: BotContext) -> int:
    """Ask for the API key of the chosen account."""
    query = update.callback_query
    assert query is not None
    await query.answer()  # answer first, or some clients keep the button spinning
    account = (button_args(query) or [""])[0]
    if account not in KEY_ACCOUNTS:
        _drafts(context).pop(DRAFT, None)
        await edit(query, context.tr("keys.cancelled"))
        return ConversationHandler.END
    _drafts(context)[DRAFT] = {"account": account}
    await edit(query, _prompt(context, "keys.send_key",
                              account=context.tr(f"account.{account}")),
               _cancel_keyboard(context))
    return KEY


async def text_before_choice(update: Update, context: BotContext) -> int:
    """Text sent before an account was chosen may be the key already: delete it, ask again."""
    await _forget(update.effective_message)
    await reply(update, _prompt(context, "keys.choose_first"), _choose_keyboard(context))
    return CHOOSE


async def add_keys_button(update: Update, context: BotContext) -> int:
    """[🔑 Add demo keys] or [Try again]: the flow from the API key of that account."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    prompts.forget(context)
    args = button_args(query)
    account = args[1] if len(args) == 2 else ""
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        await reply(update, context.tr("keys.private_only"))
        return ConversationHandler.END
    if account not in KEY_ACCOUNTS:
        await reply(update, context.tr("button.expired"))
        return ConversationHandler.END
    _drafts(context)[DRAFT] = {"account": account}
    await reply(update, _prompt(context, "keys.send_key",
                                account=context.tr(f"account.{account}")),
                _cancel_keyboard(context))
    return KEY


async def cancel_button(update: Update, context: BotContext) -> int:
    """[Cancel] under a step of the flow."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    _drafts(context).pop(DRAFT, None)
    await edit(query, context.tr("keys.cancelled"))
    return ConversationHandler.END


async def key_received(update: Update, context: BotContext) -> int:
    """Take the API key, delete its message, ask for the secret."""
    message = update.effective_message
    await _forget(message)
    draft = _drafts(context).get(DRAFT)
    key = (message.text or "").strip() if message is not None else ""
    if draft is None or not key:
        return ConversationHandler.END
    draft["key"] = key
    await reply(update, _prompt(context, "keys.send_secret"), _cancel_keyboard(context))
    return SECRET


async def secret_received(update: Update, context: BotContext) -> int:
    """Take the secret, delete its message, then check and store the pair."""
    message = update.effective_message
    await _forget(message)
    draft = _drafts(context).pop(DRAFT, None)
    if draft is None or message is None or "key" not in draft:
        return ConversationHandler.END
    await check_and_store(update, context, draft["account"], draft["key"],
                          (message.text or "").strip())
    return ConversationHandler.END


async def check_and_store(update: Update, context: BotContext, account: str, api_key: str,
                          api_secret: str) -> None:
    """Try the keys read-only; store them only if they work, and say what Bybit said."""
    REDACTOR.add(api_secret)  # from here on no log line can carry them, whatever happens
    REDACTOR.add(api_key)
    facade, me = context.facade, context.me
    await reply(update, context.tr("keys.checking", account=context.tr(f"account.{account}")))
    check = await facade.check_keys(account, api_key, api_secret)
    if not check.ok:
        log.info("user=%s %s keys not stored: %s", me.id, account, check.code)
        again = InlineKeyboardButton(context.tr("button.try_again"),
                                     callback_data=f"{ADD}:{account}")
        await reply(update, context.tr(CHECK_MESSAGES.get(check.code, "keys.failed"),
                                       account=account, reason=render_failure(
                                           context.lang, check.failure, fallback=check.message)
                                       if check.failure is not None else check.message),
                    InlineKeyboardMarkup([[again]]))
        return
    await facade.store_keys(me.id, account, api_key, api_secret)  # the next signal uses them
    log.info("user=%s stored %s API keys (checked with Bybit)", me.id, account)
    settings = await facade.settings(me.id)
    hint = "" if settings.account_type == account \
        else "\n" + context.tr("keys.switch_hint", account=account)
    await reply(update, context.tr("keys.stored", account=context.tr(f"account.{account}"),
                                   masked=api_key[:4] + "…",
                                   usdt=number(check.usdt)) + hint)


async def cancel(update: Update, context: BotContext) -> int:
    """Stop the guided flow."""
    _drafts(context).pop(DRAFT, None)
    prompts.forget(context)
    await reply(update, context.tr("keys.cancelled"))
    return ConversationHandler.END


async def end_quietly(update: Update, context: BotContext) -> int:
    """Another command ends the flow; that command is handled in its own group."""
    _drafts(context).pop(DRAFT, None)
    return ConversationHandler.END


async def nothing_to_cancel(update: Update, context: BotContext) -> None:
    """Answer /cancel outside the flow: end a question the bot asked, if any."""
    if prompts.forget(context):
        await reply(update, context.tr("prompt.cancelled"))
        return
    await reply(update, context.tr("keys.nothing_to_cancel"))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The /keys flow, then /cancel and /keys buttons outside it, in order."""
    text = filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE
    flow = ConversationHandler(
        entry_points=[CommandHandler("keys", keys_command),
                      CallbackQueryHandler(add_keys_button, pattern=rf"^{ADD}:")],
        states={
            CHOOSE: [CallbackQueryHandler(account_chosen, pattern=r"^keys:"),
                     MessageHandler(text, text_before_choice)],
            KEY: [MessageHandler(text, key_received)],
            SECRET: [MessageHandler(text, secret_received)],
        },
        fallbacks=[CommandHandler("cancel", cancel), MessageHandler(filters.COMMAND, end_quietly),
                   CallbackQueryHandler(cancel_button, pattern=rf"^{CANCEL}$")],
        allow_reentry=True,
        name="keys",
    )
    return [flow, CommandHandler("cancel", nothing_to_cancel),
            MessageHandler(filters.COMMAND, prompts.end_on_command),
            CallbackQueryHandler(stale_button, pattern=r"^keys:")]
