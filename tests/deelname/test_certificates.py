"""Certificates: only from attendance records, verifiable by anyone with the link, invalid once
attendance is withdrawn; rendering fetches nothing."""

import io
import socket

import pytest
from django.urls import reverse
from pypdf import PdfReader

from bijeenkomsten.services import meeting_mark_attendance
from deelname import pdf, selectors
from deelname.models import Categorie, Deelnamebewijs, Leertijd
from deelname.services import certificate_issue
from leden import privacy
from tests.deelname.conftest import attend, past_meeting

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _certificate(client, user, bijeenkomst):
    client.force_login(user)
    return client.get(reverse("deelname:bewijs", args=[bijeenkomst.pk]))


def test_certificate_states_name_hours_category_and_verification_address(
    client, twente, kern_twente
):
    bijeenkomst = past_meeting(twente, titel="Ethiek in de wijk")
    Leertijd.objects.create(
        bijeenkomst=bijeenkomst,
        minuten=90,
        categorie=Categorie.GEACCREDITEERD,
        accreditatie_id="PE-778899",
    )
    attend(bijeenkomst, kern_twente)
    response = _certificate(client, kern_twente, bijeenkomst)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response)
    code = Deelnamebewijs.objects.get().code
    assert "Kern Twente" in text and "Ethiek in de wijk" in text
    assert "1,50" in text and "PE-778899" in text and twente.naam in text
    assert f"/v/{code}" in text


def test_member_page_reaches_a_certificate_in_two_clicks(client, twente, kern_twente):
    bijeenkomst = past_meeting(twente)
    attend(bijeenkomst, kern_twente)
    client.force_login(kern_twente)
    profile = client.get(reverse("leden:profiel")).content.decode()
    page_url = reverse("deelname:mijn_deelname")
    assert f'href="{page_url}"' in profile  # click one
    page = client.get(page_url).content.decode()
    certificate_url = reverse("deelname:bewijs", args=[bijeenkomst.pk])
    assert f'href="{certificate_url}"' in page  # click two
    assert client.get(certificate_url).status_code == 200


def test_no_certificate_for_a_meeting_not_attended_by_any_url(
    client, twente, kern_twente, betrokken_twente
):
    registered_only = past_meeting(twente)
    attend(registered_only, kern_twente, present=False)
    someone_elses = past_meeting(twente)
    attend(someone_elses, betrokken_twente)
    assert _certificate(client, kern_twente, registered_only).status_code == 404
    assert _certificate(client, kern_twente, someone_elses).status_code == 404
    assert client.get(reverse("deelname:bewijs", args=[999999])).status_code == 404
    assert not Deelnamebewijs.objects.filter(aanmelding__lid=kern_twente.lid).exists()
    client.logout()
    response = client.get(reverse("deelname:bewijs", args=[someone_elses.pk]))
    assert response.status_code == 302  # to the login


def test_no_certificate_where_none_is_offered(client, twente, kern_twente):
    bijeenkomst = past_meeting(twente, soort="stuurgroep")
    attend(bijeenkomst, kern_twente)
    assert _certificate(client, kern_twente, bijeenkomst).status_code == 404


def test_verification_shows_the_facts_to_anyone_and_no_email(client, twente, kern_twente):
    bijeenkomst = past_meeting(twente, titel="Casuïstiek")
    attend(bijeenkomst, kern_twente)
    _certificate(client, kern_twente, bijeenkomst)
    client.logout()
    code = Deelnamebewijs.objects.get().code
    page = client.get(reverse("deelname:verificatie", args=[code])).content.decode()
    assert "Kern Twente" in page and "Casuïstiek" in page and "2,00" in page
    assert kern_twente.email not in page
    assert "alert-success" in page


def test_withdrawn_attendance_makes_the_certificate_not_valid(client, twente, kern_twente):
    bijeenkomst = past_meeting(twente)
    (aanmelding,) = attend(bijeenkomst, kern_twente)
    _certificate(client, kern_twente, bijeenkomst)
    meeting_mark_attendance(bijeenkomst_id=bijeenkomst.pk, afwezig=[aanmelding.pk])
    code = Deelnamebewijs.objects.get().code
    page = client.get(reverse("deelname:verificatie", args=[code])).content.decode()
    assert "alert-danger" in page and "alert-success" not in page
    # and the member can no longer download it
    assert _certificate(client, kern_twente, bijeenkomst).status_code == 404


def test_a_tampered_verification_id_answers_404(client, twente, kern_twente):
    bijeenkomst = past_meeting(twente)
    attend(bijeenkomst, kern_twente)
    _certificate(client, kern_twente, bijeenkomst)
    code = Deelnamebewijs.objects.get().code
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert client.get(reverse("deelname:verificatie", args=[tampered])).status_code == 404
    assert client.get("/v/").status_code == 404


def test_the_same_certificate_each_time(client, twente, kern_twente):
    bijeenkomst = past_meeting(twente)
    attend(bijeenkomst, kern_twente)
    _certificate(client, kern_twente, bijeenkomst)
    _certificate(client, kern_twente, bijeenkomst)
    assert Deelnamebewijs.objects.count() == 1


def test_rendering_makes_no_network_connection(client, twente, kern_twente, monkeypatch):
    bijeenkomst = past_meeting(twente)
    attend(bijeenkomst, kern_twente)
    client.force_login(kern_twente)
    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network blocked in this test")

    facts_code = certificate_issue(lid=kern_twente.lid, bijeenkomst_id=bijeenkomst.pk).code
    facts = selectors.certificate_facts(facts_code)
    overview = selectors.year_overview(kern_twente.lid, bijeenkomst.begin.year)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    certificate = pdf.certificate_pdf(facts, "https://regionet.example/v/" + facts_code)
    year = pdf.year_overview_pdf(overview)
    assert certificate.startswith(b"%PDF") and year.startswith(b"%PDF")
    assert attempts == []


def test_the_font_is_embedded(client, twente, kern_twente):
    bijeenkomst = past_meeting(twente)
    attend(bijeenkomst, kern_twente)
    response = _certificate(client, kern_twente, bijeenkomst)
    reader = PdfReader(io.BytesIO(response.content))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for ref in fonts.values():
        font = ref.get_object()
        if "/DescendantFonts" in font:
            font = font["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in font["/FontDescriptor"]  # TrueType, embedded


def test_erasure_removes_the_certificates(client, twente, kern_twente):
    bijeenkomst = past_meeting(twente)
    attend(bijeenkomst, kern_twente)
    _certificate(client, kern_twente, bijeenkomst)
    code = Deelnamebewijs.objects.get().code
    assert privacy.member_data(lid=kern_twente.lid)["deelnamebewijzen"][0]["verificatie"].endswith(
        code
    )
    privacy.account_delete(user=kern_twente)
    assert not Deelnamebewijs.objects.exists()
    assert client.get(reverse("deelname:verificatie", args=[code])).status_code == 404
