"""Every member-facing URL × every role → the expected status code.

404 where an object must stay hidden (the same answer as for one that does not exist), 302 to
the login page where a login is required, 403 where a logged-in person lacks a right that is
no secret (the export page). The last test walks the URL resolver and fails when a named URL
outside the admin and allauth has no row here, so a new URL cannot be forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from leden import services as leden_services
from tests import factories
from tests.conftest import ROLES
from tests.test_accounts_photo import jpeg_with_gps

pytestmark = pytest.mark.django_db

LOGIN = "login"  # 302 to the login page


def roles(anon, rotterdam, betrokken, kern, coordinator, staff) -> dict:
    return dict(zip(ROLES, (anon, rotterdam, betrokken, kern, coordinator, staff), strict=True))


def everyone(code) -> dict:
    return dict.fromkeys(ROLES, code)


def members(code, *, anon=LOGIN) -> dict:
    """Login required; every logged-in role (all have a member profile) gets `code`."""
    return roles(anon, code, code, code, code, code)


OPEN = everyone(200)
MEMBERS_ONLY = roles(404, 200, 200, 200, 200, 200)  # active member of any network
CORE_TWENTE = roles(404, 404, 404, 200, 200, 200)
DRAFT_TWENTE = roles(404, 404, 404, 404, 200, 200)  # coordinators and staff see drafts
FELLOWS_TWENTE = roles(404, 404, 200, 200, 200, 200)
EXPORTERS = roles(LOGIN, 403, 403, 403, 200, 200)
HIDDEN = everyone(404)


@dataclass
class Case:
    name: str
    label: str
    expected: dict
    args: Callable[[dict], list] = lambda w: []
    method: str = "get"
    data: dict = field(default_factory=dict)


def _meeting(key: str) -> Callable[[dict], list]:
    return lambda w: [w[key].slug]


CASES = [
    Case("home", "agenda", OPEN),
    Case("healthz", "health check", OPEN),
    Case("healthz_ready", "readiness check", OPEN),
    Case("persoonlijke_agenda", "own token", OPEN, lambda w: [w["token"]]),
    Case("persoonlijke_agenda", "wrong token", HIDDEN, lambda w: ["niet-geldig"]),
    # leden: the member's own pages
    Case("leden:profiel", "page", members(200)),
    Case("leden:agenda_link", "POST", members(302), method="post"),
    Case("leden:agenda_link", "GET", members(405)),
    Case("leden:gegevens", "download", members(200)),
    Case("leden:verwijderen", "page", members(200)),
    Case(
        "leden:verwijderen", "POST confirmed", members(302), method="post", data={"bevestig": "ja"}
    ),
    Case("leden:foto", "kern_twente's photo", FELLOWS_TWENTE, lambda w: [w["foto_lid"]]),
    Case("leden:foto", "member without photo", HIDDEN, lambda w: [w["zonder_foto"]]),
    Case("leden:foto_bestand", "kern_twente's photo", FELLOWS_TWENTE, lambda w: [w["foto_naam"]]),
    Case("leden:foto_bestand", "no such photo", HIDDEN, lambda w: ["leden/foto/x.jpg"]),
    Case("leden:meedoen", "form", members(200), lambda w: ["twente"]),
    Case(
        "leden:meedoen",
        "POST",
        members(302),
        lambda w: ["twente"],
        "post",
        {"schil": "betrokken", "motivatie": "Graag"},
    ),
    Case("leden:meedoen", "unknown network", members(404), lambda w: ["bestaat-niet"]),
    Case("leden:verlaten", "POST", members(302), lambda w: ["twente"], "post"),
    Case("leden:verlaten", "GET", members(405), lambda w: ["twente"]),
    Case(
        "leden:schil_wisselen",
        "POST",
        members(302),
        lambda w: ["twente"],
        "post",
        {"schil": "kern"},
    ),
    Case("leden:schil_wisselen", "no such tier", members(404), lambda w: ["twente"], "post"),
    # netwerken
    Case("netwerken:detail", "page", OPEN, lambda w: ["twente"]),
    Case("netwerken:detail", "unknown", HIDDEN, lambda w: ["bestaat-niet"]),
    Case("netwerken:ics", "open meetings feed", OPEN, lambda w: ["twente"]),
    Case("netwerken:programma", "published", OPEN, lambda w: ["twente", 2027, 1]),
    Case("netwerken:programma", "draft", DRAFT_TWENTE, lambda w: ["twente", 2027, 2]),
    # bijeenkomsten: one row per audience, page and .ics alike
    Case("bijeenkomsten:archief", "archive", OPEN),
    Case("bijeenkomsten:mijn_aanmeldingen", "own registrations", members(200)),
    Case("bijeenkomsten:detail", "open", OPEN, _meeting("open")),
    Case("bijeenkomsten:detail", "members only", MEMBERS_ONLY, _meeting("leden")),
    Case("bijeenkomsten:detail", "core only", CORE_TWENTE, _meeting("kern")),
    Case("bijeenkomsten:detail", "draft programme", DRAFT_TWENTE, _meeting("concept")),
    Case("bijeenkomsten:ics", "open", OPEN, _meeting("open")),
    Case("bijeenkomsten:ics", "members only", MEMBERS_ONLY, _meeting("leden")),
    Case("bijeenkomsten:ics", "core only", CORE_TWENTE, _meeting("kern")),
    Case("bijeenkomsten:ics", "draft programme", DRAFT_TWENTE, _meeting("concept")),
    Case(
        "bijeenkomsten:aanmelden",
        "core only",
        roles(LOGIN, 404, 404, 302, 302, 302),
        _meeting("kern"),
        "post",
    ),
    Case(
        "bijeenkomsten:afmelden",
        "core only",
        roles(LOGIN, 404, 404, 302, 302, 302),
        _meeting("kern"),
        "post",
    ),
    Case("bijeenkomsten:gast_aanmelden", "open, form page", OPEN, _meeting("open")),
    Case(
        "bijeenkomsten:gast_aanmelden", "open, empty form", everyone(400), _meeting("open"), "post"
    ),
    # Guests register for open meetings only: any other audience answers 404 to everyone.
    Case("bijeenkomsten:gast_aanmelden", "core only", HIDDEN, _meeting("kern"), "post"),
    Case("bijeenkomsten:gast_aanmelden", "members only", HIDDEN, _meeting("leden"), "post"),
    Case("bijeenkomsten:gast_bevestigen", "wrong token", HIDDEN, lambda w: ["niet-geldig"]),
    Case("bijeenkomsten:materiaal", "open meeting's slides", OPEN, lambda w: [w["dias_open"]]),
    Case(
        "bijeenkomsten:materiaal", "core meeting's slides", CORE_TWENTE, lambda w: [w["dias_kern"]]
    ),
    Case("bijeenkomsten:materiaal", "no such file", HIDDEN, lambda w: ["materiaal/pdf/x.pdf"]),
    # berichten
    Case("berichten:digest_aanvragen", "form", members(200)),
    Case("berichten:voorkeuren", "mail preferences per network", members(200)),
    Case("berichten:digest_bevestigen", "wrong token", HIDDEN, lambda w: ["niet-geldig"]),
    Case("berichten:afmelden", "wrong token", HIDDEN, lambda w: ["niet-geldig"]),
    # exports: coordinators (their networks) and staff only
    Case("portal:index", "page", EXPORTERS),
    Case("portal:members", "POST csv", EXPORTERS, method="post", data={"formaat": "csv"}),
    Case(
        "portal:meeting",
        "Twente core meeting",
        EXPORTERS,
        lambda w: [w["kern"].pk],
        "post",
        {"formaat": "csv"},
    ),
    Case(
        "portal:meeting",
        "Rotterdam meeting",
        roles(LOGIN, 403, 403, 403, 404, 200),
        lambda w: [w["rotterdam_meeting"].pk],
        "post",
        {"formaat": "csv"},
    ),
    Case(
        "portal:programme",
        "Twente draft programme",
        EXPORTERS,
        lambda w: [w["concept_programma"].pk],
        "post",
        {"formaat": "csv"},
    ),
]


def _slides(bijeenkomst) -> str:
    """The stored name of a PDF on this meeting (its URL's argument)."""
    from django.core.files.base import ContentFile

    from bijeenkomsten.models import Materiaal
    from tests.test_uploads import pdf_bytes

    materiaal = Materiaal(bijeenkomst=bijeenkomst, soort="slides", titel="Dia's")
    materiaal.pdf.save("dias.pdf", ContentFile(pdf_bytes()), save=False)
    materiaal.save()
    return materiaal.pdf.name


@pytest.fixture
def world(cast, twente, rotterdam) -> dict:
    kern_lid = cast["kern_twente"].lid
    concept = factories.HalfjaarprogrammaFactory(netwerk=twente, helft=2, gepubliceerd=False)
    factories.HalfjaarprogrammaFactory(netwerk=twente, helft=1, gepubliceerd=True)
    leden_services.lid_photo_set(
        lid=kern_lid, upload=SimpleUploadedFile("foto.jpg", jpeg_with_gps((200, 200)))
    )
    meetings = {
        audience: factories.BijeenkomstFactory(doelgroep=audience, netwerken=[twente])
        for audience in ("open", "leden", "kern")
    }
    return {
        **meetings,
        "dias_open": _slides(meetings["open"]),
        "dias_kern": _slides(meetings["kern"]),
        "concept": factories.BijeenkomstFactory(netwerken=[twente], programma=concept),
        "concept_programma": concept,
        "rotterdam_meeting": factories.BijeenkomstFactory(netwerken=[rotterdam]),
        "token": leden_services.calendar_token_renew(lid=kern_lid),
        "foto_lid": kern_lid.pk,
        "foto_naam": kern_lid.foto.name,
        "zonder_foto": cast["betrokken_twente"].lid.pk,
    }


def _outcome(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_every_member_facing_url_answers_each_role_as_expected(client, cast, world, role):
    wrong = []
    for case in CASES:
        client.logout()
        if role != "visitor":
            client.force_login(cast[role])
        url = reverse(case.name, args=case.args(world))
        # Each request's writes (joining, leaving, deleting the account) are rolled back,
        # so every row starts from the same world.
        with transaction.atomic():
            response = getattr(client, case.method)(url, case.data)
            transaction.set_rollback(True)
        outcome = _outcome(response)
        if outcome != case.expected[role]:
            wrong.append(f"{case.name} ({case.label}): {outcome}, expected {case.expected[role]}")
    assert not wrong, "\n".join(wrong)


def _named_urls(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _named_urls(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            module = pattern.callback.__module__
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if module.startswith(("allauth.", "django.contrib.admin")) or name.startswith("admin:"):
                continue
            yield name


def test_every_named_url_outside_admin_and_allauth_is_in_the_matrix():
    named = set(_named_urls(get_resolver().url_patterns))
    covered = {case.name for case in CASES}
    assert named - covered == set(), "add these URLs to CASES"
    assert covered - named == set(), "these CASES name URLs that no longer exist"
    assert {"leden:profiel", "bijeenkomsten:detail", "portal:index"} <= named  # the walk works
