"""Every form of the newer apps that asks for personal data says, under it, what the portal
keeps of it, why and how long (`templates/_privacy_hint.html`, issue 19): the newsletter
sign-up, the network and umbrella contact forms, the confidential channel's report and
follow-up, a survey's questions and its e-mail confirmation. The confidential channel's pages
still set no cookie and are not stored."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.bevragingen.conftest import build_survey
from tests.meldpunt.conftest import new_ip

pytestmark = pytest.mark.django_db

HINT = "Wat we bewaren van wat je hier invult, waarom en hoe lang:"


def _hinted(response) -> bool:
    page = response.content.decode()
    return HINT in page and f'href="{reverse("privacy:verklaring")}"' in page


def test_newsletter_and_contact_forms_carry_the_hint(client, twente):
    assert _hinted(client.get(reverse("nieuwsbrief:aanmelden")))
    assert _hinted(client.get(reverse("contact:netwerk", args=[twente.slug])))
    assert _hinted(client.get(reverse("contact:koepel", args=[twente.koepel.slug])))


def test_survey_questions_and_the_email_confirmation_carry_the_hint(client, twente):
    open_survey = build_survey(twente, questions=2)
    page = client.get(reverse("bevragingen:invullen", args=[open_survey.sleutel]))
    assert "bevragingen/invullen.html" in [t.name for t in page.templates]
    assert _hinted(page)
    one_each = build_survey(twente, questions=2, een_per_persoon=True)
    page = client.get(reverse("bevragingen:invullen", args=[one_each.sleutel]))
    assert "bevragingen/email.html" in [t.name for t in page.templates]
    assert _hinted(page)


def test_the_confidential_channel_forms_carry_the_hint_and_still_set_no_cookie(client):
    client.defaults.update(REMOTE_ADDR=new_ip(), HTTP_ORIGIN="http://testserver")
    report = client.get(reverse("meldpunt:melden"))
    receipt = client.post(reverse("meldpunt:melden"), {"tekst": "Een zorg over privacy."})
    code = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}", receipt.content.decode()).group(0)
    follow_up = client.post(reverse("meldpunt:terugkeren"), {"code": code})
    assert "meldpunt/vervolg.html" in [t.name for t in follow_up.templates]
    for response in (report, follow_up):
        assert _hinted(response)
        assert not response.cookies
        assert "no-store" in response["Cache-Control"]
    assert not client.cookies
