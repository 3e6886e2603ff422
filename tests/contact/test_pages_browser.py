"""axe and the W3C checker on the new pages a visitor meets (issue 17): the contact forms, also
after a failed submit, their answers, and the newsletter's unsubscribe pages."""

from __future__ import annotations

import pytest

from nieuwsbrief import services
from tests import mailfixtures
from tests.conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
eager_celery = mailfixtures.eager_celery


def test_a_visitor_contacts_twente_through_the_form(
    page, site_url, twente, coordinator_twente, eager_celery
):
    page.goto(site_url + twente.get_absolute_url())
    page.get_by_role("link", name="Contact met het netwerk").click()
    check_accessibility(page, "contact-formulier")
    page.get_by_label("Je naam").fill("Sam Vrager")
    page.get_by_role("button", name="Versturen").click()  # no address, no message
    assert "Dit veld is verplicht" in page.inner_text("main")
    check_accessibility(page, "contact-formulier-fout")
    page.get_by_label("Je e-mailadres").fill("sam.browser@example.org")
    page.get_by_label("Je bericht").fill("Mag ik een keer komen kijken?")
    page.get_by_label("Ik wil graag meedoen").check()
    page.get_by_role("button", name="Versturen").click()
    assert "onderweg naar de coördinator van Regionetwerk Twente" in page.inner_text("main")
    check_accessibility(page, "contact-verstuurd")


def test_the_contact_overview_and_the_staff_form(page, site_url, twente, staff):
    page.goto(site_url + "/")
    page.locator("footer").get_by_role("link", name="Contact").click()
    check_accessibility(page, "contact-overzicht")
    page.get_by_role("link", name="Vraag de medewerkers van BPSW naar de regionetwerken").click()
    page.get_by_role("button", name="Versturen").click()
    check_accessibility(page, "contact-koepel-fout")


def test_the_unsubscribe_pages(page, site_url, twente):
    abonnee = services.subscription_request(
        email="weg.browser@example.org", netwerk_ids=[twente.pk], tekst="t", via="t"
    )
    services.subscription_confirm(abonnee_id=abonnee.pk)
    page.goto(site_url + f"/nieuwsbrief/afmelden/{services.unsubscribe_token(abonnee.sleutel)}/")
    check_accessibility(page, "nieuwsbrief-afmelden")
    page.get_by_role("button", name="Afmelden").click()
    assert "Je ontvangt de nieuwsbrief niet meer" in page.inner_text("main")
    check_accessibility(page, "nieuwsbrief-afgemeld")
