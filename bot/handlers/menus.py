"""Publish the command menus (setMyCommands) derived from the registry."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, BotCommandScopeChat
from telegram.error import TelegramError

from bot.handlers.registry import menu
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES

log = logging.getLogger(__name__)


async def set_command_menus(bot: Bot, admin_ids: Iterable[int] = ()) -> None:
    """Publish the menu per language, and the admin menu in each admin's chat."""
    for lang in LANGUAGES:
        code = None if lang == DEFAULT_LANGUAGE else lang  # no code: every other language
        await bot.set_my_commands(menu(lang, admin=False), language_code=code)
    for admin_id in admin_ids:
        for lang in LANGUAGES:
            code = None if lang == DEFAULT_LANGUAGE else lang
            try:
                await bot.set_my_commands(menu(lang, admin=True),
                                          scope=BotCommandScopeChat(admin_id),
                                          language_code=code)
            except TelegramError as exc:  # the admin never opened a chat with the bot
                log.warning("could not set the admin menu for user=%s: %s", admin_id,
                            exc.message)
                break


async def set_chat_menu(bot: Bot, chat_id: int, lang: str, *, admin: bool) -> None:
    """Show one chat the menu in the language its user chose, whatever their app's language."""
    commands = menu(lang, admin=admin)
    try:
        for code in LANGUAGES:  # a chat+language menu would win over a chat-only one
            await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id),
                                      language_code=None if code == DEFAULT_LANGUAGE else code)
    except TelegramError as exc:
        log.warning("could not set the menu for user=%s: %s", chat_id, exc.message)
