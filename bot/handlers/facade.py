"""What the Telegram handlers may read and do: one narrow object instead of the service.

Like freqtrade's Telegram class asking its `RPC` object, every handler asks `HandlerFacade`;
none reaches the database, the dispatcher or an exchange any other way. `bot.facades` builds
the real one from the service's parts; a test can hand the handlers any object with these
methods and start nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from bot.config import LimitsConfig
from bot.db import SignalRecord
from bot.db.orders import OrderRecord
from bot.db.plans import PositionPlan
from bot.handlers.channel_facade import ChannelFacade
from bot.models import User, UserSettings
from bot.signals import Signal
from bot.trading.models import Balance, InstrumentRules, KeyCheck, Position

Account = tuple[User, UserSettings]


@dataclass(frozen=True)
class QueueState:
    """The execution queue, for /stats."""

    depth: int  # signals waiting for a lane
    running: int  # signals executing now


@dataclass(frozen=True)
class DashboardLink:
    """A read-only link to one user's dashboard, as /dashboard sends it."""

    url: str
    lifetime_s: int  # how long it works from now, unless revoked sooner


@dataclass(frozen=True)
class Profit:
    """Realised futures PnL of one account over a period, for /profit.

    `net` is the realised PnL of every closing (reduce-only) fill minus every futures fee paid
    in the period, opening fees included, in USDT. A closing trade is one closing fill; it is
    won when its realised PnL is above its own fee.
    """

    net: Decimal
    fees: Decimal
    closing_trades: int
    wins: int
    by_symbol: tuple[tuple[str, Decimal], ...] = ()  # symbols with a close: net, best first

    @property
    def win_rate(self) -> Decimal | None:
        """Won closing trades in percent; None when nothing was closed."""
        if not self.closing_trades:
            return None
        return Decimal(self.wins * 100) / self.closing_trades

    @property
    def best(self) -> tuple[str, Decimal] | None:
        return self.by_symbol[0] if self.by_symbol else None

    @property
    def worst(self) -> tuple[str, Decimal] | None:
        return self.by_symbol[-1] if len(self.by_symbol) > 1 else None


class HandlerFacade(Protocol):
    """The service as the Telegram handlers see it."""

    channels: ChannelFacade  # signal channels and subscriptions

    @property
    def limits(self) -> LimitsConfig:
        """The bounds /set enforces (largest amount, largest leverage)."""
        ...

    # --- people ---

    async def account(self, user_id: int) -> Account | None:
        """The user and their settings, or None if they never registered."""
        ...

    async def user(self, user_id: int) -> User | None: ...

    async def settings(self, user_id: int) -> UserSettings: ...

    async def admin_ids(self) -> set[int]:
        """Every admin: config's telegram.admin_ids and active users marked admin."""
        ...

    def is_configured_admin(self, user_id: int) -> bool:
        """Whether config.yaml names this user an admin (no approval needed)."""
        ...

    async def list_users(self, *, offset: int, limit: int) -> list[Account]: ...

    async def count_users(self) -> dict[str, int]:
        """`total` and `active`."""
        ...

    async def register(self, user_id: int, *, username: str | None, first_name: str | None,
                       last_name: str | None, language_code: str | None
                       ) -> tuple[User, bool]:
        """Create an inactive account with the default settings; True if it is new."""
        ...

    async def set_active(self, user_id: int, active: bool) -> User: ...

    async def set_language(self, user_id: int, language: str) -> None: ...

    async def rotate_token(self, user_id: int) -> User:
        """Give the user a new webhook token (and end their dashboard links); return the user
        with it."""
        ...

    async def revoke_dashboard_links(self, user_id: int) -> None:
        """End every dashboard link sent to the user so far; open pages close."""
        ...

    async def update_settings(self, user_id: int, **changes: object) -> UserSettings: ...

    # --- addresses ---

    def webhook_url(self, user: User) -> str:
        """The personal webhook URL, token included: only for its owner's eyes."""
        ...

    def dashboard_link(self, user: User) -> DashboardLink:
        """A new read-only, expiring link to the user's dashboard."""
        ...

    # --- API keys ---

    async def key_accounts(self, user_id: int) -> set[str]:
        """The account types (demo, real) the user stored keys for."""
        ...

    async def check_keys(self, account: str, api_key: str, api_secret: str) -> KeyCheck:
        """Try keys on Bybit with a read-only call; nothing is stored."""
        ...

    async def store_keys(self, user_id: int, account: str, api_key: str,
                         api_secret: str) -> None:
        """Store keys (encrypted); the user's next signal uses them."""
        ...

    # --- what the trader holds and did ---

    async def open_positions(self, user_id: int, account: str) -> list[Position]: ...

    async def open_plans(self, user_id: int, account: str) -> list[PositionPlan]:
        """The plans of the account's positions not closed yet (exits as placed, targets
        filled, break-even), oldest first."""
        ...

    async def balance(self, user_id: int, account: str) -> Balance:
        """The account's USDT balance."""
        ...

    async def spot_holdings(self, user_id: int, account: str) -> list[tuple[str, Decimal]]:
        """The spot coins this bot bought and still holds, by symbol."""
        ...

    async def recent_signals(self, user_id: int, limit: int) -> list[SignalRecord]:
        """The user's last signals, newest first."""
        ...

    async def recent_orders(self, user_id: int, limit: int) -> list[OrderRecord]:
        """The user's last orders (every account), newest first."""
        ...

    async def instrument(self, user_id: int, account: str, symbol: str) -> InstrumentRules:
        """A futures symbol's rules (qtyStep, tick, minimum) as the account's exchange has them."""
        ...

    async def profit(self, user_id: int, account: str, since: float = 0.0) -> Profit:
        """Realised futures PnL after fees of the account since `since` (a Unix time)."""
        ...

    # --- acting from Telegram ---

    async def submit_action(self, user_id: int, signal: Signal) -> int:
        """Journal a trader's action like an alert (route `telegram`) and queue it.

        Returns its signal id. It runs in the user's lane with its own orderLinkIds, and its
        outcome reaches the trader through the normal report. A repeat of the same request
        (the same `client_id`) is journaled as a duplicate and not run again: the id of the
        first is returned.
        """
        ...

    async def chart_png(self, user_id: int, symbol: str | None) -> bytes:
        """The PnL picture (and a symbol's trades); `BadSignal` for a bad symbol."""
        ...

    # --- operations ---

    async def signal_counts_since(self, since: float) -> dict[str, int]:
        """Signals by status received since `since`."""
        ...

    def queue(self) -> QueueState: ...
