"""One mechanism for every stored file: checked by content, rewritten, renamed by the portal,
and a request with a too large file is refused before its body has been read."""

import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader, PdfWriter

from leden.forms import ProfielForm
from portal.uploads import (
    LOGO,
    MAX_IMAGE_BYTES,
    MAX_REQUEST_BYTES,
    PDF,
    CheckedFileField,
    normalise_upload,
    validate_image,
    validate_pdf,
)

POLYGLOT = b"%PDF-1.4\n<script>alert(document.domain)</script>\n%%EOF"


def pdf_bytes(pages: int = 1) -> bytes:
    """A real PDF, as a presentation program would export one."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def test_real_png_is_accepted():
    validate_image(SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"))


def test_text_file_named_like_an_image_is_refused_in_dutch():
    upload = SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        validate_image(upload)
    assert error.value.code == "image_invalid"


def test_oversized_image_is_refused():
    upload = SimpleUploadedFile("big.png", png_bytes() + b"0" * MAX_IMAGE_BYTES)
    with pytest.raises(ValidationError) as error:
        validate_image(upload)
    assert error.value.code == "file_too_large"


def test_pdf_is_checked_by_a_pdf_library_not_by_its_first_bytes():
    validate_pdf(SimpleUploadedFile("slides.pdf", pdf_bytes()))
    for fake in (b"<html>not a pdf</html>", POLYGLOT, b"%PDF-1.4\n%%EOF"):
        with pytest.raises(ValidationError) as error:
            validate_pdf(SimpleUploadedFile("slides.pdf", fake))
        assert error.value.code == "pdf_invalid"


def test_pdf_is_rewritten_without_its_document_scripts():
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.add_open_action(JavaScript("app.alert('hallo');"))
    buffer = io.BytesIO()
    writer.write(buffer)
    assert b"/JavaScript" in buffer.getvalue()
    checked = normalise_upload(SimpleUploadedFile("x.pdf", buffer.getvalue()), kind=PDF)
    content = checked.read()
    assert len(PdfReader(io.BytesIO(content)).pages) == 1
    assert b"/JavaScript" not in content and b"/JS" not in content


def test_logo_is_reencoded_as_png():
    buffer = io.BytesIO()
    Image.new("RGBA", (30, 30), (0, 0, 0, 0)).save(buffer, format="GIF")
    checked = normalise_upload(SimpleUploadedFile("logo.html", buffer.getvalue()), kind=LOGO)
    assert Image.open(io.BytesIO(checked.read())).format == "PNG"


def test_every_file_field_is_a_checked_field():
    """No model keeps an upload as it came: every file field goes through the mechanism."""
    fields = {
        f"{model.__name__}.{field.name}": field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    assert {"Lid.foto", "Materiaal.pdf", "Materiaal.afbeelding", "Netwerk.logo"} <= set(fields)
    assert [name for name, field in fields.items() if not isinstance(field, CheckedFileField)] == []


@pytest.mark.django_db
def test_saving_through_the_field_in_code_also_checks_and_renames(twente):
    """Not only forms: a service or the shell that saves a file gets the same checks."""
    from netwerken.models import Netwerk

    twente.logo.save("logo.html", ContentFile(png_bytes()), save=True)
    stored = Netwerk.objects.get(pk=twente.pk).logo.name
    assert stored.startswith("netwerken/logo/") and stored.endswith(".png")
    assert "logo.html" not in stored and len(stored.rsplit("/", 1)[1]) == 32 + 4
    with pytest.raises(ValidationError):
        twente.logo.save("logo.png", ContentFile(b"<svg onload=alert(1)>"), save=True)


# --- Too large: refused before the whole body is read -------------------------------------


@pytest.mark.django_db
def test_too_large_photo_is_refused_before_the_body_is_read(client, kern_twente):
    client.force_login(kern_twente)
    lid = kern_twente.lid
    data = {k: v for k, v in ProfielForm(instance=lid).initial.items() if v not in (None, False)}
    size = MAX_REQUEST_BYTES + 4 * 1024 * 1024  # 25 MB
    data["foto"] = SimpleUploadedFile("vakantie.jpg", b"\xff\xd8" + b"\0" * (size - 2))
    response = client.post(reverse("leden:profiel"), data)

    body = response.wsgi_request.META["wsgi.input"]
    unread = len(body)  # the test client's payload counts what was not read
    assert unread > size - 1024 * 1024, "the handler read the file instead of stopping"
    assert response.status_code == 200
    page = response.content.decode().replace("\xa0", " ")
    assert "Het bestand is 25,0 MB; het maximum is 5,0 MB." in page
    assert not type(lid).objects.get(pk=lid.pk).foto


@pytest.mark.django_db
def test_too_large_slides_get_a_dutch_form_error_in_the_admin(client, coordinator_twente, twente):
    from bijeenkomsten.models import Materiaal
    from tests import factories
    from tests.accountfixtures import give_totp

    give_totp(coordinator_twente)
    client.force_login(coordinator_twente)
    meeting = factories.BijeenkomstFactory(netwerken=[twente])
    size = MAX_REQUEST_BYTES + 4 * 1024 * 1024
    big = SimpleUploadedFile("dias.pdf", pdf_bytes() + b"\0" * size)
    response = client.post(
        reverse("admin:bijeenkomsten_materiaal_add"),
        {"bijeenkomst": meeting.pk, "soort": "slides", "titel": "Dia's", "pdf": big},
    )
    assert len(response.wsgi_request.META["wsgi.input"]) > size - 1024 * 1024
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert [e.replace("\xa0", " ") for e in errors["pdf"]] == [
        "Het bestand is 25,0 MB; het maximum is 20,0 MB."
    ]
    assert not Materiaal.objects.exists()


@pytest.mark.django_db
def test_a_request_within_the_limit_is_read_whole(client, kern_twente):
    from tests.leden.test_accounts_photo import jpeg_with_gps

    client.force_login(kern_twente)
    data = {
        k: v
        for k, v in ProfielForm(instance=kern_twente.lid).initial.items()
        if v not in (None, False)
    }
    data["foto"] = SimpleUploadedFile("jan.jpg", jpeg_with_gps())
    response = client.post(reverse("leden:profiel"), data)
    assert response.status_code == 302
    assert len(response.wsgi_request.META["wsgi.input"]) == 0


@pytest.mark.django_db(transaction=True)
def test_server_answers_a_too_large_upload_before_the_body_is_sent(site_url, kern_twente):
    """Over a real socket: the portal answers after the first megabyte of a 25 MB upload,
    while the rest has not even been sent."""
    import re
    import socket
    from urllib.parse import urlsplit

    from django.test import Client

    client = Client()
    client.force_login(kern_twente)
    page = client.get(reverse("leden:profiel"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    cookies = "; ".join(
        f"{name}={client.cookies[name].value}" for name in ("sessionid", "csrftoken")
    )
    fields = {"csrfmiddlewaretoken": token, "naam": "Kern Twente", "rol": "professional"}
    fields |= {"digest": "nooit"}
    boundary = "regionetgrens"
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="foto"; filename="groot.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    )
    declared = 25 * 1024 * 1024
    host = urlsplit(site_url)
    request = (
        f"POST {reverse('leden:profiel')} HTTP/1.1\r\nHost: {host.netloc}\r\n"
        f"Cookie: {cookies}\r\nReferer: {site_url}/\r\nOrigin: {site_url}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {declared}\r\nConnection: close\r\n\r\n{head}"
    ).encode()
    with socket.create_connection((host.hostname, host.port), timeout=30) as sock:
        sock.sendall(request + b"\0" * (1024 * 1024))  # 1 of the 25 MB announced
        answer = b""
        # The whole answer arrives though 24 MB were never sent (the test server then waits
        # for them before it closes the connection; so read up to the page's end, not EOF).
        while b"</html>" not in answer:
            answer += sock.recv(65536)
    status, _, rest = answer.partition(b"\r\n")
    assert status.startswith(b"HTTP/1.1 200"), status
    text = rest.decode("utf-8", "replace").replace("\xa0", " ")
    assert "Het bestand is 25,0 MB; het maximum is 5,0 MB." in text
