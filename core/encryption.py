"""Secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256, `cryptography`) with a key file.

The key lives in the data folder beside the database, never inside it (mode 0600), so a
copy of the database alone reveals no password or token. Lose the key and the stored
secrets are gone: they must be entered again (the README says how to back both up).

    key = load_or_create_key(data_dir)
    token = encrypt(key, "s3cret")      # str, safe to store in a TEXT column
    decrypt(key, token) == "s3cret"     # raises SecretUnreadable for a wrong key or a damaged token
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

KEY_FILE = "encryption_key"  # core/backup.py copies it beside the database


class SecretUnreadable(Exception):
    """The stored secret does not open with this key (key file replaced or lost)."""


def key_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / KEY_FILE


def load_or_create_key(data_dir: str | Path) -> bytes:
    """The data folder's key, created on first use, readable by its owner only."""
    path = key_path(data_dir)
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    try:  # O_EXCL: two processes starting at once must not write two different keys
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as f:
        f.write(key)
        f.flush()
        os.fsync(f.fileno())
    return key


def encrypt(key: bytes, text: str) -> str:
    return Fernet(key).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(key: bytes, token: str) -> str:
    try:
        return Fernet(key).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise SecretUnreadable from exc
