"""Admin commands and buttons: approve registrations, list and (de)activate users, stats."""

from __future__ import annotations

import logging
import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.config_values import MAX_USER_ID
from bot.handlers.common import BotContext, button_args, edit, reply, user_language
from bot.handlers.views import approved_keyboard, approved_text
from bot.i18n import t
from bot.models import User, UserSettings
from bot.vocabulary import SignalStatus

log = logging.getLogger(__name__)

PAGE_SIZE = 10
DAY_S = 86400


async def request_approval(context: BotContext, user: User) -> None:
    """Send every admin the new user's request with Approve and Reject buttons."""
    admins = await context.facade.admin_ids()
    if not admins:
        log.warning("user=%s waits for approval but no admin is configured: add telegram."
                    "admin_ids, or run `python main.py users activate %s`", user.id, user.id)
    for admin_id in sorted(admins):
        lang = await user_language(context.facade, admin_id)
        keyboard = InlineKeyboardMarkup([[
            InlineKeyboardButton(t(lang, "admin.approve"), callback_data=f"adm:approve:{user.id}"),
            InlineKeyboardButton(t(lang, "admin.reject"), callback_data=f"adm:reject:{user.id}"),
        ]])
        context.notifier.send(admin_id, t(lang, "admin.request", name=user.display_name,
                                          id=user.id), reply_markup=keyboard)


async def decision_button(update: Update, context: BotContext) -> None:
    """Approve or reject a registration from the admin's request message."""
    query = update.callback_query
    assert query is not None
    await query.answer()  # answer first, or some clients keep the button spinning
    admin = context.me
    action, user_id = _action_and_id(button_args(query))
    approve, facade = action == "approve", context.facade
    before = await facade.user(user_id)
    if before is None:
        await edit(query, context.tr("admin.no_user", id=user_id))
        return
    if not approve and before.is_active:  # approved meanwhile (by another admin): a trader now
        await edit(query, context.tr("admin.already_active", name=before.display_name,
                                     id=user_id, command=f"/deactivate {user_id}"))
        return
    user = await facade.set_active(user_id, approve)
    log.info("user=%s %sd by admin=%s", user_id, action, admin.id)
    key = "admin.approved" if approve else "admin.rejected"
    await edit(query, context.tr(key, name=user.display_name, id=user.id,
                                 admin=_admin_name(update)))
    if not approve or not before.is_active:  # another admin may have approved already
        await _tell_user(context, user, approved=approve)


def _action_and_id(args: list[str]) -> tuple[str, int]:
    if len(args) == 2 and args[0] in ("approve", "reject") and args[1].isdigit():
        return args[0], int(args[1])
    raise ValueError(f"malformed admin button data: {args!r}")


def _admin_name(update: Update) -> str:
    who = update.effective_user
    return who.full_name if who is not None else "?"


async def _tell_user(context: BotContext, user: User, *, approved: bool) -> None:
    lang = await user_language(context.facade, user.id)
    if approved:
        context.notifier.send(user.id, await approved_text(context.facade, user, lang),
                              reply_markup=approved_keyboard(lang))
    else:
        context.notifier.send(user.id, t(lang, "user.deactivated"))


async def activate(update: Update, context: BotContext) -> None:
    """Approve a user: /activate <user_id>."""
    await _set_active(update, context, True)


async def deactivate(update: Update, context: BotContext) -> None:
    """Stop a user's trading and bot access: /deactivate <user_id>."""
    await _set_active(update, context, False)


async def _set_active(update: Update, context: BotContext, active: bool) -> None:
    command = "activate" if active else "deactivate"
    args = context.args or []
    # isdecimal, not isdigit: int() reads no ²; and no id above what SQLite's INTEGER holds
    if len(args) != 1 or not args[0].isdecimal() or not 0 < int(args[0]) <= MAX_USER_ID:
        await reply(update, context.tr("admin.usage", command=command))
        return
    user_id = int(args[0])
    facade = context.facade
    before = await facade.user(user_id)
    if before is None:
        await reply(update, context.tr("admin.no_user", id=user_id))
        return
    user = await facade.set_active(user_id, active)
    log.info("user=%s %sd by admin=%s", user_id, command, context.me.id)
    await reply(update, context.tr("admin.activated" if active else "admin.deactivated",
                                   name=user.display_name, id=user_id))
    if before.is_active != active:
        await _tell_user(context, user, approved=active)


async def users_command(update: Update, context: BotContext) -> None:
    """List users, a page at a time."""
    text, keyboard = await _users_page(context, 0)
    await reply(update, text, keyboard)


async def users_page_button(update: Update, context: BotContext) -> None:
    """Turn a page of the /users list."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    args = button_args(query)
    page = int(args[1]) if len(args) == 2 and args[1].isdigit() else 0
    text, keyboard = await _users_page(context, page)
    await edit(query, text, keyboard)


async def _users_page(context: BotContext, page: int
                      ) -> tuple[str, InlineKeyboardMarkup | None]:
    facade = context.facade
    counts = await facade.count_users()
    rows = await facade.list_users(offset=page * PAGE_SIZE, limit=PAGE_SIZE + 1)
    more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    if not rows:
        return context.tr("admin.users_empty"), None
    first = page * PAGE_SIZE + 1
    lines = [context.tr("admin.users_title", first=first, last=first + len(rows) - 1,
                        total=counts["total"])]
    lines += [_user_line(context, user, settings) for user, settings in rows]
    buttons = []
    if page > 0:
        buttons.append(InlineKeyboardButton(context.tr("button.prev"),
                                            callback_data=f"adm:users:{page - 1}"))
    if more:
        buttons.append(InlineKeyboardButton(context.tr("button.next"),
                                            callback_data=f"adm:users:{page + 1}"))
    return "\n".join(lines), InlineKeyboardMarkup([buttons]) if buttons else None


def _user_line(context: BotContext, user: User, settings: UserSettings) -> str:
    status = "status.active" if user.is_active else "status.waiting"
    extras = [context.tr(f"account.{settings.account_type}")]
    if user.is_admin or context.facade.is_configured_admin(user.id):
        extras.append(context.tr("status.admin"))
    if settings.pause is not None:
        extras.append(context.tr("status.paused" if settings.paused else "status.entries_paused"))
    return context.tr("admin.user_line", mark="✅" if user.is_active else "⏳", id=user.id,
                      name=user.display_name, status=context.tr(status),
                      extras=" · ".join(extras))


async def stats(update: Update, context: BotContext) -> None:
    """Show users, today's signals by outcome and the queue."""
    facade = context.facade
    counts = await facade.count_users()
    midnight = time.time() // DAY_S * DAY_S  # today, UTC
    signals = await facade.signal_counts_since(midnight)
    order = list(SignalStatus)  # queued, processing, then the final states
    outcomes = " · ".join(context.tr("stats.outcome", status=context.tr(f"status.{s}"),
                                     count=signals[s]) for s in order if signals.get(s))
    admins = len(await facade.admin_ids())
    queue = facade.queue()
    await reply(update, context.tr(
        "stats.text", total=counts["total"], active=counts["active"],
        waiting=counts["total"] - counts["active"], admins=admins,
        signals=sum(signals.values()), outcomes=outcomes or context.tr("stats.none"),
        depth=queue.depth, running=queue.running,
        backlog=context.notifier.backlog))
