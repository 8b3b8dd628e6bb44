"""Webhook tokens at rest: an upgraded database keeps no token in the clear, its users' URLs
stay the same, and a database sealed with one master key is refused with another."""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.config import ConfigError
from bot.crypto import SecretBox
from bot.db import Database, UserRepo
from bot.db.migrations import apply_migrations
from tests.conftest import MASTER_KEY

BOX = SecretBox(MASTER_KEY.encode())


def v7_database(path: Path, tokens: dict[int, str]) -> None:
    """A database as the previous version left it: tokens in the clear, in use."""
    conn = sqlite3.connect(path, isolation_level=None)
    apply_migrations(conn, upto=7)
    conn.execute("PRAGMA journal_mode = WAL")
    for user_id, token in tokens.items():
        conn.execute("INSERT INTO users (id, first_name, is_active, webhook_token, created_at,"
                     " updated_at) VALUES (?, 'Old', 1, ?, 1, 1)", (user_id, token))
        conn.execute("INSERT INTO user_settings (user_id, market_type, trade_amount, leverage,"
                     " account_type, updated_at) VALUES (?, 'futures', '50', 5, 'paper', 1)",
                     (user_id,))
        conn.execute("INSERT INTO signals (user_id, route, raw_body, status, received_at)"
                     " VALUES (?, 'personal', '{\"token\": \"***\"}', 'done', 1)", (user_id,))
    conn.close()


def cells(path: Path) -> list[object]:
    """Every value of every column of every table."""
    with sqlite3.connect(path) as conn:
        names = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [value for name in names
                for row in conn.execute(f'SELECT * FROM "{name}"') for value in row]


def files(path: Path) -> bytes:
    """The database's bytes: the main file, its write-ahead log and shared memory."""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def holds(value: object, token: str) -> bool:
    if isinstance(value, str):
        return token in value
    if isinstance(value, bytes):
        return token.encode() in value
    return False


async def test_an_upgrade_seals_every_token_and_keeps_every_url(tmp_path: Path) -> None:
    path = tmp_path / "v7.db"
    tokens = {41: secrets.token_urlsafe(24), 42: secrets.token_urlsafe(24)}
    v7_database(path, tokens)
    assert any(holds(value, tokens[41]) for value in cells(path))  # the scan finds one

    db = Database(path)
    await db.open()
    try:
        users = UserRepo(db, BOX)
        assert await users.seal_tokens() == 2
        assert await users.seal_tokens() == 0  # idempotent: nothing left in the clear
        for user_id, token in tokens.items():
            user = await users.get_user(user_id)
            assert user is not None
            assert users.webhook_token(user) == token  # the same URL as before
            assert users.token_matches(user, token)
            assert not users.token_matches(user, token[:-1] + ("x" if token[-1] != "x" else "y"))
            assert user.token_sealed.startswith(b"gAAAA") and len(user.token_digest) == 64
    finally:
        await db.close()

    for token in tokens.values():
        assert not any(holds(value, token) for value in cells(path)), token
        assert token.encode() not in files(path)  # nor in a free page or the write-ahead log

    db = Database(path)  # a second start finds nothing to do and the same tokens
    await db.open()
    try:
        users = UserRepo(db, BOX)
        assert await users.seal_tokens() == 0
        user = await users.get_user(42)
        assert user is not None and users.webhook_token(user) == tokens[42]
    finally:
        await db.close()


async def test_a_row_not_sealed_yet_matches_no_token(tmp_path: Path) -> None:
    path = tmp_path / "early.db"
    v7_database(path, {43: "clear-token-43-abcdefghijklmnop"})
    db = Database(path)
    await db.open()
    try:
        users = UserRepo(db, BOX)  # read before the start-up step: fails closed
        user = await users.get_user(43)
        assert user is not None and not users.token_matches(user, user.token_digest)
        assert not users.token_matches(user, "clear-token-43-abcdefghijklmnop")
    finally:
        await db.close()


async def test_another_master_key_is_refused_before_it_seals_anything(tmp_path: Path) -> None:
    path = tmp_path / "keyed.db"
    db = Database(path)
    await db.open()
    users = UserRepo(db, BOX)
    await users.seal_tokens()
    await db.close()

    db = Database(path)
    await db.open()
    try:
        other = UserRepo(db, SecretBox(Fernet.generate_key()))
        with pytest.raises(ConfigError, match="BOTBYBIT_MASTER_KEY: this is not the master key"):
            await other.seal_tokens()
        assert await UserRepo(db, BOX).seal_tokens() == 0  # the right key still opens it
    finally:
        await db.close()
    with sqlite3.connect(path) as conn:
        [(recorded,)] = conn.execute("SELECT value FROM meta WHERE key = 'master_key_check'")
    assert recorded == BOX.fingerprint()


async def test_new_tokens_never_reach_the_disk_in_the_clear(tmp_path: Path) -> None:
    from tests.foundation.test_migrations import DEFAULTS

    path = tmp_path / "new.db"
    db = Database(path)
    await db.open()
    try:
        users = UserRepo(db, BOX)
        await users.seal_tokens()
        user, _ = await users.create_user(7, defaults=DEFAULTS)
        first = users.webhook_token(user)
        rotated = await users.rotate_token(7)
        again = await users.get_user(7)
        assert again is not None and users.webhook_token(again) == rotated != first
        assert again.dashboard_epoch == user.dashboard_epoch + 1  # rotating ends the links
        assert users.token_matches(again, rotated) and not users.token_matches(again, first)
        raw = files(path)
    finally:
        await db.close()
    assert first.encode() not in raw and rotated.encode() not in raw
