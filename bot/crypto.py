"""Encrypt API secrets at rest with Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from bot.config import ConfigError

log = logging.getLogger(__name__)

KEY_FILE_NAME = "master.key"


class SecretBox:
    """Encrypt and decrypt short secrets with one master key."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def encrypt(self, plaintext: str) -> bytes:
        return self._fernet.encrypt(plaintext.encode())

    def decrypt(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode()
        except InvalidToken:
            raise ValueError(
                "an API secret cannot be decrypted with this master key; was "
                "BOTBYBIT_MASTER_KEY changed? Store the keys again with /keys"
            ) from None

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
            return cls(path.read_bytes().strip())
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
