"""Format signal reports for Telegram: one message per signal, in the reader's language.

A report is a `SignalFinished` — data — and is written here, when it is sent. Done: what was
traded (symbol, side, qty, average price, leverage, account; a close's PnL after its fee).
Not done: why, the error's sentence with its fix in the reader's language
(`render_failure`). A report rebuilt from the journal after a restart is the same data, so it
reads the same. Legacy /webhook signals go to the admins. An action the trader took in
Telegram (route `telegram`) says so first. A futures position just opened (or reversed) gets
buttons: Close (all of it, after a confirmation) and Positions.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db import SignalRecord
from bot.db.channel_expansion import CHANNEL_ROUTE
from bot.db.orders import OrderRecord
from bot.errors import Failure
from bot.handlers.channel_views import channel_message, from_channel
from bot.handlers.common import action_text, number, user_language
from bot.handlers.facade import HandlerFacade
from bot.handlers.position_view import AREA, PositionKey
from bot.i18n import Html, ltr, t
from bot.i18n.errors import render_failure
from bot.i18n.numbers import pnl_text, usdt
from bot.i18n.results import result_line
from bot.models import LEGACY_USER_ID
from bot.outcomes import Outcome, SignalFinished
from bot.vocabulary import Category, Leg, OutcomeKind, Side, SignalStatus

log = logging.getLogger(__name__)

TELEGRAM_ROUTE = "telegram"  # an action from Telegram (bot/facades.py journals these)
ReportMessage = tuple[int, str, InlineKeyboardMarkup | None]  # chat, HTML text, buttons

# bot/trading/paper_triggers.py journals the closes these fire on paper accounts
TRIGGER_ROUTES = ("take_profit", "stop_loss", "trailing_stop")


def report_from_record(record: SignalRecord) -> SignalFinished:
    """The report of a finished journal row, from the data it keeps (after a restart)."""
    at = record.finished_at or record.received_at
    outcome = Outcome.from_json(record.outcome_json)
    if outcome is not None:
        return SignalFinished(record.id, record.user_id, record.route, record.signal, outcome,
                              at=at)
    # A row from before outcomes were stored: its status, its code, and its English line.
    failure = record.failure or (Failure(record.error_code) if record.error_code else None)
    signal = record.signal
    kind = {SignalStatus.DONE: OutcomeKind.CLOSED,  # its kind was not kept: its line says
            SignalStatus.EXPIRED: OutcomeKind.EXPIRED}.get(record.status, OutcomeKind.FAILED)
    outcome = Outcome(record.status, kind, signal.symbol if signal else "",
                      action=signal.action if signal else None, failure=failure)
    return SignalFinished(record.id, record.user_id, record.route, signal, outcome, at=at,
                          stored_line=record.result or record.error)


async def format_report(facade: HandlerFacade, report: SignalFinished) -> list[ReportMessage]:
    """Return (chat_id, HTML text, buttons or None) for each reader of a report."""
    if report.route == CHANNEL_ROUTE:
        return [await _channel_report(facade, report)]
    chats = [report.user_id]
    if report.route == "legacy":
        chats = sorted(await facade.admin_ids())
        if report.user_id != LEGACY_USER_ID and report.user_id not in chats:
            chats.append(report.user_id)
        if not chats:
            log.info("signal=%s legacy signal finished; no admin to tell", report.signal_id)
    messages: list[ReportMessage] = []
    for chat in chats:
        lang = await user_language(facade, chat)
        markup = buttons(report, lang) if chat == report.user_id else None
        messages.append((chat, render(report, lang), markup))
    return messages


async def _channel_report(facade: HandlerFacade, report: SignalFinished) -> ReportMessage:
    """A channel's signal, for its subscriber: the question (confirm mode), the refusal, or
    the result — each under the channel's name."""
    lang = await user_language(facade, report.user_id)
    channel = await facade.channels.channel_of_signal(report.signal_id)
    if channel is None:  # the channel's rows are never deleted; keep the message anyway
        return report.user_id, render(report, lang), buttons(report, lang)
    account = await facade.account(report.user_id)
    settings = account[1] if account is not None else None
    special = channel_message(lang, report, channel, settings,
                              facade.channels.max_signal_age_s)
    if special is not None:
        return report.user_id, special[0], special[1]
    text = from_channel(lang, channel) + "\n" + render(report, lang)
    return report.user_id, text, buttons(report, lang)


def buttons(report: SignalFinished, lang: str) -> InlineKeyboardMarkup | None:
    """Close and Positions under a futures position just opened (or reversed into)."""
    outcome = report.outcome
    if (report.status != SignalStatus.DONE or report.route == "legacy"
            or outcome.kind not in (OutcomeKind.OPENED, OutcomeKind.REVERSED)):
        return None
    opening = next((leg for leg in outcome.legs
                    if leg.leg == Leg.OPEN and leg.category == Category.LINEAR), None)
    if opening is None:
        return None
    key = PositionKey(opening.account_type, opening.symbol, opening.side)  # any size
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t(lang, "button.close"), callback_data=key.data("x")),
        InlineKeyboardButton(t(lang, "button.positions"), callback_data=f"{AREA}:list"),
    ]])


def _exit_lines(lang: str, outcome: Outcome) -> list[str]:
    """The exits an opening placed, and what could not be placed."""
    exits, lines = outcome.exits, []

    def num(value: Decimal) -> Html:
        return ltr(lang, number(value))

    if exits is not None:
        if exits.stop_loss is not None:
            lines.append(t(lang, "report.exit_stop", price=num(exits.stop_loss)))
        if exits.take_profit is not None:
            lines.append(t(lang, "report.exit_take", price=num(exits.take_profit)))
        for target in exits.targets:
            lines.append(t(lang, "report.exit_target", n=target.n, qty=num(target.qty),
                           price=num(target.price)))
        if exits.trailing is not None:
            start = "" if exits.activation is None else t(
                lang, "report.exit_from", price=num(exits.activation))
            lines.append(t(lang, "report.exit_trailing", distance=num(exits.trailing),
                           start=Html(start)))
        if exits.be_after is not None:
            lines.append(t(lang, "report.exit_be", n=exits.be_after))
    lines += [t(lang, "report.exit_note", note=render_failure(lang, note))
              for note in outcome.exit_notes]
    return lines


def render(report: SignalFinished, lang: str) -> str:
    """The whole message about one signal."""
    signal, outcome = report.signal, report.outcome
    values: dict[str, Any] = {"id": report.signal_id, "symbol": report.symbol,
                              "action": action_text(lang, signal.action if signal
                                                    else outcome.action)}
    legs = list(outcome.legs)
    if report.status == SignalStatus.DONE and legs:
        lines = [t(lang, "report.done", **values)]
        lines += [_leg(lang, report, leg) for leg in legs]
        if outcome.closed_all_instead:  # a share was asked: say why all of it closed
            lines.append(t(lang, "report.all_of_it", share=number(outcome.close_share)))
        lines.append(_account_line(lang, report, legs))
        lines += _exit_lines(lang, outcome)
    elif report.kind == OutcomeKind.PROTECTED:
        lines = [t(lang, "report.done", **values)]
        if outcome.stop_loss is not None:
            lines.append(t(lang, "report.exit_stop", price=number(outcome.stop_loss)))
        if outcome.trailing is not None:
            lines.append(t(lang, "report.exit_trailing", distance=number(outcome.trailing),
                           start=""))
    elif report.kind == OutcomeKind.SKIPPED:  # pyramiding off, or `kept`: a partial exit
        side = outcome.held_side or Side.BUY
        lines = [t(lang, "report.kept" if outcome.kept else "report.skipped", **values,
                   size=number(outcome.held), side=t(lang, f"side.{side.direction}"))]
    elif report.status == SignalStatus.DONE and report.kind == OutcomeKind.NOTHING_TO_CLOSE:
        # Which position was missing: a close_long with a short open must not read "none".
        lines = [t(lang, "report.nothing", **values, reason=result_line(lang, outcome))]
    elif report.status == SignalStatus.DONE:
        line = report.stored_line or result_line(lang, outcome)
        lines = [t(lang, "report.done", **values), t(lang, "report.summary", summary=line)]
    else:
        head = "report.expired" if report.status == SignalStatus.EXPIRED else "report.failed"
        lines = [t(lang, head, **values)]
        lines += [_leg(lang, report, leg) for leg in legs]  # what went out before it failed
        lines.append(t(lang, "report.reason", reason=reason(lang, report)))
    if report.route == "legacy":
        lines.insert(0, t(lang, "report.legacy"))
    elif report.route == TELEGRAM_ROUTE:
        lines.insert(0, t(lang, "report.telegram"))
    elif report.route in TRIGGER_ROUTES:  # a take-profit, stop-loss or trailing stop closed it
        price = number(signal.price) if signal is not None else "?"
        lines.insert(0, t(lang, f"report.{report.route}", price=price))
    return "\n".join(lines)


def reason(lang: str, report: SignalFinished) -> str:
    """Why it was not (fully) done, with what to do, in the reader's language."""
    failure = report.failure
    if failure is None:
        return report.stored_line or t(lang, f"status.{report.status}")
    return render_failure(lang, failure, fallback=report.stored_line)


def _leg(lang: str, report: SignalFinished, leg: OrderRecord) -> str:
    qty = number(leg.filled_qty or leg.qty)
    price = number(leg.avg_price)
    if leg.category == Category.SPOT:
        key = "report.leg_bought" if leg.side == Side.BUY else "report.leg_sold"
        return t(lang, key, qty=qty, symbol=leg.symbol, price=price)
    if leg.reduce_only:
        pnl, net = "", leg.pnl_after_fee
        if net is not None:  # the close's realised PnL minus its own fee, and the fee
            pnl = t(lang, "report.pnl_after_fees", pnl=pnl_text(lang, net),
                    fee=usdt(leg.fees))
        closed = leg.side.opposite  # closing a long sells
        return t(lang, "report.leg_closed", side=t(lang, f"side.{closed.direction}"), qty=qty,
                 symbol=leg.symbol, price=price, pnl=Html(pnl))
    # A leg found at Bybit after a restart carries no leverage: said without one, not as "?x".
    leverage = leg.leverage or report.outcome.leverage
    key = "report.leg_opened" if leverage else "report.leg_opened_bare"
    return t(lang, key, side=t(lang, f"side.{leg.side.direction}"), qty=qty,
             symbol=leg.symbol, price=price, leverage=leverage)


def _account_line(lang: str, report: SignalFinished, legs: list[OrderRecord]) -> str:
    account = report.outcome.account or legs[0].account_type
    market = "spot" if legs[0].category == Category.SPOT else "futures"
    return t(lang, "report.account", account=t(lang, f"account.{account}"),
             market=t(lang, f"market.{market}"))

