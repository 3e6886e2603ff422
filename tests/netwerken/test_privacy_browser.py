"""The privacy statement in a browser (issue 19): axe and the W3C checker find nothing, and its
link in the footer is followed from every kind of page, the admin's included."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, site_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}]
    )


def _follow_footer_link(page, site_url: str, path: str, *, admin: bool = False) -> None:
    page.goto(site_url + path)
    footer = page.locator("#footer" if admin else "footer")
    footer.get_by_role("link", name="Privacyverklaring").click()
    page.wait_for_url(site_url + reverse("privacy:verklaring"))
    assert page.get_by_role("heading", level=1).inner_text() == "Privacyverklaring"


def test_statement_passes_axe_and_the_html_checker(page, site_url, db):
    factories.KoepelFactory(
        privacy_organisatie="Stichting BPSW",
        privacy_adres="Postbus 1\n3500 AA Utrecht",
        privacy_contact="privacy@bpsw.example",
    )
    page.goto(site_url + reverse("privacy:verklaring"))
    assert page.get_by_text("verwijderd 30 dagen nadat de aanvraag is afgewezen").count() == 1
    check_accessibility(page, "privacyverklaring")
    page.set_viewport_size({"width": 375, "height": 812})
    check_accessibility(page, "privacyverklaring-telefoon")


def test_the_footer_link_leads_to_the_statement_from_every_kind_of_page(
    page, site_url, twente, kern_twente, staff
):
    today = timezone.localdate()
    programma = factories.HalfjaarprogrammaFactory(
        netwerk=twente, jaar=today.year, helft=1 if today.month <= 6 else 2
    )
    meeting = factories.BijeenkomstFactory(netwerken=[twente], programma=programma)
    visitor_pages = [
        reverse("home"),
        reverse("bijeenkomsten:archief"),
        meeting.get_absolute_url(),
        twente.get_absolute_url(),
        programma.get_absolute_url(),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("nieuwsbrief:aanmelden"),
        reverse("contact:index"),
        reverse("contact:netwerk", args=[twente.slug]),
        reverse("meldpunt:melden"),
        reverse("bevragingen_netwerk:gepubliceerd", args=[twente.slug]),
        reverse("actieplannen:netwerk", args=[twente.slug]),
        reverse("actieplannen:koepel", args=[twente.koepel.slug]),
    ]
    for path in visitor_pages:
        _follow_footer_link(page, site_url, path)

    _log_in(page, site_url, kern_twente)
    for path in (
        reverse("leden:profiel"),
        reverse("account_email"),
        reverse("bijeenkomsten:mijn_aanmeldingen"),
    ):
        _follow_footer_link(page, site_url, path)

    _log_in(page, site_url, staff)
    for path in (
        reverse("admin:index"),
        reverse("admin:leden_lid_change", args=[kern_twente.lid.pk]),
        reverse("admin:portal_retentionlog_changelist"),
    ):
        _follow_footer_link(page, site_url, path, admin=True)
