"""Account state of the fake Bybit: balances, positions, orders, executions, and their JSON shapes.

The matching engine (``bybit_orders.py``) mutates these objects; tests read them through
``FakeBybit.account(api_key)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from tests.fakes.bybit_market import LINEAR, Market, fmt, now_ms

ZERO = Decimal("0")
ONE_WAY = "oneway"
HEDGE = "hedge"
PositionMode = Literal["oneway", "hedge"]
MAINTENANCE_RATE = Decimal("0.005")
RATE = Decimal("0.0001")


@dataclass
class Position:
    """One linear position row; ``side`` is ``""`` and ``size`` 0 when flat."""

    symbol: str
    position_idx: int
    side: str = ""
    size: Decimal = ZERO
    avg_price: Decimal = ZERO
    cum_realised_pnl: Decimal = ZERO
    cur_realised_pnl: Decimal = ZERO
    take_profit: Decimal = ZERO
    stop_loss: Decimal = ZERO
    created_ms: int = field(default_factory=now_ms)
    updated_ms: int = field(default_factory=now_ms)
    seq: int = 0

    @property
    def is_open(self) -> bool:
        """Return True if the row holds a non-zero size."""
        return self.size > 0

    def unrealised_pnl(self, mark: Decimal) -> Decimal:
        """Return the unrealised PnL at ``mark``."""
        if not self.is_open:
            return ZERO
        direction = 1 if self.side == "Buy" else -1
        return (mark - self.avg_price) * self.size * direction

    def initial_margin(self, leverage: Decimal) -> Decimal:
        """Return size × avgPrice / leverage."""
        return self.size * self.avg_price / leverage

    def as_json(self, mark: Decimal, leverage: Decimal) -> dict[str, Any]:
        """Return one /v5/position/list item."""
        value = self.size * self.avg_price
        liq = ""
        if self.is_open:
            shift = 1 / leverage - MAINTENANCE_RATE
            factor = 1 - shift if self.side == "Buy" else 1 + shift
            liq = fmt((self.avg_price * factor).quantize(Decimal("0.01")))
        return {
            "positionIdx": self.position_idx, "riskId": 1, "riskLimitValue": "2000000",
            "symbol": self.symbol, "side": self.side, "size": fmt(self.size),
            "avgPrice": fmt(self.avg_price), "positionValue": fmt(value),
            "tradeMode": 0, "autoAddMargin": 0, "positionStatus": "Normal",
            "leverage": fmt(leverage), "markPrice": fmt(mark), "liqPrice": liq,
            "bustPrice": "", "positionIM": fmt(value / leverage),
            "positionMM": fmt(value * MAINTENANCE_RATE), "positionBalance": fmt(value / leverage),
            "takeProfit": fmt(self.take_profit), "stopLoss": fmt(self.stop_loss),
            "trailingStop": "0", "sessionAvgPrice": "", "delta": "", "gamma": "", "vega": "",
            "theta": "", "unrealisedPnl": fmt(self.unrealised_pnl(mark)),
            "curRealisedPnl": fmt(self.cur_realised_pnl),
            "cumRealisedPnl": fmt(self.cum_realised_pnl), "adlRankIndicator": 0,
            "isReduceOnly": False, "mmrSysUpdatedTime": "", "leverageSysUpdatedTime": "",
            "breakEvenPrice": fmt(self.avg_price), "tpslMode": "Full",
            "createdTime": str(self.created_ms), "updatedTime": str(self.updated_ms),
            "seq": self.seq,
        }


@dataclass
class Order:
    """One order as the exchange keeps it; fills update the cum* fields."""

    order_id: str
    order_link_id: str
    category: str
    symbol: str
    side: str
    order_type: str
    qty: Decimal
    price: Decimal
    position_idx: int
    reduce_only: bool
    market_unit: str
    take_profit: Decimal
    stop_loss: Decimal
    time_in_force: str
    status: str = "New"
    avg_price: Decimal = ZERO
    cum_exec_qty: Decimal = ZERO
    cum_exec_value: Decimal = ZERO
    cum_exec_fee: Decimal = ZERO
    fee_currency: str = "USDT"
    created_ms: int = field(default_factory=now_ms)
    updated_ms: int = field(default_factory=now_ms)

    @property
    def is_open(self) -> bool:
        """Return True while the order can still fill."""
        return self.status in ("New", "PartiallyFilled", "Untriggered")

    def as_json(self) -> dict[str, Any]:
        """Return one /v5/order/realtime (or history) item."""
        leaves = ZERO if not self.is_open else self.qty - self.cum_exec_qty
        return {
            "orderId": self.order_id, "orderLinkId": self.order_link_id, "blockTradeId": "",
            "symbol": self.symbol, "price": fmt(self.price), "qty": fmt(self.qty),
            "side": self.side, "isLeverage": "", "positionIdx": self.position_idx,
            "orderStatus": self.status, "cancelType": "UNKNOWN", "rejectReason": "EC_NoError",
            "avgPrice": fmt(self.avg_price) if self.cum_exec_qty else "",
            "leavesQty": fmt(leaves), "leavesValue": fmt(leaves * self.price),
            "cumExecQty": fmt(self.cum_exec_qty), "cumExecValue": fmt(self.cum_exec_value),
            "cumExecFee": fmt(self.cum_exec_fee),
            "cumFeeDetail": {self.fee_currency: fmt(self.cum_exec_fee)},
            "timeInForce": self.time_in_force, "orderType": self.order_type,
            "stopOrderType": "", "orderIv": "", "marketUnit": self.market_unit,
            "triggerPrice": "0", "takeProfit": fmt(self.take_profit),
            "stopLoss": fmt(self.stop_loss), "tpTriggerBy": "", "slTriggerBy": "",
            "tpLimitPrice": "0", "slLimitPrice": "0", "triggerDirection": 0, "triggerBy": "",
            "lastPriceOnCreated": fmt(self.price), "reduceOnly": self.reduce_only,
            "closeOnTrigger": False, "placeType": "", "smpType": "None", "smpGroup": 0,
            "smpOrderId": "", "tpslMode": "Full" if self.take_profit or self.stop_loss else "",
            "createType": "CreateByUser", "createdTime": str(self.created_ms),
            "updatedTime": str(self.updated_ms),
        }


@dataclass(frozen=True)
class Execution:
    """One fill."""

    exec_id: str
    order_id: str
    order_link_id: str
    category: str
    symbol: str
    side: str
    order_type: str
    order_qty: Decimal
    exec_price: Decimal
    exec_qty: Decimal
    exec_value: Decimal
    exec_fee: Decimal
    fee_rate: Decimal
    fee_currency: str
    closed_size: Decimal
    exec_ms: int
    seq: int
    exec_pnl: Decimal = ZERO  # gross PnL of the part that closed a position (streams only)

    def as_json(self) -> dict[str, Any]:
        """Return one /v5/execution/list item."""
        return {
            "symbol": self.symbol, "orderId": self.order_id, "orderLinkId": self.order_link_id,
            "side": self.side, "orderPrice": fmt(self.exec_price), "orderQty": fmt(self.order_qty),
            "leavesQty": "0", "createType": "CreateByUser", "orderType": self.order_type,
            "stopOrderType": "", "execFee": fmt(self.exec_fee), "execFeeV2": "",
            "feeCurrency": self.fee_currency, "execId": self.exec_id,
            "execPrice": fmt(self.exec_price), "execQty": fmt(self.exec_qty),
            "execType": "Trade", "execValue": fmt(self.exec_value), "execTime": str(self.exec_ms),
            "feeRate": fmt(self.fee_rate), "tradeIv": "", "markIv": "",
            "markPrice": fmt(self.exec_price), "indexPrice": "", "underlyingPrice": "",
            "blockTradeId": "", "closedSize": fmt(self.closed_size), "seq": self.seq,
            "isMaker": False, "extraFees": "",
        }


@dataclass
class Account:
    """Everything the fake keeps for one API key."""

    api_key: str
    api_secret: str
    env: str
    position_mode: PositionMode
    can_trade: bool
    balances: dict[str, Decimal]
    positions: dict[tuple[str, int], Position] = field(default_factory=dict)
    leverage: dict[str, Decimal] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    link_ids: dict[str, str] = field(default_factory=dict)
    executions: list[Execution] = field(default_factory=list)

    def balance(self, coin: str) -> Decimal:
        """Return the wallet balance of ``coin`` (0 if never held)."""
        return self.balances.get(coin, ZERO)

    @property
    def usdt(self) -> Decimal:
        """Return the USDT wallet balance."""
        return self.balance("USDT")

    def position_indexes(self) -> tuple[int, ...]:
        """Return the positionIdx values valid in the current mode."""
        return (0,) if self.position_mode == ONE_WAY else (1, 2)

    def position(self, symbol: str, idx: int | None = None) -> Position:
        """Return (creating if needed) the row of ``symbol``; idx defaults to 0 / long row."""
        key = (symbol, self.position_indexes()[0] if idx is None else idx)
        if key not in self.positions:
            self.positions[key] = Position(symbol=symbol, position_idx=key[1])
        return self.positions[key]

    def position_rows(self, symbol: str) -> list[Position]:
        """Return every row of ``symbol`` for the current mode, empty rows FIRST (like Bybit)."""
        rows = [self.position(symbol, idx) for idx in self.position_indexes()]
        return sorted(rows, key=lambda row: (row.is_open, row.position_idx))

    def open_positions(self) -> list[Position]:
        """Return every non-zero position row."""
        return [p for p in self.positions.values() if p.is_open]

    def leverage_for(self, symbol: str) -> Decimal:
        """Return the leverage of ``symbol`` (default 10)."""
        return self.leverage.get(symbol, Decimal("10"))

    def order_by_link(self, order_link_id: str) -> Order | None:
        """Return the order with this orderLinkId, if any."""
        order_id = self.link_ids.get(order_link_id)
        return self.orders.get(order_id) if order_id else None

    def unrealised_pnl(self, market: Market) -> Decimal:
        """Return the sum of unrealised PnL over open positions."""
        return sum((p.unrealised_pnl(market.price(p.symbol)) for p in self.open_positions()),
                   ZERO)

    def position_im(self) -> Decimal:
        """Return the initial margin held by open positions."""
        return sum((p.initial_margin(self.leverage_for(p.symbol)) for p in self.open_positions()),
                   ZERO)

    def position_mm(self) -> Decimal:
        """Return the maintenance margin of open positions (flat 0.5 % rate)."""
        return sum((p.size * p.avg_price * MAINTENANCE_RATE for p in self.open_positions()), ZERO)

    def available_usdt(self, market: Market) -> Decimal:
        """Return USDT available for new margin: equity minus position margin."""
        return self.usdt + self.unrealised_pnl(market) - self.position_im()

    def wallet_json(self, market: Market, coins: list[str] | None) -> dict[str, Any]:
        """Return the /v5/account/wallet-balance result (UNIFIED shape)."""
        names = coins if coins else [c for c, v in self.balances.items() if v != 0]
        upnl = self.unrealised_pnl(market)
        im = self.position_im()
        items = [self._coin_json(market, name, upnl, im) for name in names]
        equity = sum((self._usd(market, c, v) for c, v in self.balances.items()), ZERO) + upnl
        mm = self.position_mm()
        return {"list": [{
            "accountType": "UNIFIED", "accountLTV": "0",
            "accountIMRate": fmt((im / equity).quantize(RATE) if equity else ZERO),
            "accountMMRate": fmt((mm / equity).quantize(RATE) if equity else ZERO),
            "totalEquity": fmt(equity), "totalWalletBalance": fmt(equity - upnl),
            "totalMarginBalance": fmt(equity), "totalAvailableBalance": fmt(equity - im),
            "totalPerpUPL": fmt(upnl), "totalInitialMargin": fmt(im),
            "totalMaintenanceMargin": fmt(mm), "coin": items,
        }]}

    def account_info_json(self, server_ms: int) -> dict[str, Any]:
        """Return the /v5/account/info result (a unified account in regular cross margin)."""
        return {"unifiedMarginStatus": 4, "marginMode": "REGULAR_MARGIN",
                "isMasterTrader": False, "spotHedgingStatus": "OFF",
                "updatedTime": str(server_ms), "dcpStatus": "OFF", "timeWindow": 10,
                "smpGroup": 0}

    def api_key_json(self) -> dict[str, Any]:
        """Return the /v5/user/query-api result; ``readOnly`` follows ``can_trade``."""
        trade = ["Order", "Position"] if self.can_trade else []
        return {"id": "1", "note": self.env, "apiKey": self.api_key,
                "readOnly": 0 if self.can_trade else 1, "secret": "",
                "permissions": {"ContractTrade": trade,
                                "Spot": ["SpotTrade"] if self.can_trade else [],
                                "Wallet": ["AccountTransfer"], "Options": [], "Derivatives": [],
                                "Exchange": [], "Earn": [], "NFT": [], "CopyTrading": [],
                                "BlockTrade": [], "Affiliate": []},
                "ips": ["*"], "type": 1, "deadlineDay": 90, "expiredAt": "",
                "createdAt": "2024-01-01T00:00:00Z", "unified": 0, "uta": 1, "userID": 1,
                "inviterID": 0, "vipLevel": "No VIP", "mktMakerLevel": "0", "affiliateID": 0,
                "rsaPublicKey": "", "isMaster": True, "parentUid": "0",
                "kycLevel": "LEVEL_DEFAULT", "kycRegion": ""}

    def _usd(self, market: Market, coin: str, amount: Decimal) -> Decimal:
        if coin in ("USDT", "USDC"):
            return amount
        return amount * market.prices.get(f"{coin}USDT", ZERO)

    def _coin_json(self, market: Market, coin: str, upnl: Decimal,
                   im: Decimal) -> dict[str, Any]:
        wallet = self.balance(coin)
        is_usdt = coin == "USDT"
        coin_upnl = upnl if is_usdt else ZERO
        cum = sum((p.cum_realised_pnl for p in self.positions.values()), ZERO) if is_usdt else ZERO
        return {
            "coin": coin, "equity": fmt(wallet + coin_upnl),
            "usdValue": fmt(self._usd(market, coin, wallet + coin_upnl)),
            "walletBalance": fmt(wallet), "free": "", "locked": "0", "spotHedgingQty": "0",
            "borrowAmount": "0", "availableToWithdraw": "", "availableToBorrow": "",
            "accruedInterest": "0", "totalOrderIM": "0",
            "totalPositionIM": fmt(im if is_usdt else ZERO),
            "totalPositionMM": fmt(self.position_mm() if is_usdt else ZERO),
            "unrealisedPnl": fmt(coin_upnl), "cumRealisedPnl": fmt(cum), "bonus": "0",
            "marginCollateral": True, "collateralSwitch": True, "spotBorrow": "0",
        }


def positions_json(account: Account, market: Market, rows: list[Position]) -> dict[str, Any]:
    """Return the /v5/position/list result for ``rows``."""
    items = [r.as_json(market.price(r.symbol), account.leverage_for(r.symbol)) for r in rows]
    return {"list": items, "nextPageCursor": "", "category": LINEAR}
