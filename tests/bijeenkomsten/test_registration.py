"""Registration, capacity and the waiting list (bijeenkomsten.services)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding
from portal import pagecache
from tests import factories

pytestmark = pytest.mark.django_db


def meeting(**kwargs):
    return factories.BijeenkomstFactory(**kwargs)


def member(netwerk=None, schil="betrokken"):
    lid = factories.LidFactory()
    if netwerk is not None:
        factories.LidmaatschapFactory(lid=lid, netwerk=netwerk, schil=schil)
    return lid


def test_registering_twice_returns_the_same_registration():
    bijeenkomst, lid = meeting(), member()
    first = services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=lid)
    second = services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=lid)
    assert first.pk == second.pk
    assert Aanmelding.objects.filter(bijeenkomst=bijeenkomst).count() == 1


def test_full_meeting_puts_new_registration_on_waiting_list():
    bijeenkomst = meeting(capaciteit=2)
    statuses = [
        services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=member()).status
        for _ in range(3)
    ]
    assert statuses == ["aangemeld", "aangemeld", "wachtlijst"]


def test_cancellation_promotes_the_first_on_the_waiting_list(django_capture_on_commit_callbacks):
    bijeenkomst = meeting(capaciteit=1)
    first = services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=member())
    second = services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=member())
    third = services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=member())
    assert services.waiting_list_position(second) == 1
    assert services.waiting_list_position(third) == 2
    services.registration_cancel(aanmelding_id=first.pk)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("aangemeld", "wachtlijst")
    assert services.waiting_list_position(third) == 1


def test_core_members_of_the_organising_network_go_first_on_the_waiting_list(twente):
    bijeenkomst = meeting(capaciteit=1, netwerken=[twente])
    services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=member())
    outsider = services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=member())
    core = services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=member(twente, "kern"))
    assert core.voorrang and not outsider.voorrang
    assert services.waiting_list_position(core) == 1
    assert services.waiting_list_position(outsider) == 2


def test_registration_closes_at_the_deadline():
    start = timezone.now() + timedelta(days=3)
    bijeenkomst = meeting(begin=start, aanmelden_tot=start - timedelta(days=2))
    with pytest.raises(services.RegistrationClosed):
        services.registration_create(
            bijeenkomst_id=bijeenkomst.pk, lid=member(), now=start - timedelta(days=1)
        )
    services.registration_create(
        bijeenkomst_id=bijeenkomst.pk, lid=member(), now=start - timedelta(days=2, hours=1)
    )


def test_registration_closes_when_the_meeting_starts_or_is_cancelled():
    bijeenkomst = meeting()
    with pytest.raises(services.RegistrationClosed):
        services.registration_create(
            bijeenkomst_id=bijeenkomst.pk, lid=member(), now=bijeenkomst.begin
        )
    cancelled = meeting(geannuleerd=True)
    with pytest.raises(services.RegistrationClosed):
        services.registration_create(bijeenkomst_id=cancelled.pk, lid=member())


def test_guest_place_counts_only_after_confirmation():
    bijeenkomst = meeting(capaciteit=1, doelgroep="open")
    guest = services.registration_create(
        bijeenkomst_id=bijeenkomst.pk, gast_naam="Gast", gast_email="Gast@Example.org"
    )
    assert not guest.bevestigd and guest.gast_email == "gast@example.org"
    taker = services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=member())
    assert taker.status == "aangemeld"  # the unconfirmed guest held no place
    found = services.guest_registration_from_token(services.guest_token(guest))
    assert found == guest
    confirmed = services.registration_confirm_guest(aanmelding_id=guest.pk)
    assert (confirmed.bevestigd, confirmed.status) == (True, "wachtlijst")


def test_tampered_guest_token_finds_nothing():
    bijeenkomst = meeting(doelgroep="open")
    guest = services.registration_create(
        bijeenkomst_id=bijeenkomst.pk, gast_naam="Gast", gast_email="gast@example.org"
    )
    assert services.guest_registration_from_token(services.guest_token(guest) + "x") is None


def test_guests_cannot_register_for_members_only_meetings():
    bijeenkomst = meeting(doelgroep="leden")
    with pytest.raises(ValidationError):
        services.registration_create(
            bijeenkomst_id=bijeenkomst.pk, gast_naam="Gast", gast_email="gast@example.org"
        )


def test_registration_queues_a_mail_after_commit(django_capture_on_commit_callbacks):
    bijeenkomst = meeting()
    lid = member()
    with django_capture_on_commit_callbacks() as callbacks:
        services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=lid)
    # One mail task, and one invalidation of the cached pages, both only after the commit.
    mails = [c for c in callbacks if getattr(c, "func", None) is not None]
    assert len(mails) == 1 and "send_mails" in repr(mails[0])
    pending = transaction.get_connection().run_on_commit
    assert [entry[1] for entry in pending].count(pagecache._bump) == 1


def test_a_waiting_list_row_counts_as_attended_only_once_the_meeting_has_begun():
    """Before the meeting an attended waiting-list row would take a place past capacity."""
    meeting_mark_attendance = services.meeting_mark_attendance
    bijeenkomst = factories.BijeenkomstFactory(capaciteit=1)
    factories.AanmeldingFactory(bijeenkomst=bijeenkomst)
    waiting = factories.AanmeldingFactory(bijeenkomst=bijeenkomst, status="wachtlijst")
    marks = meeting_mark_attendance(bijeenkomst_id=bijeenkomst.pk, aanwezig=[waiting.pk])
    assert marks.changed == 0
    waiting.refresh_from_db()
    assert waiting.status == "wachtlijst"

    bijeenkomst.begin = timezone.now() - timedelta(hours=1)
    bijeenkomst.einde = timezone.now() + timedelta(hours=1)
    bijeenkomst.save()
    marks = meeting_mark_attendance(bijeenkomst_id=bijeenkomst.pk, aanwezig=[waiting.pk])
    assert marks.changed == 1
    waiting.refresh_from_db()
    assert waiting.status == "aanwezig"


def test_a_guest_the_address_limit_refuses_is_not_registered_and_not_mailed(
    django_capture_on_commit_callbacks,
):
    bijeenkomst = meeting(doelgroep="open")
    with django_capture_on_commit_callbacks() as callbacks:
        result = services.registration_create(
            bijeenkomst_id=bijeenkomst.pk,
            gast_naam="Gast",
            gast_email="gast@example.org",
            may_mail=lambda: False,
        )
    assert result is None
    assert not Aanmelding.objects.filter(bijeenkomst=bijeenkomst).exists()
    assert not [c for c in callbacks if "send_mails" in repr(c)]


def test_an_unconfirmed_guest_registering_again_is_replaced_only_after_an_hour():
    bijeenkomst = meeting(doelgroep="open")
    first = services.registration_create(
        bijeenkomst_id=bijeenkomst.pk, gast_naam="Gast", gast_email="gast@example.org"
    )
    asked = []

    def again(minutes: int):
        return services.registration_create(
            bijeenkomst_id=bijeenkomst.pk,
            gast_naam="Gast",
            gast_email="gast@example.org",
            may_mail=lambda: asked.append(minutes) or True,
            now=first.aangemeld_op + timedelta(minutes=minutes),
        )

    # Too soon for a new link: the same registration, its mail sent once more if the limit
    # allows (the guest lost it), so the limit is asked.
    assert again(59).pk == first.pk and asked == [59]
    second = again(61)
    assert second.pk != first.pk and asked == [59, 61]
    first.refresh_from_db()
    assert first.status == "geannuleerd"
    assert services.guest_registration_from_token(services.guest_token(first)) is None
    assert services.guest_registration_from_token(services.guest_token(second)) == second
