"""Malformed values in every public URL parameter answer 400 or 404, never a server error.

Each named URL of the matrix (tests/config/test_url_matrix.py) gets, in each of its path arguments,
a NUL byte, huge and negative numbers, unicode and an overlong string; every query string and
form gets the same; every admin changelist gets them in each of its filters. A NUL byte and an
integer beyond 64 bits are refused with 400 wherever they come (portal/requestguard.py).
Run on PostgreSQL too: that is where NUL bytes and overflows break.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse

from portal.requestguard import is_malformed
from tests.config import test_url_matrix
from tests.config.test_url_matrix import CASES, LOGIN, _outcome

pytestmark = pytest.mark.django_db
world = test_url_matrix.world  # the matrix's objects, as a fixture here too

HUGE = "9" * 30
MALFORMED = [
    "a\x00b",
    "\x00",
    HUGE,
    "-" + HUGE,
    "-1",
    "１２３",  # full-width digits
    "é€😀ß\u202e",
    "x" * 3000,
    "../../etc/passwd",
]
REFUSED = {value for value in MALFORMED if is_malformed(value)}
FEW = ["a\x00b", HUGE, "-1", "é€😀ß\u202e"]  # for the many admin filters
QUERY_KEYS = ["pagina", "netwerk", "koepel", "soort", "jaar", "zoek", "open_voor_mij"]


def test_the_guard_refuses_nul_and_huge_numbers_and_nothing_else():
    assert {"a\x00b", "\x00", HUGE, "-" + HUGE} == REFUSED


def _request(client, method: str, url: str, data: dict | None = None):
    with transaction.atomic():  # every request starts from the same world
        response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    return response


def _cases_with_arguments(objects: dict) -> list:
    seen, cases = set(), []
    for case in CASES:
        if set(case.expected.values()) == {405}:
            continue  # a method the view refuses before it reads its arguments
        args = case.args(objects)
        if args and case.name not in seen:
            seen.add(case.name)
            cases.append((case, args))
    return cases


@pytest.mark.parametrize("who", ["visitor", "staff"])
def test_malformed_path_arguments_answer_400_or_404(client, cast, world, who):
    if who == "staff":
        client.force_login(cast["staff"])
    wrong = []
    for case, args in _cases_with_arguments(world):
        for index in range(len(args)):
            for value in MALFORMED:
                good = reverse(case.name, args=args)
                # Swap the argument's text in the reversed URL for the malformed value.
                head, _, tail = good.rpartition(quote(str(args[index]), safe="/"))
                url = head + quote(value, safe="") + tail
                outcome = _outcome(_request(client, case.method, url, case.data))
                # A NUL byte is refused wherever it is; anything else is simply not found
                # (or, for a visitor, asked to log in first).
                expected = {400} if "\x00" in value else {400, 404, LOGIN}
                if set(case.expected.values()) == {405}:  # a POST-only address, asked with GET
                    expected = expected | {405}
                if outcome not in expected:
                    wrong.append(f"{case.name} arg {index} = {value[:20]!r}: {outcome}")
    assert not wrong, "\n".join(wrong)


def test_malformed_query_and_form_values_answer_400_or_are_ignored(client, cast, world):
    client.force_login(cast["staff"])
    wrong = []
    for case in CASES:
        url = reverse(case.name, args=case.args(world))
        for value in FEW:
            query = urlencode(dict.fromkeys(QUERY_KEYS, value))
            data = dict.fromkeys(case.data, value) or {"x": value}
            for method, target, payload in (
                ("get", f"{url}?{query}", None),
                (case.method, url, data) if case.method == "post" else ("get", url, None),
            ):
                if payload is None and target == url:
                    continue
                status = _request(client, method, target, payload).status_code
                ok = status == 400 if value in REFUSED else status < 500
                if not ok:
                    wrong.append(f"{method} {case.name} {value[:20]!r}: {status}")
    assert not wrong, "\n".join(wrong)


def _filter_parameters(model_admin) -> list[str]:
    names = []
    for spec in model_admin.list_filter:
        field = spec[0] if isinstance(spec, tuple) else spec
        if isinstance(field, str):
            names += [field, f"{field}__exact", f"{field}__id__exact"]
        else:
            names.append(field.parameter_name)
    return [*names, "id", "id__exact", "q", "p", "o"]


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label_lower)
def test_admin_changelist_filters_refuse_malformed_values(client, cast, model):
    client.force_login(cast["staff"])
    model_admin = admin.site._registry[model]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    wrong = []
    for name in _filter_parameters(model_admin):
        for value in FEW:
            status = _request(client, "get", f"{url}?{urlencode({name: value})}").status_code
            # The admin's own answer to a lookup it cannot use is a redirect to "?e=1".
            ok = status == 400 if value in REFUSED else status in (200, 302, 400, 404)
            if not ok:
                wrong.append(f"?{name}={value[:20]!r}: {status}")
    assert not wrong, "\n".join(wrong)


def test_admin_autocomplete_and_shortcut_refuse_malformed_values(client, cast):
    client.force_login(cast["staff"])
    term = urlencode(
        {
            "app_label": "bijeenkomsten",
            "model_name": "aanmelding",
            "field_name": "lid",
            "term": "\x00",
        }
    )
    assert client.get(f"{reverse('admin:autocomplete')}?{term}").status_code == 400
    assert client.get(f"/admin/r/{HUGE}/1/").status_code in (400, 404)
    assert client.get(f"/admin/r/1/{quote(chr(0))}/").status_code == 400
