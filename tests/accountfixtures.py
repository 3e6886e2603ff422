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


def totp_code(secret: str) -> str:
    """The code an authenticator app would show now, computed by allauth's own functions."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def secret_of(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])
