"""Users, their settings and their API keys; keeps the earlier bot's function names."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import fields, replace
from decimal import Decimal
from typing import Any

from bot.crypto import SecretBox
from bot.db.core import Database
from bot.db.tokens import SealedToken, TokenSeal, seal_tokens
from bot.models import ApiKeys, User, UserSettings
from bot.plans import ExitPlan

SETTING_NAMES = {f.name for f in fields(UserSettings)}


class UserNotFound(LookupError):
    """No user with that id."""


def _user(row: sqlite3.Row) -> User:
    sealed = row["token_sealed"]
    return User(
        id=row["id"], username=row["username"], first_name=row["first_name"],
        last_name=row["last_name"], language=row["language"],
        telegram_language=row["telegram_language"], is_active=bool(row["is_active"]),
        is_admin=bool(row["is_admin"]), created_at=row["created_at"],
        # A row not sealed yet (see bot/db/tokens.py) matches no token rather than leak one.
        token_digest=row["token_digest"] if sealed is not None else "",
        token_sealed=bytes(sealed) if sealed is not None else b"",
        dashboard_epoch=row["dashboard_epoch"],
    )


def _settings(row: sqlite3.Row) -> UserSettings:
    return UserSettings(
        market_type=row["market_type"], trade_amount=Decimal(row["trade_amount"]),
        leverage=row["leverage"], account_type=row["account_type"],
        paused=bool(row["paused"]), pyramiding=bool(row["pyramiding"]),
        exits=ExitPlan.from_json(row["exits"]),
        entries_paused=bool(row["entries_paused"]), timezone=row["timezone"],
    )


def _exits(plan: ExitPlan | None) -> str | None:
    """The default exits as stored: JSON, or NULL for none (an empty plan is none too)."""
    return None if plan is None or plan.empty else plan.to_json()


_ACCOUNT_SQL = """
SELECT u.*, s.market_type, s.trade_amount, s.leverage, s.account_type, s.paused, s.pyramiding,
       s.exits, s.entries_paused, s.timezone
FROM users u JOIN user_settings s ON s.user_id = u.id
"""


def _fetch_account(conn: sqlite3.Connection, user_id: int) -> tuple[User, UserSettings] | None:
    row = conn.execute(_ACCOUNT_SQL + " WHERE u.id = ?", (user_id,)).fetchone()
    return None if row is None else (_user(row), _settings(row))


def _insert_user(conn: sqlite3.Connection, user_id: int, names: dict[str, Any],
                 settings: UserSettings, is_active: bool, is_admin: bool,
                 token: SealedToken) -> bool:
    now = time.time()
    cursor = conn.execute(
        "INSERT OR IGNORE INTO users (id, username, first_name, last_name, telegram_language,"
        " is_active, is_admin, token_digest, token_sealed, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (user_id, names.get("username"), names.get("first_name"), names.get("last_name"),
         names.get("telegram_language"), int(is_active), int(is_admin), token.digest,
         token.sealed, now, now),
    )
    if cursor.rowcount == 0:
        updates = {k: v for k, v in names.items() if v is not None}
        if updates:
            assignments = ", ".join(f"{column} = ?" for column in updates)
            conn.execute(f"UPDATE users SET {assignments}, updated_at = ? WHERE id = ?",
                         (*updates.values(), now, user_id))
        return False
    conn.execute(
        "INSERT INTO user_settings (user_id, market_type, trade_amount, leverage, account_type,"
        " paused, pyramiding, exits, entries_paused, timezone, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (user_id, settings.market_type, str(settings.trade_amount), settings.leverage,
         settings.account_type, int(settings.paused), int(settings.pyramiding),
         _exits(settings.exits), int(settings.entries_paused), settings.timezone, now),
    )
    return True


class UserRepo:
    """Async access to users; caches (user, settings) pairs for the webhook's hot path.

    Needs the master key (`SecretBox`): it seals webhook tokens and API secrets.
    """

    def __init__(self, db: Database, box: SecretBox) -> None:
        self._db = db
        self._box = box
        self.tokens = TokenSeal(box)
        self._accounts: dict[int, tuple[User, UserSettings]] = {}
        self._generation = 0  # bumped on every invalidation: a slow read never caches stale

    def invalidate(self, user_id: int | None = None) -> None:
        """Forget cached accounts (all of them when another process changed the database)."""
        self._generation += 1
        if user_id is None:
            self._accounts.clear()
        else:
            self._accounts.pop(user_id, None)

    async def create_user(self, user_id: int, *, defaults: UserSettings,
                          username: str | None = None, first_name: str | None = None,
                          last_name: str | None = None, language_code: str | None = None,
                          is_active: bool = False, is_admin: bool = False,
                          ) -> tuple[User, bool]:
        """Register a user (or refresh the names of a known one); return it and `created`."""
        names = {"username": username, "first_name": first_name, "last_name": last_name,
                 "telegram_language": language_code}
        _, token = self.tokens.new()  # kept only if the user is new
        created = await self._db.write(_insert_user, user_id, names, defaults,
                                       is_active, is_admin, token)
        self.invalidate(user_id)
        user = await self.get_user(user_id)
        assert user is not None
        return user, created

    async def get_user(self, user_id: int) -> User | None:
        account = await self.get_account(user_id)
        return None if account is None else account[0]

    async def get_account(self, user_id: int) -> tuple[User, UserSettings] | None:
        """Return the user and their settings, from the cache when possible."""
        cached = self._accounts.get(user_id)
        if cached is not None:
            return cached
        generation = self._generation
        account = await self._db.read(_fetch_account, user_id)
        if account is not None and generation == self._generation:
            self._accounts[user_id] = account
        return account

    async def get_settings(self, user_id: int) -> UserSettings:
        account = await self.get_account(user_id)
        if account is None:
            raise UserNotFound(user_id)
        return account[1]

    async def update_user_settings(self, user_id: int, **changes: Any) -> UserSettings:
        """Change some settings (market_type, trade_amount, leverage, account_type, exits, …)."""
        unknown = set(changes) - SETTING_NAMES
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        current = await self.get_settings(user_id)
        updated = replace(current, **changes)

        def store(conn: sqlite3.Connection) -> None:
            conn.execute(
                "UPDATE user_settings SET market_type = ?, trade_amount = ?, leverage = ?,"
                " account_type = ?, paused = ?, pyramiding = ?, exits = ?, entries_paused = ?,"
                " timezone = ?, updated_at = ? WHERE user_id = ?",
                (updated.market_type, str(updated.trade_amount), updated.leverage,
                 updated.account_type, int(updated.paused), int(updated.pyramiding),
                 _exits(updated.exits), int(updated.entries_paused), updated.timezone,
                 time.time(), user_id),
            )

        await self._db.write(store)
        self.invalidate(user_id)
        return updated

    async def _set_user_field(self, user_id: int, column: str, value: Any) -> User:
        def store(conn: sqlite3.Connection) -> int:
            return conn.execute(
                f"UPDATE users SET {column} = ?, updated_at = ? WHERE id = ?",
                (value, time.time(), user_id),
            ).rowcount

        if await self._db.write(store) == 0:
            raise UserNotFound(user_id)
        self.invalidate(user_id)
        user = await self.get_user(user_id)
        assert user is not None
        return user

    async def toggle_user_active(self, user_id: int, active: bool | None = None) -> User:
        """Activate or deactivate a user; with no `active`, flip the current state."""
        if active is None:
            user = await self.get_user(user_id)
            if user is None:
                raise UserNotFound(user_id)
            active = not user.is_active
        return await self._set_user_field(user_id, "is_active", int(active))

    async def set_admin(self, user_id: int, is_admin: bool) -> User:
        return await self._set_user_field(user_id, "is_admin", int(is_admin))

    async def set_language(self, user_id: int, language: str | None) -> User:
        return await self._set_user_field(user_id, "language", language)

    # --- webhook tokens and dashboard links ---------------------------------------------

    async def seal_tokens(self) -> int:
        """At start: refuse another master key; seal tokens an upgrade left in the clear."""
        sealed = await self._db.write(seal_tokens, self.tokens, self._box.fingerprint())
        if sealed:
            # The old pages of the write-ahead log held the plaintext: fold it in and empty it.
            await self._db.read(
                lambda conn: conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone())
            self.invalidate()
        return sealed

    def token_matches(self, user: User, given: str | None) -> bool:
        """Whether `given` is the user's webhook token (keyed hash, constant-time compare)."""
        return self.tokens.matches(given, user.token_digest)

    def webhook_token(self, user: User) -> str:
        """The user's token in the clear, only to show it to them (or the operator)."""
        return self.tokens.open(user.token_sealed)

    async def rotate_token(self, user_id: int) -> str:
        """Give the user a new webhook token; the old one stops working at once, and so does
        every dashboard link sent before (they are revoked with it)."""
        token, stored = self.tokens.new()

        def store(conn: sqlite3.Connection) -> int:
            return conn.execute(
                "UPDATE users SET token_digest = ?, token_sealed = ?,"
                " dashboard_epoch = dashboard_epoch + 1, updated_at = ? WHERE id = ?",
                (stored.digest, stored.sealed, time.time(), user_id)).rowcount

        if await self._db.write(store) == 0:
            raise UserNotFound(user_id)
        self.invalidate(user_id)
        return token

    async def revoke_dashboard_links(self, user_id: int) -> User:
        """End every dashboard link issued to the user so far (a new epoch)."""
        def store(conn: sqlite3.Connection) -> int:
            return conn.execute(
                "UPDATE users SET dashboard_epoch = dashboard_epoch + 1, updated_at = ?"
                " WHERE id = ?", (time.time(), user_id)).rowcount

        if await self._db.write(store) == 0:
            raise UserNotFound(user_id)
        self.invalidate(user_id)
        user = await self.get_user(user_id)
        assert user is not None
        return user

    async def list_users(self, *, offset: int = 0, limit: int = 1000,
                         ) -> list[tuple[User, UserSettings]]:
        def fetch(conn: sqlite3.Connection) -> list[tuple[User, UserSettings]]:
            rows = conn.execute(_ACCOUNT_SQL + " WHERE u.id > 0 ORDER BY u.id LIMIT ? OFFSET ?",
                                (limit, offset)).fetchall()
            return [(_user(row), _settings(row)) for row in rows]

        return await self._db.read(fetch)

    async def count_users(self) -> dict[str, int]:
        def fetch(conn: sqlite3.Connection) -> dict[str, int]:
            row = conn.execute(
                "SELECT COUNT(*), COALESCE(SUM(is_active), 0), COALESCE(SUM(is_admin), 0)"
                " FROM users WHERE id > 0").fetchone()
            return {"total": row[0], "active": row[1], "admins": row[2]}

        return await self._db.read(fetch)

    async def admin_ids(self) -> list[int]:
        def fetch(conn: sqlite3.Connection) -> list[int]:
            rows = conn.execute("SELECT id FROM users WHERE is_admin = 1 AND id > 0").fetchall()
            return [row[0] for row in rows]

        return await self._db.read(fetch)

    # --- API keys -------------------------------------------------------------------------

    async def set_api_keys(self, user_id: int, account_type: str, api_key: str,
                           api_secret: str) -> None:
        """Store a user's keys for `demo` or `real`; the secret is encrypted first."""
        sealed = self._box.encrypt(api_secret)

        def store(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO api_keys (user_id, account_type, api_key, api_secret_enc,"
                " created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, account_type)"
                " DO UPDATE SET api_key = excluded.api_key,"
                " api_secret_enc = excluded.api_secret_enc, created_at = excluded.created_at",
                (user_id, account_type, api_key, sealed, time.time()),
            )

        await self._db.write(store)

    async def get_api_keys(self, user_id: int, account_type: str) -> ApiKeys | None:
        def fetch(conn: sqlite3.Connection) -> tuple[str, bytes] | None:
            row = conn.execute(
                "SELECT api_key, api_secret_enc FROM api_keys WHERE user_id = ?"
                " AND account_type = ?", (user_id, account_type)).fetchone()
            return None if row is None else (row[0], row[1])

        found = await self._db.read(fetch)
        if found is None:
            return None
        return ApiKeys(account_type, found[0], self._box.decrypt(found[1]))

    async def delete_api_keys(self, user_id: int, account_type: str) -> bool:
        def delete(conn: sqlite3.Connection) -> int:
            return conn.execute("DELETE FROM api_keys WHERE user_id = ? AND account_type = ?",
                                (user_id, account_type)).rowcount

        return await self._db.write(delete) > 0

    async def key_accounts(self, user_id: int) -> set[str]:
        """Return the account types (demo, real) for which the user stored keys."""
        def fetch(conn: sqlite3.Connection) -> set[str]:
            rows = conn.execute("SELECT account_type FROM api_keys WHERE user_id = ?",
                                (user_id,)).fetchall()
            return {row[0] for row in rows}

        return await self._db.read(fetch)
