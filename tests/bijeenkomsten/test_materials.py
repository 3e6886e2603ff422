"""Meeting materials are served by a view that asks whether the viewer may see the meeting."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from bijeenkomsten.models import Materiaal
from tests import factories
from tests.accountfixtures import give_totp
from tests.conftest import ROLES
from tests.leden.test_accounts_photo import jpeg_with_gps
from tests.portal.test_uploads import POLYGLOT, pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes(pages=2)
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
        assert b"".join(response.streaming_content) == Path(slides.pdf.path).read_bytes()
        assert response["Content-Type"] == "application/pdf"
        assert "private" in response["Cache-Control"]


def test_materials_are_not_in_the_public_media_folder(settings, slides):
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    assert Path(settings.PRIVATE_MEDIA_ROOT, slides.pdf.name).read_bytes().startswith(b"%PDF-")


def test_the_meeting_page_links_its_slides_through_the_view(client, cast, slides):
    client.force_login(cast["kern_twente"])
    page = client.get(slides.bijeenkomst.get_absolute_url()).content.decode()
    assert f'href="{slides.pdf.url}"' in page and slides.pdf.url.startswith("/bijeenkomsten/")


# --- Nothing the portal serves back runs as a page ----------------------------------------


@pytest.fixture
def coordinator_client(client, coordinator_twente):
    give_totp(coordinator_twente)  # the admin is closed to coordinators without TOTP
    client.force_login(coordinator_twente)
    return client


def _add_material(client, meeting, **data):
    return client.post(
        reverse("admin:bijeenkomsten_materiaal_add"),
        {"bijeenkomst": meeting.pk, "titel": "Dia's", **data},
    )


def _assert_served_inert(response, content_type: str) -> None:
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert csp.startswith("sandbox;") and "default-src 'none'" in csp
    assert "private" in response["Cache-Control"]


def test_html_behind_a_pdf_header_is_refused(coordinator_client, twente, settings):
    """The audit's file: `slides.html` that starts with %PDF- and holds a script."""
    meeting = factories.BijeenkomstFactory(netwerken=[twente])
    upload = SimpleUploadedFile("slides.html", POLYGLOT, content_type="application/pdf")
    response = _add_material(coordinator_client, meeting, soort="slides", pdf=upload)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["pdf"] == ["Upload een pdf-bestand."]
    assert not Materiaal.objects.exists()
    assert not any(p.is_file() for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*"))


def test_real_pdf_named_html_is_stored_as_a_random_pdf_and_served_as_one(
    coordinator_client, twente
):
    meeting = factories.BijeenkomstFactory(netwerken=[twente])
    upload = SimpleUploadedFile("x.html", PDF, content_type="text/html")
    response = _add_material(coordinator_client, meeting, soort="slides", pdf=upload)
    assert response.status_code == 302
    materiaal = Materiaal.objects.get()
    folder, name = materiaal.pdf.name.rsplit("/", 1)
    assert folder == "materiaal/pdf" and name.endswith(".pdf") and len(name) == 32 + 4
    assert "x" not in name.removesuffix(".pdf").strip("0123456789abcdef")

    served = coordinator_client.get(materiaal.pdf.url)
    assert served.status_code == 200
    _assert_served_inert(served, "application/pdf")
    assert served["Content-Disposition"].startswith("attachment;")
    assert b"".join(served.streaming_content).startswith(b"%PDF-")


def test_file_stored_earlier_under_an_html_name_is_served_as_its_kind(client, cast, twente):
    """Files from before the fix keep their names; the name no longer decides the type."""
    meeting = factories.BijeenkomstFactory(netwerken=[twente])
    materiaal = Materiaal(bijeenkomst=meeting, soort="slides", titel="Oud")
    storage = materiaal.pdf.storage
    materiaal.pdf.name = storage.save("materiaal/pdf/slides.html", ContentFile(POLYGLOT))
    materiaal.save()
    assert materiaal.pdf.name == "materiaal/pdf/slides.html"
    client.force_login(cast["staff"])
    response = client.get(materiaal.pdf.url)
    assert response.status_code == 200
    _assert_served_inert(response, "application/pdf")
    assert response["Content-Disposition"] == 'attachment; filename="slides.pdf"'


def test_meeting_photo_loses_its_exif_and_gps(coordinator_client, twente):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    meeting = factories.BijeenkomstFactory(netwerken=[twente])
    upload = SimpleUploadedFile("borrel.jpg", original, content_type="image/jpeg")
    response = _add_material(coordinator_client, meeting, soort="foto", afbeelding=upload)
    assert response.status_code == 302
    materiaal = Materiaal.objects.get()
    assert materiaal.afbeelding.name.endswith(".jpg") and "borrel" not in materiaal.afbeelding.name

    served = coordinator_client.get(materiaal.afbeelding.url)
    _assert_served_inert(served, "image/jpeg")
    assert served["Content-Disposition"].startswith("inline;")
    content = b"".join(served.streaming_content)
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG" and not image.getexif() and "exif" not in image.info
    assert b"Telefoonmerk" not in content and b"Exif" not in content


def test_recheck_rewrites_old_files_that_pass_and_lists_those_that_fail(twente):
    from django.core.management import call_command

    meeting = factories.BijeenkomstFactory(netwerken=[twente])
    rows = {}
    for title, content in (("echt", PDF), ("val", POLYGLOT)):
        materiaal = Materiaal(bijeenkomst=meeting, soort="slides", titel=title)
        storage = materiaal.pdf.storage
        materiaal.pdf.name = storage.save(f"materiaal/pdf/{title}.html", ContentFile(content))
        materiaal.save()
        rows[title] = materiaal
    out = io.StringIO()
    call_command("recheck_uploads", "--rewrite", stdout=out)

    real = Materiaal.objects.get(pk=rows["echt"].pk).pdf
    assert real.name.endswith(".pdf") and len(real.name.rsplit("/", 1)[1]) == 36
    assert not storage.exists("materiaal/pdf/echt.html")
    assert real.open("rb").read().startswith(b"%PDF-")
    assert Materiaal.objects.get(pk=rows["val"].pk).pdf.name == "materiaal/pdf/val.html"
    assert "materiaal/pdf/val.html" in out.getvalue()
    assert "0 in order, 1 rewritten, 1 refused." in out.getvalue()
