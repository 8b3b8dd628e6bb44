"""What the dashboard may read: one narrow, read-only object instead of the service.

The page, its WebSocket, the chart series and `/chart`'s picture ask `DashboardFacade` and
nothing else. It changes nothing: no settings, no orders, no keys. Positions come raw from
here; `PositionReader` (bot/web/dashboard.py) is the only caller of `exchange_positions` and
caches its answers, so reloading pages never adds load on a trading account.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from bot.db import SignalRecord
from bot.db.orders import OrderRecord
from bot.db.plans import PositionPlan
from bot.events import Subscription
from bot.models import User, UserSettings


class OpenPosition(Protocol):
    """One position row as the dashboard shows it (paper ledger or Bybit alike)."""

    @property
    def symbol(self) -> str: ...

    @property
    def side(self) -> str: ...

    @property
    def size(self) -> Decimal: ...

    @property
    def avg_price(self) -> Decimal: ...

    @property
    def leverage(self) -> Decimal | int | None: ...

    @property
    def mark_price(self) -> Decimal | None: ...

    @property
    def unrealised_pnl(self) -> Decimal | None: ...

    @property
    def return_on_margin(self) -> Decimal | None: ...

    @property
    def stop_loss(self) -> Decimal | None:
        """The stop the account holds now (after a move to break-even, the moved one)."""
        ...

    @property
    def take_profit(self) -> Decimal | None: ...


@dataclass(frozen=True)
class PaperAccount:
    """The paper ledger of one user: every position row it keeps, and the USDT balance."""

    positions: Sequence[OpenPosition]
    balance: Decimal


class DashboardFacade(Protocol):
    """The service as the dashboard sees it."""

    async def account(self, user_id: int) -> tuple[User, UserSettings] | None:
        """The user and their settings; None for an unknown user. `DatabaseUnavailable` if
        the database cannot be read."""
        ...

    async def recent_signals(self, user_id: int, limit: int) -> list[SignalRecord]:
        """The user's last signals, newest first."""
        ...

    async def recent_orders(self, user_id: int, limit: int) -> list[OrderRecord]:
        """The user's last orders, newest first."""
        ...

    def is_paper(self, account_type: str) -> bool:
        """Whether this account type's positions come from the local paper ledger."""
        ...

    async def paper_account(self, user_id: int) -> PaperAccount: ...

    async def exchange_positions(self, user_id: int,
                                 account_type: str) -> tuple[list[OpenPosition], bool]:
        """The account's open positions, and whether they are live (from a synced stream)
        rather than one REST read; raises `BotError` if Bybit cannot be asked."""
        ...

    async def open_plans(self, user_id: int, account_type: str) -> list[PositionPlan]:
        """The plans (exits as placed, targets filled, break-even) of the account's positions
        not closed yet, oldest first."""
        ...

    def subscribe(self, user_id: int) -> Subscription:
        """Start receiving the user's events (signals as they change, position events)."""
        ...

    def unsubscribe(self, subscription: Subscription) -> None: ...
