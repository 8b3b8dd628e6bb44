"""`BybitExchange`: one user's demo or real Bybit account through one pybit session."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Hashable
from decimal import Decimal
from typing import Any

from bot.errors import ExchangeError, Failure
from bot.trading.exchanges.base import DuplicateOrder
from bot.trading.exchanges.bybit_errors import translate
from bot.trading.exchanges.bybit_parse import (
    Item,
    parse_order,
    parse_position,
    parse_wallet,
)
from bot.trading.exchanges.gate import ANONYMOUS, BybitGate
from bot.trading.market import MarketData, make_session
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
from bot.trading.streams.account import Snapshot
from bot.trading.streams.private import AccountStream
from bot.vocabulary import AccountType, Category
from bot.wire import plain

log = logging.getLogger(__name__)

LEVERAGE_NOT_MODIFIED = 110043
NOT_MODIFIED = 34040  # trading-stop: these values are set already
DUPLICATE_LINK_ID = (110072, 170141)
# Refusals that mean our cached instrument rules may be out of date: read them again.
RULE_ERRORS = {10001, 110017, 110094, 170136, 170137, 170140, 170148}
POSITION_WAIT_S = 1.0  # after our fill, how long the position message may take


class BybitExchange:
    """The `Exchange` protocol over pybit; calls are serialised on this account's session."""

    def __init__(self, account_type: AccountType, api_key: str, api_secret: str, *,
                 gate: BybitGate, market: MarketData, base_url: str = "", timeout: float = 10.0,
                 fill_wait_s: float = 3.0, owner: int | None = None) -> None:
        self.account_type = AccountType(account_type)
        # Whose share of the request budget this account's calls spend (the gate serves
        # owners in turn): its user's, or the key check's.
        self._owner: Hashable = owner if owner is not None else ANONYMOUS
        self._session = make_session(api_key=api_key, api_secret=api_secret,
                                     demo=self.account_type == AccountType.DEMO, base_url=base_url,
                                     timeout=timeout)
        self._gate = gate
        self._market = market
        self._lock = asyncio.Lock()  # requests.Session is not thread-safe: one call at a time
        self._leverage: dict[str, int] = {}
        self._fill_wait = fill_wait_s
        self.stream: AccountStream | None = None  # attached by the registry when streams are on

    @property
    def synced(self) -> bool:
        """Its private stream is up and re-read: positions and fills come from it."""
        stream = self._live()
        return stream is not None and stream.state.synced

    def _live(self) -> AccountStream | None:
        stream = self.stream
        return stream if stream is not None and stream.live else None

    @property
    def endpoint(self) -> str:
        return self._session.endpoint

    async def _private(self, method: str, *, ignore: tuple[int, ...] = (),
                       **params: Any) -> dict[str, Any]:
        """Call one pybit method with `params` (all of them go on the wire)."""
        async with self._lock:
            try:
                response = await self._gate.call(getattr(self._session, method),
                                                  owner=self._owner, **params)
            except Exception as exc:
                error = translate(exc, account=self.account_type,
                                  symbol=str(params.get("symbol", "")))
                if error.ret_code is not None and error.ret_code in ignore:
                    return {"retCode": error.ret_code}
                raise error from exc
        return response

    async def instrument(self, category: Category, symbol: str) -> InstrumentRules:
        return await self._market.instrument(category, symbol)

    async def last_price(self, category: Category, symbol: str) -> Decimal:
        return await self._market.last_price(category, symbol)

    async def positions(self, symbol: str) -> PositionBook:
        """From the stream when it is current, else one REST read (which teaches the stream)."""
        stream = self._live()
        book = await stream.state.book(symbol, wait_s=POSITION_WAIT_S) if stream else None
        if book is None:
            response = await self._private("get_positions", category=Category.LINEAR,
                                           symbol=symbol)
            items = [item for item in _items(response) if item.get("symbol") == symbol]
            if self.stream is not None and not self.stream.closed:
                # Even before it is up: the mode and rows it learns spare it this read later.
                self.stream.state.learn_rows(items)
            book = _book(symbol, items)
        if book.leverage is not None:
            self._leverage[symbol] = int(book.leverage)
        return book

    async def open_positions(self) -> list[Position]:
        stream = self._live()
        known = stream.state.open_positions() if stream else None
        if known is not None:
            return known
        response = await self._private("get_positions", category=Category.LINEAR,
                                       settleCoin="USDT", limit=200)
        rows = (parse_position(item) for item in _items(response))
        return [row.position for row in rows if row.position is not None]

    async def balance(self, coin: str) -> Balance:
        stream = self._live()
        known = stream.state.balance(coin) if stream else None
        if known is not None:
            return known
        response = await self._private("get_wallet_balance", accountType="UNIFIED", coin=coin)
        for account in _items(response):
            found = parse_wallet(account).get(coin)
            if found is not None:
                return found
        return Balance(coin, Decimal(0), Decimal(0))

    async def resync(self) -> Snapshot:
        """After a stream (re)connects: every open position and open order, over REST, and
        the final state of the orders it last saw open that are not any more."""
        positions = await self._private("get_positions", category=Category.LINEAR,
                                        settleCoin="USDT", limit=200)
        orders = _items(await self._private("get_open_orders", category=Category.LINEAR,
                                            settleCoin="USDT", limit=50))
        # Orders last seen open that are not any more ended while the stream was down (a
        # target filled): nothing pushes that again, so their final state is read here.
        still_open = {item.get("orderLinkId") for item in orders}
        for symbol, link in self.stream.state.unfinished() if self.stream is not None else []:
            if link not in still_open:
                response = await self._private("get_order_history", category=Category.LINEAR,
                                               symbol=symbol, orderLinkId=link)
                orders += [item for item in _items(response) if item.get("orderLinkId") == link]
        return _items(positions), orders

    async def set_leverage(self, symbol: str, leverage: int) -> None:
        if self._leverage.get(symbol) == leverage:
            return
        await self._private("set_leverage", ignore=(LEVERAGE_NOT_MODIFIED,),
                            category=Category.LINEAR,
                            symbol=symbol, buyLeverage=str(leverage),
                            sellLeverage=str(leverage))
        self._leverage[symbol] = leverage

    async def place_order(self, request: OrderRequest) -> str:
        params: dict[str, Any] = {
            "category": request.category, "symbol": request.symbol, "side": request.side,
            "orderType": "Market", "qty": plain(request.qty),
            "orderLinkId": request.order_link_id,
        }
        if request.limit_price is not None:
            params.update(orderType="Limit", price=plain(request.limit_price),
                          timeInForce="GTC")
        if request.category == Category.LINEAR:
            params["positionIdx"] = request.position_idx
            if request.reduce_only:
                params["reduceOnly"] = True
            if request.take_profit is not None:
                params["takeProfit"] = plain(request.take_profit)
            if request.stop_loss is not None:
                params["stopLoss"] = plain(request.stop_loss)
        elif request.market_unit:
            params["marketUnit"] = request.market_unit
        try:
            response = await self._private("place_order", **params)
        except ExchangeError as exc:
            if exc.ret_code in DUPLICATE_LINK_ID:
                raise DuplicateOrder(request.order_link_id) from exc
            if exc.ret_code in RULE_ERRORS:
                self._market.forget_rules(request.category, request.symbol)
            raise
        return (response.get("result") or {}).get("orderId", "")

    async def place_targets(self, requests: list[OrderRequest]) -> list[Placement]:
        """One `create-batch` for the whole ladder (Bybit takes 20 linear orders a request):
        one request against the IP budget, whatever the number of targets."""
        if not requests:
            return []
        items = [{"symbol": r.symbol, "side": r.side, "orderType": "Limit", "qty": plain(r.qty),
                  "price": plain(r.limit_price or Decimal(0)), "timeInForce": "GTC",
                  "orderLinkId": r.order_link_id, "reduceOnly": r.reduce_only,
                  "positionIdx": r.position_idx} for r in requests]
        response = await self._private("place_batch_order", category=Category.LINEAR,
                                       request=items)
        answers = (response.get("retExtInfo") or {}).get("list") or []
        placements = []
        for request, answer in zip(requests, answers + [{}] * len(requests), strict=False):
            code = int(answer.get("code", 0) or 0)
            ok = code == 0 or code in DUPLICATE_LINK_ID
            placements.append(Placement(request.order_link_id, ok,
                                        None if ok else f"{answer.get('msg')} ({code})"))
        return placements

    async def cancel_targets(self, symbol: str, order_link_ids: list[str]) -> None:
        if not order_link_ids:
            return
        # Per-order failures (already filled, already cancelled) are what we want anyway.
        await self._private("cancel_batch_order", category=Category.LINEAR,
                            request=[{"symbol": symbol, "orderLinkId": link}
                                     for link in order_link_ids])

    async def protect(self, symbol: str, position_idx: int, protection: Protection) -> None:
        params: dict[str, Any] = {"category": Category.LINEAR, "symbol": symbol,
                                  "tpslMode": "Full", "positionIdx": position_idx}
        for key, value in (("stopLoss", protection.stop_loss),
                           ("takeProfit", protection.take_profit),
                           ("trailingStop", protection.trailing),
                           ("activePrice", protection.activation)):
            if value is not None:
                params[key] = plain(value)
        await self._private("set_trading_stop", ignore=(NOT_MODIFIED,), **params)

    async def wait_for_fill(self, category: Category, symbol: str,
                            order_link_id: str) -> OrderResult | None:
        """The fill of an order just placed: pushed by the stream, or looked up over REST when
        the stream is down or says nothing within `bybit.fill_wait_s`."""
        stream = self._live()
        if stream is not None:
            found = await stream.state.wait_order(order_link_id, self._fill_wait)
            if found is not None:
                return found
            log.info("%s: no fill for %s on the stream within %.1f s; asking REST",
                     self.account_type, order_link_id, self._fill_wait)
        return await self.find_order(category, symbol, order_link_id)

    async def find_order(self, category: Category, symbol: str,
                         order_link_id: str) -> OrderResult | None:
        # Realtime holds open and recently closed orders; history the rest (after restarts).
        for method in ("get_open_orders", "get_order_history"):
            response = await self._private(method, category=category, symbol=symbol,
                                           orderLinkId=order_link_id)
            items = [item for item in _items(response)
                     if item.get("orderLinkId") == order_link_id]
            if items:
                return parse_order(items[0])
        return None

    async def check_keys(self) -> KeyCheck:
        """Read the wallet (key, secret, environment, IP), then the key's permissions."""
        try:
            usdt = await self.balance("USDT")
        except ExchangeError as exc:
            return KeyCheck(False, exc.code, exc.failure)
        try:
            info = (await self._private("get_api_key_information")).get("result") or {}
        except ExchangeError as exc:
            # Not every environment answers it (Demo Trading lists no user endpoints); the
            # keys work, and a missing permission will be named by the first order.
            log.info("%s key permissions could not be read: %s", self.account_type,
                     exc)
            info = {}
        permissions = info.get("permissions") or {}
        can_trade = bool(permissions.get("ContractTrade") or permissions.get("Spot"))
        if str(info.get("readOnly", "0")) == "1" or (permissions and not can_trade):
            return KeyCheck(False, "no_permission", Failure(
                "no_permission", "no_permission.read_only", {"account": self.account_type}),
                usdt.total)
        return KeyCheck(True, "ok", usdt=usdt.total)

    async def close(self) -> None:
        async with self._lock:  # not while a worker thread is still using the session
            self._session.client.close()


def _items(response: dict[str, Any]) -> list[Item]:
    return list((response.get("result") or {}).get("list", []))


def _book(symbol: str, items: list[Item]) -> PositionBook:
    """A symbol's rows from `position/list`: the open ones, the mode and the leverage."""
    rows = [parse_position(item) for item in items]
    leverage = next((row.leverage for row in reversed(rows) if row.leverage is not None), None)
    return PositionBook(symbol, any(row.hedge for row in rows),
                        tuple(row.position for row in rows if row.position is not None),
                        leverage)
