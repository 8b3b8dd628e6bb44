"""`BybitExchange`: one user's demo or real Bybit account through one pybit session."""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal
from typing import Any

from bot.errors import ExchangeError
from bot.trading.exchanges.base import DuplicateOrder
from bot.trading.exchanges.bybit_errors import translate
from bot.trading.exchanges.gate import BybitGate
from bot.trading.market import MarketData, make_session
from bot.trading.models import (
    Balance,
    InstrumentRules,
    KeyCheck,
    OrderRequest,
    OrderResult,
    Position,
    PositionBook,
)
from bot.vocabulary import AccountType, Category, OrderStatus, Side
from bot.wire import decimal_or_zero, plain

log = logging.getLogger(__name__)

LEVERAGE_NOT_MODIFIED = 110043
DUPLICATE_LINK_ID = (110072, 170141)


# Bybit's orderStatus in our words. Anything else (Created, New, Untriggered, Triggered, a
# status added later) is an order that is accepted and not yet filled.
_STATUS = {
    "Filled": OrderStatus.FILLED,
    "PartiallyFilled": OrderStatus.PARTIAL,
    "PartiallyFilledCanceled": OrderStatus.PARTIAL,
    "Rejected": OrderStatus.FAILED,
    "Cancelled": OrderStatus.FAILED,
    "Deactivated": OrderStatus.FAILED,
}
_SIDES = {"Buy": Side.BUY, "Sell": Side.SELL}


def order_status(bybit_status: str, filled: Decimal) -> OrderStatus:
    """Our status for Bybit's: an order ended early that filled in part is `partial`."""
    status = _STATUS.get(bybit_status, OrderStatus.PLACED)
    if status == OrderStatus.FAILED and filled > 0:
        return OrderStatus.PARTIAL
    return status


def parse_order(item: dict[str, Any]) -> OrderResult:
    avg = item.get("avgPrice")
    fee = item.get("cumExecFee")
    fee_currency = ""
    detail = item.get("cumFeeDetail") or {}
    if isinstance(detail, dict) and detail:
        fee_currency, fee = next(iter(detail.items()))
    filled = decimal_or_zero(item.get("cumExecQty"))
    return OrderResult(
        order_link_id=item.get("orderLinkId", ""), order_id=item.get("orderId", ""),
        status=order_status(item.get("orderStatus", ""), filled), filled_qty=filled,
        avg_price=decimal_or_zero(avg) if avg not in (None, "", "0") else None,
        side=_SIDES[item.get("side", "")], fee=decimal_or_zero(fee),
        fee_currency=fee_currency or item.get("feeCurrency", ""),
        qty=decimal_or_zero(item.get("qty")), reduce_only=bool(item.get("reduceOnly", False)))


class BybitExchange:
    """The `Exchange` protocol over pybit; calls are serialised on this account's session."""

    def __init__(self, account_type: AccountType, api_key: str, api_secret: str, *, gate: BybitGate,
                 market: MarketData, base_url: str = "", timeout: float = 10.0) -> None:
        self.account_type = AccountType(account_type)
        self._session = make_session(api_key=api_key, api_secret=api_secret,
                                     demo=self.account_type == AccountType.DEMO, base_url=base_url,
                                     timeout=timeout)
        self._gate = gate
        self._market = market
        self._lock = asyncio.Lock()  # requests.Session is not thread-safe: one call at a time
        self._leverage: dict[str, int] = {}

    @property
    def endpoint(self) -> str:
        return self._session.endpoint

    async def _private(self, method: str, *, ignore: tuple[int, ...] = (),
                       **params: Any) -> dict[str, Any]:
        """Call one pybit method with `params` (all of them go on the wire)."""
        async with self._lock:
            try:
                response = await self._gate.call(getattr(self._session, method), **params)
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
        response = await self._private("get_positions", category=Category.LINEAR,
                                       symbol=symbol)
        rows = []
        leverage = None
        hedge = False
        for item in (response.get("result") or {}).get("list", []):
            if item.get("symbol") != symbol:
                continue
            idx = int(item.get("positionIdx", 0))
            hedge = hedge or idx in (1, 2)
            if item.get("leverage"):
                leverage = decimal_or_zero(item["leverage"])
            size = decimal_or_zero(item.get("size"))
            side = _SIDES.get(item.get("side", ""))
            if size <= 0 or side is None:
                continue  # a flat row: in one-way mode its side is "" (it still tells the mode)
            rows.append(Position(symbol, side, size, decimal_or_zero(item.get("avgPrice")), idx,
                                 leverage))
        if leverage is not None:
            self._leverage[symbol] = int(leverage)
        return PositionBook(symbol, hedge, tuple(rows), leverage)

    async def open_positions(self) -> list[Position]:
        response = await self._private("get_positions", category=Category.LINEAR,
                                       settleCoin="USDT", limit=200)
        return [Position(item.get("symbol", ""), _SIDES[item.get("side", "")],
                         decimal_or_zero(item.get("size")),
                         decimal_or_zero(item.get("avgPrice")), int(item.get("positionIdx", 0)),
                         decimal_or_zero(item["leverage"]) if item.get("leverage") else None)
                for item in (response.get("result") or {}).get("list", [])
                if decimal_or_zero(item.get("size")) > 0 and item.get("side") in _SIDES]

    async def balance(self, coin: str) -> Balance:
        response = await self._private("get_wallet_balance", accountType="UNIFIED", coin=coin)
        for account in (response.get("result") or {}).get("list", []):
            for item in account.get("coin", []):
                if item.get("coin") == coin:
                    total = decimal_or_zero(item.get("walletBalance"))
                    locked = sum((decimal_or_zero(item.get(key)) for key in
                                  ("locked", "totalPositionIM", "totalOrderIM")), Decimal(0))
                    return Balance(coin, total, max(Decimal(0), total - locked))
        return Balance(coin, Decimal(0), Decimal(0))

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
            raise
        return (response.get("result") or {}).get("orderId", "")

    async def find_order(self, category: Category, symbol: str,
                         order_link_id: str) -> OrderResult | None:
        # Realtime holds open and recently closed orders; history the rest (after restarts).
        for method in ("get_open_orders", "get_order_history"):
            response = await self._private(method, category=category, symbol=symbol,
                                           orderLinkId=order_link_id)
            items = [item for item in (response.get("result") or {}).get("list", [])
                     if item.get("orderLinkId") == order_link_id]
            if items:
                return parse_order(items[0])
        return None

    async def check_keys(self) -> KeyCheck:
        """Read the wallet (key, secret, environment, IP), then the key's permissions."""
        try:
            usdt = await self.balance("USDT")
        except ExchangeError as exc:
            return KeyCheck(False, exc.code, exc.message)
        try:
            info = (await self._private("get_api_key_information")).get("result") or {}
        except ExchangeError as exc:
            # Not every environment answers it (Demo Trading lists no user endpoints); the
            # keys work, and a missing permission will be named by the first order.
            log.info("%s key permissions could not be read: %s", self.account_type,
                     exc.message)
            info = {}
        permissions = info.get("permissions") or {}
        can_trade = bool(permissions.get("ContractTrade") or permissions.get("Spot"))
        if str(info.get("readOnly", "0")) == "1" or (permissions and not can_trade):
            return KeyCheck(
                False, "no_permission",
                "this API key is read-only: in Bybit's API management give it Read-Write "
                "permission for Orders and Positions (Contract and Spot), or create such a key, "
                f"and send it with /keys {self.account_type} <api_key> <api_secret>",
                usdt.total)
        return KeyCheck(True, "ok", f"the {self.account_type} keys work", usdt.total)

    async def close(self) -> None:
        async with self._lock:  # not while a worker thread is still using the session
            self._session.client.close()
