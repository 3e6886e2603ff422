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
