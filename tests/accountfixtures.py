"""Two-factor helpers: staff and coordinators need a TOTP authenticator to open the admin."""

from __future__ import annotations

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt


def give_totp(user) -> str:
    """Activate a TOTP authenticator for `user` through allauth's own API; returns the secret.

    Idempotent (allauth allows one TOTP authenticator per user), so a shared fixture and a
    test may both call it."""
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return secret_of(user)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, *, margin: int = 8) -> str:
    """The code an authenticator app would show now, computed by allauth's own functions.

    allauth accepts only the current period (no tolerance), so a code made in the last
    `margin` seconds of one could reach the server in the next and be refused: wait for the
    next period instead (a person would read the new code too)."""
    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < margin:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def secret_of(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])
