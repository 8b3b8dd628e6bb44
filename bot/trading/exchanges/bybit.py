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
    LINEAR,
    Balance,
    InstrumentRules,
    KeyCheck,
    OrderRequest,
    OrderResult,
    Position,
    PositionBook,
)
from bot.trading.sizing import wire

log = logging.getLogger(__name__)

LEVERAGE_NOT_MODIFIED = 110043
DUPLICATE_LINK_ID = (110072, 170141)


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def parse_order(item: dict[str, Any]) -> OrderResult:
    avg = item.get("avgPrice")
    fee = item.get("cumExecFee")
    fee_currency = ""
    detail = item.get("cumFeeDetail") or {}
    if isinstance(detail, dict) and detail:
        fee_currency, fee = next(iter(detail.items()))
    return OrderResult(
        order_link_id=item.get("orderLinkId", ""), order_id=item.get("orderId", ""),
        status=item.get("orderStatus", ""), filled_qty=_dec(item.get("cumExecQty")),
        avg_price=_dec(avg) if avg not in (None, "", "0") else None, fee=_dec(fee),
        fee_currency=fee_currency or item.get("feeCurrency", ""), side=item.get("side", ""),
        qty=_dec(item.get("qty")), reduce_only=bool(item.get("reduceOnly", False)))


class BybitExchange:
    """The `Exchange` protocol over pybit; calls are serialised on this account's session."""

    def __init__(self, account_type: str, api_key: str, api_secret: str, *, gate: BybitGate,
                 market: MarketData, base_url: str = "", timeout: float = 10.0) -> None:
        self.account_type = account_type
        self._session = make_session(api_key=api_key, api_secret=api_secret,
                                     demo=account_type == "demo", base_url=base_url,
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

    async def instrument(self, category: str, symbol: str) -> InstrumentRules:
        return await self._market.instrument(category, symbol)

    async def last_price(self, category: str, symbol: str) -> Decimal:
        return await self._market.last_price(category, symbol)

    async def positions(self, symbol: str) -> PositionBook:
        response = await self._private("get_positions", category=LINEAR, symbol=symbol)
        rows = []
        leverage = None
        hedge = False
        for item in (response.get("result") or {}).get("list", []):
            if item.get("symbol") != symbol:
                continue
            idx = int(item.get("positionIdx", 0))
            hedge = hedge or idx in (1, 2)
            if item.get("leverage"):
                leverage = _dec(item["leverage"])
            # In hedge mode the row's side is "" when flat; its index says which side it is.
            side = item.get("side") or {1: "Buy", 2: "Sell"}.get(idx, "")
            rows.append(Position(symbol, side, _dec(item.get("size")),
                                 _dec(item.get("avgPrice")), idx, leverage))
        if leverage is not None:
            self._leverage[symbol] = int(leverage)
        return PositionBook(symbol, hedge, tuple(rows), leverage)

    async def open_positions(self) -> list[Position]:
        response = await self._private("get_positions", category=LINEAR, settleCoin="USDT",
                                       limit=200)
        return [Position(item.get("symbol", ""), item.get("side") or "", _dec(item.get("size")),
                         _dec(item.get("avgPrice")), int(item.get("positionIdx", 0)),
                         _dec(item["leverage"]) if item.get("leverage") else None)
                for item in (response.get("result") or {}).get("list", [])
                if _dec(item.get("size")) > 0]

    async def balance(self, coin: str) -> Balance:
        response = await self._private("get_wallet_balance", accountType="UNIFIED", coin=coin)
        for account in (response.get("result") or {}).get("list", []):
            for item in account.get("coin", []):
                if item.get("coin") == coin:
                    total = _dec(item.get("walletBalance"))
                    locked = _dec(item.get("locked")) + _dec(item.get("totalPositionIM")) \
                        + _dec(item.get("totalOrderIM"))
                    return Balance(coin, total, max(Decimal(0), total - locked))
        return Balance(coin, Decimal(0), Decimal(0))

    async def set_leverage(self, symbol: str, leverage: int) -> None:
        if self._leverage.get(symbol) == leverage:
            return
        await self._private("set_leverage", ignore=(LEVERAGE_NOT_MODIFIED,), category=LINEAR,
                            symbol=symbol, buyLeverage=str(leverage),
                            sellLeverage=str(leverage))
        self._leverage[symbol] = leverage

    async def place_order(self, request: OrderRequest) -> str:
        params: dict[str, Any] = {
            "category": request.category, "symbol": request.symbol, "side": request.side,
            "orderType": "Market", "qty": wire(request.qty),
            "orderLinkId": request.order_link_id,
        }
        if request.category == LINEAR:
            params["positionIdx"] = request.position_idx
            if request.reduce_only:
                params["reduceOnly"] = True
            if request.take_profit is not None:
                params["takeProfit"] = wire(request.take_profit)
            if request.stop_loss is not None:
                params["stopLoss"] = wire(request.stop_loss)
        elif request.market_unit:
            params["marketUnit"] = request.market_unit
        try:
            response = await self._private("place_order", **params)
        except ExchangeError as exc:
            if exc.ret_code in DUPLICATE_LINK_ID:
                raise DuplicateOrder(request.order_link_id) from exc
            raise
        return (response.get("result") or {}).get("orderId", "")

    async def find_order(self, category: str, symbol: str,
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
