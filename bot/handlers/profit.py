"""/profit: realised futures PnL after fees, closing trades, win rate, best and worst symbol —
over all time and the last 7 days, for the account in use (paper included).

How it is counted is `bot.handlers.facade.Profit`'s rule, and the message ends by saying it.
"""

from __future__ import annotations

import time
from decimal import ROUND_HALF_UP, Decimal

from telegram import Update

from bot.handlers.common import BotContext, reply
from bot.handlers.facade import Profit
from bot.i18n import ltr
from bot.i18n.numbers import duration, pnl_text, usdt

WEEK_DAYS = 7


async def profit_command(update: Update, context: BotContext) -> None:
    """Show realised PnL after fees, all time and the last 7 days."""
    facade, me, tr, lang = context.facade, context.me, context.tr, context.lang
    assert me.settings is not None
    account = me.settings.account_type
    everything = await facade.profit(me.id, account)
    lines = [tr("profit.title", account=tr(f"account.{account}"))]
    if not everything.closing_trades and not everything.fees:
        lines.append(tr("profit.none"))
        await reply(update, "\n".join(lines))
        return
    week = await facade.profit(me.id, account, time.time() - WEEK_DAYS * 86400)
    lines += period(context, tr("profit.all_time"), everything)
    lines += period(context, tr("profit.last_days", days=duration(lang, WEEK_DAYS, "day")), week)
    lines += ["", tr("profit.rule")]
    await reply(update, "\n".join(lines))


def period(context: BotContext, name: str, profit: Profit) -> list[str]:
    """One period's lines: net after fees, closing trades and wins, best and worst symbol."""
    tr, lang = context.tr, context.lang
    lines = ["", tr("profit.net", period=name, net=pnl_text(lang, profit.net),
                    fees=ltr(lang, usdt(profit.fees)))]
    rate = profit.win_rate
    if rate is None:
        lines.append(tr("profit.no_closing"))
        return lines
    percent = rate.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    lines.append(tr("profit.trades", count=ltr(lang, profit.closing_trades),
                    wins=ltr(lang, profit.wins), rate=ltr(lang, f"{percent}%")))
    for key, found in (("profit.best", profit.best), ("profit.worst", profit.worst)):
        if found is not None:  # the symbol, then its PnL as every PnL: a word and a number
            symbol, pnl = found
            lines.append(tr(key, symbol=ltr(lang, symbol), pnl=pnl_text(lang, pnl)))
    return lines
