"""Encryption of the reports' texts, and the receipt codes.

Texts are Fernet tokens under `settings.MELDPUNT_KEYS` (MultiFernet: the first key encrypts,
every key decrypts, so a key can be rotated). A Fernet token carries its creation time in the
clear; it is set to the start of the day, so the token says no more than the row's date.

A receipt code is 20 characters from Crockford's base32 alphabet (100 random bits), shown
once. The row keeps HMAC-SHA256(key, code) with a key derived from each encryption key: a
copy of the database alone cannot test a code, and 100 bits cannot be guessed online, so a
slow hash would add nothing but load (and a per-row salt would make the code unfindable).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_LENGTH = 20
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _keys() -> list[bytes]:
    return [key.encode() for key in settings.MELDPUNT_KEYS]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def _start_of_day() -> int:
    now = datetime.now(UTC)
    return int(datetime(now.year, now.month, now.day, tzinfo=UTC).timestamp())


def encrypt(text: str) -> str:
    return _fernet().encrypt_at_time(text.encode(), _start_of_day()).decode("ascii")


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode("ascii")).decode()


def new_code() -> str:
    """A fresh receipt code, as shown: five groups of four."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise(code: str) -> str:
    """What the reporter typed, as the code was made: no spaces or dashes, capitals, the
    letters Crockford reads as digits read so."""
    cleaned = "".join(code.split()).replace("-", "").upper().translate(_READ_AS)
    return cleaned if len(cleaned) == CODE_LENGTH and set(cleaned) <= set(ALPHABET) else ""


def _digest(key: bytes, code: str) -> str:
    hmac_key = hashlib.sha256(b"regionet-meldpunt-receipt:" + base64.urlsafe_b64decode(key))
    return hmac.new(hmac_key.digest(), code.encode(), hashlib.sha256).hexdigest()


def receipt_digest(code: str) -> str:
    """The stored hash of a (normalised) code, under the current key."""
    return _digest(_keys()[0], code)


def receipt_digests(code: str) -> list[str]:
    """The hash under every key, to find a report whose code was hashed before a rotation."""
    return [_digest(key, code) for key in _keys()]


__all__ = ["decrypt", "encrypt", "new_code", "normalise", "receipt_digest", "receipt_digests"]
