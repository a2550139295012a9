"""Authenticator secrets (TOTP keys, recovery-code seeds) are encrypted at rest with Fernet.

The keys come from MFA_ENCRYPTION_KEYS: the first encrypts, every one decrypts, so a new key
can be put in front and the old ones dropped once `manage.py rotate_mfa_keys` has re-encrypted
every secret (docs/deployment.md, "Authenticator secrets").
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = [
    "InvalidToken",
    "decrypt",
    "decrypt_data",
    "encrypt",
    "encrypt_data",
    "only_first_key_needed",
    "rotate_data",
]


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    """The keys in settings, as one MultiFernet (cached per set of keys)."""
    return _fernet(tuple(settings.MFA_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    """Encrypt with the first key."""
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt with whichever key encrypted it; InvalidToken if none did."""
    return fernet().decrypt(token.encode()).decode()


def _map_secrets(data: dict[str, Any], change: Any) -> dict[str, Any]:
    """Apply `change` to each secret in an Authenticator's data, leaving the rest alone."""
    data = dict(data)
    for name in ("secret", "seed"):  # TOTP key; recovery-code seed
        if name in data:
            data[name] = change(data[name])
    if data.get("migrated_codes") is not None:  # recovery codes carried over from django-mfa
        data["migrated_codes"] = [change(code) for code in data["migrated_codes"]]
    return data


def encrypt_data(data: dict[str, Any]) -> dict[str, Any]:
    """Encrypt the secrets of data written before encryption; encrypted ones stay as they are."""

    def encrypt_if_plain(value: str) -> str:
        try:
            decrypt(value)
        except InvalidToken:
            return encrypt(value)
        return value

    return _map_secrets(data, encrypt_if_plain)


def decrypt_data(data: dict[str, Any]) -> dict[str, Any]:
    """Back to plain secrets (undoing the migration that encrypted them)."""
    return _map_secrets(data, decrypt)


def rotate_data(data: dict[str, Any]) -> dict[str, Any]:
    """Re-encrypt every secret with the first key."""
    return _map_secrets(data, lambda token: fernet().rotate(token.encode()).decode())


def only_first_key_needed(data: dict[str, Any]) -> bool:
    """True if the first key alone opens every secret (older keys may then be removed)."""
    first = Fernet(settings.MFA_ENCRYPTION_KEYS[0])
    opened: list[bool] = []

    def opens(token: str) -> str:
        try:
            first.decrypt(token.encode())
        except InvalidToken:
            opened.append(False)
        return token

    _map_secrets(data, opens)
    return all(opened)
