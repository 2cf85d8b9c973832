"""Secrets kept at rest (mail and API passwords): encrypted with Fernet under a key file.

The key lives in the data folder, readable by its owner only, apart from the database: a
copied database alone reveals no password. `encrypt`/`decrypt` take the key as a plain
value, so core never looks for files by itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

KEY_FILE = "secrets.key"


class SecretError(Exception):
    """A stored secret cannot be read with this key (key file replaced or lost)."""


def key_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / KEY_FILE


def load_or_create_key(data_dir: str | Path) -> bytes:
    """The data folder's key, created on first use with permissions 0600."""
    path = key_path(data_dir)
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    try:
        # O_EXCL: two processes creating the key at once must not write two different keys.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as out:
        out.write(key)
        out.flush()
        os.fsync(out.fileno())
    return key


def encrypt(key: bytes, text: str) -> str:
    return Fernet(key).encrypt(text.encode()).decode("ascii")


def decrypt(key: bytes, token: str) -> str:
    try:
        return Fernet(key).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise SecretError("the stored secret does not match the key file") from exc
