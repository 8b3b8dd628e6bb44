"""What every handler shares: the context with the facade and the caller, replies.

Numbers in messages come from bot/i18n/numbers.py, the one formatter (DESIGN §13); `number`
(1,234.5, "?" if unknown) and `money` (10,000.00) are its, re-exported here for the handlers
that import them from this module.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram import User as TelegramUser
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackContext, ExtBot

from bot.handlers.facade import HandlerFacade
from bot.i18n import CATALOGS, DEFAULT_LANGUAGE, pick, t
from bot.i18n.numbers import money as money
from bot.i18n.numbers import number as number
from bot.models import User, UserSettings

if TYPE_CHECKING:
    from bot.notify import Notifier

log = logging.getLogger(__name__)

FACADE_KEY = "facade"  # bot_data: the HandlerFacade
NOTIFIER_KEY = "notifier"  # bot_data: the Notifier, the one way to message someone else


class Access(enum.Enum):
    """Who may use a command or press a button."""

    PUBLIC = "public"  # anyone, even before /start
    REGISTERED = "registered"  # sent /start, approved or not (following a channel)
    ACTIVE = "active"  # registered and approved
    ADMIN = "admin"  # telegram.admin_ids, or an active user marked admin


@dataclass(frozen=True)
class Caller:
    """The person behind an update, as the service knows them."""

    id: int
    user: User | None
    settings: UserSettings | None
    lang: str
    is_admin: bool

    @property
    def registered(self) -> bool:
        return self.user is not None

    @property
    def active(self) -> bool:
        return self.user is not None and self.user.is_active


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context plus the facade, the notifier and the caller (set by the gate)."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any],
                 chat_id: int | None = None, user_id: int | None = None) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.caller: Caller | None = None

    @property
    def facade(self) -> HandlerFacade:
        """What handlers may read and do; they reach nothing else of the service."""
        return self.bot_data[FACADE_KEY]

    @property
    def notifier(self) -> Notifier:
        return self.bot_data[NOTIFIER_KEY]

    @property
    def lang(self) -> str:
        return self.caller.lang if self.caller is not None else "en"

    @property
    def me(self) -> Caller:
        """The caller; the gate has set it for every update that reaches a handler."""
        assert self.caller is not None, "the authorisation gate did not run"
        return self.caller

    def tr(self, key: str, /, **values: object) -> str:
        return t(self.lang, key, **values)


def language_of(user: User | None, telegram_code: str | None = None) -> str:
    """The user's chosen language, else Telegram's language_code, else English."""
    if user is None:
        return pick([telegram_code])
    return pick([user.language, telegram_code, user.telegram_language])


async def load_caller(facade: HandlerFacade, who: TelegramUser) -> Caller:
    """Read the caller's account and work out their language and rights."""
    account = await facade.account(who.id)
    user, settings = account if account is not None else (None, None)
    is_admin = facade.is_configured_admin(who.id) or (
        user is not None and user.is_admin and user.is_active)
    return Caller(who.id, user, settings, language_of(user, who.language_code), is_admin)


async def user_language(facade: HandlerFacade, user_id: int) -> str:
    """The language to write to a user in when they did not just write to us."""
    return language_of(await facade.user(user_id))


async def reply(update: Update, text: str,
                markup: InlineKeyboardMarkup | None = None) -> Message | None:
    """Answer in the chat the update came from (HTML, no link previews)."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(text, parse_mode=ParseMode.HTML, reply_markup=markup,
                                   disable_web_page_preview=True)


async def edit(query: CallbackQuery, text: str,
               markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace a button message's text; an identical edit is not an error."""
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup,
                                      disable_web_page_preview=True)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


async def stale_button(update: Update, context: BotContext) -> None:
    """Answer a button whose menu or flow is gone."""
    if update.callback_query is not None:
        await update.callback_query.answer(context.tr("button.expired"))


def action_text(lang: str, action: str | None) -> str:
    """A signal's action as a word of the reader's language (buy → شراء, close_long → إغلاق
    مركز الشراء), from the catalog's `action.*`; an action no catalog knows stays as sent."""
    if not action:
        return "?"
    key = f"action.{action}"
    return t(lang, key) if key in CATALOGS[DEFAULT_LANGUAGE] else action


def button_args(query: CallbackQuery) -> list[str]:
    """The parts of `area:action:arg…` callback data after the area."""
    return (query.data or "").split(":")[1:]
