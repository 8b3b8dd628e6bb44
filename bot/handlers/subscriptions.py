"""A subscriber's side of signal channels: /channels, /subscribe (and the deep link
`/start ch_<code>`), /unsubscribe, /copy with its buttons, and Execute / Skip.

/copy takes `amount=<usdt|n%>` (or `amount=mine`: the alert's, else /set amount),
`leverage=<signal|n>` and `mode=<auto|confirm>`, in any order; anything else is answered with
what to type instead, and changes nothing.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.config import LimitsConfig
from bot.db.channels import Channel, Subscription
from bot.handlers import user
from bot.handlers.channel_views import SUB_AREA, copy_keyboard, sizing_text
from bot.handlers.common import BotContext, button_args, edit, number, reply
from bot.handlers.settings_exits import Refused
from bot.i18n import Html, ltr, t
from bot.i18n.numbers import read_number, read_percent
from bot.vocabulary import AccountType, CopyMode, SignalStatus

log = logging.getLogger(__name__)

LINK_PREFIX = "ch_"  # /start ch_<code>: the deep link a channel's admin shares
MINE = ("mine", "default", "own")
SIGNAL = ("signal", "alert")


class CopyRefused(Refused):
    """A /copy argument that is not allowed: the catalog message says what to type."""

    def text(self, lang: str) -> str:
        return t(lang, self.key, **{name: ltr(lang, value) for name, value in self.values.items()})


# --- /copy's arguments: pure ------------------------------------------------------------------

def parse_amount(raw: str, limits: LimitsConfig, code: str) -> dict[str, Decimal | None]:
    """`50`, `1,000`, `$50`, `5%` (of the available balance), or `mine`."""
    if raw.lower() in MINE:
        return {"amount": None, "amount_percent": None}
    percent = read_percent(raw)
    if percent is not None:
        if not Decimal(0) < percent <= 100:
            raise CopyRefused("copy.bad_amount", given=raw, cap=number(limits.max_trade_amount),
                              code=code)
        return {"amount": None, "amount_percent": percent.normalize()}
    amount = read_number(raw.lower().removesuffix("usdt"))
    if amount is None or not Decimal(0) < amount <= limits.max_trade_amount \
            or amount != amount.quantize(Decimal("0.01")):
        raise CopyRefused("copy.bad_amount", given=raw, cap=number(limits.max_trade_amount),
                          code=code)
    return {"amount": amount.normalize(), "amount_percent": None}


def parse_leverage(raw: str, limits: LimitsConfig, code: str) -> int | None:
    """`signal` (the alert's, else their own) or a whole number within the limit."""
    if raw.lower() in SIGNAL:
        return None
    value = read_number(raw.lower().removesuffix("x"))
    if value is None or value != value.to_integral_value() \
            or not 1 <= value <= limits.max_leverage:
        raise CopyRefused("copy.bad_leverage", given=raw, cap=limits.max_leverage, code=code)
    return int(value)


def parse_mode(raw: str, code: str) -> CopyMode:
    if raw.lower() not in tuple(CopyMode):
        raise CopyRefused("copy.bad_mode", given=raw, code=code)
    return CopyMode(raw.lower())


def parse_copy(args: list[str], limits: LimitsConfig, code: str) -> dict[str, Any]:
    """The changes `/copy <code> <args>` asks for, as `Subscription` fields."""
    changes: dict[str, Any] = {}
    for arg in args:
        name, _, value = arg.partition("=")
        name, value = name.strip().lower(), value.strip()
        if not value or name not in ("amount", "leverage", "mode") or name in changes \
                or (name == "amount" and "amount_percent" in changes):
            raise CopyRefused("copy.bad_argument", given=arg, code=code)
        if name == "amount":
            changes.update(parse_amount(value, limits, code))
        elif name == "leverage":
            changes["leverage"] = parse_leverage(value, limits, code)
        else:
            changes["mode"] = parse_mode(value, code)
    return changes


# --- following a channel ------------------------------------------------------------------------

async def subscribe_command(update: Update, context: BotContext) -> None:
    """Follow a channel: /subscribe <code>."""
    args = context.args or []
    if len(args) != 1:
        await reply(update, context.tr("sub.usage"))
        return
    await join(update, context, args[0])


async def start_link(update: Update, context: BotContext) -> None:
    """`/start ch_<code>`: register as /start does, then follow the channel."""
    await user.start(update, context)
    code = (context.args or [""])[0][len(LINK_PREFIX):]
    await join(update, context, code)


async def join(update: Update, context: BotContext, code: str) -> None:
    """Subscribe the caller; say what they copy, and what still keeps them from trading."""
    facade, lang, me = context.facade, context.lang, context.me
    channel = await facade.channels.find(code)
    if channel is None:
        await reply(update, context.tr("sub.unknown", code=ltr(lang, code[:32])))
        return
    account = await facade.account(me.id)
    if account is None:  # /start ch_<code> registers first: this is never reached
        await reply(update, context.tr("auth.register_first"))
        return
    subscription, new = await facade.channels.subscribe(channel, me.id)
    who, settings = account
    lines = [context.tr("sub.joined" if new else "sub.already", name=channel.name,
                        code=ltr(lang, channel.code)),
             sizing_text(lang, subscription, settings)]
    if not who.is_active:
        lines.append(context.tr("sub.not_approved"))
    elif settings.account_type != AccountType.PAPER \
            and settings.account_type not in await facade.key_accounts(me.id):
        account_type = settings.account_type
        lines.append(context.tr("sub.no_keys", account=ltr(lang, account_type),
                                keys=ltr(lang, f"/keys {account_type} <api_key> <api_secret>")))
    lines.append(context.tr("sub.how_to_change", command=ltr(lang, f"/copy {channel.code}")))
    await reply(update, "\n".join(lines), copy_keyboard(lang, channel, subscription))


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    """Stop following a channel: /unsubscribe <code>."""
    args = context.args or []
    if len(args) != 1:
        await reply(update, context.tr("unsub.usage"))
        return
    await reply(update, await _leave(context, args[0]))


async def _leave(context: BotContext, code: str) -> str:
    channel = await context.facade.channels.find(code)
    lang = context.lang
    if channel is None:
        return context.tr("sub.unknown", code=ltr(lang, code[:32]))
    if not await context.facade.channels.unsubscribe(channel, context.me.id):
        return context.tr("unsub.not_following", name=channel.name,
                          code=ltr(lang, channel.code))
    return context.tr("unsub.done", name=channel.name, code=ltr(lang, channel.code))


async def channels_command(update: Update, context: BotContext) -> None:
    """The channels the caller follows (with a button each); an admin's own channels too."""
    facade, lang, me = context.facade, context.lang, context.me
    followed = await facade.channels.subscriptions(me.id)
    settings = me.settings
    lines = [context.tr("channels.following" if followed else "channels.none")]
    buttons = []
    for channel, subscription in followed:
        lines.append(context.tr("channels.line", name=channel.name,
                                code=ltr(lang, channel.code),
                                sizing=Html(sizing_text(lang, subscription, settings))))
        buttons.append([InlineKeyboardButton(context.tr("channels.button", name=channel.name),
                                             callback_data=f"{SUB_AREA}:menu:{channel.code}")])
    if me.is_admin:
        owned = await facade.channels.owned_by(me.id)
        lines += ["", context.tr("channels.running" if owned else "channels.running_none")]
        lines += [context.tr("channels.owned_line", name=channel.name,
                             code=ltr(lang, channel.code), count=ltr(lang, f"{count:,}"),
                             paused=context.tr("channels.paused") if channel.paused else "")
                  for channel, count in owned]
    await reply(update, "\n".join(lines), InlineKeyboardMarkup(buttons) if buttons else None)


# --- /copy and its buttons ----------------------------------------------------------------------

async def copy_command(update: Update, context: BotContext) -> None:
    """Set how a channel is copied: /copy <code> [amount=…] [leverage=…] [mode=…]."""
    args = context.args or []
    if not args:
        await reply(update, context.tr("copy.usage"))
        return
    found = await _subscription(update, context, args[0])
    if found is None:
        return
    channel, subscription = found
    try:
        changes = parse_copy(args[1:], context.facade.limits, channel.code)
    except CopyRefused as refused:
        await reply(update, refused.text(context.lang))
        return
    if changes:
        stored = await context.facade.channels.set_copy(replace(subscription, **changes))
        subscription = stored or subscription
    await reply(update, _copy_text(context, channel, subscription, bool(changes)),
                copy_keyboard(context.lang, channel, subscription))


async def _subscription(update: Update, context: BotContext,
                        code: str) -> tuple[Channel, Subscription] | None:
    """The caller's subscription to the channel, or None after saying what to do."""
    lang = context.lang
    channel = await context.facade.channels.find(code)
    if channel is None:
        await reply(update, context.tr("sub.unknown", code=ltr(lang, code[:32])))
        return None
    subscription = await context.facade.channels.subscription(channel, context.me.id)
    if subscription is None or not subscription.active:
        await reply(update, context.tr("copy.not_following", name=channel.name,
                                       code=ltr(lang, channel.code)))
        return None
    return channel, subscription


def _copy_text(context: BotContext, channel: Channel, subscription: Subscription,
               changed: bool) -> str:
    lang = context.lang
    head = context.tr("copy.changed" if changed else "copy.current", name=channel.name,
                      code=ltr(lang, channel.code))
    return "\n".join([head, sizing_text(lang, subscription, context.me.settings),
                      context.tr("copy.usage_short", command=ltr(lang, f"/copy {channel.code}"))])


async def subscription_button(update: Update, context: BotContext) -> None:
    """A subscription's buttons: its menu, a sizing or mode choice, Unsubscribe."""
    query = update.callback_query
    assert query is not None
    await query.answer()  # answer first, or some clients keep the button spinning
    args = button_args(query)
    channel = await context.facade.channels.find(args[1]) if len(args) >= 2 else None
    subscription = None
    if channel is not None:
        subscription = await context.facade.channels.subscription(channel, context.me.id)
    if channel is None or subscription is None or not subscription.active:
        await edit(query, context.tr("button.expired"))
        return
    if args[0] == "leave":
        await edit(query, await _leave(context, channel.code))
        return
    changed = False
    if args[0] == "set" and len(args) == 4:
        try:
            changes = parse_copy([f"{args[2]}={args[3]}"], context.facade.limits, channel.code)
        except CopyRefused:
            changes = {}
        if changes:
            subscription = await context.facade.channels.set_copy(
                replace(subscription, **changes)) or subscription
            changed = True
    await edit(query, _copy_text(context, channel, subscription, changed),
               copy_keyboard(context.lang, channel, subscription))


# --- Execute / Skip ----------------------------------------------------------------------------

async def confirm_button(update: Update, context: BotContext) -> None:
    """Execute or Skip under a confirm-mode question; late or second presses change nothing
    (and say so, in the message and in the answer a press shows)."""
    query = update.callback_query
    assert query is not None
    args = button_args(query)
    if len(args) != 2 or args[0] not in ("x", "s") or not args[1].isdigit():
        await query.answer()
        await edit(query, context.tr("button.expired"))
        return
    signal_id, channels = int(args[1]), context.facade.channels
    if args[0] == "x":
        status = await channels.confirm(context.me.id, signal_id)
        answer = "confirm.executing" if status == SignalStatus.QUEUED else None
    else:
        status = await channels.skip(context.me.id, signal_id)
        answer = "confirm.skipped" if status == SignalStatus.SKIPPED else None
    if answer is None:
        answer = {SignalStatus.EXPIRED: "confirm.expired", SignalStatus.SKIPPED:
                  "confirm.was_skipped", None: "button.expired"}.get(status, "confirm.answered")
    text = context.tr(answer, id=signal_id, seconds=ltr(context.lang, channels.max_signal_age_s))
    # One database write before the answer: the press's own answer says what it did.
    await query.answer(html.unescape(re.sub(r"<[^>]+>", "", text))[:200])
    await edit(query, text)
