"""In real Chromium: a stored file opened on its own shows as what it is and never runs."""

import pytest
from django.core.files.base import ContentFile

from bijeenkomsten.models import Materiaal
from tests import factories
from tests.bijeenkomsten.test_portal_browser import log_in
from tests.leden.test_accounts_photo import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT = b"<html><body><script>document.title = 'ran on the portal'</script></body></html>"


def _photo(meeting, name: str, content: bytes) -> Materiaal:
    materiaal = Materiaal(bijeenkomst=meeting, soort="foto", titel="Foto")
    if name:  # a file stored before the fix, under the name the uploader gave
        materiaal.afbeelding.name = materiaal.afbeelding.storage.save(name, ContentFile(content))
    else:
        materiaal.afbeelding.save("x", ContentFile(content), save=False)
    materiaal.save()
    return materiaal


def test_meeting_photo_shows_and_an_old_html_file_does_not_run(page, site_url, cast, twente):
    meeting = factories.BijeenkomstFactory(netwerken=[twente])
    photo = _photo(meeting, "", jpeg_with_gps((400, 300)))
    old = _photo(meeting, "materiaal/foto/foto.html", SCRIPT)
    log_in(page, site_url, cast["staff"])

    page.goto(site_url + photo.afbeelding.url)
    assert page.evaluate("document.images.length && document.images[0].naturalWidth") == 400

    page.goto(site_url + old.afbeelding.url)
    page.wait_for_load_state("load")
    assert page.title() != "ran on the portal"
    assert page.evaluate("document.contentType") == "image/jpeg"
