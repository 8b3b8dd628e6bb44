"""The `Exchange` protocol: one vocabulary for Bybit and the paper simulator."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

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
from bot.vocabulary import AccountType, Category


class DuplicateOrder(Exception):
    """An order with this orderLinkId exists already (Bybit 110072): look it up, don't resend."""


class Exchange(Protocol):
    """What the executor needs from an account; adapters never leak their wire types."""

    account_type: AccountType

    async def instrument(self, category: Category, symbol: str) -> InstrumentRules:
        """Return the symbol's trading rules (cached by the adapter)."""
        ...

    async def last_price(self, category: Category, symbol: str) -> Decimal:
        """Return the last traded price."""
        ...

    async def positions(self, symbol: str) -> PositionBook:
        """Return every linear position row for the symbol and the position mode."""
        ...

    async def open_positions(self) -> list[Position]:
        """Return every open linear USDT position of the account (for /positions)."""
        ...

    async def balance(self, coin: str) -> Balance:
        """Return the wallet balance of one coin."""
        ...

    async def set_leverage(self, symbol: str, leverage: int) -> None:
        """Set buy and sell leverage; "not modified" counts as success."""
        ...

    async def place_order(self, request: OrderRequest) -> str:
        """Place a market order; return the exchange's order id. Raises DuplicateOrder."""
        ...

    async def find_order(self, category: Category, symbol: str,
                         order_link_id: str) -> OrderResult | None:
        """Look an order up by its orderLinkId, whatever its status."""
        ...

    async def wait_for_fill(self, category: Category, symbol: str,
                            order_link_id: str) -> OrderResult | None:
        """The result of an order just placed (its fill), by the cheapest way that is sure."""
        ...

    async def place_targets(self, requests: list[OrderRequest]) -> list[Placement]:
        """Place reduce-only limit orders (a take-profit ladder) at once; per order, whether
        it is placed. An order already there (same orderLinkId) counts as placed."""
        ...

    async def cancel_targets(self, symbol: str, order_link_ids: list[str]) -> None:
        """Cancel these resting orders; one that already filled or ended is no error."""
        ...

    async def protect(self, symbol: str, position_idx: int, protection: Protection) -> None:
        """Set the position's stop-loss, take-profit or trailing stop; the same again is
        no error."""
        ...

    async def check_keys(self) -> KeyCheck:
        """Try the account's keys with a read-only call."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
