"""The admin's door: staff and coordinators need an activated TOTP authenticator to enter."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.permissions import has_two_factor, needs_two_factor


def require_totp(admin_view: Callable) -> Callable:
    """Wrap `AdminSite.admin_view` so every admin page (and every model admin's page, which
    all pass through it) first sends staff and coordinators without TOTP to its activation."""

    @wraps(admin_view)
    def gated_admin_view(view: Callable, cacheable: bool = False) -> Callable:
        inner = admin_view(view, cacheable)

        @wraps(inner)
        def gate(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            # Logging out must stay possible, as in AdminSite.admin_view itself.
            logging_out = request.path == reverse("admin:logout")
            if not logging_out and needs_two_factor(user) and not has_two_factor(user):
                messages.warning(
                    request,
                    _(
                        "Set up two-step verification with an authenticator app before you "
                        "open the admin: it protects the members' personal data."
                    ),
                )
                return redirect("mfa_activate_totp")
            return inner(request, *args, **kwargs)

        return gate

    return gated_admin_view
