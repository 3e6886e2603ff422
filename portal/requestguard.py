"""Refuse, at the door, request values that no part of Regionet can hold.

A NUL byte cannot be stored in PostgreSQL text nor used in a file name, and an integer beyond
64 bits fits no database column; passed on, each ends as a 500 deep inside a lookup (a token,
a file URL, an admin filter). No valid request carries either, so this middleware answers
400 for them in the path, the query string or the form values, once, for every view: the
portal's own, allauth's and Django's admin alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

BIGINT_MAX = 2**63 - 1  # the widest integer column (PostgreSQL bigint, SQLite INTEGER)
# What int() reads, as Django's integer lookups call it: any Unicode digits, underscores between.
_INTEGER = re.compile(r"[+-]?\d+(?:_\d+)*")


def is_malformed(value: str) -> bool:
    """A NUL byte anywhere, or an integer no database column can hold."""
    if "\x00" in value:
        return True
    # The length test first keeps int() away from huge strings (and their conversion cost).
    if len(value) > 18 and _INTEGER.fullmatch(value.strip()):
        return abs(int(value)) > BIGINT_MAX
    return False


def _values(request: HttpRequest) -> Iterable[str]:
    yield request.path
    for data in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
        for key, values in data.lists():
            yield key
            yield from values


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(is_malformed(value) for value in _values(request)):
            raise BadRequest("Malformed request value")
        return self.get_response(request)
