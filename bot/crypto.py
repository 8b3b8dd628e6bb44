"""Secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with one master key.

The same key seals the users' API secrets and webhook tokens, and keys (through HKDF-SHA256,
one per purpose) the webhook tokens' keyed hashes and the dashboard links' HMACs.
"""

from __future__ import annotations

import base64
import hmac
import logging
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.config import ConfigError

log = logging.getLogger(__name__)

KEY_FILE_NAME = "master.key"


class SecretBox:
    """Encrypt and decrypt short secrets with one master key."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)
        self._master = base64.urlsafe_b64decode(key)

    def encrypt(self, plaintext: str) -> bytes:
        return self._fernet.encrypt(plaintext.encode())

    def decrypt(self, token: bytes, *, what: str = "an API secret",
                fix: str = "store the keys again with /keys") -> str:
        try:
            return self._fernet.decrypt(token).decode()
        except InvalidToken:
            raise ValueError(
                f"{what} cannot be decrypted with this master key; was BOTBYBIT_MASTER_KEY "
                f"changed? {fix[:1].upper()}{fix[1:]}"
            ) from None

    def derive_key(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose, from the master key (HKDF-SHA256, `purpose` as
        info): keys of different purposes are independent, and none reveals the master key."""
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                    info=b"botbybit:" + purpose.encode()).derive(self._master)

    def fingerprint(self) -> str:
        """A short public name of the master key (an HMAC under a derived key): the database
        records it, so a start with another key is refused before it mixes two keys."""
        return hmac.digest(self.derive_key("key-check"), b"botbybit", "sha256").hex()[:16]

    @classmethod
    def from_config(cls, master_key: str, data_dir: Path) -> SecretBox:
        """Use BOTBYBIT_MASTER_KEY, else a key file in the data folder (created 0600)."""
        if master_key:
            try:
                return cls(master_key.encode())
            except ValueError:
                raise ConfigError(
                    "BOTBYBIT_MASTER_KEY: must be a Fernet key (32 url-safe base64 bytes); "
                    "make one with: python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'"
                ) from None
        path = data_dir / KEY_FILE_NAME
        if path.exists():
            try:
                return cls(path.read_bytes().strip())
            except ValueError:  # emptied or overwritten: never replace it, the keys need it
                raise ConfigError(
                    f"{path}: is not a master key (a Fernet key, 44 characters); restore it "
                    "from your backup, or set BOTBYBIT_MASTER_KEY to the key this database "
                    "was sealed with"
                ) from None
        data_dir.mkdir(parents=True, exist_ok=True)
        key = Fernet.generate_key()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        log.warning(
            "BOTBYBIT_MASTER_KEY is not set: generated %s (mode 0600) to encrypt API keys; "
            "back it up, or set BOTBYBIT_MASTER_KEY, or stored keys become unreadable", path
        )
        return cls(key)
