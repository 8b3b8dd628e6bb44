"""Webhook tokens at rest: sealed with the master key, recognised by a keyed hash.

A token is made once (registration, /rotate) and stored twice, neither time in the clear:
sealed (Fernet, the master key: opened only to show the owner their URL — /webhook, /rotate,
the approval message, `users url`) and as a keyed hash (HMAC-SHA256 under a key derived from
the master key). An alert costs one HMAC of the token it brings and a constant-time comparison
with the hash cached with the user, never a decryption. Without the master key a copy of the
database yields neither a token nor a way to test guesses offline.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import sqlite3
from dataclasses import dataclass, field

from bot.config import ConfigError
from bot.crypto import SecretBox

log = logging.getLogger(__name__)

TOKEN_BYTES = 24  # 192 bits, URL-safe: 32 characters
KEY_CHECK = "master_key_check"  # meta: the fingerprint of the master key the rows were sealed with


@dataclass(frozen=True)
class SealedToken:
    """What is stored of a token: its keyed hash (hex) and the token sealed."""

    digest: str = field(repr=False)  # the database's debug log shows write arguments
    sealed: bytes = field(repr=False)


class TokenSeal:
    """Seal, open, hash and check webhook tokens with one master key."""

    def __init__(self, box: SecretBox) -> None:
        self._box = box
        self._key = box.derive_key("webhook-token")
        # Keyed once; each digest copies it. ~1.7 µs, where the one-shot `hmac.digest` took
        # ~6 µs and released the interpreter lock around OpenSSL — on every alert, a chance for
        # the database's thread to take the lock and keep the event loop waiting for it.
        self._keyed = hmac.new(self._key, digestmod="sha256")

    def digest(self, token: str) -> str:
        """The keyed hash the database and the cache keep: HMAC-SHA256, hex."""
        keyed = self._keyed.copy()
        keyed.update(token.encode("utf-8", "replace"))
        return keyed.hexdigest()

    def matches(self, given: str | None, digest: str) -> bool:
        """Whether `given` is the token whose hash is `digest`, in constant time."""
        if not given or not digest:
            return False
        return hmac.compare_digest(self.digest(given), digest)

    def seal(self, token: str) -> SealedToken:
        return SealedToken(self.digest(token), self._box.encrypt(token))

    def new(self) -> tuple[str, SealedToken]:
        """A fresh random token and what to store of it."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        return token, self.seal(token)

    def open(self, sealed: bytes) -> str:
        """The token in the clear, to show to its owner; never for checking an alert."""
        return self._box.decrypt(sealed, what="a webhook token",
                                 fix="the owner must send /rotate for a new webhook URL")


def seal_tokens(conn: sqlite3.Connection, seal: TokenSeal, fingerprint: str) -> int:
    """Check the master key against the database, then seal every token still in the clear.

    Runs in one write transaction at start (service and CLI alike), before anything reads a
    user. Idempotent: a row is in the clear exactly while `token_sealed` is NULL (migration 8
    left its plaintext in `token_digest`). Returns how many rows were sealed.
    """
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (KEY_CHECK,)).fetchone()
    if row is None:
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (KEY_CHECK, fingerprint))
    elif row[0] != fingerprint:
        raise ConfigError(
            "BOTBYBIT_MASTER_KEY: this is not the master key the database's secrets were "
            "sealed with (webhook tokens and API secrets); start with the key used before "
            "(the environment variable, or master.key beside the database)")
    plain = conn.execute("SELECT id, token_digest FROM users WHERE token_sealed IS NULL"
                         ).fetchall()
    if not plain:
        return 0
    # Overwrite the freed plaintext too, not only unlink it from the tree.
    was = conn.execute("PRAGMA secure_delete").fetchone()[0]
    conn.execute("PRAGMA secure_delete = ON")
    try:
        for user_id, token in plain:
            stored = seal.seal(token)
            conn.execute("UPDATE users SET token_digest = ?, token_sealed = ? WHERE id = ?",
                         (stored.digest, stored.sealed, user_id))
    finally:
        conn.execute(f"PRAGMA secure_delete = {int(was)}")
    return len(plain)
