"""Guests can leave: every mail to a guest carries a working cancel link, and texts fit them."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten import reminders, services
from bijeenkomsten.models import Aanmelding
from tests import factories, mailfixtures
from tests.mailfixtures import html_part, text_part

pytestmark = pytest.mark.django_db
smtp_server, smtp, eager_celery = (
    mailfixtures.smtp_server,
    mailfixtures.smtp,
    mailfixtures.eager_celery,
)
CANCEL = re.compile(r"https?://[^\s\"<]+/bijeenkomsten/gast/afmelden/[^\s\"<]+/")
CONFIRM = re.compile(r"https?://[^\s\"<]+/bijeenkomsten/gast/bevestigen/[^\s\"<]+/")


def _guest(bijeenkomst, capture) -> Aanmelding:
    with capture(execute=True):
        aanmelding = services.registration_create(
            bijeenkomst_id=bijeenkomst.pk, gast_naam="Gast Gastmans", gast_email="gast@example.org"
        )
    with capture(execute=True):
        services.registration_confirm_guest(aanmelding_id=aanmelding.pk)
    return Aanmelding.objects.get(pk=aanmelding.pk)


def test_every_mail_to_a_guest_carries_a_cancel_link_that_works(
    client, smtp, eager_celery, twente, kern_twente, django_capture_on_commit_callbacks
):
    begin = timezone.now() + timedelta(days=10)
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente], capaciteit=1, begin=begin)
    aanmelding = _guest(bijeenkomst, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=kern_twente.lid)
    assert waiting.status == "wachtlijst"
    reminders.send_due_reminders(now=begin - timedelta(days=6))
    to_guest = smtp.to("gast@example.org")
    kinds = [message["Subject"] for message in to_guest]
    assert len(to_guest) == 3, kinds  # the confirmation link, "registered", the reminder
    links = set()
    for message in to_guest:
        text, html = text_part(message), html_part(message)
        assert CANCEL.search(text) and CANCEL.search(html), message["Subject"]
        assert "in je profiel" not in text and "in je profiel" not in html
        links.add(CANCEL.search(text).group(0))
    assert "gast@example.org" not in "".join(links)
    # Members get no such link: they cancel on the meeting page.
    assert not any(CANCEL.search(text_part(m)) for m in smtp.to(kern_twente.email))

    path = urlsplit(links.pop()).path
    page = client.get(path)
    assert page.status_code == 200 and "Mijn aanmelding annuleren" in page.content.decode()
    assert Aanmelding.objects.get(pk=aanmelding.pk).status == "aangemeld"  # GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(path)
    assert "Je bent afgemeld" in done.content.decode()
    assert Aanmelding.objects.get(pk=aanmelding.pk).status == "geannuleerd"
    waiting.refresh_from_db()
    assert waiting.status == "aangemeld"  # the place went to the waiting list


def test_a_tampered_or_members_cancel_link_is_404(client, twente, kern_twente):
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente])
    member = factories.AanmeldingFactory(bijeenkomst=bijeenkomst, lid=kern_twente.lid)
    token = services.guest_cancel_token(member)
    assert client.get(reverse("bijeenkomsten:gast_afmelden", args=[token])).status_code == 404
    assert client.post(reverse("bijeenkomsten:gast_afmelden", args=["nep"])).status_code == 404
    assert Aanmelding.objects.get(pk=member.pk).status == "aangemeld"


def test_registering_again_sends_the_lost_mail_again_at_most_once_a_day(
    smtp, eager_celery, twente, django_capture_on_commit_callbacks
):
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente])

    def again():
        with django_capture_on_commit_callbacks(execute=True):
            return services.registration_create(
                bijeenkomst_id=bijeenkomst.pk, gast_naam="Gast", gast_email="gast@example.org"
            )

    first = again()
    again()
    again()
    links = [CONFIRM.search(text_part(m)).group(0) for m in smtp.to("gast@example.org")]
    assert len(links) == 2 and links[0] == links[1]  # the same link, once more, not a third
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_confirm_guest(aanmelding_id=first.pk)
    before = len(smtp.to("gast@example.org"))
    again()
    again()
    new = smtp.to("gast@example.org")[before:]
    assert len(new) == 1 and CANCEL.search(text_part(new[0]))  # registered, with the way out
    assert Aanmelding.objects.filter(gast_email="gast@example.org").count() == 1
