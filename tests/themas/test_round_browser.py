"""A member votes on a phone and proposes on a desktop, keyboard only, in real Chromium;
each state of the round page passes axe and the W3C checker."""

import pytest

from tests.bijeenkomsten.test_portal_browser import log_in
from tests.conftest import check_accessibility, remember_documents
from tests.themas.conftest import TITLES, open_round, propose, start_voting, voters
from themas import services
from themas.models import Stem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(site_url, ronde) -> str:
    return f"{site_url}/netwerken/{ronde.netwerk.slug}/themas/{ronde.jaar}/{ronde.helft}/"


def test_on_a_phone_a_member_ticks_themes_with_the_keyboard(browser, site_url, twente, kern_twente):
    ronde = open_round(twente, max_stemmen=2)
    proposals = propose(ronde)
    start_voting(ronde)
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    remember_documents(page)
    try:
        log_in(page, site_url, kern_twente)
        page.goto(_url(site_url, ronde))
        check_accessibility(page, "themaronde-stemmen-telefoon")
        page.get_by_label(TITLES[2]).focus()
        page.keyboard.press("Space")
        page.get_by_label(TITLES[4]).focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Mijn keuze opslaan").focus()
        page.keyboard.press("Enter")
        page.wait_for_selector("text=Je keuze is opgeslagen")
        assert set(Stem.objects.values_list("voorstel_id", flat=True)) == {
            proposals[2].pk,
            proposals[4].pk,
        }
        assert page.get_by_label(TITLES[2]).is_checked()
        check_accessibility(page, "themaronde-gestemd-telefoon")
    finally:
        context.close()


def test_on_a_desktop_a_member_proposes_and_later_reads_the_result(
    page, site_url, twente, kern_twente
):
    ronde = open_round(twente)
    propose(ronde, TITLES[:2])
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, site_url, kern_twente)
    page.goto(_url(site_url, ronde))
    check_accessibility(page, "themaronde-voorstellen-desktop")
    page.get_by_label("Titel").fill("Ethiek en privacy")
    page.get_by_label("Waarom het ertoe doet").fill("Wat mag je delen met de wijkagent?")
    page.get_by_label("Vorm (niet verplicht)").select_option("casuistiek")
    page.get_by_role("button", name="Voorstellen", exact=True).click()
    page.wait_for_selector("text=je voorstel is ingediend")
    check_accessibility(page, "themaronde-voorgesteld-desktop")
    start_voting(ronde)
    proposals = list(ronde.voorstellen.order_by("pk"))
    for i, lid in enumerate(voters(twente, 6)):
        services.ballot_save(
            ronde=ronde, lid=lid, voorstel_ids=[proposals[i % 3].pk, proposals[2].pk]
        )
    services.round_close(ronde=ronde)
    page.goto(_url(site_url, ronde))
    assert page.get_by_role("heading", name="Uitslag").is_visible()
    check_accessibility(page, "themaronde-uitslag-desktop")


def test_on_a_phone_a_member_comments_during_voting_with_the_keyboard(
    browser, site_url, twente, kern_twente
):
    """The comment field sits inside the ballot form but posts its own form; the ballot is
    left alone and the comment shows under its proposal with the member's name."""
    ronde = open_round(twente)
    proposals = propose(ronde)
    start_voting(ronde)
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    remember_documents(page)
    try:
        log_in(page, site_url, kern_twente)
        page.goto(_url(site_url, ronde))
        summary = page.locator(f"summary:has-text('{TITLES[1]}')")
        summary.focus()
        page.keyboard.press("Enter")
        page.locator(f"#reactie-tekst-{proposals[1].pk}").focus()
        page.keyboard.type("Graag met een raadslid erbij.")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_selector("text=Je reactie staat erbij")
        assert proposals[1].reacties.get().tekst == "Graag met een raadslid erbij."
        assert not Stem.objects.exists()
        assert page.get_by_text("Graag met een raadslid erbij.").is_visible()
        check_accessibility(page, "themaronde-gereageerd-telefoon")
    finally:
        context.close()
