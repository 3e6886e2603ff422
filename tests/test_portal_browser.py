"""What a person does in the portal, in real headless Chromium, with axe-core on every page."""

import pytest
from django.test import Client

from tests import factories
from tests.conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, site_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}]
    )


def test_visitor_browses_filters_and_opens_a_meeting(page, site_url, twente, rotterdam):
    factories.BijeenkomstFactory(titel="Sociaal café Enschede", netwerken=[twente], capaciteit=30)
    factories.BijeenkomstFactory(titel="Werkconferentie wijkteams", netwerken=[rotterdam])
    hidden = factories.BijeenkomstFactory(titel="Kernoverleg", doelgroep="kern", netwerken=[twente])
    page.goto(site_url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    check_accessibility(page, "agenda")
    page.select_option("#id_netwerk", "rotterdam")
    page.click("button[type=submit]:has-text('Tonen')")
    assert "netwerk=rotterdam" in page.url
    assert page.locator("text=Werkconferentie wijkteams").count() == 1
    assert page.locator("text=Sociaal café Enschede").count() == 0
    page.click("text=Werkconferentie wijkteams")
    check_accessibility(page, "bijeenkomst")
    page.goto(site_url + "/netwerken/twente/")
    check_accessibility(page, "netwerk")
    response = page.goto(site_url + hidden.get_absolute_url())
    assert response.status == 404


def test_member_registers_sees_the_count_drop_and_cancels(page, site_url, twente, kern_twente):
    bijeenkomst = factories.BijeenkomstFactory(
        titel="Themabijeenkomst", netwerken=[twente], capaciteit=10
    )
    log_in(page, site_url, kern_twente)
    page.goto(site_url + bijeenkomst.get_absolute_url())
    assert "10 plaatsen over" in page.inner_text("#aanmeldbox")
    page.click("#aanmeldbox button:has-text('Aanmelden')")
    assert "9 plaatsen over" in page.inner_text("#aanmeldbox")
    check_accessibility(page, "aangemeld")
    page.click("#aanmeldbox button:has-text('annuleren')")
    assert "10 plaatsen over" in page.inner_text("#aanmeldbox")


def test_guest_form_with_errors_is_accessible_and_in_dutch(page, site_url, twente):
    bijeenkomst = factories.BijeenkomstFactory(titel="Open avond", netwerken=[twente])
    page.goto(site_url + bijeenkomst.get_absolute_url())
    page.fill("#id_gast_naam", "Gast")
    page.fill("#id_gast_email", "geen-adres")
    page.click("#aanmeldbox button:has-text('gast')")
    assert "geldig e-mailadres" in page.content()
    check_accessibility(page, "gastformulier-fout")
