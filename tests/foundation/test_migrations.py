"""Migrations: an empty database gets the whole schema; an older one is upgraded in place."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from bot.crypto import SecretBox
from bot.db import Database, Journal, UserRepo
from bot.db.journal import JournalEntry
from bot.db.migrations import LATEST, apply_migrations
from bot.models import UserSettings
from bot.plans import ExitPlan, Level, Target
from bot.signals import parse_signal
from tests.conftest import MASTER_KEY

DEFAULTS = UserSettings("futures", Decimal("100"), 10, "paper")
BOX = SecretBox(MASTER_KEY.encode())


async def repo(db: Database) -> UserRepo:
    """The users of an opened database, after the start-up step that seals tokens."""
    users = UserRepo(db, BOX)
    await users.seal_tokens()
    return users


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {row[0] for row in rows}


async def test_empty_database_gets_every_table_and_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    db = Database(path)
    await db.open()
    try:
        assert db.schema_version == LATEST
        mode = await db.read(lambda c: c.execute("PRAGMA journal_mode").fetchone()[0])
        sync = await db.read(lambda c: c.execute("PRAGMA synchronous").fetchone()[0])
        fks = await db.read(lambda c: c.execute("PRAGMA foreign_keys").fetchone()[0])
        pages = await db.read(lambda c: c.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
        assert (mode, sync, fks, pages) == ("wal", 2, 1, 200)  # 2 = FULL; 200: see core.py
    finally:
        await db.close()
    assert {"users", "user_settings", "api_keys", "signals", "orders", "spot_holdings",
            "paper_balances", "paper_positions", "paper_fills", "meta"} <= tables(path)


async def test_older_database_is_upgraded_not_recreated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    apply_migrations(conn, upto=1)  # the earlier bot's schema
    conn.execute("INSERT INTO users (id, first_name, is_active, webhook_token, created_at,"
                 " updated_at) VALUES (42, 'Old Timer', 1, 'tok', 1, 1)")
    conn.execute("INSERT INTO user_settings (user_id, market_type, trade_amount, leverage,"
                 " account_type, updated_at) VALUES (42, 'spot', '25', 3, 'paper', 1)")
    conn.close()
    assert "signals" not in tables(path)

    db = Database(path)
    await db.open()
    try:
        assert db.schema_version == LATEST
        users = await repo(db)
        user = await users.get_user(42)
        settings = await users.get_settings(42)
        assert user is not None and user.first_name == "Old Timer" and user.is_active
        assert settings == UserSettings("spot", Decimal("25"), 3, "paper", False, False)
        assert users.webhook_token(user) == "tok"  # its URL is the one it always had
    finally:
        await db.close()
    assert "signals" in tables(path)


async def test_reopening_a_current_database_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "same.db"
    for _ in range(2):
        db = Database(path)
        await db.open()
        users = await repo(db)
        await users.create_user(7, defaults=DEFAULTS, first_name="Ann")
        await db.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM users WHERE id = 7").fetchone()[0] == 1


async def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    db = Database(path)
    with pytest.raises(RuntimeError, match="newer than this program"):
        await db.open()
    await db.close()


async def test_earlier_api_names_work(tmp_path: Path) -> None:
    db = Database(tmp_path / "api.db")
    await db.open()
    try:
        users = await repo(db)
        user, created = await users.create_user(5, defaults=DEFAULTS, first_name="Bo")
        assert created and not user.is_active
        again, created_again = await users.create_user(5, defaults=DEFAULTS, first_name="Bob")
        assert not created_again and again.first_name == "Bob"
        assert users.webhook_token(again) == users.webhook_token(user)
        assert len(users.webhook_token(user)) >= 22  # ≥ 128 bits, URL-safe
        assert (await users.toggle_user_active(5)).is_active
        assert not (await users.toggle_user_active(5)).is_active
        updated = await users.update_user_settings(5, leverage=20, market_type="spot")
        assert (updated.leverage, updated.market_type) == (20, "spot")
        assert (await users.get_settings(5)).leverage == 20
    finally:
        await db.close()


async def test_a_v6_database_gets_default_exits_and_keeps_its_settings(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    conn = sqlite3.connect(path, isolation_level=None)
    apply_migrations(conn, upto=6)
    conn.execute("INSERT INTO users (id, first_name, is_active, webhook_token, created_at,"
                 " updated_at) VALUES (43, 'Before Exits', 1, 'tok43', 1, 1)")
    conn.execute("INSERT INTO user_settings (user_id, market_type, trade_amount, leverage,"
                 " account_type, paused, pyramiding, updated_at)"
                 " VALUES (43, 'futures', '40', 7, 'paper', 0, 1, 1)")
    conn.close()

    db = Database(path)
    await db.open()
    try:
        assert db.schema_version == LATEST  # 7 added user_settings.exits
        users = await repo(db)
        settings = await users.get_settings(43)
        assert settings == UserSettings("futures", Decimal("40"), 7, "paper", False, True)
        assert settings.exits is None
        plan = ExitPlan(stop_loss=Level(Decimal("2"), percent=True),
                        targets=(Target(Level(Decimal("1"), percent=True)),
                                 Target(Level(Decimal("2.5"), percent=True))),
                        trailing=Level(Decimal("150")), be_after=1)
        updated = await users.update_user_settings(43, exits=plan, leverage=9)
        assert updated.exits == plan and updated.leverage == 9
        assert (await UserRepo(db, BOX).get_settings(43)).exits == plan  # read back, not cached
        await users.update_user_settings(43, exits=None)
        assert (await UserRepo(db, BOX).get_settings(43)).exits is None
        created, _ = await users.create_user(44, defaults=replace(DEFAULTS, exits=plan))
        assert (await UserRepo(db, BOX).get_settings(created.id)).exits == plan
    finally:
        await db.close()
    with sqlite3.connect(path) as check:
        stored = check.execute("SELECT exits FROM user_settings WHERE user_id = 44").fetchone()
    assert ExitPlan.from_json(stored[0]) == plan


async def test_a_v8_database_keeps_its_pause_and_gets_entries_pause_and_utc(
        tmp_path: Path) -> None:
    path = tmp_path / "v8.db"
    conn = sqlite3.connect(path, isolation_level=None)
    apply_migrations(conn, upto=8)
    conn.execute("INSERT INTO users (id, first_name, is_active, token_digest, created_at,"
                 " updated_at) VALUES (45, 'Paused Before', 1, 'tok45', 1, 1)")
    conn.execute("INSERT INTO user_settings (user_id, market_type, trade_amount, leverage,"
                 " account_type, paused, pyramiding, updated_at)"
                 " VALUES (45, 'futures', '40', 7, 'paper', 1, 0, 1)")
    conn.close()

    db = Database(path)
    await db.open()
    try:
        assert db.schema_version == LATEST  # 9 added entries_paused and timezone
        users = await repo(db)
        settings = await users.get_settings(45)
        assert (settings.paused, settings.entries_paused, settings.timezone) == (
            True, False, "UTC")
        assert settings.pause == "all"
        await users.update_user_settings(45, paused=False, entries_paused=True,
                                         timezone="Asia/Riyadh")
        again = await UserRepo(db, BOX).get_settings(45)  # read back, not cached
        assert (again.pause, again.timezone) == ("entries", "Asia/Riyadh")
        created, _ = await users.create_user(46, defaults=replace(DEFAULTS, timezone="+03:00"))
        assert (await UserRepo(db, BOX).get_settings(created.id)).timezone == "+03:00"
    finally:
        await db.close()


def test_the_duplicate_look_ups_use_their_indexes_and_only_hashes_are_indexed(
        tmp_path: Path) -> None:
    """12: the identical-body index holds the rows with a hash only (an alert with an `id` has
    none), and both duplicate look-ups of the journal still search by an index."""
    from bot.db.journal import REPEATABLE

    conn = sqlite3.connect(tmp_path / "v11.db", isolation_level=None)
    apply_migrations(conn, upto=11)
    conn.execute("INSERT INTO users (id, first_name, is_active, token_digest, created_at,"
                 " updated_at) VALUES (47, 'Hashes', 1, 'tok47', 1, 1)")
    for n, (client_id, digest) in enumerate([("a", None), ("b", None), (None, "h1")]):
        conn.execute("INSERT INTO signals (user_id, route, raw_body, status, received_at,"
                     " client_id, payload_hash) VALUES (47, 'personal', '{}', 'done', ?, ?, ?)",
                     (n, client_id, digest))
    assert apply_migrations(conn) == LATEST
    partial = {row[1]: row[4] for row in conn.execute("PRAGMA index_list(signals)")}
    assert partial["signals_payload"] == 1  # 11 had it whole
    found = conn.execute("SELECT id FROM signals WHERE user_id = 47 AND payload_hash = 'h1'"
                         ).fetchall()
    assert found == [(3,)]  # the rows from before are in the rebuilt index
    plans = {
        "payload": "SELECT s.id FROM signals s WHERE s.user_id = ? AND s.payload_hash = ?"
                   f" AND s.received_at >= ? AND {REPEATABLE} ORDER BY s.id DESC LIMIT 1",
        "client_id": "SELECT s.id FROM signals s WHERE s.user_id = ? AND s.client_id = ?"
                     " AND s.action = ? AND s.symbol = ? AND s.received_at >= ?"
                     f" AND {REPEATABLE} ORDER BY s.id DESC LIMIT 1"}
    for name, query in plans.items():
        args = (47, "h1", 0) if name == "payload" else (47, "a", "buy", "BTCUSDT", 0)
        detail = " ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + query, args))
        assert f"SEARCH s USING INDEX signals_{name}" in detail, detail
    conn.close()


async def test_whether_position_turned_the_action_travels_with_the_row(tmp_path: Path) -> None:
    """13: a replay after a restart is rebuilt from the row, so `{"action": "sell", "position":
    "long"}` (a partial exit: never adds to a long held) must read back as such; a row from
    before reads as it ran then, not turned."""
    path = tmp_path / "v12.db"
    conn = sqlite3.connect(path, isolation_level=None)
    apply_migrations(conn, upto=12)
    conn.execute("INSERT INTO users (id, first_name, is_active, token_digest, created_at,"
                 " updated_at) VALUES (48, 'Turned', 1, 'tok48', 1, 1)")
    conn.execute("INSERT INTO signals (user_id, route, raw_body, symbol, action, position,"
                 " status, received_at) VALUES (48, 'personal', '{}', 'BTCUSDT', 'buy', 'long',"
                 " 'queued', 1)")
    conn.close()

    db = Database(path)
    await db.open()
    try:
        journal = Journal(db)
        turned = parse_signal({"symbol": "BTCUSDT", "action": "sell", "position": "long"})
        entry = JournalEntry(48, "personal", None, "{}", turned, None, 2.0)
        signal_id = (await journal.record(entry)).signal_id
        stored = [record.signal for record in await journal.open_signals()]
        assert stored == [parse_signal({"symbol": "BTCUSDT", "action": "buy",
                                        "position": "long"}), turned]
        assert [s.position_turned for s in stored if s is not None] == [False, True]
        record = await journal.get(signal_id)
        assert record is not None and record.signal == turned
    finally:
        await db.close()
