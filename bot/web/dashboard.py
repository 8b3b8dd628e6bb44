"""What a dashboard shows: the snapshot sent on connect, the refresh after a trade, chart series.

Everything here reads through the `DashboardFacade` (journal, orders, paper ledger, position
plans); Bybit is
asked only for a demo or real account's open positions, through `PositionReader`, which caches
the answer and never lets an unreachable exchange fail the page. Values are picked field by
field: a user's webhook token and API keys are never read here, so they cannot reach a page or
a frame.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.db import SignalRecord
from bot.db.orders import OrderRecord
from bot.db.plans import PositionPlan
from bot.errors import BotError, Failure
from bot.i18n.errors import for_page, render_error, render_failure
from bot.i18n.results import record_line
from bot.models import User, UserSettings
from bot.vocabulary import AccountType, Category
from bot.web.facade import DashboardFacade, OpenPosition
from bot.web.plans import attach_plans, plan_levels
from bot.wire import decimal_text

log = logging.getLogger(__name__)

TABLE_ROWS = 50  # signals and orders listed on the page
HISTORY_ROWS = 1000  # signals and orders the charts are drawn from
POSITIONS_TTL_S = 60.0  # how long an exchange's REST answer about positions is reused
LIVE_TTL_S = 1.0  # ... and an answer from a synced stream
POSITIONS_TIMEOUT_S = 8.0
FILLED = ("filled", "partial")


def _num(value: Decimal) -> float:
    """A chart coordinate: display only, never fed back into an order."""
    return round(float(value), 8)


# --- rows --------------------------------------------------------------------------------


def settings_summary(user: User, settings: UserSettings) -> dict[str, Any]:
    return {"market": settings.market_type, "account": settings.account_type,
            "amount": str(settings.trade_amount), "leverage": settings.leverage,
            "paused": settings.paused, "pyramiding": settings.pyramiding,
            "active": user.is_active}


def signal_reason(status: str, *, result: str | None = None, error: str | None = None,
                  duplicate_of: int | None = None, language: str = "en") -> str | None:
    """One sentence on a signal the intake reported (queued, refused, a duplicate)."""
    if status == "duplicate" and duplicate_of is not None and not error:
        return for_page(language, render_error(language, "duplicate.of",
                                               {"original": duplicate_of}))
    return result or error


def signal_row(record: SignalRecord, language: str = "en") -> dict[str, Any]:
    signal = record.signal
    return {"id": record.id, "at": record.received_at, "status": record.status,
            "symbol": signal.symbol if signal else None,
            "action": signal.action if signal else None,
            "position": signal.position if signal else None,
            "price": decimal_text(signal.price) if signal else None, "route": record.route,
            "reason": for_page(language, record_line(language, record)) or None}


def order_row(order: OrderRecord) -> dict[str, Any]:
    """One order; `pnl` is a close's realised PnL after its own fee (`realised_pnl`: before)."""
    return {"signal_id": order.signal_id, "at": order.created_at, "leg": order.leg,
            "account": order.account_type, "category": order.category,
            "symbol": order.symbol, "side": order.side,
            "qty": str(order.filled_qty or order.qty), "price": decimal_text(order.avg_price),
            "fee": decimal_text(order.fee), "fee_currency": order.fee_currency,
            "pnl": decimal_text(order.pnl_after_fee),
            "realised_pnl": decimal_text(order.realised_pnl), "status": order.status,
            "reduce_only": order.reduce_only, "error": order.error}


# --- chart series (oldest first) ---------------------------------------------------------


@dataclass(frozen=True)
class PnlPoint:
    at: float
    change: Decimal  # this order's realised PnL minus its fee
    total: Decimal  # running sum
    symbol: str
    signal_id: int


def fee_in_quote(order: OrderRecord) -> Decimal:
    """The fee in USDT; a spot buy pays it in the coin, worth the fill price each."""
    return order.fee_in_quote


def pnl_points(orders: Iterable[OrderRecord]) -> list[PnlPoint]:
    """Cumulative realised PnL after fees, one point per filled order, oldest first.

    Futures take the exchange's realised PnL; spot sells are measured against the average
    cost of what this bot bought, because spot fills carry no PnL of their own.
    """
    total = Decimal(0)
    held: dict[str, tuple[Decimal, Decimal]] = {}  # spot symbol -> (qty, cost)
    points = []
    for order in orders:
        qty, price = order.filled_qty, order.avg_price
        if order.status not in FILLED or not qty or price is None:
            continue
        realised = Decimal(0)
        if order.category == Category.SPOT:
            size, cost = held.get(order.symbol, (Decimal(0), Decimal(0)))
            if order.side == "Buy":
                held[order.symbol] = (size + qty, cost + qty * price)
            elif size > 0:
                sold = min(qty, size)
                average = cost / size
                realised = (price - average) * sold
                held[order.symbol] = (size - sold, cost - average * sold)
        else:
            realised = order.realised_pnl or Decimal(0)
        change = realised - fee_in_quote(order)
        total += change
        points.append(PnlPoint(order.created_at, change, total, order.symbol, order.signal_id))
    return points


def is_exit(order: OrderRecord) -> bool:
    """A fill that closes: reduce-only on futures, any sell on spot."""
    return order.reduce_only if order.category == Category.LINEAR else order.side == "Sell"


def price_series(signals: Iterable[SignalRecord],
                 orders: Iterable[OrderRecord]) -> dict[str, dict[str, list[Any]]]:
    """Per symbol: the price line and the fills to mark on it.

    The line follows the alerts' prices; a fill adds a point of its own only when its alert
    carried no price.
    """
    series: dict[str, dict[str, list[Any]]] = {}
    priced: set[int] = set()

    def of(symbol: str) -> dict[str, list[Any]]:
        return series.setdefault(symbol, {"line": [], "marks": []})

    for record in signals:
        signal = record.signal
        if signal is not None and signal.price is not None:
            of(signal.symbol)["line"].append([record.received_at, _num(signal.price)])
            priced.add(record.id)
    for order in orders:
        if order.status not in FILLED or order.avg_price is None:
            continue
        entry = of(order.symbol)
        if order.signal_id not in priced:
            entry["line"].append([order.created_at, _num(order.avg_price)])
        entry["marks"].append({"at": order.created_at, "price": _num(order.avg_price),
                               "side": order.side, "exit": is_exit(order),
                               "qty": str(order.filled_qty or order.qty),
                               "signal_id": order.signal_id})
    for entry in series.values():
        entry["line"].sort(key=lambda point: point[0])
    return series


def chart_data(signals: Sequence[SignalRecord], orders: Sequence[OrderRecord],
               account_type: str, plans: Sequence[PositionPlan] = ()) -> dict[str, Any]:
    """Both charts' series for the current account; `signals`/`orders` newest first.

    Each symbol's price series also holds `levels`: the lines its open `plans` (of this
    account) draw — targets, take-profit, stop (bot/web/plans.py).
    """
    mine = [o for o in reversed(orders) if o.account_type == account_type]
    oldest_first = list(reversed(signals))
    points = pnl_points(mine)
    prices = price_series(oldest_first, mine)
    drawn = plan_levels(p for p in plans if p.account_type == account_type)
    for symbol, levels in drawn.items():
        prices.setdefault(symbol, {"line": [], "marks": []})["levels"] = levels
    for entry in prices.values():
        entry.setdefault("levels", [])
    latest = next((r.signal.symbol for r in signals if r.signal is not None), None)
    return {"account": account_type,
            "pnl": [[p.at, _num(p.total), p.symbol, p.signal_id] for p in points],
            "prices": prices, "symbol": latest if latest in prices else next(iter(prices), None)}


# --- positions ---------------------------------------------------------------------------


def _position_rows(rows: Iterable[OpenPosition]) -> list[dict[str, Any]]:
    return [{"symbol": p.symbol, "side": p.side, "size": str(p.size),
             "avg_price": str(p.avg_price),
             "leverage": None if p.leverage is None else str(p.leverage),
             "mark": decimal_text(p.mark_price), "upnl": decimal_text(p.unrealised_pnl),
             "upnl_pct": decimal_text(p.return_on_margin),
             "stop": decimal_text(p.stop_loss), "take_profit": decimal_text(p.take_profit)}
            for p in rows]


class PositionReader:
    """Open positions for a dashboard: the paper ledger, or the Bybit account.

    A demo/real account with a synced stream answers from it, live and for free. Otherwise its
    REST answer is kept for `POSITIONS_TTL_S`, and concurrent dashboards of one user share one
    request, so reloading pages never adds load on the account the trades use. Each row gets
    its open plans (`plans`) when it is sent, never from the cache: a target that filled a
    moment ago shows at once.
    """

    def __init__(self, facade: DashboardFacade, *, ttl_s: float = POSITIONS_TTL_S) -> None:
        self._facade = facade
        self._ttl = ttl_s
        self._cache: dict[tuple[int, str], tuple[float, dict[str, Any]]] = {}
        self._locks: dict[tuple[int, str], asyncio.Lock] = {}

    def is_paper(self, account_type: str) -> bool:
        return self._facade.is_paper(account_type)

    async def paper(self, user_id: int) -> dict[str, Any]:
        account = await self._facade.paper_account(user_id)
        return await self.with_plans(user_id, AccountType.PAPER, {
            "source": "paper", "state": "ok", "rows": _position_rows(account.positions),
            "balance": str(account.balance.quantize(Decimal("0.01"))), "at": time.time()})

    async def with_plans(self, user_id: int, account_type: str,
                         answer: dict[str, Any]) -> dict[str, Any]:
        """`answer` with each row's open plans joined (a copy; the cache keeps the rows bare)."""
        if not answer.get("rows"):
            return answer
        plans = await self._facade.open_plans(user_id, account_type)
        return {**answer, "rows": attach_plans(answer["rows"], plans)}

    async def live(self, user_id: int, account_type: str) -> dict[str, Any]:
        """The positions an open dashboard gets every few seconds: the ledger, a REST answer
        still cached, or the exchange asked again (a synced stream answers for free)."""
        if self.is_paper(account_type):
            return await self.paper(user_id)
        cached = self.cached(user_id, account_type)
        if cached is not None and not cached.get("live"):
            return await self.with_plans(user_id, account_type, cached)
        return await self.exchange(user_id, account_type)

    def cached(self, user_id: int, account_type: str) -> dict[str, Any] | None:
        hit = self._cache.get((user_id, account_type))
        return hit[1] if hit is not None and hit[0] > time.monotonic() else None

    async def exchange(self, user_id: int, account_type: str) -> dict[str, Any]:
        """Ask Bybit once per TTL; on any failure answer `unavailable`, never raise."""
        key = (user_id, account_type)
        async with self._locks.setdefault(key, asyncio.Lock()):
            answer = self.cached(user_id, account_type)
            if answer is None:
                answer = await self._ask(user_id, account_type)
                ttl = self._ttl if answer["state"] == "ok" else self._ttl / 4
                if answer.get("live"):
                    ttl = LIVE_TTL_S  # the stream's state is local: read it again at will
                self._cache[key] = (time.monotonic() + ttl, answer)
        return await self.with_plans(user_id, account_type, answer)

    async def _ask(self, user_id: int, account_type: str) -> dict[str, Any]:
        try:
            rows, live = await asyncio.wait_for(
                self._facade.exchange_positions(user_id, account_type), POSITIONS_TIMEOUT_S)
        except (BotError, TimeoutError) as exc:
            failure = exc.failure if isinstance(exc, BotError) else Failure(
                "exchange_unreachable", "exchange_unreachable.timeout")
            log.info("dashboard: positions of user=%s (%s) unavailable: %s", user_id,
                     account_type, failure)
            return {"source": "exchange", "state": "unavailable", "rows": [],
                    "failure": failure, "message": failure.english, "at": time.time()}
        return {"source": "exchange", "state": "ok", "live": live,
                "rows": _position_rows(rows), "at": time.time()}


# --- frames ------------------------------------------------------------------------------


def in_language(frame: dict[str, Any], language: str) -> dict[str, Any]:
    """A frame as one page sends it: why positions are unavailable, in its language."""
    positions = frame.get("positions")
    if not isinstance(positions, dict) or not isinstance(positions.get("failure"), Failure):
        return frame
    shown = {key: value for key, value in positions.items() if key != "failure"}
    shown["message"] = for_page(language, render_failure(language, positions["failure"]))
    return {**frame, "positions": shown}


async def history(facade: DashboardFacade, user_id: int, account_type: str
                  ) -> tuple[list[SignalRecord], list[OrderRecord], dict[str, Any]]:
    """The user's recent signals and orders (newest first) and the charts drawn from them,
    with the lines of the account's open plans."""
    signals = await facade.recent_signals(user_id, HISTORY_ROWS)
    orders = await facade.recent_orders(user_id, HISTORY_ROWS)
    plans = await facade.open_plans(user_id, account_type)
    return signals, orders, chart_data(signals, orders, account_type, plans)


async def positions_now(reader: PositionReader, user_id: int,
                        account_type: str) -> dict[str, Any]:
    """Paper positions at once; a demo/real account's from the cache, or `loading`."""
    if reader.is_paper(account_type):
        return await reader.paper(user_id)
    cached = reader.cached(user_id, account_type)
    if cached is not None:
        return await reader.with_plans(user_id, account_type, cached)
    return {"source": "exchange", "state": "loading", "rows": [], "at": time.time()}


async def build_snapshot(facade: DashboardFacade, reader: PositionReader, user: User,
                         settings: UserSettings, *, language: str) -> dict[str, Any]:
    """Everything the page shows on open."""
    signals, orders, charts = await history(facade, user.id, settings.account_type)
    return {"type": "snapshot", "at": time.time(), "language": language,
            "user": {"id": user.id, "name": user.display_name},
            "settings": settings_summary(user, settings),
            "positions": await positions_now(reader, user.id, settings.account_type),
            "signals": [signal_row(r, language) for r in signals[:TABLE_ROWS]],
            "orders": [order_row(o) for o in orders[:TABLE_ROWS]],
            "charts": charts}


async def build_update(facade: DashboardFacade, reader: PositionReader,
                       user_id: int) -> dict[str, Any] | None:
    """What changes after a signal finished: orders, charts, positions, settings."""
    account = await facade.account(user_id)
    if account is None:
        return None
    user, settings = account
    _, orders, charts = await history(facade, user_id, settings.account_type)
    return {"type": "update", "at": time.time(), "settings": settings_summary(user, settings),
            "positions": await positions_now(reader, user_id, settings.account_type),
            "orders": [order_row(o) for o in orders[:TABLE_ROWS]], "charts": charts}
