"""Messages more than one handler sends: the personal webhook and the TradingView templates."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.handlers.common import number
from bot.handlers.facade import HandlerFacade
from bot.i18n import t
from bot.i18n.numbers import duration
from bot.models import User

# TradingView fills the {{…}} placeholders when the alert fires (its webhook reference, T11/T12).
INDICATOR_TEMPLATE = ('{"symbol": "{{ticker}}", "action": "buy", "price": {{close}}, '
                      '"timestamp": "{{timenow}}"}')
STRATEGY_TEMPLATE = ('{"symbol": "{{ticker}}", "action": "{{strategy.order.action}}", '
                     '"position": "{{strategy.market_position}}", "price": {{close}}, '
                     '"timestamp": "{{timenow}}"}')


def webhook_text(facade: HandlerFacade, user: User, lang: str) -> str:
    """The personal URL as one copyable line, and ready alert messages."""
    return t(lang, "webhook.text", url=facade.webhook_url(user),
             indicator=INDICATOR_TEMPLATE, strategy=STRATEGY_TEMPLATE)


async def approved_text(facade: HandlerFacade, user: User, lang: str) -> str:
    """What a user reads when an admin approves them: their settings and their webhook."""
    settings = await facade.settings(user.id)
    return t(lang, "user.approved", account=t(lang, f"account.{settings.account_type}"),
             market=t(lang, f"market.{settings.market_type}"),
             amount=number(settings.trade_amount), leverage=settings.leverage,
             ) + "\n\n" + webhook_text(facade, user, lang)


def approved_keyboard(lang: str) -> InlineKeyboardMarkup:
    """Under the approval message, what a new trader does next: [Settings] [TradingView
    set-up] (callback data open:settings, open:webhook)."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t(lang, "button.settings"), callback_data="open:settings"),
        InlineKeyboardButton(t(lang, "button.tradingview"), callback_data="open:webhook"),
    ]])


def lifetime(lang: str, seconds: int) -> str:
    """How long a link works, in the largest whole unit: "1 day", "24 hours", "90 minutes"."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and (seconds % size == 0 or unit == "minute"):
            n = seconds // size
            break
    else:
        unit, n = "minute", 1
    return duration(lang, n, unit)
