"""Profile photos: checked and re-encoded without EXIF, served only under the members rule."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from leden.forms import ProfielForm
from leden.models import Lid
from tests import factories

pytestmark = pytest.mark.django_db

GPS = ExifTags.IFD.GPSInfo


def jpeg_with_gps(size=(1600, 1200)) -> bytes:
    image = Image.new("RGB", size, "teal")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Telefoonmerk"
    exif[ExifTags.Base.Orientation] = 1
    gps = exif.get_ifd(GPS)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 13.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (6.0, 53.0, 40.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _profile_post(client, lid: Lid, **extra):
    data = {k: v for k, v in ProfielForm(instance=lid).initial.items() if v is not None}
    data = {k: v for k, v in data.items() if not (isinstance(v, bool) and not v)}
    return client.post(reverse("leden:profiel"), {**data, **extra})


def _private_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT).parent / "private"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_photo_is_stored_reencoded_small_and_without_exif(client, kern_twente):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS)  # the test photo has GPS
    client.force_login(kern_twente)
    response = _profile_post(
        client, kern_twente.lid, foto=SimpleUploadedFile("jan-in-enschede.jpg", original)
    )
    assert response.status_code == 302
    lid = Lid.objects.get(pk=kern_twente.lid.pk)
    assert lid.foto.name.startswith("leden/foto/") and "jan" not in lid.foto.name
    with lid.foto.open("rb") as stored_file:
        stored_bytes = stored_file.read()
    stored = Image.open(io.BytesIO(stored_bytes))
    assert stored.format == "JPEG"
    assert max(stored.size) == 800  # re-encoded, scaled down
    assert not stored.getexif() and "exif" not in stored.info
    assert b"Telefoonmerk" not in stored_bytes and stored_bytes != original
    # Not in the public media folder; its URL is the view that checks who asks.
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.jpg"))
    assert lid.foto.url == reverse("leden:foto_bestand", args=[lid.foto.name])
    for url in (reverse("leden:foto", args=[lid.pk]), lid.foto.url):
        served = client.get(url)
        assert b"".join(served.streaming_content) == stored_bytes
        assert served["Content-Type"] == "image/jpeg"
        assert served["X-Content-Type-Options"] == "nosniff"
        assert served["Content-Security-Policy"].startswith("sandbox;")


def test_text_file_named_jpg_is_refused_in_dutch_and_nothing_is_stored(client, kern_twente):
    client.force_login(kern_twente)
    response = _profile_post(
        client, kern_twente.lid, foto=SimpleUploadedFile("foto.jpg", b"dit is geen foto\n" * 50)
    )
    assert response.status_code == 200
    assert "Dit bestand is geen afbeelding die we kunnen lezen" in response.content.decode()
    assert not Lid.objects.get(pk=kern_twente.lid.pk).foto
    assert _private_files() == []


def test_gif_and_too_large_photos_are_refused_in_dutch(client, kern_twente):
    client.force_login(kern_twente)
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    response = _profile_post(
        client, kern_twente.lid, foto=SimpleUploadedFile("a.gif", gif.getvalue())
    )
    assert "Upload een foto in JPEG, PNG of WebP" in response.content.decode()
    big = SimpleUploadedFile("groot.jpg", jpeg_with_gps((100, 100)) + b"\0" * (5 * 1024 * 1024))
    response = _profile_post(client, kern_twente.lid, foto=big)
    assert "het maximum is 5,0" in response.content.decode()
    assert _private_files() == []


@pytest.fixture
def photo_of_kern(kern_twente):
    from leden.photos import lid_photo_set

    lid_photo_set(lid=kern_twente.lid, upload=SimpleUploadedFile("x.jpg", jpeg_with_gps()))
    return reverse("leden:foto", args=[kern_twente.lid.pk])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("visitor", 404),
        ("lid_rotterdam", 404),
        ("betrokken_twente", 200),
        ("kern_twente", 200),
        ("coordinator_twente", 200),
        ("staff", 200),
    ],
)
def test_photo_follows_the_fellow_members_rule(client, cast, photo_of_kern, who, status):
    if who != "visitor":
        client.force_login(cast[who])
    assert client.get(photo_of_kern).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("visitor", 404), ("lid_rotterdam", 404), ("betrokken_twente", 200), ("staff", 200)],
)
def test_photo_url_of_the_field_follows_the_same_rule(client, cast, photo_of_kern, who, status):
    if who != "visitor":
        client.force_login(cast[who])
    url = Lid.objects.get(pk=cast["kern_twente"].lid.pk).foto.url
    assert client.get(url).status_code == status


@pytest.mark.parametrize("who", ["staff", "coordinator_twente"])
def test_admin_page_of_a_member_with_a_photo_opens(client, cast, photo_of_kern, who):
    from tests.accountfixtures import give_totp

    give_totp(cast[who])
    client.force_login(cast[who])
    lid = Lid.objects.get(pk=cast["kern_twente"].lid.pk)
    response = client.get(reverse("admin:leden_lid_change", args=[lid.pk]))
    assert response.status_code == 200
    assert f'href="{lid.foto.url}"' in response.content.decode()


def test_hidden_photo_and_no_photo_answer_alike_after_the_same_work(client, cast, photo_of_kern):
    """Timing must not tell a hidden photo from none: same queries, same answer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hidden = photo_of_kern  # kern_twente's photo, not for a member in Rotterdam
    without = reverse("leden:foto", args=[cast["betrokken_twente"].lid.pk])
    assert not cast["betrokken_twente"].lid.foto
    client.force_login(cast["lid_rotterdam"])

    def answer(url: str) -> tuple[int, bytes, list[str]]:
        client.get(url)  # warm what is cached per user
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        shapes = [q["sql"].split(" WHERE ")[0] for q in queries.captured_queries]
        # The error page's logout form holds a CSRF token, masked afresh for every response.
        body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)
        # The language switch returns to the page it is on.
        body = re.sub(rb'name="next" value="[^"]+"', b"", body)
        return response.status_code, body, shapes

    assert answer(hidden) == answer(without)
    status, _content, shapes = answer(hidden)
    assert status == 404 and any("leden_lidmaatschap" in sql for sql in shapes)


def test_ended_membership_hides_the_photo_from_former_fellows(client, cast, photo_of_kern, twente):
    cast["kern_twente"].lid.lidmaatschappen.update(status="beeindigd")
    client.force_login(cast["betrokken_twente"])
    assert client.get(photo_of_kern).status_code == 404


def test_removing_the_photo_deletes_the_file(
    client, kern_twente, photo_of_kern, django_capture_on_commit_callbacks
):
    assert len(_private_files()) == 1
    client.force_login(kern_twente)
    with django_capture_on_commit_callbacks(execute=True):  # the file goes after the commit
        _profile_post(client, kern_twente.lid, foto_verwijderen="on")
    assert not Lid.objects.get(pk=kern_twente.lid.pk).foto
    assert _private_files() == []
    assert client.get(photo_of_kern).status_code == 404


def test_member_without_photo_answers_404(client, kern_twente):
    other = factories.LidFactory()
    client.force_login(kern_twente)
    assert client.get(reverse("leden:foto", args=[other.pk])).status_code == 404


def test_account_deletion_deletes_the_photo_file(
    client, kern_twente, photo_of_kern, django_capture_on_commit_callbacks
):
    assert len(_private_files()) == 1
    client.force_login(kern_twente)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("leden:verwijderen"), {"bevestig": "ja"})
    assert _private_files() == []


def test_data_download_holds_the_photo(client, kern_twente, photo_of_kern):
    import base64

    client.force_login(kern_twente)
    data = client.get(reverse("leden:gegevens")).json()
    with Lid.objects.get(pk=kern_twente.lid.pk).foto.open("rb") as stored:
        assert base64.b64decode(data["profiel"]["foto"]["base64"]) == stored.read()
