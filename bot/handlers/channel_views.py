"""What a channel's messages show: a subscription's sizing, its buttons, and the messages a
channel's signal sends its subscriber (the Execute / Skip question, a refusal, the channel's
name above a result)."""

from __future__ import annotations

from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.channels import Channel, Subscription
from bot.handlers.common import number
from bot.i18n import Html, ltr, t
from bot.models import UserSettings
from bot.outcomes import SignalReport
from bot.signals import Signal
from bot.vocabulary import CopyMode, SignalStatus

SUB_AREA = "sub"  # the buttons of a subscription (sizing, mode, unsubscribe)
CONFIRM_AREA = "cf"  # Execute / Skip under a confirm-mode question
AMOUNT_CHOICES = ("mine", "25", "50", "100", "5%", "10%")
LEVERAGE_CHOICES = ("signal", "3", "5", "10", "20")


def percent_text(value: Decimal) -> str:
    return f"{number(value)}%"


def amount_text(lang: str, amount: Decimal | None, percent: Decimal | None,
                settings: UserSettings | None) -> str:
    if amount is not None:
        return t(lang, "copy.amount_fixed", amount=ltr(lang, f"{number(amount)} USDT"))
    if percent is not None:
        return t(lang, "copy.amount_percent", percent=ltr(lang, percent_text(percent)))
    own = f"{number(settings.trade_amount)} USDT" if settings is not None else "?"
    return t(lang, "copy.amount_alert", amount=ltr(lang, own))


def leverage_text(lang: str, leverage: int | None, settings: UserSettings | None) -> str:
    if leverage is not None:
        return t(lang, "copy.leverage_fixed", leverage=ltr(lang, f"{leverage}x"))
    own = f"{settings.leverage}x" if settings is not None else "?"
    return t(lang, "copy.leverage_alert", leverage=ltr(lang, own))


def sizing_text(lang: str, subscription: Subscription, settings: UserSettings | None) -> str:
    """One line: the subscription's amount, leverage and mode."""
    return t(lang, "copy.line",
             amount=Html(amount_text(lang, subscription.amount, subscription.amount_percent,
                                     settings)),
             leverage=Html(leverage_text(lang, subscription.leverage, settings)),
             mode=Html(t(lang, f"copy.mode_{subscription.mode}")))


def _chosen(label: str, chosen: bool) -> str:
    return f"✓ {label}" if chosen else label


def copy_keyboard(lang: str, channel: Channel,
                  subscription: Subscription) -> InlineKeyboardMarkup:
    """Buttons for the amount, the leverage and the mode, the current ones ticked; and
    Unsubscribe."""
    base = f"{SUB_AREA}:set:{channel.code}"
    current_amount = ("mine" if subscription.amount is None and subscription.amount_percent
                      is None else f"{number(subscription.amount_percent)}%"
                      if subscription.amount_percent is not None
                      else number(subscription.amount))
    amounts = [InlineKeyboardButton(
        _chosen(t(lang, "copy.button_mine") if value == "mine" else
                value if value.endswith("%") else f"{value} USDT", value == current_amount),
        callback_data=f"{base}:amount:{value}") for value in AMOUNT_CHOICES]
    current_leverage = "signal" if subscription.leverage is None else str(subscription.leverage)
    leverages = [InlineKeyboardButton(
        _chosen(t(lang, "copy.button_signal") if value == "signal" else f"{value}x",
                value == current_leverage),
        callback_data=f"{base}:leverage:{value}") for value in LEVERAGE_CHOICES]
    modes = [InlineKeyboardButton(_chosen(t(lang, f"copy.button_{mode}"),
                                          subscription.mode == mode),
                                  callback_data=f"{base}:mode:{mode}") for mode in CopyMode]
    leave = [InlineKeyboardButton(t(lang, "copy.button_leave"),
                                  callback_data=f"{SUB_AREA}:leave:{channel.code}")]
    return InlineKeyboardMarkup([amounts[:3], amounts[3:], leverages, modes, leave])


# --- a channel's signal, for its subscriber ---------------------------------------------------

def from_channel(lang: str, channel: Channel) -> str:
    """The line above every message about a channel's signal."""
    return t(lang, "channel.from", name=channel.name, code=ltr(lang, channel.code))


def _what(lang: str, signal: Signal | None) -> Html:
    if signal is None:
        return Html("?")
    text = f"{signal.action} {signal.symbol}"
    if signal.price is not None:
        text += f" @ {number(signal.price)}"
    return ltr(lang, text)


def question(lang: str, report: SignalReport, channel: Channel,
             settings: UserSettings | None, max_age_s: int) -> tuple[str, InlineKeyboardMarkup]:
    """The confirm-mode question: what the channel sent, the subscriber's sizing, the
    deadline, and Execute / Skip."""
    signal = report.signal
    if signal is not None and signal.amount is None and signal.amount_percent is None \
            and signal.qty is not None:
        amount = t(lang, "channel.qty", qty=ltr(lang, number(signal.qty)))
    else:
        amount = amount_text(lang, signal.amount if signal else None,
                             signal.amount_percent if signal else None, settings)
    lines = [from_channel(lang, channel),
             t(lang, "channel.question", id=report.signal_id, what=_what(lang, signal)),
             t(lang, "channel.question_sizing", amount=Html(amount), leverage=Html(
                 leverage_text(lang, signal.leverage if signal else None, settings)))]
    lines.append(t(lang, "channel.question_deadline", seconds=ltr(lang, max_age_s))
                 if max_age_s else t(lang, "channel.question_no_deadline"))
    markup = InlineKeyboardMarkup([[
        InlineKeyboardButton(t(lang, "channel.execute"),
                             callback_data=f"{CONFIRM_AREA}:x:{report.signal_id}"),
        InlineKeyboardButton(t(lang, "channel.skip"),
                             callback_data=f"{CONFIRM_AREA}:s:{report.signal_id}")]])
    return "\n".join(lines), markup


def refusal(lang: str, report: SignalReport, channel: Channel,
            settings: UserSettings | None) -> str:
    """Why a channel's alert was not traded for this subscriber, and what to do."""
    code = report.error_code or "inactive"
    account = settings.account_type if settings is not None else "?"
    reason = t(lang, f"channel.refused_{code}", account=ltr(lang, account),
               keys=ltr(lang, f"/keys {account} <api_key> <api_secret>"))
    return "\n".join([from_channel(lang, channel),
                      t(lang, "channel.not_traded", id=report.signal_id,
                        what=_what(lang, report.signal)), reason])


def channel_message(lang: str, report: SignalReport, channel: Channel,
                    settings: UserSettings | None,
                    max_age_s: int) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """The question or the refusal a channel's signal sends; None for a result (the usual
    report, under `from_channel`)."""
    if report.status == SignalStatus.AWAITING:
        return question(lang, report, channel, settings, max_age_s)
    if report.status == SignalStatus.REJECTED:
        return refusal(lang, report, channel, settings), None
    return None
