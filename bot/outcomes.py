"""What happened to a signal, as data: the executor's `Outcome` and `SignalFinished`.

These values cross layers — trading produces them, the journal (as JSON), the notifier and the
dashboard read them — so they live here, importing nothing but the vocabulary and other value
types. Numbers stay `Decimal` and errors stay `Failure`s (code, key, values): sentences are
written by whoever shows them, in the reader's language (bot/handlers/reports.py,
bot/i18n/results.py).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from bot.db.orders import OrderRecord
from bot.errors import Failure
from bot.plans import ResolvedExits
from bot.signals import Signal
from bot.vocabulary import (
    AccountType,
    Category,
    Leg,
    MarketType,
    OrderStatus,
    OutcomeKind,
    Side,
    SignalStatus,
)

__all__ = ["Failure", "NullReporter", "Outcome", "PositionEvent", "Reporter",
           "SignalFinished", "SignalReport"]


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
    kept: bool = False  # skipped: the alert's `position` is the side held (a partial exit)
    base_coin: str | None = None  # spot
    close_share: Decimal | None = None  # a close asked for this percent of the position
    closed_all_instead: bool = False  # ... but the rest would have been below the minimum
    exits: ResolvedExits | None = None  # what an opening placed to close its position
    exit_notes: tuple[Failure, ...] = ()  # exits asked for but not (all) placed, and why
    stop_loss: Decimal | None = None  # protected: the stop now set
    trailing: Decimal | None = None  # protected: the trailing distance now set
    failure: Failure | None = None

    @property
    def error_code(self) -> str | None:
        return self.failure.code if self.failure is not None else None

    @property
    def done(self) -> bool:
        return self.status == SignalStatus.DONE

    # --- JSON (the journal's `outcome`: a report rebuilt from it reads as the live one) ---

    def to_json(self) -> str:
        data = {
            "status": self.status, "kind": self.kind, "symbol": self.symbol,
            "action": self.action, "account": self.account, "market": self.market,
            "legs": [_leg_data(leg) for leg in self.legs], "leverage": self.leverage,
            "held": _text(self.held), "held_side": self.held_side, "kept": self.kept,
            "base_coin": self.base_coin, "close_share": _text(self.close_share),
            "closed_all_instead": self.closed_all_instead,
            "exits": None if self.exits is None else json.loads(self.exits.to_json()),
            "exit_notes": [note.to_data() for note in self.exit_notes],
            "stop_loss": _text(self.stop_loss), "trailing": _text(self.trailing),
            "failure": None if self.failure is None else self.failure.to_data()}
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    @staticmethod
    def from_json(text: str | None) -> Outcome | None:
        """The stored outcome; None for a row from before outcomes were stored."""
        if not text:
            return None
        data = json.loads(text)
        exits = data.get("exits")
        return Outcome(
            SignalStatus(data["status"]), OutcomeKind(data["kind"]), data["symbol"],
            action=data.get("action"), account=_member(AccountType, data.get("account")),
            market=_member(MarketType, data.get("market")),
            legs=tuple(_leg_from(leg) for leg in data.get("legs") or ()),
            leverage=data.get("leverage"), held=_number(data.get("held")),
            held_side=_member(Side, data.get("held_side")), kept=bool(data.get("kept")),
            base_coin=data.get("base_coin"),
            close_share=_number(data.get("close_share")),
            closed_all_instead=bool(data.get("closed_all_instead")),
            exits=None if exits is None else ResolvedExits.from_json(json.dumps(exits)),
            exit_notes=tuple(Failure.from_data(n) for n in data.get("exit_notes") or ()),
            stop_loss=_number(data.get("stop_loss")), trailing=_number(data.get("trailing")),
            failure=None if data.get("failure") is None else Failure.from_data(
                data["failure"]))


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _member(kind: Any, value: str | None) -> Any:
    return None if value is None else kind(value)


_LEG_NUMBERS = ("qty", "filled_qty", "avg_price", "fee", "realised_pnl")


def _leg_data(leg: OrderRecord) -> dict[str, Any]:
    """A leg as its report shows it (the `orders` row stays the record of the order)."""
    data: dict[str, Any] = {
        "signal_id": leg.signal_id, "user_id": leg.user_id, "leg": leg.leg,
        "order_link_id": leg.order_link_id, "account_type": leg.account_type,
        "category": leg.category, "symbol": leg.symbol, "side": leg.side,
        "reduce_only": leg.reduce_only, "status": leg.status, "leverage": leg.leverage,
        "exchange_order_id": leg.exchange_order_id, "fee_currency": leg.fee_currency,
        "error": leg.error, "created_at": leg.created_at}
    data.update({name: _text(getattr(leg, name)) for name in _LEG_NUMBERS})
    return data


def _leg_from(data: dict[str, Any]) -> OrderRecord:
    return OrderRecord(
        signal_id=data["signal_id"], user_id=data["user_id"], leg=Leg(data["leg"]),
        order_link_id=data["order_link_id"], account_type=AccountType(data["account_type"]),
        category=Category(data["category"]), symbol=data["symbol"], side=Side(data["side"]),
        qty=Decimal(data["qty"]), reduce_only=data["reduce_only"],
        status=OrderStatus(data["status"]), leverage=data.get("leverage"),
        exchange_order_id=data.get("exchange_order_id"),
        filled_qty=_number(data.get("filled_qty")), avg_price=_number(data.get("avg_price")),
        fee=_number(data.get("fee")), fee_currency=data.get("fee_currency"),
        realised_pnl=_number(data.get("realised_pnl")), error=data.get("error"),
        created_at=data.get("created_at") or 0.0)


@dataclass(frozen=True)
class SignalFinished:
    """A signal reached its final state: the event the processor publishes on the hub and
    the owner's report (`Reporter.report`). Data only — status, kind, legs, numbers, the
    error's code and values — so Telegram and the dashboard write it in each reader's
    language when they send it, and one rebuilt from the journal after a restart reads the
    same."""

    signal_id: int
    user_id: int
    route: str
    signal: Signal | None
    outcome: Outcome
    at: float = field(default_factory=time.time)
    # A journal row from before outcomes were stored has only its English line: said as is.
    stored_line: str | None = None

    @property
    def status(self) -> SignalStatus:
        return self.outcome.status

    @property
    def kind(self) -> OutcomeKind:
        return self.outcome.kind

    @property
    def error_code(self) -> str | None:
        return self.outcome.error_code

    @property
    def failure(self) -> Failure | None:
        return self.outcome.failure

    @property
    def symbol(self) -> str:
        if self.signal is not None:
            return self.signal.symbol
        return self.outcome.symbol or "?"


SignalReport = SignalFinished  # the notifier's name for it


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
    pnl: Decimal | None  # realised, before the fee
    stop_moved_to: Decimal | None = None
    fee: Decimal | None = None  # the fees of what it closed (its own, its entry's), in USDT

    @property
    def pnl_after_fee(self) -> Decimal | None:
        """What the trader reads: the target's realised PnL minus its fee."""
        return None if self.pnl is None else self.pnl - (self.fee or Decimal(0))


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
