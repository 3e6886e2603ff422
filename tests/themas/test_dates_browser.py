"""A member answers the date poll with the keyboard, on a phone and on a desktop, in real
Chromium; the answering page passes axe and the W3C checker at both sizes."""

import pytest

from tests.bijeenkomsten.test_portal_browser import log_in
from tests.conftest import check_accessibility, remember_documents
from tests.themas.test_dates import closed_round, open_poll
from themas import dates
from themas.models import Beschikbaarheid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {
    "telefoon": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}


@pytest.mark.parametrize("size", SIZES)
def test_a_member_answers_the_date_poll_with_the_keyboard(
    browser, site_url, twente, kern_twente, size
):
    ronde = closed_round(twente)
    peiling = open_poll(ronde)
    first, second = peiling.avonden.order_by("datum")[:2]
    context = browser.new_context(locale="nl-NL", **SIZES[size])
    page = context.new_page()
    remember_documents(page)
    try:
        log_in(page, site_url, kern_twente)
        page.goto(f"{site_url}/netwerken/twente/themas/{ronde.jaar}/{ronde.helft}/#datumpeiling")
        assert page.get_by_role("heading", name="Welke avonden kun je?").is_visible()
        check_accessibility(page, f"datumpeiling-{size}")
        # Each evening is a labelled radio group: its legend names the date and the time.
        group = page.get_by_role("group", name=f"{first.datum.day} januari").first
        assert "19:30–21:30" in group.locator("legend").inner_text()
        group.get_by_label("Ja").focus()
        page.keyboard.press("Space")
        page.keyboard.press("ArrowRight")  # arrows move the choice within the group
        page.locator(f"#avond-{second.pk}-no").focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Mijn antwoorden opslaan").focus()
        page.keyboard.press("Enter")
        page.wait_for_selector("text=Je antwoorden zijn opgeslagen")
        assert dict(Beschikbaarheid.objects.values_list("avond_id", "antwoord")) == {
            first.pk: "if_need_be",
            second.pk: "no",
        }
        assert page.locator(f"#avond-{first.pk}-if_need_be").is_checked()
        check_accessibility(page, f"datumpeiling-beantwoord-{size}")
    finally:
        context.close()


def test_a_coordinator_reads_the_proposed_plan_on_a_desktop(
    page, site_url, twente, coordinator_twente, kern_twente
):
    ronde = closed_round(twente)
    peiling = open_poll(ronde)
    good = [a.pk for i, a in enumerate(peiling.avonden.order_by("datum")) if i in (0, 6, 12)]
    dates.availability_save(
        peiling=peiling, lid=kern_twente.lid, antwoorden=dict.fromkeys(good, "yes")
    )
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, site_url, coordinator_twente)
    page.goto(f"{site_url}/netwerken/twente/themas/{ronde.jaar}/{ronde.helft}/data/")
    assert page.get_by_role("heading", name="Voorgesteld plan").is_visible()
    check_accessibility(page, "datumplanning-desktop")
    page.get_by_role("button", name="Accepteren en in het programmaconcept zetten").click()
    page.wait_for_selector("text=programmaconcept")
    assert ronde.netwerk.programmas.get().bijeenkomsten.count() == 3
    check_accessibility(page, "datumplanning-geaccepteerd-desktop")
