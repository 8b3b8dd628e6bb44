"""Account state of the fake Bybit: balances, positions, orders, executions, and their JSON shapes.

The matching engine (``bybit_orders.py``) mutates these objects; tests read them through
``FakeBybit.account(api_key)``. The rows themselves (``Position``, ``Order``, ``Execution``)
are in ``bybit_rows.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from tests.fakes.bybit_market import LINEAR, Market, fmt
from tests.fakes.bybit_rows import (
    MAINTENANCE_RATE,
    ZERO,
    Execution,
    Order,
    PartialStop,
    Position,
)

__all__ = ["HEDGE", "MAINTENANCE_RATE", "ONE_WAY", "ZERO", "Account", "Execution", "Order",
           "PartialStop", "Position", "PositionMode", "positions_json"]

ONE_WAY = "oneway"
HEDGE = "hedge"
PositionMode = Literal["oneway", "hedge"]
RATE = Decimal("0.0001")


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
    resting: dict[str, Order] = field(default_factory=dict)  # open Limit orders, by orderId

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
