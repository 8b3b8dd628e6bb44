"""One futures position as the trader sees it in Telegram: its card, its buttons, and the key
its buttons carry.

Position buttons carry callback data `pos:<action>:<account>:<symbol>:<side>:<size>[:…]`
(account `p|d|r`, side `B|S`): the position the keyboard was made for. A press re-reads the
position first and does nothing but show it again if it is gone or its side or size changed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.orders import OrderRecord
from bot.db.plans import PositionPlan
from bot.errors import BotError
from bot.handlers.common import BotContext, edit
from bot.handlers.positions_plan import plan_lines, plans_of
from bot.i18n import Html, ltr, t
from bot.i18n.numbers import (
    duration,
    pnl_text,
    price_text,
    qty_text,
    signed_percent,
    usdt,
)
from bot.trading.models import InstrumentRules, Position
from bot.vocabulary import AccountType, Category, OrderStatus, Side
from bot.wire import plain

AREA = "pos"
CLOSE_SHARES = (25, 50, 75, 100)
ORDERS_LOOKBACK = 200  # orders scanned for when a position was opened
_ACCOUNTS = {"p": AccountType.PAPER, "d": AccountType.DEMO, "r": AccountType.REAL}
_SIDES = {"B": Side.BUY, "S": Side.SELL}


@dataclass(frozen=True)
class PositionKey:
    """What a position button was made for: the account, the symbol, the side and the size."""

    account: str
    symbol: str
    side: Side
    size: Decimal | None = None  # None: whatever the position's size is now (trade messages)

    @staticmethod
    def of(account: str, position: Position) -> PositionKey:
        return PositionKey(account, position.symbol, position.side, position.size)

    def data(self, action: str, *extra: object) -> str:
        """The callback data of one of this position's buttons (at most 64 bytes)."""
        parts = [AREA, action, str(self.account)[0], self.symbol, str(self.side)[0]]
        if self.size is not None:
            parts.append(plain(self.size))
        return ":".join(parts + [str(value) for value in extra])

    @staticmethod
    def parse(parts: list[str], *, sized: bool = True) -> tuple[PositionKey, list[str]] | None:
        """`[account, symbol, side, size, extra…]` (after `pos:<action>:`) → key and extras."""
        needed = 4 if sized else 3
        if len(parts) < needed or parts[0] not in _ACCOUNTS or parts[2] not in _SIDES:
            return None
        size = None
        if sized:
            try:
                size = Decimal(parts[3])
            except ArithmeticError:
                return None
        return (PositionKey(_ACCOUNTS[parts[0]], parts[1], _SIDES[parts[2]], size),
                parts[needed:])

    def matches(self, position: Position) -> bool:
        return (position.symbol == self.symbol and position.side == self.side
                and (self.size is None or position.size == self.size))


# --- reading -------------------------------------------------------------------------------

async def symbol_rows(context: BotContext, account: str, symbol: str) -> list[Position]:
    """The open futures rows of one symbol on the account (two in hedge mode at most)."""
    rows = await context.facade.open_positions(context.me.id, account)
    return [position for position in rows if position.symbol == symbol]


async def current(context: BotContext, key: PositionKey) -> Position | None:
    """The position the key names as it is now: same account, symbol and side (any size)."""
    me = context.me
    assert me.settings is not None
    if me.settings.account_type != key.account:  # the trader switched accounts since
        return None
    rows = await symbol_rows(context, key.account, key.symbol)
    return next((position for position in rows if position.side == key.side), None)


async def rules_or_none(context: BotContext, account: str, symbol: str
                        ) -> InstrumentRules | None:
    """The symbol's rules for formatting; a card still shows when they cannot be read."""
    try:
        return await context.facade.instrument(context.me.id, account, symbol)
    except BotError:
        return None


def opened_at(position: Position, account: str, orders: list[OrderRecord]) -> float | None:
    """When the position's first order filled, from the bot's orders (newest first).

    Undo the fills one by one from the size now; the order before which the position was flat
    (or faced the other way) opened it. None when the orders do not reach back that far, or
    the position was not (only) made by this bot.
    """
    hedge = position.position_idx in (1, 2)
    after = position.size if position.side == Side.BUY else -position.size
    for order in orders:
        filled = order.filled_qty or Decimal(0)
        if (order.account_type != account or order.category != Category.LINEAR
                or order.symbol != position.symbol or filled <= 0
                or order.status not in (OrderStatus.FILLED, OrderStatus.PARTIAL)):
            continue
        if hedge and (order.side == position.side) == order.reduce_only:
            continue  # in hedge mode only this side's opens and closes move it
        before = after - (filled if order.side == Side.BUY else -filled)
        if before == 0 or (before > 0) != (after > 0):
            return order.created_at
        after = before
    return None


# --- writing -------------------------------------------------------------------------------

def held_text(lang: str, seconds: float) -> str:
    """How long a position has been open, in its two largest units: 2 days 3 hours."""
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    first = next((i for i, (n, _) in enumerate(parts) if n), len(parts) - 1)
    shown = [parts[first]] + [part for part in parts[first + 1:first + 2] if part[0]]
    words = [duration(lang, n, unit) for n, unit in shown]
    if len(words) == 1:
        return words[0]
    return t(lang, "held.pair", first=Html(words[0]), second=Html(words[1]))


def card(lang: str, position: Position, rules: InstrumentRules | None,
         opened: float | None, plans: list[PositionPlan] | None = None) -> str:
    """The position's lines: side, size and value, prices, PnL, exits, its plans' targets
    and break-even, time held."""
    tick = rules.tick_size if rules is not None else None
    p = position
    price = p.mark_price or p.avg_price
    lines = [
        t(lang, "position.head", symbol=ltr(lang, p.symbol),
          side=t(lang, f"side.{p.side.direction}"),
          leverage=ltr(lang, f"{plain(p.leverage)}x" if p.leverage else "?")),
        t(lang, "position.size", size=ltr(lang, qty_text(p.size)),
          value=ltr(lang, usdt(p.size * price))),
        t(lang, "position.prices", entry=ltr(lang, price_text(p.avg_price, tick)),
          mark=ltr(lang, price_text(p.mark_price, tick))),
    ]
    if p.unrealised_pnl is not None:
        roe = p.return_on_margin
        lines.append(t(lang, "position.pnl", pnl=pnl_text(lang, p.unrealised_pnl),
                       pct=ltr(lang, signed_percent(roe) if roe is not None else "—")))
    else:
        lines.append(t(lang, "position.pnl_unknown"))
    lines.append(t(lang, "position.exits", liq=ltr(lang, price_text(p.liq_price, tick)),
                   tp=ltr(lang, price_text(p.take_profit, tick)),
                   sl=ltr(lang, price_text(p.stop_loss, tick))))
    lines += plan_lines(lang, plans_of(p, plans or []), tick)
    if opened is not None:
        lines.append(t(lang, "position.held",
                       held=Html(held_text(lang, max(0.0, time.time() - opened)))))
    return "\n".join(lines)


def keyboard(lang: str, key: PositionKey) -> InlineKeyboardMarkup:
    """Close 25/50/75/100 %, stop-loss to break-even, trailing stop, refresh."""
    closes = [InlineKeyboardButton(t(lang, "button.close_share" if share == CLOSE_SHARES[0]
                                     else "button.share", share=share),
                                   callback_data=key.data("c", share))
              for share in CLOSE_SHARES]
    return InlineKeyboardMarkup([
        closes,
        [InlineKeyboardButton(t(lang, "button.break_even"), callback_data=key.data("be")),
         InlineKeyboardButton(t(lang, "button.trailing"), callback_data=key.data("tr"))],
        [InlineKeyboardButton(t(lang, "button.refresh"), callback_data=key.data("r"))],
    ])


async def card_and_keyboard(context: BotContext, account: str, position: Position,
                            orders: list[OrderRecord] | None = None,
                            plans: list[PositionPlan] | None = None
                            ) -> tuple[str, InlineKeyboardMarkup]:
    """A position's card (its rules, first order and plans read) and its buttons."""
    if orders is None:
        orders = await context.facade.recent_orders(context.me.id, ORDERS_LOOKBACK)
    if plans is None:
        plans = await context.facade.open_plans(context.me.id, account)
    rules = await rules_or_none(context, account, position.symbol)
    text = card(context.lang, position, rules, opened_at(position, account, orders), plans)
    return text, keyboard(context.lang, PositionKey.of(account, position))


def gone_text(context: BotContext, key: PositionKey) -> str:
    """The line for a position that is not open any more — or that is on an account the
    trader no longer uses (it may well be open there: it is not said to be closed)."""
    me, lang = context.me, context.lang
    assert me.settings is not None
    side = context.tr(f"side.{key.side.direction}")
    if me.settings.account_type != key.account:
        return context.tr("position.other_account", side=side, symbol=ltr(lang, key.symbol),
                          account=context.tr(f"account.{key.account}"),
                          now=context.tr(f"account.{me.settings.account_type}"),
                          command=ltr(lang, f"/set account {key.account}"))
    return context.tr("position.closed", symbol=ltr(lang, key.symbol), side=side)


async def show_changed(query: CallbackQuery, context: BotContext, key: PositionKey, *,
                       refreshing: bool = False, note: str | None = None) -> None:
    """Show the position as it is now in place of the button's message.

    Unless refreshing, say first that it changed (or closed): the press did nothing else.
    """
    me = context.me
    assert me.settings is not None
    position = await current(context, key)
    if note is None:
        changed = refreshing or me.settings.account_type != key.account
        note = "" if changed else context.tr("position.changed")
    head = note + "\n\n" if note else ""
    if position is None:
        await edit(query, head + gone_text(context, key))
        return
    text, markup = await card_and_keyboard(context, me.settings.account_type, position)
    await edit(query, head + text, markup)
