"""The second factor's door: staff and coordinators without TOTP are sent to its activation.

Whether their rights are in force is decided once, in `netwerken.permissions` (no TOTP, no
elevated rights). This module only turns that into an answer a person can act on: the admin
and every view that needs elevated rights redirect to the activation page with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from netwerken.permissions import lacks_two_factor


def activation_redirect(request: HttpRequest) -> HttpResponse | None:
    """The redirect to TOTP activation when `request.user` still lacks it, else None."""
    if not lacks_two_factor(request.user):
        return None
    messages.warning(
        request,
        _(
            "Set up two-step verification with an authenticator app first: staff and "
            "coordinators need it before they handle the members' personal data."
        ),
    )
    return redirect("mfa_activate_totp")


def totp_required(view: Callable) -> Callable:
    """Send staff and coordinators without TOTP to its activation before `view` (a page that
    needs their rights, such as the exports, rather than answering as for a plain member)."""

    @wraps(view)
    def gate(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refusal = activation_redirect(request)
        if refusal is not None:
            return refusal
        return view(request, *args, **kwargs)

    return gate


def require_totp(admin_view: Callable) -> Callable:
    """Wrap `AdminSite.admin_view` so every admin page (and every model admin's page, which
    all pass through it) first sends staff and coordinators without TOTP to its activation."""

    @wraps(admin_view)
    def gated_admin_view(view: Callable, cacheable: bool = False) -> Callable:
        inner = admin_view(view, cacheable)

        @wraps(inner)
        def gate(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            # Logging out must stay possible, as in AdminSite.admin_view itself.
            if request.path != reverse("admin:logout"):
                refusal = activation_redirect(request)
                if refusal is not None:
                    return refusal
            return inner(request, *args, **kwargs)

        return gate

    return gated_admin_view
