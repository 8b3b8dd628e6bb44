"""What the trader holds and did: /balance, /trades (paged, in the trader's time zone), /chart
(/positions: positions.py)."""

from __future__ import annotations

import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.db import SignalRecord
from bot.handlers import timezones
from bot.handlers.common import BotContext, action_text, button_args, edit, money, reply
from bot.i18n import Html, ltr
from bot.i18n.bidi import shorten
from bot.i18n.results import record_line
from bot.outcomes import Outcome
from bot.vocabulary import OutcomeKind, SignalStatus

TRADES_PAGE = 10
MAX_PAGE = 49  # 500 signals back: the journal is read from the newest to the page shown
DETAIL_CHARS = 280
AREA = "trades"  # trades:<page>


async def balance(update: Update, context: BotContext) -> None:
    """Show the USDT balance of the account in use."""
    facade, me, tr = context.facade, context.me, context.tr
    assert me.settings is not None
    account = me.settings.account_type
    usdt = await facade.balance(me.id, account)
    await reply(update, tr("balance.text", account=tr(f"account.{account}"),
                           total=money(usdt.total), available=money(usdt.available)))


async def chart(update: Update, context: BotContext) -> None:
    """Send the PnL picture (and a symbol's trades on its price line) as a PNG."""
    symbol = context.args[0] if context.args else None
    png = await context.facade.chart_png(context.me.id, symbol)  # BadSignal: on_error replies
    message = update.effective_message
    if message is not None:
        await message.reply_photo(photo=png, caption=context.tr("chart.caption"))


async def trades(update: Update, context: BotContext) -> None:
    """List the last signals with their outcome, refused ones included, and why."""
    text, keyboard = await trades_page(context, 0)
    await reply(update, text, keyboard)


async def trades_button(update: Update, context: BotContext) -> None:
    """Turn a page of /trades (trades:<page>, 0 the newest)."""
    query = update.callback_query
    assert query is not None
    await query.answer()  # answer first, or some clients keep the button spinning
    args = button_args(query)
    page = int(args[0]) if len(args) == 1 and args[0].isdecimal() else 0
    text, keyboard = await trades_page(context, min(page, MAX_PAGE))
    await edit(query, text, keyboard)


async def trades_page(context: BotContext, page: int
                      ) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the journal, newest first, in the trader's time zone."""
    me = context.me
    settings = await context.facade.settings(me.id)
    start = page * TRADES_PAGE
    rows = await context.facade.recent_signals(me.id, start + TRADES_PAGE + 1)
    more, records = len(rows) > start + TRADES_PAGE, rows[start:start + TRADES_PAGE]
    if not records:
        return context.tr("trades.none" if page == 0 else "trades.no_more"), None
    lang, zone = context.lang, settings.timezone
    lines = [context.tr("trades.page_title", first=ltr(lang, start + 1),
                        last=ltr(lang, start + len(records)),
                        tz=ltr(lang, timezones.label(zone)))]
    now = time.time()
    lines += [trade_line(context, record, zone, now) for record in records]
    buttons = []
    if page > 0:
        buttons.append(InlineKeyboardButton(context.tr("button.newer"),
                                            callback_data=f"{AREA}:{page - 1}"))
    if more and page < MAX_PAGE:
        buttons.append(InlineKeyboardButton(context.tr("button.older"),
                                            callback_data=f"{AREA}:{page + 1}"))
    return "\n\n".join(lines), InlineKeyboardMarkup([buttons]) if buttons else None


STATUS_LABELS = {"done": ("✅", "status.done"), "failed": ("❌", "status.failed"),
                 "rejected": ("⛔", "status.rejected"), "expired": ("⌛", "status.expired"),
                 "duplicate": ("♻️", "status.duplicate"), "queued": ("⏳", "status.queued"),
                 "processing": ("⏳", "status.processing")}


# A done signal that placed nothing says so, by what it came to (the journal keeps it).
KIND_LABELS = {OutcomeKind.SKIPPED: ("⏭", "trades.skipped"),
               OutcomeKind.NOTHING_TO_CLOSE: ("ℹ️", "trades.nothing")}


def label(record: SignalRecord) -> tuple[str, str]:
    """The mark and catalog key of a row's outcome: what a done signal came to where it did
    nothing, else its status."""
    if record.status == SignalStatus.DONE:
        outcome = Outcome.from_json(record.outcome_json)
        if outcome is not None and outcome.kind in KIND_LABELS:
            return KIND_LABELS[outcome.kind]
    return STATUS_LABELS.get(record.status, ("•", f"status.{record.status}"))


def _action(lang: str, action: str) -> Html:
    """The alert's action in the reader's words (close → إغلاق); one no catalog knows, as sent."""
    shown = action_text(lang, action)
    return shown if isinstance(shown, Html) else ltr(lang, shown)


def trade_line(context: BotContext, record: SignalRecord, zone: str, now: float) -> str:
    """One journal row: when (in the trader's zone), what, its outcome and why."""
    when = timezones.local(record.received_at, zone)
    same_day = when.date() == timezones.local(now, zone).date()
    signal, lang = record.signal, context.lang
    # Written from the row's data, in their words; ten must fit Telegram's 4096 characters.
    detail = shorten(record_line(lang, record), DETAIL_CHARS)
    mark, key = label(record)
    what = (Html(f"{_action(lang, signal.action)} {ltr(lang, signal.symbol)}") if signal
            else context.tr("trades.unreadable"))
    return context.tr(
        "trades.entry", id=ltr(lang, record.id), mark=mark,
        when=ltr(lang, when.strftime("%H:%M" if same_day else "%m-%d %H:%M")), what=what,
        status=context.tr(key),
        detail=Html("\n" + context.tr("trades.detail", detail=detail)) if detail
        else "")
