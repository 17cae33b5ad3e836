"""Encryption at rest for the few secrets Taut must be able to read back (TOTP secrets).

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) under a key from
``settings.FIELD_ENCRYPTION_KEY`` (env ``TAUT_FIELD_KEY``), or derived from ``SECRET_KEY``
when that is empty. Any string works as the setting: it is stretched to a Fernet key with
SHA-256, so an operator may paste a long random string. Decision 0031."""

import base64
import hashlib

from cryptography.fernet import Fernet
from django.conf import settings


def _fernet() -> Fernet:
    material = settings.FIELD_ENCRYPTION_KEY or f"taut-field-key:{settings.SECRET_KEY}"
    digest = hashlib.sha256(material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(plain: bytes) -> str:
    """``plain`` as a Fernet token (ASCII text, about 100 characters for a 20-byte secret)."""
    return _fernet().encrypt(plain).decode("ascii")


def decrypt(token: str) -> bytes:
    """The bytes ``encrypt`` was given; raises ``cryptography.fernet.InvalidToken`` when the
    token was made under another key or altered."""
    return _fernet().decrypt(token.encode("ascii"))
