"""A channel alert's expansion into one signal row per subscriber, and the alert's signal as
stored once. `expand_batch` gives the next subscribers (by user id, after the alert's `cursor`)
their signal rows and moves the cursor, in one transaction: after a crash the expansion resumes
from the cursor, nobody skipped, and the unique (channel_alert_id, user_id) index makes a second
row for a subscriber impossible. Each row carries the subscriber's own sizing; one who cannot
trade now gets a `rejected` row that says why (in the journal's English; Telegram writes its
own from the catalogs).
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from bot.plans import ExitPlan
from bot.signals import Signal
from bot.vocabulary import ChannelAlertStatus, CopyMode, SignalStatus
from bot.wire import decimal_text, stored_decimal

CHANNEL_ROUTE = "channel"  # the journal's route of a channel's signal
EXPAND_BATCH = 200  # subscribers given their rows in one transaction

# Why a subscriber got no order from an alert: the row's error code and its sentence.
REFUSALS = {
    "inactive": "your account is not active (an admin has not approved it, or blocked it), "
                "so the channel's alert was not traded for you",
    "paused": "trading is paused for your account, so the channel's alert was not traded: "
              "send /resume to trade again",
    "entries_paused": "new entries are paused for your account, so the channel's {action} was "
                      "not traded (closes still are): send /resume to trade again",
    "no_keys": "your account is set to {account} but no {account} API keys are stored, so the "
               "channel's alert was not traded: send /keys {account} <api_key> <api_secret>, "
               "or /set account paper",
}


@dataclass(frozen=True)
class Expanded:
    """One subscriber's signal row, as an expansion step wrote it."""

    signal_id: int
    user_id: int
    status: SignalStatus  # queued | awaiting | rejected
    signal: Signal  # with the subscriber's sizing
    error_code: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Expansion:
    """One step of an alert's expansion."""

    alert_id: int
    channel_id: int
    received_at: float
    rows: tuple[Expanded, ...]
    done: bool  # every subscriber has their row now


# --- the alert's signal, stored once ----------------------------------------------------------

def signal_to_json(signal: Signal) -> str:
    return json.dumps({
        "symbol": signal.symbol, "action": signal.action, "position": signal.position,
        "position_turned": signal.position_turned,
        "price": decimal_text(signal.price), "qty": decimal_text(signal.qty),
        "exits": signal.exits.to_json() if signal.exits is not None else None,
        "client_id": signal.client_id, "timestamp": signal.timestamp,
        "amount": decimal_text(signal.amount), "leverage": signal.leverage,
        "qty_percent": decimal_text(signal.qty_percent)}, separators=(",", ":"))


def signal_from_json(text: str) -> Signal:
    data: dict[str, Any] = json.loads(text)
    return Signal(
        symbol=data["symbol"], action=data["action"], position=data["position"],
        position_turned=bool(data.get("position_turned")),  # absent: stored before it was
        price=stored_decimal(data["price"]), qty=stored_decimal(data["qty"]),
        exits=ExitPlan.from_json(data["exits"]), client_id=data["client_id"],
        timestamp=data["timestamp"], amount=stored_decimal(data["amount"]),
        leverage=data["leverage"], qty_percent=stored_decimal(data["qty_percent"]))


def sized(signal: Signal, amount: Decimal | None, amount_percent: Decimal | None,
          leverage: int | None) -> Signal:
    """The alert as one subscriber trades it.

    Their fixed amount or percent replaces the alert's sizing (its `amount` and `qty`); without
    either the alert is sized as sent (else by the subscriber's own /set amount). Their
    leverage replaces the alert's; without it the alert's applies (else their own setting).
    The alert's `id` stays with the channel's alert: the subscriber's row has none, so it
    never makes one of their own alerts a duplicate.
    """
    changes: dict[str, Any] = {"client_id": None}
    if amount is not None or amount_percent is not None:
        changes.update(amount=amount, amount_percent=amount_percent, qty=None)
    if leverage is not None:
        changes["leverage"] = leverage
    return replace(signal, **changes)


# --- expanding it -----------------------------------------------------------------------------

_SUBSCRIBERS = """
SELECT s.user_id, s.amount, s.amount_percent, s.leverage, s.mode, u.is_active,
       st.paused, st.entries_paused, st.account_type,
       EXISTS (SELECT 1 FROM api_keys k WHERE k.user_id = s.user_id
               AND k.account_type = st.account_type) AS has_keys
FROM subscriptions s
JOIN users u ON u.id = s.user_id
JOIN user_settings st ON st.user_id = s.user_id
WHERE s.channel_id = ? AND s.active = 1 AND s.user_id > ?
ORDER BY s.user_id LIMIT ?
"""

_INSERT_SIGNAL = """
INSERT INTO signals (user_id, route, source_ip, raw_body, symbol, action, position, price, qty,
    take_profit, stop_loss, signal_time, status, error_code, error, received_at, finished_at,
    amount, leverage, qty_percent, exits, amount_percent, channel_alert_id, position_turned)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (channel_alert_id, user_id) WHERE channel_alert_id IS NOT NULL DO NOTHING
"""


def _refusal(row: sqlite3.Row, signal: Signal) -> tuple[str, str] | None:
    """Why this subscriber cannot trade the alert now, or None."""
    if not row["is_active"]:
        return "inactive", REFUSALS["inactive"]
    if row["paused"]:
        return "paused", REFUSALS["paused"]
    # It would open a position (one `position` turned is the planner's to refuse, if it does).
    if row["entries_paused"] and signal.intent.side is not None and not signal.position_turned:
        return "entries_paused", REFUSALS["entries_paused"].format(action=signal.action)
    account = row["account_type"]
    if account != "paper" and not row["has_keys"]:
        return "no_keys", REFUSALS["no_keys"].format(account=account)
    return None


def _level(signal: Signal, which: str) -> str | None:
    level = getattr(signal, which)
    return None if level is None else str(level)


def expand_batch(conn: sqlite3.Connection, alert_id: int, limit: int) -> Expansion:
    """Give the next `limit` subscribers their rows and move the cursor past them."""
    alert = conn.execute("SELECT * FROM channel_alerts WHERE id = ?", (alert_id,)).fetchone()
    if alert is None or alert["status"] != ChannelAlertStatus.EXPANDING:
        return Expansion(alert_id, alert["channel_id"] if alert else 0,
                         alert["received_at"] if alert else 0.0, (), True)
    signal = signal_from_json(alert["signal"])
    subscribers = conn.execute(_SUBSCRIBERS, (alert["channel_id"], alert["cursor"],
                                              limit)).fetchall()
    now = time.time()
    rows: list[Expanded] = []
    for sub in subscribers:
        mine = sized(signal, stored_decimal(sub["amount"]), stored_decimal(sub["amount_percent"]),
                     sub["leverage"])
        refusal = _refusal(sub, signal)
        if refusal is not None:
            status, (code, error) = SignalStatus.REJECTED, refusal
        else:
            status, code, error = (SignalStatus.AWAITING if sub["mode"] == CopyMode.CONFIRM
                                   else SignalStatus.QUEUED), None, None
        cursor = conn.execute(_INSERT_SIGNAL, (
            sub["user_id"], CHANNEL_ROUTE, alert["source_ip"], alert["raw_body"], mine.symbol,
            mine.action, mine.position, decimal_text(mine.price), decimal_text(mine.qty),
            _level(mine, "take_profit"), _level(mine, "stop_loss"), mine.timestamp, status,
            code, error, alert["received_at"], now if status.is_final else None,
            decimal_text(mine.amount), mine.leverage, decimal_text(mine.qty_percent),
            mine.exits.to_json() if mine.exits is not None else None,
            decimal_text(mine.amount_percent), alert_id, mine.position_turned))
        if cursor.rowcount:
            assert cursor.lastrowid is not None
            rows.append(Expanded(cursor.lastrowid, sub["user_id"], status, mine, code, error))
    done = len(subscribers) < limit
    last = subscribers[-1]["user_id"] if subscribers else alert["cursor"]
    conn.execute(
        "UPDATE channel_alerts SET cursor = ?, expanded = expanded + ?, status = ?,"
        " finished_at = ? WHERE id = ?",
        (last, len(rows), ChannelAlertStatus.EXPANDED if done else ChannelAlertStatus.EXPANDING,
         now if done else None, alert_id))
    return Expansion(alert_id, alert["channel_id"], alert["received_at"], tuple(rows), done)
