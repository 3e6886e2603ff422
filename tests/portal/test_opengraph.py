"""Open Graph tags (issue 17, part 5): a link to a meeting or a network pasted into a chat or
a newsletter shows what it is: title, date, network and description."""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from tests import factories

pytestmark = pytest.mark.django_db


def og(page: str) -> dict[str, str]:
    return {
        name: html.unescape(content)
        for name, content in re.findall(r'<meta property="(og:[a-z_]+)" content="([^"]*)">', page)
    }


def test_a_meeting_page_carries_title_date_network_and_description(client, settings, twente):
    settings.SITE_URL = "https://regionet.example"
    bijeenkomst = factories.BijeenkomstFactory(
        titel="Het Nieuwe Werken & de cliënt",
        netwerken=[twente],
        begin=datetime(2027, 3, 18, 19, 30, tzinfo=ZoneInfo("Europe/Amsterdam")),
        thema="Wat vraagt het van de sociaal werker?",
    )
    tags = og(client.get(bijeenkomst.get_absolute_url()).content.decode())
    assert tags["og:title"] == "Het Nieuwe Werken & de cliënt"
    assert tags["og:url"] == "https://regionet.example" + bijeenkomst.get_absolute_url()
    assert tags["og:type"] == "website"
    assert tags["og:description"].startswith("do 18 maart 2027, 19:30–21:30 · Regionetwerk Twente")
    assert "Wat vraagt het van de sociaal werker?" in tags["og:description"]


def test_a_network_page_carries_its_umbrella_region_and_description(client, twente):
    twente.beschrijving = "Al meer dan tien jaar komen sociaal werkers\nuit Twente bij elkaar."
    twente.save()
    tags = og(client.get(twente.get_absolute_url()).content.decode())
    assert tags["og:title"] == "Regionetwerk Twente"
    assert tags["og:description"] == (
        "BPSW · Regio. Al meer dan tien jaar komen sociaal werkers uit Twente bij elkaar."
    )


def test_other_apps_fill_the_block_with_one_tag_and_long_texts_are_cut():
    rendered = Template(
        "{% load portal %}{% opengraph title=t description=d network=n type='article' %}"
    ).render(Context({"t": "Peiling", "d": "woord " * 200, "n": ["Twente", "Noord"]}))
    tags = og(rendered)
    assert tags["og:type"] == "article"
    assert tags["og:description"].startswith("Twente, Noord · woord woord")
    assert len(tags["og:description"]) <= 300


def test_an_open_survey_carries_its_network_closing_day_and_welcome(client, twente):
    from tests.bevragingen.conftest import build_survey

    bevraging = build_survey(
        twente,
        questions=2,
        titel="Wat hebben sociaal werkers nodig?",
        sluit_op=datetime(2099, 3, 18, 23, 59, tzinfo=ZoneInfo("Europe/Amsterdam")),
    )
    tags = og(client.get(f"/bevragingen/{bevraging.sleutel}/").content.decode())
    assert tags["og:title"] == "Wat hebben sociaal werkers nodig?"
    assert tags["og:description"] == (
        "Regionetwerk Twente · Open tot 18 maart 2099. Fijn dat je meedoet."
    )
    client.cookies["django_language"] = "en"
    tags = og(client.get(f"/bevragingen/{bevraging.sleutel}/").content.decode())
    assert tags["og:description"].startswith("Regionetwerk Twente · Open until March 18, 2099.")


def test_published_survey_results_carry_the_network_and_the_latest_survey(client, twente):
    from tests.bevragingen.conftest import build_survey

    build_survey(
        twente,
        questions=2,
        titel="Werkdruk 2027",
        sluit_op=datetime(2027, 3, 18, 23, 59, tzinfo=ZoneInfo("Europe/Amsterdam")),
    )
    tags = og(client.get("/netwerken/twente/bevragingen/").content.decode())
    assert tags["og:title"] == "Resultaten van bevragingen van Regionetwerk Twente"
    assert tags["og:description"].startswith("18 maart 2027 · Regionetwerk Twente · Werkdruk 2027")


def test_action_plans_carry_their_network_or_umbrella_date_and_plan(client, twente):
    from datetime import date

    from actieplannen import services

    services.plan_create(
        netwerk=twente,
        titel="Samen sterker",
        inleiding="Drie uitdagingen\nvoor twee jaar.",
        vastgesteld_op=date(2027, 1, 14),
    )
    services.plan_create(koepel=twente.koepel, titel="Koepelplan BPSW")
    tags = og(client.get("/actieplannen/netwerk/twente/").content.decode())
    assert tags["og:title"] == "Actieplan van Regionetwerk Twente"
    assert tags["og:description"] == (
        "14 januari 2027 · Regionetwerk Twente · Samen sterker. Drie uitdagingen voor twee jaar."
    )
    tags = og(client.get(f"/actieplannen/koepel/{twente.koepel.slug}/").content.decode())
    assert tags["og:title"] == "Actieplan van BPSW"
    assert tags["og:description"] == "BPSW · Koepelplan BPSW."


def test_a_one_per_person_surveys_first_page_carries_the_same_tags(client, twente):
    from tests.bevragingen.conftest import build_survey

    bevraging = build_survey(
        twente,
        questions=2,
        titel="Eén keer per persoon",
        een_per_persoon=True,
        sluit_op=datetime(2099, 3, 18, 23, 59, tzinfo=ZoneInfo("Europe/Amsterdam")),
    )
    response = client.get(f"/bevragingen/{bevraging.sleutel}/")
    assert "bevragingen/email.html" in [t.name for t in response.templates]
    tags = og(response.content.decode())
    assert tags["og:title"] == "Eén keer per persoon"
    assert tags["og:description"].startswith("Regionetwerk Twente · Open tot 18 maart 2099.")
