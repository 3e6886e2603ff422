"""Meeting materials are served by a view that asks whether the viewer may see the meeting."""

import pytest
from django.core.files.base import ContentFile

from bijeenkomsten.models import Materiaal
from tests import factories
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% slides of the core meeting\n%%EOF"
EXPECTED = {"visitor": 404, "lid_rotterdam": 404, "betrokken_twente": 404}


@pytest.fixture
def slides(twente):
    meeting = factories.BijeenkomstFactory(doelgroep="kern", netwerken=[twente])
    materiaal = Materiaal(bijeenkomst=meeting, soort="slides", titel="Dia's")
    materiaal.pdf.save("kernoverleg.pdf", ContentFile(PDF), save=False)
    materiaal.save()
    return materiaal


@pytest.mark.parametrize("role", ROLES)
def test_slides_of_a_core_meeting_reach_only_who_may_see_it(client, cast, slides, role):
    if cast[role].is_authenticated:
        client.force_login(cast[role])
    response = client.get(slides.pdf.url)
    assert response.status_code == EXPECTED.get(role, 200), role
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert "private" in response["Cache-Control"]


def test_materials_are_not_in_the_public_media_folder(settings, slides):
    from pathlib import Path

    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    assert Path(settings.PRIVATE_MEDIA_ROOT, slides.pdf.name).read_bytes() == PDF


def test_the_meeting_page_links_its_slides_through_the_view(client, cast, slides):
    client.force_login(cast["kern_twente"])
    page = client.get(slides.bijeenkomst.get_absolute_url()).content.decode()
    assert f'href="{slides.pdf.url}"' in page and slides.pdf.url.startswith("/bijeenkomsten/")
