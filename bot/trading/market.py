"""Public market data from Bybit (instrument rules, last prices), shared by every account.

Instrument rules change rarely: they are cached with a TTL, and concurrent askers for the same
symbol share one request. Prices are cached for a second, enough for sizing a market order.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar

from pybit.unified_trading import HTTP

from bot.errors import TradeError
from bot.trading.exchanges.bybit_errors import translate
from bot.trading.exchanges.gate import BybitGate
from bot.trading.models import InstrumentRules
from bot.trading.streams.tickers import TickerFeed
from bot.vocabulary import Category
from bot.wire import decimal_or_zero

log = logging.getLogger(__name__)

T = TypeVar("T")
PRICE_TTL_S = 1.0
PUBLIC_SESSIONS = 4
MARKET_OWNER = "market"  # whose share of the request budget market data spends (gate.py)


def make_session(*, api_key: str | None = None, api_secret: str | None = None,
                 demo: bool = False, base_url: str = "", timeout: float = 10.0) -> HTTP:
    """A pybit session that retries nothing itself: our code decides what is safe to retry."""
    session = HTTP(api_key=api_key, api_secret=api_secret, demo=demo, timeout=timeout,
                   max_retries=1, retry_codes={-1}, logging_level=logging.WARNING)
    if base_url:
        # pybit has no argument for a custom host; every call reads `endpoint` at call time.
        session.endpoint = base_url.rstrip("/")
    return session


def parse_rules(category: Category, item: dict[str, Any]) -> InstrumentRules:
    """Read one instruments-info item into `InstrumentRules`."""
    lot = item.get("lotSizeFilter", {})
    price = item.get("priceFilter", {})
    common = {"symbol": item["symbol"], "category": category,
              "base_coin": item.get("baseCoin", ""), "quote_coin": item.get("quoteCoin", ""),
              "tick_size": decimal_or_zero(price.get("tickSize"))}
    if category == Category.LINEAR:
        leverage = item.get("leverageFilter", {})
        max_mkt = lot.get("maxMktOrderQty")
        return InstrumentRules(
            **common, qty_step=decimal_or_zero(lot.get("qtyStep")),
            min_qty=decimal_or_zero(lot.get("minOrderQty")),
            max_mkt_qty=decimal_or_zero(max_mkt) if max_mkt else None,
            min_notional=decimal_or_zero(lot.get("minNotionalValue")),
            max_leverage=decimal_or_zero(leverage.get("maxLeverage")) or Decimal(1))
    max_base = lot.get("maxMarketOrderQty")
    return InstrumentRules(
        **common, base_precision=decimal_or_zero(lot.get("basePrecision")),
        quote_precision=decimal_or_zero(lot.get("quotePrecision")),
        min_order_amt=decimal_or_zero(lot.get("minOrderAmt")),
        max_mkt_base_qty=decimal_or_zero(max_base) if max_base else None)


class MarketData:
    """Cached public data through a small pool of keyless pybit sessions."""

    def __init__(self, gate: BybitGate, *, base_url: str = "", timeout: float = 10.0,
                 instrument_ttl_s: float = 3600.0, price_ttl_s: float = PRICE_TTL_S) -> None:
        self._gate = gate
        self._ttl = instrument_ttl_s
        self._price_ttl = price_ttl_s
        # One requests.Session must never serve two threads: hand sessions out one at a time.
        self._sessions: asyncio.Queue[HTTP] = asyncio.Queue()
        for _ in range(PUBLIC_SESSIONS):
            self._sessions.put_nowait(make_session(base_url=base_url, timeout=timeout))
        self._rules: dict[tuple[str, str], tuple[float, InstrumentRules]] = {}
        self._prices: dict[tuple[str, str], tuple[float, Decimal]] = {}
        self._inflight: dict[tuple[str, str, str], asyncio.Future[Any]] = {}
        self.feed: TickerFeed | None = None  # live prices, when the streams are on

    async def _public(self, method: str, **params: Any) -> dict[str, Any]:
        session = await self._sessions.get()
        try:
            response = await self._gate.call(getattr(session, method), owner=MARKET_OWNER,
                                                  **params)
        except Exception as exc:
            raise translate(exc, account="market", symbol=params.get("symbol", "")) from exc
        finally:
            self._sessions.put_nowait(session)
        return response.get("result") or {}

    async def _once(self, key: tuple[str, str, str], fetch: Callable[[], Awaitable[T]]) -> T:
        """Let concurrent callers for the same key share one request."""
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            value = await fetch()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiting askers re-raise it themselves
            raise
        else:
            future.set_result(value)
            return value
        finally:
            del self._inflight[key]

    async def instrument(self, category: Category, symbol: str) -> InstrumentRules:
        key = (category, symbol)
        cached = self._rules.get(key)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        return await self._once(("rules", *key), lambda: self._load_rules(category, symbol))

    async def _load_rules(self, category: Category, symbol: str) -> InstrumentRules:
        result = await self._public("get_instruments_info", category=category, symbol=symbol)
        items = [item for item in result.get("list", []) if item.get("symbol") == symbol]
        if not items:
            futures = category == Category.LINEAR
            raise TradeError("unknown_symbol.market", symbol=symbol,
                             market="futures" if futures else "spot",
                             other="spot" if futures else "futures")
        status = items[0].get("status", "Trading")
        if status != "Trading":
            raise TradeError("not_trading", symbol=symbol, status_text=status)
        rules = parse_rules(category, items[0])
        self._rules[(category, symbol)] = (time.monotonic() + self._ttl, rules)
        return rules

    def forget_rules(self, category: Category, symbol: str) -> None:
        """Bybit refused an order as if its rules changed: read them again next time."""
        self._rules.pop((category, symbol), None)

    def live_price(self, category: Category, symbol: str) -> Decimal | None:
        """The price on the public stream, if it is up and carries the symbol."""
        return self.feed.price(category, symbol) if self.feed is not None else None

    def live_mark(self, category: Category, symbol: str) -> Decimal | None:
        """The mark price on the public stream (the last price where there is no mark)."""
        ticker = self.feed.ticker(category, symbol) if self.feed is not None else None
        if ticker is None:
            return None
        return ticker.mark or ticker.last

    async def last_price(self, category: Category, symbol: str) -> Decimal:
        """The live price if the stream has it, else Bybit's last price over REST (cached 1 s)."""
        live = self.live_price(category, symbol)
        if live is not None:
            return live
        key = (category, symbol)
        cached = self._prices.get(key)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        return await self._once(("price", *key), lambda: self._load_price(category, symbol))

    async def _load_price(self, category: Category, symbol: str) -> Decimal:
        result = await self._public("get_tickers", category=category, symbol=symbol)
        items = [item for item in result.get("list", []) if item.get("symbol") == symbol]
        if not items or not items[0].get("lastPrice"):
            raise TradeError("no_price.bybit", symbol=symbol)
        price = Decimal(items[0]["lastPrice"])
        self._prices[(category, symbol)] = (time.monotonic() + self._price_ttl, price)
        return price

    def categories(self) -> tuple[Category, ...]:
        return tuple(Category)
