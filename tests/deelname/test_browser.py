"""A member finds their certificate in two clicks; the verification page and the
coordinators' figures; each passes axe and the W3C checker, in real Chromium."""

import pytest

from deelname.models import Categorie, Deelnamebewijs, Leertijd
from tests import factories
from tests.bijeenkomsten.test_portal_browser import log_in
from tests.conftest import check_accessibility
from tests.deelname.conftest import attend, past_meeting
from tests.deelname.test_figures import _recent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_downloads_a_certificate_and_anyone_verifies_it(page, site_url, twente, kern_twente):
    bijeenkomst = past_meeting(twente, titel="Ethiek in de wijk")
    Leertijd.objects.create(
        bijeenkomst=bijeenkomst,
        minuten=90,
        categorie=Categorie.GEACCREDITEERD,
        accreditatie_id="PE-12345",
    )
    attend(bijeenkomst, kern_twente)
    log_in(page, site_url, kern_twente)
    page.goto(site_url + "/leden/profiel/")
    page.get_by_role("link", name="Mijn deelname en deelnamebewijzen").click()  # click one
    check_accessibility(page, "mijn-deelname")
    with page.expect_download() as download:  # click two
        page.get_by_role("link", name="Deelnamebewijs voor Ethiek in de wijk (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    code = Deelnamebewijs.objects.get().code
    page.context.clear_cookies()
    page.goto(f"{site_url}/v/{code}")
    assert page.get_by_text("Kern Twente").count() == 1
    check_accessibility(page, "deelnamebewijs-verificatie")


def test_coordinator_reads_the_networks_figures(page, site_url, twente, coordinator_twente):
    for days in (3, 2, 1):
        attend(_recent(twente, days), coordinator_twente)
    log_in(page, site_url, coordinator_twente)
    page.goto(f"{site_url}/deelname/netwerk/{twente.slug}/cijfers/")
    assert page.locator("svg.deelname-chart").count() == 2
    check_accessibility(page, "netwerk-cijfers")


def test_staff_read_the_figures_across_networks(page, site_url, twente, rotterdam, staff):
    attend(_recent(twente, 2), *[_member(twente, i) for i in range(4)])
    log_in(page, site_url, staff)
    page.goto(f"{site_url}/deelname/cijfers/")
    assert page.locator("svg.deelname-chart").count() == 1
    check_accessibility(page, "staf-cijfers")


def _member(netwerk, i: int):
    lid = factories.LidFactory(naam=f"Lid {i}")
    factories.LidmaatschapFactory(lid=lid, netwerk=netwerk, schil="kern")
    return lid.user
