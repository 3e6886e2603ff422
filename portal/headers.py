"""Security and privacy headers on every response: one place that decides them.

- `Content-Security-Policy`: scripts, styles, fonts and requests only from the portal itself
  and no inline script or style, so injected markup cannot run. `img-src` also allows `data:`
  (the TOTP QR code and Bootstrap's icons are data: images).
- `Permissions-Policy`: the browser features the portal never uses are switched off.
- `Cache-Control: private, no-store` on everything shown to a logged-in person (their
  profile, preferences, data download …), and on the responses that a secret link stands in
  for a login for (`personal_data`): no shared cache or browser history keeps them.

A response that already carries one of these headers keeps its own (a file response may
send a stricter policy, such as `sandbox`; a photo may be cached privately for a while).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
)

PRIVATE = {"private": True, "no_store": True}


def personal_data(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For views that show one person's data to whoever holds a secret link (a calendar
    feed, a guest's confirmation page): no cache but the person's own may keep it, and not
    even that."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_cache_control(response, **PRIVATE)
        return response

    return wrapper


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Django's own debug pages (DEBUG only) are built from inline style and script.
        debug_page = settings.DEBUG and response.status_code in (404, 500)
        if "Content-Security-Policy" not in response and not debug_page:
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)  # absent when a static file answered first
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, **PRIVATE)
        return response
