"""Limits on the portal's anonymous forms that send mail: per client and per address.

Built on allauth's rate limits, so these forms and allauth's own (sign-up, password reset,
verification mails) share one mechanism, one cache and one idea of who the client is (its IP
address, read behind `ALLAUTH_TRUSTED_PROXY_COUNT` trusted proxies). The rates live in the
`ACCOUNT_RATE_LIMITS` setting: "<form>" per client, "<form>_mail" per address.
"""

from __future__ import annotations

from allauth.account import app_settings
from allauth.core import ratelimit
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def _rates_for(action: str) -> str:
    if action not in app_settings.RATE_LIMITS:
        # A missing rate would mean no limit at all; an empty string switches one off on purpose.
        raise ImproperlyConfigured(f"ACCOUNT_RATE_LIMITS has no rate for {action!r}.")
    return app_settings.RATE_LIMITS[action]


def client_may_submit(request: HttpRequest, *, form: str) -> bool:
    """Count one submission of `form` by this client; False once it has sent too many.

    The caller then refuses the submission (429) and sends nothing.
    """
    _rates_for(form)
    return ratelimit.consume(request, action=form)


def address_may_receive(request: HttpRequest, *, form: str, email: str) -> bool:
    """Count one mail from `form` to this address; False once it has had too many.

    The caller then sends nothing but answers as if it had: the answer must not tell
    whether someone used the address before.
    """
    action = f"{form}_mail"
    _rates_for(action)
    return ratelimit.consume(request, action=action, key=email.strip().lower())
