"""Domain values shared by every layer: users and their trading settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from bot.plans import ExitPlan
from bot.vocabulary import AccountType, MarketType

LEGACY_USER_ID = 0  # the legacy /webhook's default account; Telegram ids are positive


@dataclass(frozen=True)
class UserSettings:
    market_type: MarketType
    trade_amount: Decimal  # margin in USDT
    leverage: int
    account_type: AccountType
    paused: bool = False  # /pause all: every alert is refused (and told)
    pyramiding: bool = False
    # The trader's default exits (/set sl|tp|trailing|be), all percents of the entry except a
    # trailing distance: used for an opening whose alert brings no exits of its own.
    exits: ExitPlan | None = None
    # /pause entries: alerts that would open a position are refused (and told); closes, exits
    # and actions from Telegram still run. /resume ends either pause.
    entries_paused: bool = False
    # The trader's time zone (/set tz): an IANA name (Asia/Riyadh) or a fixed offset (+03:00).
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        # Read from the database or typed by a person: a plain string becomes its member here
        # (and a value outside the vocabulary is an error at once, not a surprise later).
        object.__setattr__(self, "market_type", MarketType(self.market_type))
        object.__setattr__(self, "account_type", AccountType(self.account_type))

    @property
    def pause(self) -> str | None:
        """`all`, `entries`, or None when trading."""
        if self.paused:
            return "all"
        return "entries" if self.entries_paused else None


@dataclass(frozen=True)
class User:
    id: int
    username: str | None
    first_name: str | None
    last_name: str | None
    language: str | None  # chosen with /language; None follows Telegram
    telegram_language: str | None
    is_active: bool
    is_admin: bool
    # The webhook token is never held in the clear: its keyed hash (HMAC-SHA256, hex) decides
    # each alert, and the sealed (Fernet) token is opened only where it is shown to its owner.
    token_digest: str = field(repr=False)
    token_sealed: bytes = field(repr=False)
    created_at: float
    dashboard_epoch: int = 0  # bumped by /dashboard revoke and /rotate: older links stop

    @property
    def display_name(self) -> str:
        name = " ".join(part for part in (self.first_name, self.last_name) if part)
        if self.username:
            return f"{name} (@{self.username})" if name else f"@{self.username}"
        return name or str(self.id)

    @property
    def is_legacy(self) -> bool:
        return self.id == LEGACY_USER_ID


@dataclass(frozen=True)
class ApiKeys:
    account_type: str  # demo | real
    api_key: str = field(repr=False)
    api_secret: str = field(repr=False)
