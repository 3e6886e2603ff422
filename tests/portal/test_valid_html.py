"""Valid pages: the W3C checker in the browser tests, titles, descriptions and the favicon."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.htmlcheck import html_errors


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_page_titles_are_one_line(client, db, name):
    html = client.get(reverse(name)).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "\n" not in title and "  " not in title and title.endswith("· Regionet")


def test_every_page_has_a_description_and_a_meeting_page_its_own(client, twente):
    bijeenkomst = factories.BijeenkomstFactory(titel="Sociaal café Hengelo", netwerken=[twente])
    home = client.get("/").content.decode()
    assert re.search(r'<meta name="description" content="Regionet: bijeenkomsten[^"]+">', home)
    page = client.get(bijeenkomst.get_absolute_url()).content.decode()
    description = re.search(r'<meta name="description" content="([^"]+)">', page).group(1)
    assert "Sociaal café Hengelo" in description and "Regionetwerk Twente" in description


def test_the_favicon_is_there(client, db):
    home = client.get("/").content.decode()
    assert 'rel="icon"' in home
    response = client.get("/favicon.ico")
    from django.contrib.staticfiles import finders

    assert response.status_code == 301 and response["Location"] == "/static/favicon.ico"
    assert finders.find("favicon.ico") and finders.find("favicon.svg")


@pytest.mark.browser
def test_the_checker_finds_the_errors_it_must():
    """The check used by every browser test really reports errors (else it proves nothing)."""
    errors = html_errors(
        '<!doctype html><html lang="nl"><head><title>x</title></head>'
        '<body><form action=""></form><p id="a"></p><p id="a"></p></body></html>'
    )
    if errors == [] and not __import__("shutil").which("java"):
        pytest.skip("Java is not installed (apt-get install default-jre-headless)")
    assert any("action" in error for error in errors)
    assert any("Duplicate ID" in error for error in errors)
    valid = (
        '<!doctype html><html lang="nl"><head><title>x</title></head><body><p>ok</p></body></html>'
    )
    assert html_errors(valid) == []


@pytest.mark.browser
def test_every_page_a_browser_test_is_sent_is_kept_for_the_checker(page, site_url):
    """Not only the pages checked with axe: every page a tab is sent goes to the checker when
    the test ends, once per distinct page, and an invalid one is reported with its address."""
    from tests import conftest

    page.goto(site_url + reverse("home"))
    page.goto(site_url + reverse("bijeenkomsten:archief"))
    page.title()  # let the tab hand over its last response
    urls = [url for url, _html in conftest.VISITED]
    assert urls == [site_url + reverse("home"), site_url + reverse("bijeenkomsten:archief")]
    assert all(html.lstrip().lower().startswith("<!doctype html>") for _u, html in conftest.VISITED)
    if not __import__("shutil").which("java"):
        pytest.skip("Java is not installed (apt-get install default-jre-headless)")
    broken = [
        (
            "http://localhost/x",
            '<!doctype html><html lang="nl"><title>x</title><p id="a"><p id="a">',
        )
    ]
    errors = conftest.visited_page_errors(broken * 2)
    assert errors and all(error.startswith("http://localhost/x: ") for error in errors)
    assert len(errors) == len(conftest.visited_page_errors(broken))  # checked once
