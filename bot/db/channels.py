"""Signal channels and their subscriptions (DESIGN §12).

A channel has a short code (its webhook is `/channel/<code>/webhook`) and a token stored like a
user's (bot/db/tokens.py): its keyed hash decides each alert, sealed it is shown to the admin
again. The channel's alerts live in `channel_alerts.py`, their expansion into signals in
`channel_expansion.py`.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bot.db.core import Database
from bot.db.tokens import SealedToken, TokenSeal
from bot.vocabulary import CopyMode
from bot.wire import decimal_text, stored_decimal

# Lower-case letters and digits a person cannot misread (no 0/o, 1/l/i).
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 6
MAX_CODE_TRIES = 8


class ChannelNotFound(LookupError):
    """No channel with that code or id."""


@dataclass(frozen=True)
class Channel:
    id: int
    code: str
    name: str
    owner_id: int
    token_digest: str = field(repr=False)
    token_sealed: bytes = field(repr=False)
    paused: bool
    created_at: float


@dataclass(frozen=True)
class Subscription:
    """One user's copy of one channel, with their own sizing.

    Sizing: `amount` (fixed USDT margin) or `amount_percent` (of the available USDT when the
    signal runs), else the alert's amount or the subscriber's own /set amount. `leverage`:
    theirs for every alert of the channel, or None for the alert's (else their own setting).
    """

    channel_id: int
    user_id: int
    amount: Decimal | None
    amount_percent: Decimal | None
    leverage: int | None
    mode: CopyMode
    active: bool
    created_at: float


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _channel(row: sqlite3.Row) -> Channel:
    return Channel(id=row["id"], code=row["code"], name=row["name"], owner_id=row["owner_id"],
                   token_digest=row["token_digest"], token_sealed=bytes(row["token_sealed"]),
                   paused=bool(row["paused"]), created_at=row["created_at"])


def _subscription(row: sqlite3.Row) -> Subscription:
    return Subscription(channel_id=row["channel_id"], user_id=row["user_id"],
                        amount=stored_decimal(row["amount"]),
                        amount_percent=stored_decimal(row["amount_percent"]),
                        leverage=row["leverage"], mode=CopyMode(row["mode"]),
                        active=bool(row["active"]), created_at=row["created_at"])


def _insert_channel(conn: sqlite3.Connection, owner_id: int, name: str,
                    token: SealedToken) -> Channel:
    now = time.time()
    for _ in range(MAX_CODE_TRIES):
        code = new_code()
        cursor = conn.execute(
            "INSERT OR IGNORE INTO channels (code, name, owner_id, token_digest, token_sealed,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (code, name, owner_id, token.digest, token.sealed, now, now))
        if cursor.rowcount:
            row = conn.execute("SELECT * FROM channels WHERE id = ?",
                               (cursor.lastrowid,)).fetchone()
            return _channel(row)
    raise RuntimeError("could not find a free channel code")  # 31^6 codes: never in practice


_COUNT_ACTIVE = "SELECT COUNT(*) FROM subscriptions WHERE channel_id = ? AND active = 1"


class ChannelRepo:
    """Async access to `channels` and `subscriptions`; caches channels by code for the
    webhook's hot path, with their count of active subscribers."""

    def __init__(self, db: Database, seal: TokenSeal) -> None:
        self._db = db
        self._seal = seal
        self._by_code: dict[str, tuple[Channel, int]] = {}
        self._generation = 0

    def invalidate(self) -> None:
        """Forget cached channels (another process, or a change here)."""
        self._generation += 1
        self._by_code.clear()

    # --- channels ---------------------------------------------------------------------------

    async def create(self, owner_id: int, name: str) -> tuple[Channel, str]:
        """A new channel with a fresh code and token; returns it and the token in the clear."""
        token, stored = self._seal.new()
        channel = await self._db.write(_insert_channel, owner_id, name, stored)
        return channel, token

    async def cached(self, code: str) -> tuple[Channel, int] | None:
        """The channel with this code and its active subscribers, from the cache if there."""
        found = self._by_code.get(code)
        if found is not None:
            return found
        generation = self._generation

        def fetch(conn: sqlite3.Connection) -> tuple[Channel, int] | None:
            row = conn.execute("SELECT * FROM channels WHERE code = ?", (code,)).fetchone()
            if row is None:
                return None
            return _channel(row), conn.execute(_COUNT_ACTIVE, (row["id"],)).fetchone()[0]

        found = await self._db.read(fetch)
        if found is not None and generation == self._generation:
            self._by_code[code] = found
        return found

    async def by_code(self, code: str) -> Channel | None:
        found = await self.cached(code)
        return None if found is None else found[0]

    async def by_id(self, channel_id: int) -> Channel | None:
        def fetch(conn: sqlite3.Connection) -> Channel | None:
            row = conn.execute("SELECT * FROM channels WHERE id = ?", (channel_id,)).fetchone()
            return None if row is None else _channel(row)

        return await self._db.read(fetch)

    def token_matches(self, channel: Channel, given: str | None) -> bool:
        """Whether `given` is the channel's token (keyed hash, constant-time compare)."""
        return self._seal.matches(given, channel.token_digest)

    def token(self, channel: Channel) -> str:
        """The channel's token in the clear, only to show it to its admin."""
        return self._seal.open(channel.token_sealed)

    async def rotate_token(self, channel_id: int) -> Channel:
        """A new token: the old URL stops working at once."""
        _, stored = self._seal.new()
        return await self._update(channel_id, "token_digest = ?, token_sealed = ?",
                                  stored.digest, stored.sealed)

    async def set_paused(self, channel_id: int, paused: bool) -> Channel:
        return await self._update(channel_id, "paused = ?", int(paused))

    async def _update(self, channel_id: int, assignments: str, *values: Any) -> Channel:
        def store(conn: sqlite3.Connection) -> Channel | None:
            conn.execute(f"UPDATE channels SET {assignments}, updated_at = ? WHERE id = ?",
                         (*values, time.time(), channel_id))
            row = conn.execute("SELECT * FROM channels WHERE id = ?", (channel_id,)).fetchone()
            return None if row is None else _channel(row)

        channel = await self._db.write(store)
        self.invalidate()
        if channel is None:
            raise ChannelNotFound(channel_id)
        return channel

    async def owned_by(self, owner_id: int) -> list[tuple[Channel, int]]:
        """The channels an admin made, oldest first, each with its active subscribers."""
        def fetch(conn: sqlite3.Connection) -> list[tuple[Channel, int]]:
            rows = conn.execute("SELECT * FROM channels WHERE owner_id = ? ORDER BY id",
                                (owner_id,)).fetchall()
            return [(_channel(row), conn.execute(_COUNT_ACTIVE, (row["id"],)).fetchone()[0])
                    for row in rows]

        return await self._db.read(fetch)

    # --- subscriptions ----------------------------------------------------------------------

    async def subscribe(self, channel_id: int, user_id: int) -> tuple[Subscription, bool]:
        """Subscribe (again); returns the subscription and whether it was not active before.
        A subscription that ended keeps its sizing when it starts again."""
        def store(conn: sqlite3.Connection) -> tuple[Subscription, bool]:
            now = time.time()
            before = conn.execute("SELECT active FROM subscriptions WHERE channel_id = ? AND"
                                  " user_id = ?", (channel_id, user_id)).fetchone()
            conn.execute(
                "INSERT INTO subscriptions (channel_id, user_id, created_at, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (channel_id, user_id) DO UPDATE SET"
                " active = 1, updated_at = excluded.updated_at",
                (channel_id, user_id, now, now))
            subscription = _read_subscription(conn, channel_id, user_id)
            assert subscription is not None  # just written
            return subscription, not (before and before[0])

        found = await self._db.write(store)
        self.invalidate()
        return found

    async def unsubscribe(self, channel_id: int, user_id: int) -> bool:
        """End a subscription; False if there was none active."""
        def store(conn: sqlite3.Connection) -> int:
            return conn.execute(
                "UPDATE subscriptions SET active = 0, updated_at = ? WHERE channel_id = ?"
                " AND user_id = ? AND active = 1", (time.time(), channel_id, user_id)).rowcount

        ended = await self._db.write(store) > 0
        self.invalidate()
        return ended

    async def set_copy(self, wanted: Subscription) -> Subscription | None:
        """Store a subscription's sizing and mode as `wanted` has them (build it with
        `dataclasses.replace` from the current one); None if there is no such subscription."""
        def store(conn: sqlite3.Connection) -> Subscription | None:
            conn.execute(
                "UPDATE subscriptions SET amount = ?, amount_percent = ?, leverage = ?,"
                " mode = ?, updated_at = ? WHERE channel_id = ? AND user_id = ?",
                (decimal_text(wanted.amount), decimal_text(wanted.amount_percent),
                 wanted.leverage, str(wanted.mode), time.time(), wanted.channel_id,
                 wanted.user_id))
            return _read_subscription(conn, wanted.channel_id, wanted.user_id)

        return await self._db.write(store)

    async def subscription(self, channel_id: int, user_id: int) -> Subscription | None:
        return await self._db.read(_read_subscription, channel_id, user_id)

    async def subscriptions_of(self, user_id: int) -> list[tuple[Channel, Subscription]]:
        """The user's active subscriptions, oldest first."""
        def fetch(conn: sqlite3.Connection) -> list[tuple[Channel, Subscription]]:
            rows = conn.execute(
                "SELECT c.*, s.channel_id, s.user_id, s.amount, s.amount_percent, s.leverage,"
                " s.mode, s.active, s.created_at AS subscribed_at FROM subscriptions s"
                " JOIN channels c ON c.id = s.channel_id WHERE s.user_id = ? AND s.active = 1"
                " ORDER BY s.created_at, c.id", (user_id,)).fetchall()
            return [(_channel(row), Subscription(
                channel_id=row["channel_id"], user_id=row["user_id"],
                amount=stored_decimal(row["amount"]),
                amount_percent=stored_decimal(row["amount_percent"]), leverage=row["leverage"],
                mode=CopyMode(row["mode"]), active=True, created_at=row["subscribed_at"]))
                for row in rows]

        return await self._db.read(fetch)

    async def subscriber_ids(self, channel_id: int) -> list[int]:
        """Every active subscriber of the channel, by id."""
        def fetch(conn: sqlite3.Connection) -> list[int]:
            rows = conn.execute("SELECT user_id FROM subscriptions WHERE channel_id = ?"
                                " AND active = 1 ORDER BY user_id", (channel_id,)).fetchall()
            return [row[0] for row in rows]

        return await self._db.read(fetch)


def _read_subscription(conn: sqlite3.Connection, channel_id: int,
                       user_id: int) -> Subscription | None:
    row = conn.execute("SELECT * FROM subscriptions WHERE channel_id = ? AND user_id = ?",
                       (channel_id, user_id)).fetchone()
    return None if row is None else _subscription(row)
