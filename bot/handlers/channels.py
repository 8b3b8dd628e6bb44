"""A channel's admin: `/channel new|url|rotate|pause|resume|stats|post` and the rotate button.

Admins only (the registry says so). A channel is managed by the admin who made it, and by the
admins config.yaml names; the webhook URL (it trades for every subscriber) is shown to them
alone, on a copyable line of its own, like /webhook's.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.db.channel_alerts import AlertStats
from bot.db.channels import Channel
from bot.handlers.common import BotContext, button_args, edit, reply, user_language
from bot.i18n import Html, ltr, t
from bot.i18n.numbers import pnl_text

log = logging.getLogger(__name__)

AREA = "chn"  # the channel admin's buttons
NAME_MAX = 64
POST_MAX = 3500  # Telegram takes 4096 characters; the channel's name goes above the text
STATS_ALERTS = 5
SUBCOMMANDS = ("new", "url", "rotate", "pause", "resume", "stats", "post")


async def channel_command(update: Update, context: BotContext) -> None:
    """Create or manage a signal channel: /channel <subcommand> …"""
    args = context.args or []
    sub = args[0].lower() if args else ""
    if sub not in SUBCOMMANDS:
        await reply(update, context.tr("channel.usage"))
        return
    if sub == "new":
        await _new(update, context)
        return
    if len(args) < 2 or (sub != "post" and len(args) > 2):
        await reply(update, context.tr(f"channel.usage_{sub}", most=POST_MAX))
        return
    channel = await _managed(update, context, args[1])
    if channel is None:
        return
    if sub == "url":
        await reply(update, url_text(context, channel, "channel.url"))
    elif sub == "rotate":
        await _ask_rotate(update, context, channel)
    elif sub in ("pause", "resume"):
        await _pause(update, context, channel, sub == "pause")
    elif sub == "stats":
        await reply(update, await stats_text(context, channel))
    else:
        await _post(update, context, channel)


def _rest(update: Update, words: int) -> str:
    """The message's text after its first `words` words, spacing and lines kept."""
    message = update.effective_message
    parts = (message.text or "").split(maxsplit=words) if message is not None else []
    return parts[words].strip() if len(parts) > words else ""


async def _new(update: Update, context: BotContext) -> None:
    name = " ".join(_rest(update, 2).split())  # one line
    if not name or len(name) > NAME_MAX:
        await reply(update, context.tr("channel.usage_new", most=NAME_MAX))
        return
    if not context.me.registered:  # an admin from config.yaml who never sent /start
        await reply(update, context.tr("auth.register_first"))
        return
    channel = await context.facade.channels.create(context.me.id, name)
    await reply(update, url_text(context, channel, "channel.created"))


async def _managed(update: Update, context: BotContext, code: str) -> Channel | None:
    """The channel this admin may manage, or None after saying why not."""
    channel = await context.facade.channels.find(code)
    if channel is None:
        await reply(update, context.tr("channel.unknown", code=ltr(context.lang, code[:32])))
        return None
    me = context.me
    if channel.owner_id != me.id and not context.facade.is_configured_admin(me.id):
        await reply(update, context.tr("channel.not_yours", name=channel.name,
                                       code=ltr(context.lang, channel.code)))
        return None
    return channel


def join_link(context: BotContext, channel: Channel) -> str:
    """The deep link that opens the bot and subscribes: t.me/<bot>?start=ch_<code>."""
    return f"https://t.me/{context.bot.username}?start=ch_{channel.code}"


def url_text(context: BotContext, channel: Channel, head: str) -> str:
    """The channel's code and its webhook URL, each on a copyable line of its own."""
    lang = context.lang
    return t(lang, head, name=channel.name, code=channel.code,
             url=context.facade.channels.webhook_url(channel),
             link=join_link(context, channel), command=ltr(lang, f"/subscribe {channel.code}"))


async def _ask_rotate(update: Update, context: BotContext, channel: Channel) -> None:
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(context.tr("channel.rotate_yes"),
                             callback_data=f"{AREA}:rotate:{channel.code}"),
        InlineKeyboardButton(context.tr("channel.rotate_no"),
                             callback_data=f"{AREA}:keep:{channel.code}")]])
    await reply(update, context.tr("channel.rotate_ask", name=channel.name,
                                   code=ltr(context.lang, channel.code)), keyboard)


async def channel_button(update: Update, context: BotContext) -> None:
    """Rotate a channel's token, or not, from the question /channel rotate asked."""
    query = update.callback_query
    assert query is not None
    await query.answer()  # answer first, or some clients keep the button spinning
    args = button_args(query)
    if len(args) != 2 or args[0] not in ("rotate", "keep"):
        await edit(query, context.tr("button.expired"))
        return
    channel = await context.facade.channels.find(args[1])
    me = context.me
    if channel is None or (channel.owner_id != me.id
                           and not context.facade.is_configured_admin(me.id)):
        await edit(query, context.tr("button.expired"))
        return
    if args[0] == "keep":
        await edit(query, context.tr("channel.rotate_kept", name=channel.name))
        return
    channel = await context.facade.channels.rotate(channel)
    await edit(query, url_text(context, channel, "channel.rotated"))


async def _pause(update: Update, context: BotContext, channel: Channel, paused: bool) -> None:
    code = ltr(context.lang, channel.code)
    if channel.paused == paused:
        await reply(update, context.tr("channel.already_paused" if paused
                                       else "channel.already_running", name=channel.name,
                                       code=code))
        return
    await context.facade.channels.set_paused(channel, paused)
    await reply(update, context.tr("channel.paused" if paused else "channel.resumed",
                                   name=channel.name, code=code))


async def stats_text(context: BotContext, channel: Channel) -> str:
    """The channel's subscribers, their realised PnL, and what its last alerts came to."""
    lang, channels = context.lang, context.facade.channels
    subscribers = await channels.subscriber_count(channel)
    net, closes = await channels.realised(channel)
    lines = [t(lang, "channel.stats_title", name=channel.name, code=ltr(lang, channel.code)),
             t(lang, "channel.stats_subscribers", count=ltr(lang, f"{subscribers:,}")),
             t(lang, "channel.stats_pnl", pnl=pnl_text(lang, net),
               closes=ltr(lang, f"{closes:,}"))]
    if channel.paused:
        lines.append(t(lang, "channel.stats_paused", code=ltr(lang, channel.code)))
    alerts = await channels.stats(channel, STATS_ALERTS)
    if not alerts:
        lines.append(t(lang, "channel.stats_none"))
    for alert in alerts:
        lines += ["", _alert_line(lang, alert)]
    return "\n".join(lines)


def _alert_line(lang: str, alert: AlertStats) -> str:
    when = datetime.fromtimestamp(alert.received_at, UTC).strftime("%m-%d %H:%M")
    what = ltr(lang, f"{alert.action} {alert.symbol}")
    line = t(lang, "channel.stats_alert", id=alert.alert_id, what=what, when=ltr(lang, when),
             subscribers=ltr(lang, f"{alert.subscribers:,}"),
             done=ltr(lang, alert.done), failed=ltr(lang, alert.failed),
             skipped=ltr(lang, alert.skipped), awaiting=ltr(lang, alert.awaiting))
    extras = [t(lang, f"channel.stats_{name}", n=ltr(lang, value)) for name, value in
              (("running", alert.running), ("rejected", alert.rejected),
               ("expired", alert.expired)) if value]
    if alert.expanding:
        extras.append(t(lang, "channel.stats_expanding"))
    return line + (Html("\n" + " · ".join(extras)) if extras else "")


async def _post(update: Update, context: BotContext, channel: Channel) -> None:
    text = _rest(update, 3)
    if not text or len(text) > POST_MAX:
        await reply(update, context.tr("channel.usage_post", most=POST_MAX))
        return
    facade = context.facade
    subscribers = await facade.channels.subscriber_ids(channel)
    # The notifier keeps Telegram's limits: each chat's queue, and the bot's 30 a second.
    for user_id in subscribers:
        lang = await user_language(facade, user_id)
        context.notifier.send(user_id, t(lang, "channel.post", name=channel.name, text=text))
    log.info("channel=%s post by admin=%s queued for %d subscriber(s)", channel.id,
             context.me.id, len(subscribers))
    await reply(update, context.tr("channel.posted", name=channel.name,
                                   count=ltr(context.lang, f"{len(subscribers):,}")))
