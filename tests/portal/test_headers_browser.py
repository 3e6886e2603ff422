"""The Content-Security-Policy in a real browser: every main page works under it, with no
violation reported and no script error (headless Chromium)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from portal.headers import CONTENT_SECURITY_POLICY
from tests import factories
from tests.accountfixtures import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects the page's own report of each violation, before any of its scripts run.
REPORT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


class Watch:
    """Everything the browser complained about on the pages visited."""

    def __init__(self, page) -> None:
        self.page = page
        self.problems: list[str] = []
        self.expected_failures: set[str] = set()
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    def _console(self, message) -> None:
        text, where = message.text, message.location.get("url", "")
        if text.startswith("Failed to load resource") and (
            where in self.expected_failures or where.endswith("/favicon.ico")
        ):
            return  # the error page asked for on purpose; the browser's guess at an icon
        if message.type == "error" or "Refused to" in text or "Policy" in text:
            self.problems.append(f"console {message.type} at {where}: {text}")

    def visit(self, url: str, status: int = 200) -> None:
        if status >= 400:
            self.expected_failures.add(url)
        response = self.page.goto(url)
        assert response.status == status, url
        assert response.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY, url
        assert "camera=()" in response.headers.get("permissions-policy", ""), url
        self.page.wait_for_load_state("load")
        self.check(url)

    def check(self, where: str) -> None:
        violations = self.page.evaluate("window.__violations || []")
        self.problems += [f"{where}: violation {v}" for v in violations]
        assert not self.problems, self.problems


def _log_in(page, site_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}]
    )


def test_public_pages_and_account_forms_run_under_the_policy(page, site_url, twente):
    bijeenkomst = factories.BijeenkomstFactory(titel="Sociaal café", netwerken=[twente])
    programma = factories.HalfjaarprogrammaFactory(netwerk=twente)
    watch = Watch(page)
    page.set_viewport_size({"width": 500, "height": 900})  # the collapsed menu (Bootstrap JS)
    watch.visit(site_url + "/")
    page.click(".navbar-toggler")
    page.wait_for_selector("#hoofdmenu.show")
    watch.check("menu opened")
    watch.visit(site_url + bijeenkomst.get_absolute_url())
    watch.visit(site_url + twente.get_absolute_url())
    watch.visit(site_url + programma.get_absolute_url())
    watch.visit(site_url + reverse("bijeenkomsten:archief"))
    watch.visit(site_url + reverse("account_login"))
    watch.visit(site_url + reverse("account_signup"))
    watch.visit(site_url + "/bestaat-niet/", status=404)


def test_member_pages_and_two_factor_activation_run_under_the_policy(page, site_url, twente):
    lid = factories.LidFactory(naam="Mia Lid")
    factories.LidmaatschapFactory(lid=lid, netwerk=twente, schil="kern")
    watch = Watch(page)
    watch.visit(site_url + reverse("account_login"))
    page.fill("#id_login", lid.user.email)
    page.fill("#id_password", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(site_url + "/")
    watch.check("logged in")
    watch.visit(site_url + reverse("leden:profiel"))
    watch.visit(site_url + reverse("berichten:voorkeuren"))
    watch.visit(site_url + reverse("mfa_activate_totp"))  # asks for the password again
    page.fill("#id_password", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(site_url + reverse("mfa_activate_totp"))
    watch.check("two-factor activation")
    qr = page.locator("main img").first
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # data: images load
    page.fill("#id_code", totp_code(page.input_value("#authenticator_secret")))
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/2fa/recovery-codes/")  # allauth's own script on this page
    watch.check("recovery codes")
    # A change of address waiting for confirmation: allauth hides a form for it.
    EmailAddress.objects.create(user=lid.user, email="nieuw@example.org", verified=False)
    watch.visit(site_url + reverse("account_email"))
    assert page.locator("form#pending-email").count() == 1
    assert page.locator("form#pending-email").is_hidden()


def test_admin_pages_run_under_the_policy(page, site_url, twente, staff):
    bijeenkomst = factories.BijeenkomstFactory(titel="Sociaal café", netwerken=[twente])
    programma = factories.HalfjaarprogrammaFactory(netwerk=twente)
    _log_in(page, site_url, staff)
    watch = Watch(page)
    watch.visit(site_url + reverse("admin:index"))
    watch.visit(site_url + reverse("admin:bijeenkomsten_bijeenkomst_changelist"))
    watch.visit(site_url + reverse("admin:bijeenkomsten_bijeenkomst_change", args=[bijeenkomst.pk]))
    # The admin's own scripts: the calendar beside a date field, the theme switch.
    page.locator("a[id^=calendarlink]").first.click()
    page.wait_for_selector(".calendarbox", state="visible")
    watch.check("calendar opened")
    watch.visit(
        site_url + reverse("admin:bijeenkomsten_halfjaarprogramma_change", args=[programma.pk])
    )
    watch.visit(site_url + reverse("admin:leden_lid_changelist"))
