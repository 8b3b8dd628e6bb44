"""`PaperExchange`: the built-in simulator, with the same rules and semantics as Bybit.

Fills happen at the live price from Bybit's public stream (the alert's price when the stream
has none, else Bybit's last price), a taker fee is charged, and the ledger lives in SQLite, so a
trader can rehearse a strategy with no keys and switch to demo or real without surprises.
Positions are one-way; their take-profits and stop-losses are carried out on the live ticks by
bot/trading/paper_triggers.py, which `on_change` tells about every fill.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Callable
from decimal import Decimal

from bot.db.core import Database
from bot.db.paper import PaperBook, PaperExits, PaperFill, PaperPosition, RestingOrder
from bot.errors import ExchangeError, ExchangeUnreachable, TradeError
from bot.trading.exchanges.base import DuplicateOrder
from bot.trading.market import MarketData
from bot.trading.models import (
    Balance,
    InstrumentRules,
    KeyCheck,
    OrderRequest,
    OrderResult,
    Placement,
    Position,
    PositionBook,
    Protection,
)
from bot.trading.sizing import floor_to_step
from bot.vocabulary import AccountType, Category, OrderStatus, Side

log = logging.getLogger(__name__)


def fallback_rules(category: Category, symbol: str) -> InstrumentRules:
    """Generic rules for when Bybit's public data cannot be reached (offline rehearsal)."""
    base = symbol[:-4] if symbol.endswith("USDT") else symbol
    return InstrumentRules(
        symbol=symbol, category=category, base_coin=base, quote_coin="USDT",
        tick_size=Decimal("0.0001"), qty_step=Decimal("0.001"), min_qty=Decimal("0.001"),
        min_notional=Decimal("5"), max_leverage=Decimal("100"),
        base_precision=Decimal("0.000001"), quote_precision=Decimal("0.01"),
        min_order_amt=Decimal("5"))


def check_levels(side: Side, price: Decimal, protection: Protection) -> None:
    """Refuse, as Bybit does, a take-profit or stop-loss the last price has already passed:
    on the ticks it would close the position at once."""
    long = side == Side.BUY
    target, stop = protection.take_profit, protection.stop_loss
    if target and (target <= price if long else target >= price):
        raise TradeError("bad_take_profit.paper", level=target, price=price)
    if stop and (stop >= price if long else stop <= price):
        raise TradeError("bad_stop_loss.paper", level=stop, price=price)


class PaperExchange:
    """The `Exchange` protocol over the SQLite paper ledger of one user."""

    account_type = AccountType.PAPER

    def __init__(self, user_id: int, db: Database, market: MarketData, *,
                 start_balance: Decimal, taker_fee: Decimal,
                 on_change: Callable[[int, str], None] | None = None) -> None:
        self.user_id = user_id
        self._db = db
        self._market = market
        self._start = start_balance
        self._fee = taker_fee
        self._on_change = on_change

    def _book(self, conn: sqlite3.Connection) -> PaperBook:
        return PaperBook(conn, self.user_id, self._start)

    async def instrument(self, category: Category, symbol: str) -> InstrumentRules:
        try:
            return await self._market.instrument(category, symbol)
        except ExchangeUnreachable:
            log.warning("paper: Bybit market data unreachable; generic rules for %s", symbol)
            return fallback_rules(category, symbol)

    async def last_price(self, category: Category, symbol: str) -> Decimal:
        try:
            return await self._market.last_price(category, symbol)
        except ExchangeUnreachable:
            raise TradeError("no_price.paper", symbol=symbol) from None

    async def positions(self, symbol: str) -> PositionBook:
        def read(conn: sqlite3.Connection) -> tuple[PaperPosition | None, int | None]:
            book = self._book(conn)
            return book.position(symbol), book.leverage(symbol)

        position, leverage = await self._db.read(read)
        rows: tuple[Position, ...] = ()
        if position is not None:
            rows = (Position(symbol, position.side, position.size, position.avg_price, 0,
                             Decimal(position.leverage)),)
        return PositionBook(symbol, False, rows,
                            None if leverage is None else Decimal(leverage))

    async def all_positions(self) -> list[PaperPosition]:
        return await self._db.read(lambda conn: self._book(conn).positions())

    async def open_positions(self) -> list[Position]:
        """Open positions, marked to the live price when the public stream carries it."""
        def read(conn: sqlite3.Connection) -> list[tuple[PaperPosition, PaperExits | None]]:
            book = self._book(conn)
            return [(p, book.protection(p.symbol)) for p in book.positions() if p.size > 0]

        rows = []
        for p, exits in await self._db.read(read):
            mark = self._market.live_mark(Category.LINEAR, p.symbol)
            pnl = None
            if mark is not None:
                pnl = (mark - p.avg_price) * p.size * (1 if p.side == Side.BUY else -1)
            rows.append(Position(p.symbol, p.side, p.size, p.avg_price, 0, Decimal(p.leverage),
                                 mark_price=mark, unrealised_pnl=pnl,
                                 take_profit=exits.take_profit if exits else None,
                                 stop_loss=exits.stop_loss if exits else None))
        return rows

    async def balance(self, coin: str) -> Balance:
        def read(conn: sqlite3.Connection) -> Balance:
            book = self._book(conn)
            total = book.balance(coin)
            if coin != "USDT":
                return Balance(coin, total, total)
            margin = sum((p.size * p.avg_price / p.leverage for p in book.positions()),
                         Decimal(0))
            return Balance(coin, total, max(Decimal(0), total - margin))

        return await self._db.read(read)

    async def set_leverage(self, symbol: str, leverage: int) -> None:
        await self._db.write(lambda conn: self._book(conn).set_leverage(symbol, leverage))

    async def place_order(self, request: OrderRequest) -> str:
        price = (self._market.live_price(request.category, request.symbol)
                 or request.price_hint
                 or await self.last_price(request.category, request.symbol))
        rules = await self.instrument(request.category, request.symbol)
        order_id = await self._db.write(self._fill, request, price, rules)
        if request.category == Category.LINEAR:
            self._changed(request.symbol)
        return order_id

    def _fill(self, conn: sqlite3.Connection, request: OrderRequest, price: Decimal,
              rules: InstrumentRules) -> str:
        book = self._book(conn)
        if book.fill(request.order_link_id) is not None:
            raise DuplicateOrder(request.order_link_id)
        if request.category == Category.LINEAR:
            fill = self._fill_linear(book, request, price)
        else:
            fill = self._fill_spot(book, request, price, rules)
        book.add_fill(fill)
        return fill.order_id

    def _fill_linear(self, book: PaperBook, request: OrderRequest,
                     price: Decimal) -> PaperFill:
        held = book.position(request.symbol)
        qty, pnl = request.qty, Decimal(0)
        fee = qty * price * self._fee
        usdt = book.balance("USDT")
        if request.reduce_only or (held is not None and held.side != request.side):
            if held is None or held.side == request.side:
                raise ExchangeError("no_position.paper")
            qty = min(qty, held.size) if request.reduce_only else qty
            closing = min(qty, held.size)
            direction = 1 if held.side == Side.BUY else -1
            pnl = (price - held.avg_price) * closing * direction
            fee = qty * price * self._fee
            remaining = held.size - closing
            book.save_position(PaperPosition(held.symbol, held.side, remaining,
                                             held.avg_price, held.leverage))
            opening = qty - closing
            held = None
        else:
            opening = qty
        if opening > 0:
            leverage = book.leverage(request.symbol) or 10
            margin_used = sum((p.size * p.avg_price / p.leverage for p in book.positions()),
                              Decimal(0))
            needed = opening * price / leverage + fee
            if usdt + pnl - margin_used < needed:
                raise ExchangeError("insufficient_balance.paper")
            size, avg = opening, price
            if held is not None:
                size = held.size + opening
                avg = (held.size * held.avg_price + opening * price) / size
            book.save_position(PaperPosition(request.symbol, request.side, size, avg, leverage),
                               take_profit=request.take_profit, stop_loss=request.stop_loss)
        book.set_balance("USDT", usdt + pnl - fee)
        return PaperFill(request.order_link_id, str(uuid.uuid4()), Category.LINEAR,
                         request.symbol,
                         request.side, qty, price, fee, "USDT", pnl, request.reduce_only)

    def _fill_spot(self, book: PaperBook, request: OrderRequest, price: Decimal,
                   rules: InstrumentRules) -> PaperFill:
        base, quote = rules.base_coin, rules.quote_coin or "USDT"
        quote_balance, base_balance = book.balance(quote), book.balance(base)
        if request.side == Side.BUY:
            if request.market_unit == "baseCoin":
                qty, cost = request.qty, request.qty * price
            else:
                cost = request.qty
                qty = floor_to_step(cost / price, rules.base_precision)
            if cost > quote_balance:
                raise ExchangeError("insufficient_balance.paper_buy", coin=quote)
            fee = qty * self._fee  # in the base coin, unrounded, as Bybit charges it
            book.set_balance(quote, quote_balance - qty * price)
            book.set_balance(base, base_balance + qty - fee)
            fee_currency = base
        else:
            qty = request.qty
            if qty > base_balance:
                raise ExchangeError("insufficient_balance.paper_sell", coin=base)
            fee = qty * price * self._fee
            book.set_balance(base, base_balance - qty)
            book.set_balance(quote, quote_balance + qty * price - fee)
            fee_currency = quote
        return PaperFill(request.order_link_id, str(uuid.uuid4()), request.category,
                         request.symbol, request.side, qty, price, fee, fee_currency,
                         Decimal(0), False)

    async def find_order(self, category: Category, symbol: str,
                         order_link_id: str) -> OrderResult | None:
        fill = await self._db.read(lambda conn: self._book(conn).fill(order_link_id))
        if fill is None:
            return None
        return OrderResult(fill.order_link_id, fill.order_id, OrderStatus.FILLED, fill.qty,
                           fill.price, fill.side, fill.fee, fill.fee_currency, fill.qty,
                           fill.reduce_only)

    async def place_targets(self, requests: list[OrderRequest]) -> list[Placement]:
        """Rest the ladder's orders in the ledger; the ticks fill them (paper_triggers)."""
        def rest(conn: sqlite3.Connection) -> None:
            book = self._book(conn)
            for r in requests:
                book.rest(RestingOrder(self.user_id, r.order_link_id, r.symbol, r.side, r.qty,
                                       r.limit_price or Decimal(0)))

        await self._db.write(rest)
        for symbol in {r.symbol for r in requests}:
            self._changed(symbol)
        return [Placement(r.order_link_id, True) for r in requests]

    async def cancel_targets(self, symbol: str, order_link_ids: list[str]) -> None:
        await self._db.write(lambda conn: self._book(conn).cancel(order_link_ids))
        self._changed(symbol)

    async def protect(self, symbol: str, position_idx: int, protection: Protection) -> None:
        price = self._market.live_price(Category.LINEAR, symbol)
        if price is None:
            try:
                price = await self.last_price(Category.LINEAR, symbol)
            except TradeError:
                price = None  # offline rehearsal: nothing to check the levels against

        def store(conn: sqlite3.Connection) -> bool:
            held = self._book(conn).position(symbol)
            if held is not None and price is not None:
                check_levels(held.side, price, protection)
            return self._book(conn).protect(
                symbol, stop_loss=protection.stop_loss, take_profit=protection.take_profit,
                trailing=protection.trailing, activation=protection.activation)

        if not await self._db.write(store):
            raise TradeError("no_position.paper_symbol", symbol=symbol)
        self._changed(symbol)

    async def fill_resting(self, order: RestingOrder) -> OrderResult | None:
        """A tick reached a resting order: fill it at its limit price (reduce-only, never
        more than is open); None if it was gone already."""
        def fill(conn: sqlite3.Connection) -> PaperFill | None:
            book = self._book(conn)
            if order.order_link_id not in {r.order_link_id for r in book.resting(order.symbol)}:
                return None
            book.cancel([order.order_link_id])
            held = book.position(order.symbol)
            if held is None or held.side == order.side:
                return None
            request = OrderRequest(Category.LINEAR, order.symbol, order.side,
                                   min(order.qty, held.size), order.order_link_id,
                                   reduce_only=True)
            done = self._fill_linear(book, request, order.price)
            book.add_fill(done)
            return done

        done = await self._db.write(fill)
        self._changed(order.symbol)
        if done is None:
            return None
        return OrderResult(done.order_link_id, done.order_id, OrderStatus.FILLED, done.qty,
                           done.price, done.side, done.fee, done.fee_currency, order.qty, True)

    def _changed(self, symbol: str) -> None:
        if self._on_change is not None:
            self._on_change(self.user_id, symbol)

    async def wait_for_fill(self, category: Category, symbol: str,
                            order_link_id: str) -> OrderResult | None:
        return await self.find_order(category, symbol, order_link_id)  # filled when placed

    async def fills(self, limit: int = 500) -> list[PaperFill]:
        return await self._db.read(lambda conn: self._book(conn).fills(limit))

    async def check_keys(self) -> KeyCheck:
        usdt = await self.balance("USDT")
        return KeyCheck(True, "ok", usdt=usdt.total)

    async def close(self) -> None:
        return None
