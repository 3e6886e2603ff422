"""The language switch in a real browser: reached and used with the keyboard alone, checked
by axe and the W3C HTML checker in both languages, and remembered from page to page."""

import pytest

from tests import factories
from tests.conftest import check_accessibility, remember_documents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_switches_to_english_with_the_keyboard_and_it_sticks(page, site_url, twente):
    meeting = factories.BijeenkomstFactory(titel="Intervisie", netwerken=[twente])
    page.goto(site_url + meeting.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "nl"
    check_accessibility(page, "taalkeuze-nl")

    # On the switch, choose with an arrow key, Tab to its button and press Enter.
    switch = page.get_by_label("Taal", exact=True)
    switch.focus()
    page.keyboard.press("ArrowDown")  # Nederlands -> English
    assert switch.input_value() == "en"
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Taal wijzigen")
    assert button.evaluate("b => b === document.activeElement")
    # The switch returns to the same address: wait for the new document, not for the URL
    # (which matches at once, before the post has been answered).
    with page.expect_navigation(url=site_url + meeting.get_absolute_url()):
        page.keyboard.press("Enter")

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("term").filter(has_text="When").count() == 1
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["django_language"]["value"] == "en"
    assert cookies["django_language"]["sameSite"] == "Lax"
    check_accessibility(page, "taalkeuze-en")

    page.get_by_role("link", name="Archive").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_label("Language", exact=True).input_value() == "en"


def test_an_english_browser_still_gets_dutch_until_the_switch_is_used(browser, site_url):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    remember_documents(page)
    try:
        page.goto(site_url + "/")
        assert page.locator("html").get_attribute("lang") == "nl"
        page.get_by_label("Taal", exact=True).select_option("en")
        page.get_by_role("button", name="Taal wijzigen").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("heading", name="Upcoming meetings").count() == 1
    finally:
        context.close()
