"""A social worker fills in a 20-question survey on a phone, loses the connection half-way,
comes back and finishes: exactly one response. Every state passes axe and the W3C checker,
as do the coordinators' results with their charts and the published results."""

from __future__ import annotations

import time

import pytest

from bevragingen.models import Antwoord, Respons, Vraag
from tests.bevragingen.conftest import add_responses, build_survey
from tests.bijeenkomsten.test_portal_browser import log_in
from tests.conftest import check_accessibility, remember_documents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer(page, vraag: Vraag) -> None:
    if vraag.soort in (Vraag.Soort.EEN, Vraag.Soort.MEER):
        page.locator(f"#v{vraag.pk}-{vraag.opties.all()[1].pk}").check()
    elif vraag.soort == Vraag.Soort.SCHAAL:
        page.locator(f"#v{vraag.pk}-4").check()
    elif vraag.soort == Vraag.Soort.GETAL:
        page.locator(f"#v{vraag.pk}").fill("12")
        page.locator(f"#v{vraag.pk}").press("Tab")
    else:
        page.locator(f"#v{vraag.pk}").fill("Meer tijd voor huisbezoeken.")
        page.locator(f"#v{vraag.pk}").press("Tab")


def _answered() -> int:
    return Antwoord.objects.values("vraag").distinct().count()


def _eventually(condition, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_on_a_phone_a_lost_connection_loses_no_answer_and_makes_one_response(
    browser, site_url, twente
):
    survey = build_survey(twente)
    questions = list(survey.vragen.prefetch_related("opties").order_by("volgorde"))
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    remember_documents(page)
    try:
        page.goto(f"{site_url}/bevragingen/{survey.sleutel}/")
        check_accessibility(page, "bevraging-telefoon")
        page.get_by_role("button", name="Mijn antwoorden versturen").click()
        page.wait_for_selector("#fouten")
        check_accessibility(page, "bevraging-telefoon-fouten")

        for vraag in questions[:10]:
            _answer(page, vraag)
        _eventually(lambda: _answered() == 10)
        page.locator("#opslagstatus", has_text="opgeslagen").wait_for()

        context.set_offline(True)
        for vraag in questions[10:15]:
            _answer(page, vraag)
        page.locator("#opslagstatus", has_text="verbinding").wait_for()
        page.get_by_role("button", name="Mijn antwoorden versturen").click()
        page.locator("#opslagstatus", has_text="Niet verstuurd").wait_for()
        assert _answered() == 10  # nothing reached the server while offline
        assert not Respons.objects.filter(afgerond=True).exists()

        context.set_offline(False)
        _eventually(lambda: _answered() == 15)
        for vraag in questions[15:]:
            _answer(page, vraag)
        page.get_by_role("button", name="Mijn antwoorden versturen").click()
        page.wait_for_selector("text=Dank je wel!")
        check_accessibility(page, "bevraging-bedankt")
    finally:
        context.close()
    respons = Respons.objects.get()
    assert respons.afgerond
    assert respons.antwoorden.values("vraag").distinct().count() == 20


def test_coordinator_reads_results_with_charts_and_visitors_the_published_ones(
    page, site_url, twente, coordinator_twente
):
    survey = build_survey(twente)
    add_responses(survey, 60)
    sector = survey.vragen.get(volgorde=0)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{site_url}/netwerken/twente/bevragingen/")
    assert page.locator("svg.grafiek").count() == 4  # choices and scales; no number or text
    check_accessibility(page, "bevraging-gepubliceerd")
    log_in(page, site_url, coordinator_twente)
    page.goto(f"{site_url}/bevragingen/{survey.sleutel}/resultaten/?per={sector.pk}")
    assert page.locator("svg.grafiek").count() > 10
    check_accessibility(page, "bevraging-resultaten")
    page.get_by_role("link", name="Open antwoorden lezen en labelen").first.click()
    page.get_by_label("Labels voor antwoord 1 (gescheiden door komma's)").fill("werkdruk")
    page.get_by_role("button", name="Labels opslaan").first.click()
    page.locator(".alert", has_text="Labels opgeslagen").wait_for()
    check_accessibility(page, "bevraging-open-antwoorden")
