"""A reporter in real Chromium: the form (also after a failed submit), the receipt page and
the follow-up page pass axe and the W3C checker; the browser is given no cookie at all."""

from __future__ import annotations

import re

import pytest

from meldpunt import services
from meldpunt.models import Bericht, Inzage, Melding
from tests.bijeenkomsten.test_portal_browser import log_in
from tests.conftest import check_accessibility
from tests.meldpunt.conftest import committee_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def generous_rates(settings):
    # The live server sees every test from 127.0.0.1: a run must not fill the real limits.
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "meldpunt_report": "100/m/ip",
        "meldpunt_code": "100/m/ip",
    }


def test_a_reporter_reports_comes_back_reads_the_reply_and_adds_information(
    page, site_url, generous_rates
):
    committee = committee_user()
    page.goto(f"{site_url}/meldpunt/")
    check_accessibility(page, "meldpunt-formulier")

    # Sent empty: the error is shown, tied to the field, and the page still passes.
    page.get_by_role("button", name="Vertrouwelijk versturen").click()
    page.wait_for_selector("#id_tekst-fout")
    assert page.get_by_label("Wat wil je melden?").get_attribute("aria-invalid") == "true"
    check_accessibility(page, "meldpunt-formulier-fout")

    page.get_by_label("Wat wil je melden?").fill("Dossiers gaan via WhatsApp naar de wijkagent.")
    page.get_by_role("button", name="Vertrouwelijk versturen").click()
    page.wait_for_selector("text=Je ontvangstcode")
    check_accessibility(page, "meldpunt-ontvangen")
    code = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}", page.inner_text("main")).group(0)
    assert Melding.objects.count() == 1

    services.report_reply(
        melding=Melding.objects.get(), auteur=committee, tekst="Welk team is het?"
    )
    page.get_by_role("link", name="Terugkomen met je code").click()
    page.get_by_label("Ontvangstcode").fill(code)
    page.get_by_role("button", name="Mijn melding openen").click()
    page.wait_for_selector("text=Welk team is het?")
    check_accessibility(page, "meldpunt-vervolg")

    page.get_by_label("Wat wil je toevoegen?").fill("Team Noord.")
    page.get_by_role("button", name="Versturen", exact=True).click()
    page.wait_for_selector("text=Team Noord.")
    assert Bericht.objects.filter(afzender="melder").count() == 1
    check_accessibility(page, "meldpunt-vervolg-aangevuld")

    assert page.context.cookies() == []  # not one cookie, in the whole visit


def test_a_committee_member_reads_replies_and_closes(page, site_url):
    committee = committee_user()
    melding = services.report_create(tekst="Dossiers gaan via WhatsApp naar de wijkagent.")[0]
    log_in(page, site_url, committee)
    page.goto(f"{site_url}/meldpunt/commissie/")
    check_accessibility(page, "meldpunt-commissie")
    page.get_by_role("link", name=f"Melding {melding.pk}").click()
    page.wait_for_selector("text=WhatsApp")
    check_accessibility(page, "meldpunt-commissie-melding")
    page.get_by_label("Antwoord aan de melder").fill("Dank je, we onderzoeken het.")
    page.get_by_role("button", name="Antwoord versturen").click()
    page.wait_for_selector("text=Dank je, we onderzoeken het.")
    page.get_by_role("button", name="Melding sluiten").click()
    page.wait_for_selector("text=Heropenen")
    melding.refresh_from_db()
    assert melding.status == "gesloten"
    assert Inzage.objects.filter(nummer=melding.pk, gebruiker=committee).count() == 3
