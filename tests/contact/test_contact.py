"""Contact without published addresses (issue 17, part 2): a form per network and per
umbrella, delivered to coordinators or staff through the outbox, rate limited, with an
honest answer; no coordinator's address on any public page."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from berichten.models import Verzending
from contact import privacy
from contact.models import Contactbericht
from netwerken.models import Netwerk
from tests import factories, mailfixtures

pytestmark = pytest.mark.django_db
eager_celery = mailfixtures.eager_celery
_ips = (f"10.9.{i // 250}.{i % 250 + 1}" for i in itertools.count())


def send(client, url: str, *, email: str = "vraag@example.org", ip: str | None = None, **extra):
    """A POST from a new client. The per-sender limit counts per run, not per test: each test
    sends from addresses of its own."""
    data = {"naam": "Sam Vrager", "email": email, "bericht": "Wanneer is de volgende avond?"}
    return client.post(url, {**data, **extra}, REMOTE_ADDR=ip or next(_ips))


def test_a_message_reaches_the_coordinators_through_the_outbox_with_reply_to_the_sender(
    client, twente, coordinator_twente, eager_celery, django_capture_on_commit_callbacks
):
    second = factories.UserFactory(email="tweede.coordinator@example.org")
    twente.coordinators.add(second)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, reverse("contact:netwerk", args=["twente"]), wil_meedoen="on")
    assert response.status_code == 200
    page = response.content.decode()
    assert "de 2 coördinatoren van Regionetwerk Twente" in page
    assert "geen kopie" in page
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator_twente.email, second.email])
    message = mail.outbox[0]
    assert message.extra_headers["Reply-To"] == "vraag@example.org"
    assert "Wanneer is de volgende avond?" in message.body
    assert "wil graag meedoen" in message.body
    assert Verzending.objects.filter(soort="contactbericht").count() == 2
    bericht = Contactbericht.objects.get()
    assert (bericht.netwerk, bericht.wil_meedoen, bericht.ontvangers) == (
        twente,
        True,
        "coordinatoren",
    )


def test_a_network_without_coordinators_passes_the_message_to_staff_and_says_so(
    client, rotterdam, staff, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            client, reverse("contact:netwerk", args=["rotterdam"]), email="r@example.org"
        )
    assert "heeft op dit moment geen coördinator" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[staff.email]]


def test_staff_contact_for_more_about_the_regional_networks(
    client, twente, staff, coordinator_twente, eager_celery, django_capture_on_commit_callbacks
):
    url = reverse("contact:koepel", args=[twente.koepel.slug])
    assert "Meer weten over de regionetwerken" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, url, email="koepel@example.org")
    assert "medewerkers van BPSW" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[staff.email]]  # not the coordinators
    assert Contactbericht.objects.get().koepel == twente.koepel


def test_nobody_to_receive_means_an_honest_refusal_and_nothing_stored(client, rotterdam):
    response = send(client, reverse("contact:netwerk", args=["rotterdam"]), email="n@example.org")
    assert response.status_code == 503
    assert "niemand berichten ontvangen" in response.content.decode()
    assert not Contactbericht.objects.exists()


def test_the_form_is_rate_limited_per_client_and_per_sender(client, twente, coordinator_twente):
    url = reverse("contact:netwerk", args=["twente"])
    ip = next(_ips)
    statuses = [send(client, url, email=f"s{i}@example.org", ip=ip).status_code for i in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    statuses = [send(client, url, email="veel@example.org").status_code for _ in range(5)]
    assert statuses == [200] * 3 + [429] * 2
    assert Contactbericht.objects.count() == 8


def test_an_empty_form_answers_400_and_sends_nothing(client, twente, coordinator_twente):
    response = client.post(reverse("contact:netwerk", args=["twente"]), {})
    assert response.status_code == 400
    assert not Verzending.objects.exists()


def test_no_public_page_shows_a_coordinator_or_network_address(
    client, twente, rotterdam, coordinator_twente, kern_twente
):
    """Crawl what a visitor reaches (every network, open meeting, contact and newsletter page)
    and look for any coordinator's address or a network's own address."""
    Netwerk.objects.filter(pk=twente.pk).update(contact_email="regionetwerktwente@bpsw.nl")
    kern_twente.lid.toon_email = True  # a coordinator who shows it to fellow members
    coordinator_twente.lid.toon_email = True
    coordinator_twente.lid.save()
    factories.BijeenkomstFactory(netwerken=[twente], doelgroep="open")
    addresses = {"regionetwerktwente@bpsw.nl", coordinator_twente.email}
    seen: set[str] = set()
    todo = ["/", reverse("contact:index"), reverse("nieuwsbrief:aanmelden")]
    todo += [n.get_absolute_url() for n in Netwerk.objects.all()]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        for address in addresses:
            assert address not in page, f"{path} shows {address}"
        assert "mailto:" not in page, path
        for link in re.findall(r'href="(/[^"#?]*)"', page):
            if link.startswith(("/netwerken/", "/bijeenkomsten/", "/contact/", "/nieuwsbrief/")):
                todo.append(link)
    assert len(seen) > 8
    assert reverse("contact:netwerk", args=["twente"]) in seen


def test_old_messages_are_deleted_after_the_period(twente, coordinator_twente):
    now = timezone.now()
    for days in (181, 10):
        Contactbericht.objects.create(
            netwerk=twente,
            naam="Sam",
            email="s@example.org",
            bericht="Vraag",
            ontvangers="coordinatoren",
            verstuurd_op=now - timedelta(days=days),
        )
    assert privacy.forget_old_messages(now) == 1
    assert privacy.forget_old_messages(now) == 0
    assert Contactbericht.objects.count() == 1


def test_the_register_declares_the_contact_messages_personal_fields():
    from portal.personal_data import entries

    declared = {(e.model, f) for e in entries() for f in e.fields}
    assert {("contact.Contactbericht", f) for f in ("naam", "email", "bericht")} <= declared
