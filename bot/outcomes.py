"""What happened to a signal, as data: the executor's `Outcome` and the owner's `SignalReport`.

These values cross layers — trading produces them, the journal, the notifier and the dashboard
read them — so they live here, importing nothing but the vocabulary and other value types.
Numbers stay `Decimal` and codes stay codes: sentences are written by whoever shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from bot.db.orders import OrderRecord
from bot.models import UserSettings
from bot.plans import ResolvedExits
from bot.signals import Signal
from bot.vocabulary import AccountType, MarketType, OutcomeKind, Side, SignalStatus


@dataclass(frozen=True)
class Failure:
    """Why a signal was not (fully) executed: a machine code and what the trader can do."""

    code: str
    message: str


@dataclass(frozen=True)
class Outcome:
    """The result of executing one signal for one user."""

    status: SignalStatus  # done | failed | expired
    kind: OutcomeKind
    symbol: str
    action: str | None = None
    account: AccountType | None = None
    market: MarketType | None = None
    legs: tuple[OrderRecord, ...] = ()  # every order of the signal, in the order placed
    leverage: int | None = None  # futures: the leverage the opening leg used
    held: Decimal | None = None  # skipped: the size already open (futures) or held (spot)
    held_side: Side | None = None
    base_coin: str | None = None  # spot
    close_share: Decimal | None = None  # a close asked for this percent of the position
    closed_all_instead: bool = False  # ... but the rest would have been below the minimum
    exits: ResolvedExits | None = None  # what an opening placed to close its position
    exit_notes: tuple[str, ...] = ()  # exits asked for but not (all) placed, and why
    stop_loss: Decimal | None = None  # protected: the stop now set
    trailing: Decimal | None = None  # protected: the trailing distance now set
    failure: Failure | None = None

    @property
    def error_code(self) -> str | None:
        return self.failure.code if self.failure is not None else None

    @property
    def done(self) -> bool:
        return self.status == SignalStatus.DONE


@dataclass(frozen=True)
class SignalReport:
    """What finally happened to a signal, for its owner.

    `outcome` is there when the report comes straight from execution; a report rebuilt from
    the journal after a restart has only the journal's `summary` and status.
    """

    signal_id: int
    user_id: int
    route: str
    signal: Signal | None
    status: SignalStatus
    summary: str
    outcome: Outcome | None = None
    error_code: str | None = None
    settings: UserSettings | None = None

    @property
    def kind(self) -> OutcomeKind | None:
        return self.outcome.kind if self.outcome is not None else None

    @property
    def symbol(self) -> str:
        if self.signal is not None:
            return self.signal.symbol
        return self.outcome.symbol if self.outcome is not None else "?"


@dataclass(frozen=True)
class PositionEvent:
    """Something that happened to a position between alerts: a ladder target filled (and,
    maybe, the stop moved to break-even)."""

    user_id: int
    account: AccountType
    symbol: str
    kind: str  # target_filled
    signal_id: int  # the opening's
    target: int
    targets: int
    qty: Decimal
    price: Decimal | None
    pnl: Decimal | None
    stop_moved_to: Decimal | None = None


class Reporter(Protocol):
    def report(self, report: SignalReport) -> None:
        """Queue the owner's message; must return at once."""
        ...

    def report_event(self, event: PositionEvent) -> None:
        """Queue the owner's message about a position event; must return at once."""
        ...


class NullReporter:
    """No Telegram bot: the journal and the logs are the record."""

    def report(self, report: SignalReport) -> None:
        return None

    def report_event(self, event: PositionEvent) -> None:
        return None
