"""What the trader holds and did: /balance, /trades, /chart (/positions: positions.py)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from telegram import Update

from bot.db import SignalRecord
from bot.handlers.common import BotContext, money, reply
from bot.i18n import Html
from bot.notify import escape

RECENT_TRADES = 10
DETAIL_CHARS = 280


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
    records = await context.facade.recent_signals(context.me.id, RECENT_TRADES)
    if not records:
        await reply(update, context.tr("trades.none"))
        return
    lines = [context.tr("trades.title", count=len(records))]
    lines += [trade_line(context, record) for record in records]
    await reply(update, "\n\n".join(lines))


STATUS_MARKS = {"done": "✅", "failed": "❌", "rejected": "⛔", "expired": "⌛",
                "duplicate": "♻️", "queued": "⏳", "processing": "⏳"}


def trade_line(context: BotContext, record: SignalRecord) -> str:
    """One journal row: when, what, its outcome and why."""
    when = datetime.fromtimestamp(record.received_at, UTC)
    same_day = time.time() - record.received_at < 86400
    signal = record.signal
    detail = record.result or record.error or ""
    if len(detail) > DETAIL_CHARS:  # ten of them must fit Telegram's 4096 characters
        detail = detail[:DETAIL_CHARS - 1] + "…"
    return context.tr(
        "trades.line", id=record.id, mark=STATUS_MARKS.get(record.status, "•"),
        when=when.strftime("%H:%M" if same_day else "%m-%d %H:%M"),
        what=f"{signal.action} {signal.symbol}" if signal else context.tr("trades.unreadable"),
        status=context.tr(f"status.{record.status}"),
        detail=Html("\n" + escape(detail)) if detail else "")
