"""Numbered schema migrations, applied in order at start; `PRAGMA user_version` records the last.

Never edit a migration that has shipped: add the next number. An existing database is upgraded
in place, never recreated.
"""

from __future__ import annotations

import sqlite3

# 1: the earlier version of this bot: users, their settings and their API keys.
_V1_USERS = """
CREATE TABLE users (
    id                INTEGER PRIMARY KEY,          -- the Telegram user id
    username          TEXT,
    first_name        TEXT,
    last_name         TEXT,
    language          TEXT,                         -- chosen with /language; NULL follows Telegram
    is_active         INTEGER NOT NULL DEFAULT 0,
    is_admin          INTEGER NOT NULL DEFAULT 0,
    webhook_token     TEXT NOT NULL UNIQUE,
    created_at        REAL NOT NULL,
    updated_at        REAL NOT NULL
);
CREATE TABLE user_settings (
    user_id           INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    market_type       TEXT NOT NULL CHECK (market_type IN ('spot', 'futures')),
    trade_amount      TEXT NOT NULL,                -- Decimal as text
    leverage          INTEGER NOT NULL CHECK (leverage >= 1),
    account_type      TEXT NOT NULL CHECK (account_type IN ('paper', 'demo', 'real')),
    updated_at        REAL NOT NULL
);
CREATE TABLE api_keys (
    user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    account_type      TEXT NOT NULL CHECK (account_type IN ('demo', 'real')),
    api_key           TEXT NOT NULL,
    api_secret_enc    BLOB NOT NULL,                -- Fernet token, never plaintext
    created_at        REAL NOT NULL,
    PRIMARY KEY (user_id, account_type)
);
"""

# 2: the signal journal and the orders each signal produced; the kill switch and pyramiding.
_V2_JOURNAL = """
ALTER TABLE users ADD COLUMN telegram_language TEXT;
ALTER TABLE user_settings ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE user_settings ADD COLUMN pyramiding INTEGER NOT NULL DEFAULT 0;
CREATE TABLE meta (
    key               TEXT PRIMARY KEY,
    value             TEXT NOT NULL
);
CREATE TABLE signals (
    -- AUTOINCREMENT: an id is never reused, because orderLinkIds derive from it
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id           INTEGER NOT NULL REFERENCES users(id),
    route             TEXT NOT NULL,                -- personal | legacy
    source_ip         TEXT,
    raw_body          TEXT NOT NULL,
    symbol            TEXT,
    action            TEXT,
    position          TEXT,
    price             TEXT,
    qty               TEXT,
    take_profit       TEXT,
    stop_loss         TEXT,
    client_id         TEXT,                         -- the alert's own "id"
    payload_hash      TEXT,
    signal_time       REAL,                         -- the alert's "timestamp"
    status            TEXT NOT NULL CHECK (status IN ('queued', 'processing', 'done', 'failed',
                                                      'rejected', 'expired', 'duplicate')),
    error_code        TEXT,
    error             TEXT,
    result            TEXT,                         -- one line: what was done
    duplicate_of      INTEGER,
    received_at       REAL NOT NULL,
    started_at        REAL,
    finished_at       REAL,
    notified_at       REAL
);
CREATE UNIQUE INDEX signals_client_id ON signals (user_id, client_id)
    WHERE client_id IS NOT NULL AND status NOT IN ('rejected', 'duplicate');
CREATE INDEX signals_open ON signals (status) WHERE status IN ('queued', 'processing');
CREATE INDEX signals_user ON signals (user_id, id);
CREATE INDEX signals_payload ON signals (user_id, payload_hash);
CREATE TABLE orders (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    signal_id         INTEGER NOT NULL REFERENCES signals(id),
    user_id           INTEGER NOT NULL REFERENCES users(id),
    leg               TEXT NOT NULL,                -- close | open | buy | sell
    order_link_id     TEXT NOT NULL UNIQUE,
    account_type      TEXT NOT NULL,
    category          TEXT NOT NULL,                -- linear | spot
    symbol            TEXT NOT NULL,
    side              TEXT NOT NULL,                -- Buy | Sell
    qty               TEXT NOT NULL,
    reduce_only       INTEGER NOT NULL DEFAULT 0,
    leverage          INTEGER,
    status            TEXT NOT NULL,                -- filled | partial | placed | failed
    exchange_order_id TEXT,
    filled_qty        TEXT,
    avg_price         TEXT,
    fee               TEXT,
    fee_currency      TEXT,
    realised_pnl      TEXT,
    error             TEXT,
    created_at        REAL NOT NULL,
    UNIQUE (signal_id, leg)
);
CREATE INDEX orders_user ON orders (user_id, id);
CREATE TABLE spot_holdings (                        -- base coin this bot bought, per account
    user_id           INTEGER NOT NULL REFERENCES users(id),
    account_type      TEXT NOT NULL,
    symbol            TEXT NOT NULL,
    qty               TEXT NOT NULL,
    PRIMARY KEY (user_id, account_type, symbol)
);
"""

# 3: the paper exchange's ledger.
_V3_PAPER = """
CREATE TABLE paper_balances (
    user_id           INTEGER NOT NULL REFERENCES users(id),
    coin              TEXT NOT NULL,
    amount            TEXT NOT NULL,
    PRIMARY KEY (user_id, coin)
);
CREATE TABLE paper_positions (
    user_id           INTEGER NOT NULL REFERENCES users(id),
    symbol            TEXT NOT NULL,
    side              TEXT NOT NULL,                -- Buy | Sell
    size              TEXT NOT NULL,
    avg_price         TEXT NOT NULL,
    leverage          INTEGER NOT NULL,
    take_profit       TEXT,
    stop_loss         TEXT,
    updated_at        REAL NOT NULL,
    PRIMARY KEY (user_id, symbol)
);
CREATE TABLE paper_leverage (
    user_id           INTEGER NOT NULL REFERENCES users(id),
    symbol            TEXT NOT NULL,
    leverage          INTEGER NOT NULL,
    PRIMARY KEY (user_id, symbol)
);
CREATE TABLE paper_fills (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id           INTEGER NOT NULL REFERENCES users(id),
    order_link_id     TEXT NOT NULL UNIQUE,
    order_id          TEXT NOT NULL,
    category          TEXT NOT NULL,
    symbol            TEXT NOT NULL,
    side              TEXT NOT NULL,
    qty               TEXT NOT NULL,
    price             TEXT NOT NULL,
    fee               TEXT NOT NULL,
    fee_currency      TEXT NOT NULL,
    realised_pnl      TEXT NOT NULL,
    reduce_only       INTEGER NOT NULL,
    created_at        REAL NOT NULL
);
CREATE INDEX paper_fills_user ON paper_fills (user_id, id);
"""

# 4: an alert's own amount, leverage and close share; `id` no longer unique on its own (the
#    same id with another action or symbol is a new alert, DESIGN §3).
_V4_ALERT_FIELDS = """
ALTER TABLE signals ADD COLUMN amount TEXT;
ALTER TABLE signals ADD COLUMN leverage INTEGER;
ALTER TABLE signals ADD COLUMN qty_percent TEXT;
DROP INDEX signals_client_id;
CREATE INDEX signals_client_id ON signals (user_id, client_id) WHERE client_id IS NOT NULL;
"""

# 5: an alert's exits as asked (stop-loss, take-profit or ladder, trailing, break-even; JSON).
_V5_EXITS = """
ALTER TABLE signals ADD COLUMN exits TEXT;
"""

# 6: the exits each opening placed for its position, and how far they have got; the paper
#    exchange's resting orders (take-profit targets) and trailing stops.
_V6_POSITION_PLANS = """
CREATE TABLE position_plans (
    signal_id         INTEGER PRIMARY KEY REFERENCES signals(id),  -- the opening signal
    user_id           INTEGER NOT NULL REFERENCES users(id),
    account_type      TEXT NOT NULL,
    symbol            TEXT NOT NULL,
    position_idx      INTEGER NOT NULL,
    exits             TEXT NOT NULL,                -- resolved (JSON): prices and sizes
    status            TEXT NOT NULL,                -- placing | active | closed
    filled            TEXT NOT NULL DEFAULT '',     -- targets filled, comma separated
    be_moved          INTEGER NOT NULL DEFAULT 0,
    opened_at         REAL NOT NULL,
    updated_at        REAL NOT NULL
);
CREATE INDEX position_plans_open ON position_plans (user_id, account_type, symbol)
    WHERE status != 'closed';
CREATE TABLE paper_orders (                         -- resting reduce-only limit orders
    user_id           INTEGER NOT NULL REFERENCES users(id),
    order_link_id     TEXT NOT NULL,
    symbol            TEXT NOT NULL,
    side              TEXT NOT NULL,
    qty               TEXT NOT NULL,
    price             TEXT NOT NULL,
    created_at        REAL NOT NULL,
    PRIMARY KEY (user_id, order_link_id)
);
CREATE INDEX paper_orders_symbol ON paper_orders (symbol);
ALTER TABLE paper_positions ADD COLUMN trailing TEXT;      -- distance
ALTER TABLE paper_positions ADD COLUMN activation TEXT;    -- price it starts at (NULL: now)
ALTER TABLE paper_positions ADD COLUMN best TEXT;          -- best price since it started
"""

# 7: the trader's default exits (/set sl|tp|trailing|be; ExitPlan JSON, NULL: none), used for
#    an opening whose alert brings no exits of its own.
_V7_DEFAULT_EXITS = """
ALTER TABLE user_settings ADD COLUMN exits TEXT;
"""

# 8: webhook tokens sealed at rest, and a per-user epoch that ends dashboard links. The column
#    that held the token in the clear now holds its keyed hash (HMAC-SHA256, hex; the key is
#    derived from the master key). SQL cannot seal: until `bot.db.tokens.seal_tokens` runs (at
#    the start of the service and of the CLI, before anything reads users), a row whose
#    `token_sealed` is NULL still holds its plaintext there; that step seals every such row in
#    one transaction, and finds none the next time.
_V8_SEALED_TOKENS = """
ALTER TABLE users RENAME COLUMN webhook_token TO token_digest;
ALTER TABLE users ADD COLUMN token_sealed BLOB;                      -- Fernet token
ALTER TABLE users ADD COLUMN dashboard_epoch INTEGER NOT NULL DEFAULT 0;  -- bumped: links end
"""

# 9: signal channels (DESIGN §12): a provider's channel with its own token (stored like a
#    user's: keyed hash and sealed), each user's subscription and sizing, and each alert the
#    channel received, expanded into one signal per subscriber (`cursor`: the last subscriber
#    given a row, advanced in the same transaction as the rows). A signal knows its channel
#    alert, and a subscriber has at most one signal per alert (the unique index). Signals gain
#    two statuses, `awaiting` (a confirm-mode subscriber's answer) and `skipped`: widening a
#    CHECK constraint changes no stored row, so the table's SQL is rewritten in place (SQLite's
#    documented procedure for loosening a constraint, "Making Other Kinds Of Table Schema
#    Changes"), and `writable_schema = RESET` reloads the schema at once.
_V9_CHANNELS = """
CREATE TABLE channels (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    code              TEXT NOT NULL UNIQUE,         -- short, in the webhook URL
    name              TEXT NOT NULL,
    owner_id          INTEGER NOT NULL REFERENCES users(id),
    token_digest      TEXT NOT NULL,                -- keyed hash of the token (bot/db/tokens.py)
    token_sealed      BLOB NOT NULL,                -- the token sealed, to show it again
    paused            INTEGER NOT NULL DEFAULT 0,
    created_at        REAL NOT NULL,
    updated_at        REAL NOT NULL
);
CREATE TABLE subscriptions (
    channel_id        INTEGER NOT NULL REFERENCES channels(id),
    user_id           INTEGER NOT NULL REFERENCES users(id),
    amount            TEXT,                         -- fixed USDT margin
    amount_percent    TEXT,                         -- or percent of the available USDT
    leverage          INTEGER,                      -- NULL: the alert's, else their own
    mode              TEXT NOT NULL DEFAULT 'auto' CHECK (mode IN ('auto', 'confirm')),
    active            INTEGER NOT NULL DEFAULT 1,
    created_at        REAL NOT NULL,
    updated_at        REAL NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX subscriptions_user ON subscriptions (user_id);
CREATE TABLE channel_alerts (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id        INTEGER NOT NULL REFERENCES channels(id),
    source_ip         TEXT,
    raw_body          TEXT NOT NULL,                -- any token in it masked
    signal            TEXT,                         -- the parsed alert (JSON), NULL if refused
    symbol            TEXT,
    action            TEXT,
    client_id         TEXT,                         -- the alert's own "id"
    payload_hash      TEXT,
    status            TEXT NOT NULL CHECK (status IN ('expanding', 'expanded', 'rejected',
                                                      'duplicate')),
    error_code        TEXT,
    error             TEXT,
    duplicate_of      INTEGER,
    cursor            INTEGER NOT NULL DEFAULT 0,   -- the last subscriber (user id) expanded
    expanded          INTEGER NOT NULL DEFAULT 0,   -- signal rows written for it so far
    received_at       REAL NOT NULL,
    finished_at       REAL
);
CREATE INDEX channel_alerts_channel ON channel_alerts (channel_id, id);
CREATE INDEX channel_alerts_expanding ON channel_alerts (status) WHERE status = 'expanding';
CREATE INDEX channel_alerts_client_id ON channel_alerts (channel_id, client_id)
    WHERE client_id IS NOT NULL;
CREATE INDEX channel_alerts_payload ON channel_alerts (channel_id, payload_hash);
ALTER TABLE signals ADD COLUMN channel_alert_id INTEGER REFERENCES channel_alerts(id);
ALTER TABLE signals ADD COLUMN amount_percent TEXT;
CREATE UNIQUE INDEX signals_channel_alert ON signals (channel_alert_id, user_id)
    WHERE channel_alert_id IS NOT NULL;
CREATE INDEX signals_awaiting ON signals (received_at) WHERE status = 'awaiting';
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''duplicate''))',
    '''duplicate'', ''awaiting'', ''skipped''))') WHERE type = 'table' AND name = 'signals';
PRAGMA writable_schema = RESET
"""

# 10: the second kind of pause (/pause entries: no new positions, closes still run; `paused`
#     stays /pause all) and the trader's time zone (an IANA name or a fixed offset like +03:00).
_V10_PAUSE_AND_TIME_ZONE = """
ALTER TABLE user_settings ADD COLUMN entries_paused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE user_settings ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';
"""

# 11: what became of a signal, as data, so that every reader gets it in their language: the
#    error's sentence key and values (`error_params`, JSON: {"code", "key", "params"}) beside
#    `error_code`, and the executed outcome (`outcome`, JSON: status, kind, the legs as
#    reported, numbers, exits, notes, failure). `result` and `error` keep the English line for
#    operators.
_V11_OUTCOMES_AS_DATA = """
ALTER TABLE signals ADD COLUMN error_params TEXT;
ALTER TABLE signals ADD COLUMN outcome TEXT;
"""

# 12: the identical-body index only where there is a body's hash to look up: an alert with an
#    `id` has none (its duplicates go by the id, DESIGN §3), so its INSERT stops paying for an
#    index entry nobody reads (~0.03x the bare server's rate on the ack path, docs/BENCHMARKS).
#    `payload_hash = ?` implies `IS NOT NULL`, so the look-up still uses it.
_V12_PAYLOAD_INDEX_PARTIAL = """
DROP INDEX signals_payload;
CREATE INDEX signals_payload ON signals (user_id, payload_hash) WHERE payload_hash IS NOT NULL;
"""

# 13: whether the alert's `position` turned its action (`{"action": "sell", "position":
#    "long"}` runs as a buy that never adds to a long already held: the strategy's partial
#    exit), kept with the row so that a replay after a restart decides as the live signal did.
_V13_POSITION_TURNED = """
ALTER TABLE signals ADD COLUMN position_turned INTEGER NOT NULL DEFAULT 0;
"""

MIGRATIONS: tuple[str, ...] = (_V1_USERS, _V2_JOURNAL, _V3_PAPER, _V4_ALERT_FIELDS, _V5_EXITS,
                               _V6_POSITION_PLANS, _V7_DEFAULT_EXITS, _V8_SEALED_TOKENS,
                               _V9_CHANNELS, _V10_PAUSE_AND_TIME_ZONE, _V11_OUTCOMES_AS_DATA,
                               _V12_PAYLOAD_INDEX_PARTIAL, _V13_POSITION_TURNED)
LATEST = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def apply_migrations(conn: sqlite3.Connection, upto: int = LATEST) -> int:
    """Bring the schema to `upto`, one migration per transaction; return the version."""
    version = schema_version(conn)
    if version > LATEST:
        raise RuntimeError(
            f"the database is at schema version {version}, newer than this program "
            f"({LATEST}); upgrade botbybit before opening it"
        )
    for number in range(version + 1, upto + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return schema_version(conn)


def _statements(script: str) -> list[str]:
    """Split a migration script on `;` line ends (our scripts hold no `;` inside literals)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]
