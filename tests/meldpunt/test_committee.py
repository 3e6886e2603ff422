"""The committee's side: only its members (with TOTP) read reports, every reading is logged;
coordinators, staff and superusers get 404, the admin shows nothing; closed reports are
erased after the committee's period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meldpunt import privacy, services
from meldpunt.models import Bericht, Instelling, Inzage, Melding, Status
from meldpunt.permissions import committee_group, is_committee_member
from portal import personal_data
from tests.meldpunt.conftest import REPORT_TEXT, committee_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def melding():
    return services.report_create(tekst=REPORT_TEXT)[0]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_committee_member_reads_a_report_and_the_reading_is_logged(committee, melding):
    page = _client(committee).get(reverse("meldpunt:commissie_melding", args=[melding.pk]))
    assert page.status_code == 200
    assert REPORT_TEXT in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    reading = Inzage.objects.get()
    assert (reading.nummer, reading.melding, reading.gebruiker) == (melding.pk, melding, committee)
    assert timezone.now() - reading.gelezen_op < timedelta(minutes=1)
    _client(committee).get(reverse("meldpunt:commissie_melding", args=[melding.pk]))
    assert Inzage.objects.count() == 2  # every reading


def test_the_overview_shows_no_text_and_logs_no_reading(committee, melding):
    page = _client(committee).get(reverse("meldpunt:commissie"))
    assert page.status_code == 200
    assert REPORT_TEXT not in page.content.decode()
    assert committee.email in page.content.decode()  # the committee sees who is in it
    assert not Inzage.objects.exists()


@pytest.mark.parametrize(
    "role", ["kern_twente", "coordinator_twente", "staff", "lid_rotterdam", "visitor"]
)
def test_everyone_outside_the_committee_gets_404(role, request, melding):
    user = request.getfixturevalue(role)
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    for url in (
        reverse("meldpunt:commissie"),
        reverse("meldpunt:commissie_melding", args=[melding.pk]),
    ):
        response = client.get(url)
        if user.is_authenticated:
            assert response.status_code == 404, (role, url)
        else:
            assert response.status_code == 302  # log in first; then 404 as above
        assert REPORT_TEXT not in response.content.decode()
    reply = client.post(
        reverse("meldpunt:commissie_melding", args=[melding.pk]), {"actie": "sluiten"}
    )
    assert reply.status_code in (302, 404)
    melding.refresh_from_db()
    assert melding.status == Status.OPEN
    assert not Inzage.objects.exists()


def test_a_superuser_is_no_committee_member_unless_put_in_the_group(staff, melding):
    assert staff.is_superuser
    assert staff.has_perm("meldpunt.behandelen")  # Django's answer for superusers ...
    assert not is_committee_member(staff)  # ... is not the committee's
    staff.groups.add(committee_group())
    staff = type(staff).objects.get(pk=staff.pk)
    assert is_committee_member(staff)


def test_a_committee_member_without_totp_is_sent_to_activate_it(melding):
    user = committee_user("zonder-totp@example.org", totp=False)
    response = _client(user).get(reverse("meldpunt:commissie_melding", args=[melding.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert not Inzage.objects.exists()


def test_the_admin_shows_no_report(staff, melding):
    from django.contrib import admin

    assert not any(model._meta.app_label == "meldpunt" for model in admin.site._registry)
    client = _client(staff)
    assert client.get("/admin/meldpunt/melding/").status_code == 404
    index = client.get(reverse("admin:index"))
    assert REPORT_TEXT not in index.content.decode()
    # A blanket grant of every permission to staff does not include the committee's.
    assert set(
        Permission.objects.filter(content_type__app_label="meldpunt").values_list(
            "codename", flat=True
        )
    ) == {"behandelen"}


def test_the_committee_replies_closes_and_reopens(committee, melding):
    client = _client(committee)
    url = reverse("meldpunt:commissie_melding", args=[melding.pk])
    assert (
        client.post(url, {"actie": "antwoord", "tekst": "Dank, we kijken ernaar."}).status_code
        == 302
    )
    reply = Bericht.objects.get()
    assert reply.auteur == committee
    assert "Dank" not in reply.tekst_versleuteld
    assert client.post(url, {"actie": "sluiten"}).status_code == 302
    melding.refresh_from_db()
    assert melding.status == Status.GESLOTEN and melding.gesloten_op is not None
    client.post(url, {"actie": "heropenen"})
    melding.refresh_from_db()
    assert (melding.status, melding.gesloten_op) == (Status.OPEN, None)


def test_the_committee_sets_the_retention_period(committee):
    client = _client(committee)
    assert client.post(reverse("meldpunt:commissie"), {"dagen": "30"}).status_code == 302
    assert Instelling.current().bewaartermijn_dagen == 30
    assert client.post(reverse("meldpunt:commissie"), {"dagen": "0"}).status_code == 400


def test_closed_reports_are_erased_after_the_committees_period(committee):
    services.retention_set(dagen=30)
    now = timezone.now()
    old = services.report_create(tekst="oud")[0]
    services.report_reply(melding=old, auteur=committee, tekst="antwoord")
    services.reading_log(melding=old, gebruiker=committee)
    services.report_close(melding=old, now=now - timedelta(days=31))
    recent = services.report_create(tekst="recent gesloten")[0]
    services.report_close(melding=recent, now=now - timedelta(days=29))
    still_open = services.report_create(tekst="open")[0]

    # The register's nightly step for this retention is the one that erases.
    retention = next(r for r in personal_data.retentions() if r.key == "meldpunt_gesloten")
    assert retention is privacy.REPORTS
    assert retention.apply(now) == 1
    assert retention.apply(now) == 0  # idempotent
    assert set(Melding.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    assert not Bericht.objects.filter(melding_id=old.pk).exists()
    reading = Inzage.objects.get()
    assert (reading.melding, reading.nummer) == (None, old.pk)  # the log keeps the number
    assert services.reports_erase(now + timedelta(days=2)) == 1  # recent's turn
    assert retention.days == 30  # the register shows the committee's period


def test_every_personal_field_is_declared():
    declared = {(e.model, f) for e in personal_data.entries() for f in e.fields}
    assert ("meldpunt.Melding", "tekst_versleuteld") in declared
    assert ("meldpunt.Bericht", "tekst_versleuteld") in declared
    assert ("meldpunt.Inzage", "gebruiker") in declared


@pytest.mark.parametrize("n", [2, 20])
def test_the_overview_and_a_report_take_a_fixed_number_of_queries(
    n, committee, django_assert_num_queries
):
    for i in range(n):
        melding = services.report_create(tekst=f"melding {i}")[0]
        services.report_reply(melding=melding, auteur=committee, tekst="antwoord")
        services.reading_log(melding=melding, gebruiker=committee)
    client = _client(committee)
    client.get(reverse("meldpunt:commissie"))  # warm: session, TOTP
    with django_assert_num_queries(6):
        assert client.get(reverse("meldpunt:commissie")).status_code == 200
    with django_assert_num_queries(7):
        page = client.get(reverse("meldpunt:commissie_melding", args=[melding.pk]))
        assert page.status_code == 200


def test_the_demo_report_opens_with_the_documented_code():
    from django.contrib.auth.hashers import make_password

    from demo.data import DEMO_PASSWORD
    from demo.meldpunt import DEMO_CODE, load_meldpunt

    load_meldpunt(make_password(DEMO_PASSWORD))
    load_meldpunt(make_password(DEMO_PASSWORD))  # idempotent
    melding = services.report_for_code(DEMO_CODE)
    assert melding is not None and Melding.objects.count() == 1
    assert is_committee_member(melding.berichten.get().auteur) is False  # no TOTP yet
