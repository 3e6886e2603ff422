"""Reads of members."""

from __future__ import annotations

from .models import Lid


def lid_for_user(user) -> Lid | None:
    """The member profile of a logged-in user, or None (visitors, accounts without profile)."""
    if not user.is_authenticated:
        return None
    try:
        return user.lid
    except Lid.DoesNotExist:
        return None
