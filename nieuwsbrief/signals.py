"""allauth's signal, handed to the service (no logic here)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import services


def address_verified(
    sender: Any, request: HttpRequest | None, email_address: Any, **kwargs
) -> None:
    services.subscriber_link_account(email=email_address.email, user_id=email_address.user_id)
