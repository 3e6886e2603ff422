"""A first-time visitor's home page, on a phone and on a desktop, in real headless Chromium."""

import pytest

from tests import factories
from tests.conftest import check_accessibility, remember_documents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _agenda(twente, n: int = 20) -> None:
    for i in range(n):
        factories.BijeenkomstFactory(titel=f"Themabijeenkomst {i}", netwerken=[twente])


def test_a_visitor_learns_what_a_network_is_before_the_agenda(page, site_url, twente):
    _agenda(twente, 3)
    page.goto(site_url + "/")
    welcome = page.locator("#welkom-kop")
    assert welcome.inner_text() == "Collega's ontmoeten, dicht bij huis"
    text = page.locator("section.welkom").inner_text()
    assert "BPSW" in text and "Sterk Sociaal Werk" in text and "kern" in text
    page.click("text=Maak een account en sluit je aan bij een netwerk")
    assert "/accounts/signup/" in page.url
    check_accessibility(page, "home-aanmelden-doorgeklikt")


def test_on_a_phone_the_filter_comes_before_the_meetings(browser, site_url, twente):
    _agenda(twente)
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    remember_documents(page)
    try:
        page.goto(site_url + "/")
        filter_top = page.locator("#filter-kop").bounding_box()["y"]
        first_meeting = page.locator(".meeting-item").first.bounding_box()["y"]
        last_meeting = page.locator(".meeting-item").last.bounding_box()["y"]
        networks_top = page.locator("#netwerken-kop").bounding_box()["y"]
        assert filter_top < first_meeting < last_meeting < networks_top
        check_accessibility(page, "home-telefoon")
    finally:
        context.close()


def test_on_a_desktop_the_filter_stands_beside_the_meetings(page, site_url, twente):
    _agenda(twente)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(site_url + "/")
    filter_box = page.locator("#filter-kop").bounding_box()
    first_meeting = page.locator(".meeting-item").first.bounding_box()
    assert filter_box["x"] > first_meeting["x"] + first_meeting["width"] - 1
    assert filter_box["y"] < first_meeting["y"] + 200
