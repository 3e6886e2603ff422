"""The fixed cast shared by all tests, and settings that make tests fast and plain-HTTP."""

import contextlib
import itertools
import os
import shutil
import uuid
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests import factories
from tests.accountfixtures import give_totp

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server with sync Playwright


def pytest_configure(config):
    """A run of its own in a shared Redis: an earlier run's rate limits (allauth allows one
    verification mail per address per 3 minutes) and cached pages must not reach this one."""
    from django.conf import settings

    prefix = f"test-{uuid.uuid4().hex[:12]}"
    os.environ["CACHE_KEY_PREFIX"] = prefix  # for the Celery worker the tests start
    settings.CACHES["default"]["KEY_PREFIX"] = prefix
    # The confidential channel's key (derived in the tests), for the worker the tests start.
    os.environ.setdefault("MELDPUNT_KEYS", ",".join(settings.MELDPUNT_KEYS))


_client_addresses = itertools.count(1)


@pytest.fixture
def client():
    """Django's test client, from an address of its own: rate limits count per client address
    in the shared cache, so one test's sign-ups must not use up the next test's allowance."""
    n = next(_client_addresses)
    return Client(REMOTE_ADDR=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256 or 1}")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    from django.core.cache import cache

    from portal.pagecache import VERSION_KEY

    cache.delete(VERSION_KEY)  # no page cached by an earlier test (whose rows are gone)
    from portal import health

    health.forget()  # readiness is remembered for a moment; each test probes afresh
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def twente(db):
    return factories.NetwerkFactory(slug="twente", naam="Regionetwerk Twente")


@pytest.fixture
def rotterdam(db):
    return factories.NetwerkFactory(slug="rotterdam", naam="Regionetwerk Rotterdam")


def _member(netwerk, schil: str, naam: str):
    lid = factories.LidFactory(naam=naam)
    factories.LidmaatschapFactory(lid=lid, netwerk=netwerk, schil=schil)
    return lid.user


@pytest.fixture
def staff(db):
    user = factories.UserFactory(email="staf@example.org", is_staff=True, is_superuser=True)
    factories.LidFactory(user=user, naam="Staf Medewerker")
    give_totp(user)  # staff open the admin only with two-factor on
    return user


@pytest.fixture
def coordinator_twente(twente):
    user = _member(twente, "kern", "Coördinator Twente")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    twente.coordinators.add(user)
    give_totp(user)  # coordinators open the admin only with two-factor on
    return user


@pytest.fixture
def kern_twente(twente):
    return _member(twente, "kern", "Kern Twente")


@pytest.fixture
def betrokken_twente(twente):
    return _member(twente, "betrokken", "Betrokken Twente")


@pytest.fixture
def lid_rotterdam(rotterdam):
    return _member(rotterdam, "kern", "Lid Rotterdam")


@pytest.fixture
def visitor():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


# The cast, from who sees least to who sees most.
ROLES = [
    "visitor",
    "lid_rotterdam",
    "betrokken_twente",
    "kern_twente",
    "coordinator_twente",
    "staff",
]


@pytest.fixture
def cast(staff, coordinator_twente, kern_twente, betrokken_twente, lid_rotterdam, visitor):
    return {
        "staff": staff,
        "coordinator_twente": coordinator_twente,
        "kern_twente": kern_twente,
        "betrokken_twente": betrokken_twente,
        "lid_rotterdam": lid_rotterdam,
        "visitor": visitor,
    }


def _chromium_path() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )


@pytest.fixture(scope="session")
def browser():
    """Real headless Chromium. Locally it is skipped when absent; in CI it must be there."""
    path = _chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab. Every request it made must stay on the portal itself: pages load
    no CSS, script, font or image from a third party (privacy)."""
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.set_default_timeout(10_000)
    remember_documents(page)
    yield page
    context.close()
    elsewhere = sorted({url for url in requested if not _is_own(url)})
    assert not elsewhere, f"requests to third parties: {elsewhere}"


# Every page a browser test is sent, as sent: checked by the W3C HTML checker when the test
# ends (`_every_visited_page_is_valid_html`), not only the pages a test checks with axe.
VISITED: list[tuple[str, str]] = []


def remember_documents(page) -> None:
    """Keep the last page the server sent to this tab, as sent, for the HTML checker, and
    every page it was sent for the check at the end of the test."""

    def remember(response) -> None:
        if response.request.resource_type != "document" or response.frame != page.main_frame:
            return
        page._last_document = response
        html = "text/html" in (response.headers.get("content-type") or "")
        if html and not 300 <= response.status < 400 and _is_own(response.url):
            # A tab closed before its last body was read has nothing left to check.
            with contextlib.suppress(Exception):
                VISITED.append((response.url, response.text()))

    page.on("response", remember)


@pytest.fixture(autouse=True)
def _every_visited_page_is_valid_html(request):
    """Decidim's rule: the HTML checker finds no error in any page the browser tests visit."""
    VISITED.clear()
    yield
    if request.node.get_closest_marker("browser") is None or not VISITED:
        return
    found = visited_page_errors(VISITED)
    VISITED.clear()
    assert found == [], "\n".join(found)


def visited_page_errors(visited: list[tuple[str, str]]) -> list[str]:
    """The HTML checker's errors in these pages, each distinct page checked once."""
    from tests.htmlcheck import html_errors

    seen: set[str] = set()
    found = []
    for url, html in visited:
        if html not in seen:
            seen.add(html)
            found += [f"{url}: {error}" for error in html_errors(html)]
    return found


def _is_own(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in {"localhost", "127.0.0.1"}


@pytest.fixture
def site_url(live_server) -> str:
    """The live server's URL, serving plain HTTP with the per-test settings applied.

    The session-wide live server built its middleware before the autouse settings above
    (SSL redirect off) applied, so it is rebuilt here.
    """
    app = live_server.thread.httpd.get_app()
    while hasattr(app, "application"):
        app = app.application
    app.load_middleware()
    return live_server.url


SCREENSHOTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-output")


def check_accessibility(page, name: str) -> None:
    """Save a screenshot for reviewers and assert axe-core finds no WCAG 2.1 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    assert results.violations_count == 0, results.generate_report()
    check_html(page, name)


def check_html(page, name: str) -> None:
    """Assert the W3C HTML checker finds no error in the page as the server sent it (the
    browser's DOM would hide errors it repaired; fetching it again could change it)."""
    from tests.htmlcheck import html_errors

    response = getattr(page, "_last_document", None)
    html = response.text() if response is not None else page.content()
    errors = html_errors(html)
    assert errors == [], f"{name}: {errors}"
