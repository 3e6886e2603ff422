"""Security headers on every response, no-store on personal data, Dutch error pages in the
portal's layout, and rate limits per client behind a proxy."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ImproperlyConfigured
from django.template import loader
from django.test import Client
from django.urls import path, reverse
from django.views import defaults

from config import urls as project_urls
from portal.headers import CONTENT_SECURITY_POLICY
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def _boom(request):
    raise ImproperlyConfigured("a bug in a view")


# The project's URLs plus one view that fails (for the 500 page).
urlpatterns = [*project_urls.urlpatterns, path("kapot/", _boom)]


@pytest.fixture
def content(twente, kern_twente):
    # A change of address waiting for confirmation: allauth's page then holds a hidden form.
    EmailAddress.objects.create(user=kern_twente, email="nieuw@example.org", verified=False)
    bijeenkomst = factories.BijeenkomstFactory(titel="Sociaal café", netwerken=[twente])
    factories.HalfjaarprogrammaFactory(netwerk=twente)
    return bijeenkomst


class _Page(HTMLParser):
    """The links of a page, and what in it would run or style inline."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag == "script" and not values.get("src") and values.get("type") != "application/json":
            self.inline.append("<script> without src")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.inline.append(f"<{tag} {name}={value!r}>")
            if name in {"href", "src", "action"} and (value or "").startswith("javascript:"):
                self.inline.append(f"<{tag} {name}={value!r}>")


def _crawl(client: Client, seeds: list[str], limit: int = 150) -> dict:
    """GET every page reachable by links from `seeds`; {url: response}. One page per kind of
    path: the change page of one row stands for the change pages of them all."""
    seen: set[str] = set()
    queue = deque(seeds)
    responses = {}
    while queue and len(responses) < limit:
        url = queue.popleft()
        parts = urlsplit(url)
        kind = re.sub(r"\d+", "N", parts.path)
        if kind in seen or parts.path.startswith(("/static/", "/admin/logout")):
            continue
        seen.add(kind)
        response = client.get(url)
        responses[url] = response
        found = [response["Location"]] if response.has_header("Location") else []
        if response.get("Content-Type", "").startswith("text/html"):
            page = _Page()
            page.feed(response.content.decode())
            response.inline = page.inline
            found += page.links
        for link in found:
            target = urlsplit(urljoin(url, link))
            if target.scheme in {"", "http"} and target.netloc in {"", "testserver"}:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return responses


SEEDS = ["/", "/bijeenkomsten/archief/", "/accounts/login/", "/accounts/signup/", "/nergens/"]


@pytest.mark.parametrize("role", ["visitor", "kern_twente", "staff"])
def test_every_page_carries_the_content_security_and_permissions_policy(
    client, cast, content, role
):
    if role != "visitor":
        client.force_login(cast[role])
    seeds = [*SEEDS, content.get_absolute_url(), "/leden/profiel/", "/berichten/voorkeuren/"]
    if role == "staff":
        seeds += ["/admin/", "/export/", "/accounts/2fa/"]
    responses = _crawl(client, seeds)
    assert len(responses) > (40 if role == "staff" else 15), sorted(responses)
    missing = [
        url
        for url, response in responses.items()
        if response.get("Content-Security-Policy") != CONTENT_SECURITY_POLICY
        or "camera=()" not in response.get("Permissions-Policy", "")
    ]
    assert not missing, missing
    inline = {url: r.inline for url, r in responses.items() if getattr(r, "inline", None)}
    assert not inline, inline


def test_the_policy_allows_no_inline_script_or_style_and_no_framing():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_a_response_that_brings_its_own_policy_keeps_it(rf):
    from django.http import HttpResponse

    from portal.headers import SecurityHeadersMiddleware

    def file_view(request):
        response = HttpResponse(b"%PDF", content_type="application/pdf")
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        return response

    response = SecurityHeadersMiddleware(file_view)(rf.get("/"))
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "Permissions-Policy" in response


# --- Cache-Control on personal data --------------------------------------------------------


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def test_personal_pages_of_a_logged_in_member_are_private_and_not_stored(client, kern_twente):
    client.force_login(kern_twente)
    pages = [
        reverse("leden:profiel"),
        reverse("berichten:voorkeuren"),
        reverse("leden:gegevens"),
        reverse("berichten:digest_aanvragen"),
        reverse("home"),  # shows their own registrations
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), (url, response.get("Cache-Control"))


def test_the_personal_calendar_feed_is_private_and_not_stored(client, kern_twente):
    from leden import services

    lid = kern_twente.lid
    services.lid_calendar_token_renew(lid=lid)
    lid.refresh_from_db()
    response = client.get(f"/agenda/{lid.agenda_token}.ics")  # a calendar app: no login
    assert response.status_code == 200
    assert _no_store(response), response.get("Cache-Control")


def test_a_guests_confirmation_page_is_private_and_not_stored(client, twente):
    from bijeenkomsten import services

    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente], doelgroep="open")
    aanmelding = services.registration_create(
        bijeenkomst_id=bijeenkomst.pk, gast_naam="Gast Gastmans", gast_email="gast@example.org"
    )
    token = services.guest_token(aanmelding)
    response = client.get(reverse("bijeenkomsten:gast_bevestigen", args=[token]))
    assert response.status_code == 200
    assert _no_store(response), response.get("Cache-Control")


def test_public_pages_for_visitors_are_not_marked_personal(client, content):
    response = client.get(content.get_absolute_url())
    assert response.status_code == 200
    assert not _no_store(response)


# --- Error pages ----------------------------------------------------------------------------


def _is_dutch_error_page(response, status: int, heading: str) -> None:
    text = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in text
    assert '<a class="btn btn-primary" href="/">Terug naar de agenda</a>' in text
    assert 'class="navbar-brand fw-bold"' in text  # the portal's own layout
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


def test_404_page_is_dutch_in_the_layout_with_a_way_home(client, production, kern_twente):
    client.force_login(kern_twente)
    response = client.get("/bestaat-niet/")
    _is_dutch_error_page(response, 404, "Pagina niet gevonden")
    assert "Mijn profiel" in response.content.decode()  # the member's own menu


def test_403_page_is_dutch_in_the_layout_with_a_way_home(client, production, kern_twente):
    client.force_login(kern_twente)  # a member, not allowed to export
    response = client.get(reverse("portal:index"))
    _is_dutch_error_page(response, 403, "Geen toegang")


def test_expired_form_page_is_dutch_in_the_layout(production, content):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@example.org", "password": "x"})
    _is_dutch_error_page(response, 403, "Het formulier is verlopen")


def test_400_page_is_dutch_in_the_layout_with_a_way_home(client, production):
    response = client.get("/", headers={"host": "aanvaller.example"})
    _is_dutch_error_page(response, 400, "Ongeldig verzoek")


def test_429_page_is_dutch_in_the_layout_with_a_way_home(production, db):
    client = Client(REMOTE_ADDR="198.51.100.42")
    statuses = [_failed_login(client).status_code for _ in range(30)]
    assert statuses[:30] == [200] * 30
    _is_dutch_error_page(_failed_login(client), 429, "Te veel pogingen")


def test_500_page_is_dutch_in_the_layout_with_a_way_home(production, staff):
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    response = client.get("/kapot/")
    _is_dutch_error_page(response, 500, "Er ging iets mis")
    # Rendered without a request: no account menu rather than a wrong one.
    assert "Mijn profiel" not in response.content.decode()
    assert "Inloggen" not in response.content.decode()


def test_500_page_needs_no_database(rf, production):
    """No `db` fixture: pytest-django fails any query, as a database that is down would."""
    response = defaults.server_error(rf.get("/"))
    text = loader.get_template("500.html").render()
    assert response.status_code == 500
    assert "Er ging iets mis" in text


# --- Rate limits behind a proxy ----------------------------------------------------------------


def _proxy_count(**env: str) -> int:
    """ALLAUTH_TRUSTED_PROXY_COUNT as config/settings.py sets it from this environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {"BEHIND_PROXY", "DEBUG"}}
    code = "import config.settings as s; print(getattr(s, 'ALLAUTH_TRUSTED_PROXY_COUNT', 0))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "x" * 50, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(result.stdout.strip())


def _failed_login(client: Client, **headers: str):
    return client.post(
        reverse("account_login"),
        {"login": "niemand@example.org", "password": "fout-wachtwoord"},
        headers=headers,
    )


def _exhaust_login_limit(client: Client, **headers: str) -> None:
    """allauth allows 30 login posts per minute per client address; use them all up."""
    for _ in range(30):
        assert _failed_login(client, **headers).status_code == 200
    assert _failed_login(client, **headers).status_code == 429


def test_behind_the_proxy_each_client_has_its_own_login_limit(settings, db):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = _proxy_count(BEHIND_PROXY="1")
    proxy = Client(REMOTE_ADDR="192.0.2.10")  # every request arrives from the proxy
    _exhaust_login_limit(proxy, x_forwarded_for="203.0.113.7")
    # Another person behind the same proxy can still log in.
    assert _failed_login(proxy, x_forwarded_for="203.0.113.8").status_code == 200
    # And the first one stays limited.
    assert _failed_login(proxy, x_forwarded_for="203.0.113.7").status_code == 429


def test_without_a_proxy_a_forged_forwarded_for_does_not_escape_the_limit(settings, db):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = _proxy_count()
    direct = Client(REMOTE_ADDR="192.0.2.20")
    _exhaust_login_limit(direct, x_forwarded_for="203.0.113.9")
    assert _failed_login(direct, x_forwarded_for="203.0.113.99").status_code == 429
