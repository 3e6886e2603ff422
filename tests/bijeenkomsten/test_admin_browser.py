"""A coordinator plans a meeting in the admin, publishes, and the public agenda shows it."""

from __future__ import annotations

from datetime import time

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.accountfixtures import give_totp


def _reload_live_server_middleware(live_server) -> None:
    """The session-wide live server built its middleware before the per-test settings
    (SECURE_SSL_REDIRECT off) applied; rebuild it so plain http is served, not redirected."""
    app = live_server.thread.httpd.get_app()
    while hasattr(app, "application"):
        app = app.application
    app.load_middleware()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_adds_meeting_inline_publishes_and_agenda_shows_it(
    page, live_server, twente, coordinator_twente
):
    _reload_live_server_middleware(live_server)
    twente.vaste_weekdag = 1  # Tuesday, 19:30: the new rows are proposed on that day
    twente.vaste_aanvang = time(19, 30)
    twente.save()
    programma = factories.HalfjaarprogrammaFactory(netwerk=twente, gepubliceerd=False)

    # Log in without the login page (that is routed through allauth elsewhere).
    give_totp(coordinator_twente)  # the admin is closed to coordinators without TOTP
    client = Client()
    client.force_login(coordinator_twente)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    change_url = reverse("admin:bijeenkomsten_halfjaarprogramma_change", args=[programma.pk])
    page.goto(live_server.url + change_url)
    page.fill("#id_themas", "Casuïstiek\nEthiek\nMorele stress")
    # The first proposed row already has a date and time; give it a title and an audience.
    page.fill("#id_bijeenkomsten-0-titel", "Moreel beraad in de wijk")
    page.fill("#id_bijeenkomsten-0-thema", "Ethiek")
    page.select_option("#id_bijeenkomsten-0-doelgroep", "open")
    page.click("input[name=_publish]")
    page.wait_for_selector(".messagelist")
    assert "Moreel beraad" in page.content()

    page.goto(live_server.url + "/")
    assert page.locator("text=Moreel beraad in de wijk").count() >= 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_programme_meeting_rows_fit_a_1366_pixel_screen(
    page, live_server, twente, coordinator_twente
):
    _reload_live_server_middleware(live_server)
    programma = factories.HalfjaarprogrammaFactory(netwerk=twente, gepubliceerd=False)
    for doelgroep in ["kern", "netwerk", "leden", "open"]:  # the longest choices too
        factories.BijeenkomstFactory(
            netwerken=[twente], programma=programma, doelgroep=doelgroep, titel="Moreel beraad"
        )
    give_totp(coordinator_twente)
    client = Client()
    client.force_login(coordinator_twente)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1366, "height": 768})

    change_url = reverse("admin:bijeenkomsten_halfjaarprogramma_change", args=[programma.pk])
    page.goto(live_server.url + change_url)
    widths = page.evaluate(
        """() => {
            const table = document.querySelector("#bijeenkomsten-group table");
            return {
                table: table.scrollWidth,
                right: table.getBoundingClientRect().right,
                page: document.documentElement.scrollWidth,
                viewport: window.innerWidth,
            };
        }"""
    )
    assert widths["table"] <= widths["viewport"], widths
    assert widths["right"] <= widths["viewport"], widths  # nothing hidden past the edge
    assert widths["page"] <= widths["viewport"], widths  # no sideways scrolling
    # The fields left out of the row are one click away: each row links to its meeting.
    page.click("#bijeenkomsten-group tbody tr:first-child td.field-details_link a")
    page.wait_for_selector("#id_locatie")
