"""Rendered parts of the members' pages, kept in the shared cache.

Every entry is stored with the content version it was made at, and read together with the
current version in one round trip (MGET); an entry of an older version counts as missing.
Saving or deleting anything a page shows (a meeting, programme, registration, membership,
network …) bumps the version, so a change, one's own registration included, shows on the
next request. Keys hold what the viewer may see and the page's address. The short lifetime
covers what time alone changes: registration closing, a meeting passing.

With the cache unreachable (portal.cache fails open) there is no version: such a request
neither reads nor keeps an entry, and its fragment keys are its own, so the page is simply
made afresh from the database.

Who sees what is the domain's answer, not portal's: the app that knows it (leden, whose
memberships and rights decide it) hands its function to `register_audience(fn)` when its
`permissions` module is imported, and `portal.apps` imports every app's `permissions` module
at start-up, as the admin finds every `admin.py` (the same scheme as `portal.adminscope`).
"""

from __future__ import annotations

import hashlib
import math
import random
import time
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

VERSION_KEY = "pagecache:version"
LIFETIME = 60  # seconds


def _new_version() -> int | None:
    """The current version, made if missing; None when the cache cannot be reached."""
    # Start from the clock, so a version lost from the cache is never reused.
    cache.add(VERSION_KEY, time.time_ns())
    return cache.get(VERSION_KEY)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache (evicted or new)
        _new_version()


def bump_content_version(**_signal_kwargs: Any) -> None:
    """Invalidate every cached page: now, and again when the transaction commits, since a
    reader between the two may have cached rows from before the commit."""
    _bump()
    # Once per transaction however many rows it saves (run_on_commit holds (ids, func, robust)).
    pending = transaction.get_connection().run_on_commit
    if not any(entry[1] is _bump for entry in pending):
        transaction.on_commit(_bump)


# Noted on the request, so every part of one page reads one version and one key.
_VERSION_ATTR = "_content_version"
_PAGE_KEY_ATTR = "_page_key"


def _version_of(request: HttpRequest) -> int | None:
    """The content version `_get` noted on this request (None: the cache was unreachable)."""
    return getattr(request, _VERSION_ATTR)


def _get(request: HttpRequest, key: str | None) -> Any:
    """The entry under `key` if it is of the current version, else None; notes the version.

    Near the end of its lifetime an entry counts as missing for one reader now and then,
    the more often the closer the end and the longer it took to make ("probabilistic early
    expiration"): one request makes it anew while the others still get it, instead of all
    of them at once when it expires.
    """
    found = cache.get_many([VERSION_KEY] if key is None else [VERSION_KEY, key])
    version = found.get(VERSION_KEY) or _new_version()
    if not hasattr(request, _VERSION_ATTR):
        setattr(request, _VERSION_ATTR, version)  # one version for everything on this page
    entry = found.get(key) if key is not None else None
    if entry is None or _version_of(request) is None:
        return None
    if entry[0] != _version_of(request):
        return None
    _, expires, cost, value = entry
    if time.time() - cost * math.log(1.0 - random.random()) >= expires:  # noqa: S311
        return None
    return value


def _set(request: HttpRequest, key: str, value: Any, *, cost: float = 0.0) -> None:
    """Keep `value` for this content version; `cost`: seconds it took to make."""
    if _version_of(request) is None:
        return  # the cache is unreachable: an entry could not be checked against a version
    entry = (_version_of(request), time.time() + LIFETIME, cost, value)
    cache.set(key, entry, LIFETIME)


def _key(name: str, text: str) -> str:
    return f"pagecache:{name}:{hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()}"


# user -> what decides what they see, as a short string (part of every cache key).
AudienceFunction = Callable[[Any], str]
_audience_function: AudienceFunction | None = None


def register_audience(function: AudienceFunction) -> None:
    """Give the page cache its answer to "what decides what this user sees". Called once, by
    the domain module that decides it, when it is imported."""
    global _audience_function  # noqa: PLW0603 (one registration at start-up)
    if _audience_function is not None and _audience_function is not function:
        raise ImproperlyConfigured("The page cache's audience is registered twice.")
    _audience_function = function


def audience(user) -> str:
    """What decides which meetings and members this user sees, as a short string."""
    if _audience_function is None:
        # Without it two viewers who see different things would share a cached page.
        raise ImproperlyConfigured("No audience registered (see portal.pagecache).")
    return _audience_function(user)


def _audience_of(request: HttpRequest) -> str:
    if not request.user.is_authenticated:
        _get(request, None)  # just the version
        return "anon"
    key = f"pagecache:audience:{request.user.pk}"
    value = _get(request, key)
    if value is None:
        value = audience(request.user)
        _set(request, key, value)
    return value


def page_key(request: HttpRequest) -> str:
    """The cache key of what `request` shows (for `{% cache %}` and `remember`)."""
    if not hasattr(request, _PAGE_KEY_ATTR):
        viewer = _audience_of(request)
        # Without a version (cache unreachable) the key is this request's alone: never read.
        version = _version_of(request) or f"none-{uuid.uuid4().hex}"
        page = f"{get_language()}:{request.get_full_path()}"  # each language its own copy
        setattr(request, _PAGE_KEY_ATTR, f"{version}:{viewer}:{page}")
    return getattr(request, _PAGE_KEY_ATTR)


_MISSING = object()


def remember(request: HttpRequest, name: str, build: Callable[[], Any]) -> Any:
    """`build()`'s result for this page and viewer, from the cache when it is there."""
    key = _key(name, page_key(request))
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(key, value, LIFETIME)
    return value


def render_cached(
    request: HttpRequest, template: str, context: dict, status: int | None = None
) -> HttpResponse:
    """Render a page whose template keeps its costly part in
    `{% cache page_cache_seconds "name" page_key %}`.

    `context["content"]`, if given, is a function: it runs only when that cached part is
    missing, so a cached page costs no query for it.
    """
    if "content" in context:
        context = {**context, "content": SimpleLazyObject(context["content"])}
    context = {"page_key": page_key(request), "page_cache_seconds": LIFETIME, **context}
    return render(request, template, context, status=status)


def _whole_page_key(request: HttpRequest) -> str | None:
    """Whose copy of the page this request may get, or None when it must be made afresh.

    Visitors share one copy. A member gets their own, since it shows their registration and
    holds a CSRF token, which is bound to their CSRF cookie: the key holds that cookie too.
    """
    if request.method != "GET" or len(messages.get_messages(request)):
        return None  # a message must show once, so that page is made for this request only
    path = f"{get_language()}:{request.get_full_path()}"  # each language its own copy
    if not request.user.is_authenticated:
        return _key("visitor", path)
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not csrf_cookie:
        return None
    return _key("member", f"{request.user.pk}:{csrf_cookie}:{path}")


def whole_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the whole page from the cache when the viewer saw it at this content version:
    one lookup, no template. Only a 200 that sets no cookie and holds no message is kept;
    a visitor's copy holds no CSRF token (it would be someone else's)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = _whole_page_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        cached = _get(request, key)
        if cached is not None:
            headers, content = cached
            return HttpResponse(content, headers=headers)
        started = time.perf_counter()
        response = view(request, *args, **kwargs)
        visitor = not request.user.is_authenticated
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not len(messages.get_messages(request))
            and not (visitor and request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        ):
            cost = time.perf_counter() - started
            _set(request, key, (dict(response.headers), response.content), cost=cost)
        return response

    return wrapper
