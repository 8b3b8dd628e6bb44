"""Write a refused alert's notice for Telegram: what was refused, why, and what to do.

The intake spaced the notices (bot/refusals.py); this only writes them, in each reader's
language. A legacy /webhook refusal goes to the admins, a channel's to the admin who made the
channel, under a line naming it. Under a refusal for a pause, a button resumes trading.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.handlers.common import action_text, user_language
from bot.handlers.facade import HandlerFacade
from bot.handlers.views import lifetime
from bot.i18n import Html, ltr, t
from bot.i18n.errors import render_error
from bot.models import LEGACY_USER_ID
from bot.refusals import RATE_LIMITED, RATE_LIMITED_WINDOW_S, RefusalNotice

log = logging.getLogger(__name__)

RefusalMessage = tuple[int, str, InlineKeyboardMarkup | None]  # chat, HTML text, buttons
PAUSE_CODES = ("paused", "entries_paused")
RESUME_BUTTON = "pause:resume"


async def format_refusal(facade: HandlerFacade, notice: RefusalNotice) -> list[RefusalMessage]:
    """Return (chat_id, HTML text, buttons or None) for each reader of a refusal."""
    chats = [notice.user_id]
    if notice.route == "legacy":
        chats = sorted(await facade.admin_ids())
        if notice.user_id != LEGACY_USER_ID and notice.user_id not in chats:
            chats.append(notice.user_id)
        if not chats:
            log.info("signal=%s legacy alert refused; no admin to tell", notice.signal_id)
    window = facade.limits.refusal_notice_s
    messages: list[RefusalMessage] = []
    for chat in chats:
        lang = await user_language(facade, chat)
        markup = None
        if chat == notice.user_id and notice.code in PAUSE_CODES:
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(
                t(lang, "button.resume"), callback_data=RESUME_BUTTON)]])
        messages.append((chat, render_refusal(notice, lang, window), markup))
    return messages


def render_refusal(notice: RefusalNotice, lang: str, window_s: float) -> str:
    """The whole message about one refused alert."""
    what = ""
    if notice.symbol is not None:
        what = t(lang, "refusal.what", symbol=ltr(lang, notice.symbol),
                 action=action_text(lang, notice.action))
    signal = "" if notice.signal_id is None else t(lang, "refusal.signal",
                                                   id=ltr(lang, notice.signal_id))
    if notice.alert_id is not None:
        signal = t(lang, "refusal.alert", id=ltr(lang, notice.alert_id))
    lines = [t(lang, "refusal.head", what=Html(what), signal=Html(signal))]
    if notice.route == "legacy":
        lines.insert(0, t(lang, "refusal.legacy", webhook=ltr(lang, "/webhook")))
    if notice.channel is not None:
        lines.insert(0, t(lang, "refusal.channel", name=notice.channel_name,
                          code=ltr(lang, notice.channel)))
    lines.append(t(lang, "refusal.reason", reason=reason(notice, lang)))
    if notice.always and notice.symbol is not None:  # a refused close: its position stays
        key = "refusal.close_paused" if notice.code in PAUSE_CODES else "refusal.close_open"
        lines.append(t(lang, key, close=ltr(lang, f"/close {notice.symbol}"),
                       resume=ltr(lang, "/resume")))
    quiet = RATE_LIMITED_WINDOW_S if notice.code == RATE_LIMITED else 0
    quiet = max(quiet, window_s)
    if quiet and not notice.always:
        span = Html(lifetime(lang, int(quiet)))
        lines.append(t(lang, "refusal.quiet", lifetime=span, trades=ltr(lang, "/trades"))
                     if notice.channel is None else
                     t(lang, "refusal.quiet_channel", lifetime=span))
    return "\n".join(lines)


def reason(notice: RefusalNotice, lang: str) -> str:
    """Why, and what to do: the refusal's sentence in the reader's language when it was raised
    as a key with values; else its own English sentence (isolated in Arabic)."""
    if notice.key:
        return render_error(lang, notice.key, notice.params, fallback=notice.message)
    return ltr(lang, notice.message)
