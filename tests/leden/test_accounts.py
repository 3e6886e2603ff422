"""Accounts and membership: sign-up, joining a network, privacy self-service."""

import re

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.urls import reverse

from bijeenkomsten.models import Aanmelding
from leden import services
from leden.models import Lid, Lidmaatschap, User
from tests import factories, mailfixtures

pytestmark = pytest.mark.django_db

eager_celery = mailfixtures.eager_celery  # tasks run in-process, mail lands in the outbox


def test_sign_up_creates_a_member_profile_and_requires_verification(
    client, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # allauth's mail goes via the outbox
        response = client.post(
            reverse("account_signup"),
            {
                "email": "nieuw@example.org",
                "naam": "Nieuwe Collega",
                "password1": "een-heel-lang-wachtwoord",
                "password2": "een-heel-lang-wachtwoord",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@example.org")
    assert user.lid.naam == "Nieuwe Collega"
    assert not user.emailaddress_set.get().verified
    (message,) = mail.outbox
    assert "Regionet" in message.body and "example.com" not in message.body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    client.post(link.split("testserver")[-1])
    assert user.emailaddress_set.get().verified


def test_short_passwords_are_refused_in_dutch(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "kort@example.org", "naam": "K", "password1": "kort12", "password2": "kort12"},
    )
    assert response.status_code == 200
    assert "minimaal 12 tekens" in response.content.decode()
    assert not User.objects.filter(email="kort@example.org").exists()


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, kern_twente):
    known = client.post(reverse("account_reset_password"), {"email": kern_twente.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_sign_up_with_a_known_address_looks_the_same_as_a_new_one(client, kern_twente):
    data = {
        "naam": "X",
        "password1": "een-heel-lang-wachtwoord",
        "password2": "een-heel-lang-wachtwoord",
    }
    known = client.post(reverse("account_signup"), {**data, "email": kern_twente.email})
    client.logout()
    new = client.post(reverse("account_signup"), {**data, "email": "echt-nieuw@example.org"})
    assert known.status_code == new.status_code == 302
    assert known["Location"] == new["Location"]


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_join_flow_accepted_as_core_opens_core_meetings(client, twente, coordinator_twente):
    from leden.services import membership_accept

    core_meeting = factories.BijeenkomstFactory(doelgroep="kern", netwerken=[twente])
    applicant = factories.LidFactory()
    client.force_login(applicant.user)
    assert client.get(core_meeting.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("leden:meedoen", args=["twente"]),
        {"schil": "kern", "motivatie": "Ik werk in een wijkteam in Enschede."},
    )
    assert response.status_code == 302
    request = Lidmaatschap.objects.get(lid=applicant, netwerk=twente)
    assert request.status == "aangevraagd"
    assert client.get(core_meeting.get_absolute_url()).status_code == 404
    membership_accept(lidmaatschap_id=request.pk, schil="kern")
    assert client.get(core_meeting.get_absolute_url()).status_code == 200


def test_declined_applicant_does_not_see_core_meetings(client, twente):
    from leden.services import membership_decline

    core_meeting = factories.BijeenkomstFactory(doelgroep="kern", netwerken=[twente])
    applicant = factories.LidFactory()
    request = services.membership_request(
        lid=applicant, netwerk_id=twente.pk, schil="kern", motivatie="graag"
    )
    membership_decline(lidmaatschap_id=request.pk, message="De kern is vol.")
    client.force_login(applicant.user)
    assert client.get(core_meeting.get_absolute_url()).status_code == 404


def test_fellow_members_see_names_the_public_sees_counts_only(client, cast, twente):
    page = reverse("netwerken:detail", args=["twente"])
    assert "Betrokken Twente" not in client.get(page).content.decode()
    client.force_login(cast["lid_rotterdam"])
    assert "Betrokken Twente" not in client.get(page).content.decode()
    client.force_login(cast["kern_twente"])
    assert "Betrokken Twente" in client.get(page).content.decode()


def test_personal_calendar_link_can_be_revoked(client, kern_twente):
    client.force_login(kern_twente)
    client.post(reverse("leden:agenda_link"))
    first = Lid.objects.get(user=kern_twente).agenda_token
    client.post(reverse("leden:agenda_link"))
    second = Lid.objects.get(user=kern_twente).agenda_token
    assert first and second and first != second
    assert client.get(f"/agenda/{first}.ics").status_code == 404


def test_data_download_holds_profile_memberships_and_registrations(client, kern_twente, twente):
    factories.AanmeldingFactory(lid=kern_twente.lid, bijeenkomst__titel="Sociaal café")
    client.force_login(kern_twente)
    data = client.get(reverse("leden:gegevens")).json()
    assert data["account"]["email"] == kern_twente.email
    assert data["profiel"]["naam"] == "Kern Twente"
    assert data["lidmaatschappen"][0]["netwerk__naam"] == twente.naam
    assert data["aanmeldingen"][0]["bijeenkomst__titel"] == "Sociaal café"


def test_data_download_holds_digest_consent_and_mail_preferences(client, kern_twente, twente):
    from leden import digest_consent, mail_preferences

    lid = kern_twente.lid
    digest_consent.digest_request(lid=lid, frequentie="wekelijks", via="profiel")
    mail_preferences.mail_preferences_save(lid=lid, keuzes={twente.pk: (False, "nooit")})
    client.force_login(kern_twente)
    data = client.get(reverse("leden:gegevens")).json()
    [consent] = data["nieuwsbrief_toestemmingen"]
    assert consent["frequentie"] == "wekelijks" and consent["gevraagd_via"] == "profiel"
    [choice] = data["mailvoorkeuren"]
    assert choice["netwerk__naam"] == twente.naam and choice["herinneringen"] is False


def test_account_deletion_leaves_no_trace_and_keeps_attendance_counts(
    client, twente, rotterdam, coordinator_twente, eager_celery, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.contrib import admin
    from django.test import RequestFactory
    from django.utils import timezone

    from berichten.models import Verzending

    # Before she had an account, she came to an open meeting as a guest.
    factories.AanmeldingFactory(
        lid=None, gast_naam="Zoë Verdwijn", gast_email="Zoe.Verdwijn@example.org"
    )
    lid = factories.LidFactory(naam="Zoë Verdwijn", user__email="zoe.verdwijn@example.org")
    lidmaatschap = factories.LidmaatschapFactory(lid=lid, netwerk=twente)
    # Her coordinator accepted her in the admin, which logs the membership by its name.
    request = RequestFactory().post("/admin/")
    request.user = coordinator_twente
    admin.site._registry[Lidmaatschap].log_change(request, lidmaatschap, "Geaccepteerd")
    # Mail went to the address she had before she changed it.
    Verzending.objects.create(
        ontvanger="zoe.oud@example.org", soort="herinnering", lid=lid, sleutel="7d"
    )
    rotterdam.coordinators.add(factories.UserFactory(email="coord.rotterdam@example.org"))
    past = factories.BijeenkomstFactory(begin=timezone.now() - timedelta(days=20))
    factories.AanmeldingFactory(lid=lid, bijeenkomst=past, status="aanwezig")
    future = factories.BijeenkomstFactory(capaciteit=1)
    factories.AanmeldingFactory(lid=lid, bijeenkomst=future)
    waiting = factories.AanmeldingFactory(bijeenkomst=future, status="wachtlijst")
    attended_before = Aanmelding.objects.filter(bijeenkomst=past, status="aanwezig").count()

    client.force_login(lid.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("leden:verwijderen"), {"bevestig": "ja"})

    # Twente's coordinator is told, by name; Rotterdam's (not the member's network) is not.
    departures = [m for m in mail.outbox if "account verwijderd" in m.subject]
    assert [m.to for m in departures] == [[coordinator_twente.email]]
    assert "Zoë Verdwijn" in departures[0].body and twente.naam in departures[0].body
    assert "zoe.verdwijn@example.org" not in departures[0].body + departures[0].alternatives[0][0]

    assert not User.objects.filter(email="zoe.verdwijn@example.org").exists()
    assert Aanmelding.objects.filter(bijeenkomst=past, status="aanwezig").count() == attended_before
    waiting.refresh_from_db()
    assert waiting.status == "aangemeld"  # the freed place went to the waiting list
    for needle in ("Zoë Verdwijn", "zoe.verdwijn@example.org", "zoe.oud@example.org"):
        for model in apps.get_models():
            text_fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, (models.CharField, models.TextField, models.JSONField))
            ]
            for field in text_fields:
                lookup = (
                    "icontains"
                    if not isinstance(model._meta.get_field(field), models.JSONField)
                    else "contains"
                )
                try:
                    found = model.objects.filter(**{f"{field}__{lookup}": needle}).exists()
                except Exception:  # noqa: BLE001 - JSON contains is not on every backend
                    continue
                assert not found, f"{needle} left in {model._meta.label}.{field}"


def test_a_member_changes_their_address_once_the_new_one_is_confirmed(
    client, kern_twente, eager_celery, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    old = kern_twente.email
    assert EmailAddress.objects.get(user=kern_twente).email == old
    client.force_login(kern_twente)
    new = "nieuw.adres@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_email"), {"action_add": "", "email": new})
    assert response.status_code == 302
    kern_twente.refresh_from_db()
    assert kern_twente.email == old  # not before the new address is confirmed

    (confirmation,) = [m for m in mail.outbox if m.to == [new]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirmation.body).group(0)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link.split("testserver")[-1])
    kern_twente.refresh_from_db()
    assert kern_twente.email == new
    assert list(EmailAddress.objects.filter(user=kern_twente).values_list("email", flat=True)) == [
        new
    ]
    # The old address hears of it, in Dutch.
    (notice,) = [m for m in mail.outbox if m.to == [old]]
    assert "e-mail" in notice.subject.lower() and new in notice.body


def test_a_retried_departure_task_mails_each_coordinator_once(twente, coordinator_twente):
    """The task retries after a temporary SMTP error; who already had the mail gets no copy,
    and the mail log names the coordinator, never the member who left."""
    from berichten.models import Verzending
    from leden.tasks import send_departure_mails

    second = factories.UserFactory(email="tweede.coordinator@example.org")
    twente.coordinators.add(second)
    args = ("Zoë Verdwijn", [coordinator_twente.pk, second.pk], [twente.pk], "ab12")
    assert send_departure_mails(*args) == 2
    assert send_departure_mails(*args) == 0  # the retry
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator_twente.email, second.email])
    assert all("Zoë Verdwijn" in m.body for m in mail.outbox)
    rows = Verzending.objects.filter(soort="lid_vertrokken")
    assert rows.count() == 2 and not rows.filter(gegevens__icontains="Zo").exists()
