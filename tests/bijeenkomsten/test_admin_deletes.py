"""No admin path deletes registrations: every way a coordinator removes or changes a meeting
goes through the same services, and a meeting with registrations is cancelled, never deleted.

Mails go through a real SMTP server on loopback (aiosmtpd) and an in-process Celery; the
calendar is the network's public feed, read as a calendar app reads it.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.messages import get_messages
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Halfjaarprogramma
from tests import factories, mailfixtures
from tests.accountfixtures import give_totp
from tests.portal.test_admin_scope import changeform_data

pytestmark = pytest.mark.django_db
smtp_server = mailfixtures.smtp_server
smtp = mailfixtures.smtp
eager_celery = mailfixtures.eager_celery


@pytest.fixture
def coordinator_client(client, coordinator_twente):
    give_totp(coordinator_twente)  # the admin is closed to coordinators without TOTP
    client.force_login(coordinator_twente)
    return client


@pytest.fixture(params=["coordinator_twente", "staff"])
def manager(request, client):
    """The coordinator of the meeting's network, then umbrella staff (who hold every Django
    permission, so no missing permission on registrations stops their delete)."""
    user = request.getfixturevalue(request.param)
    give_totp(user)
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, staff):
    give_totp(staff)
    client.force_login(staff)
    return client


@pytest.fixture
def programma(twente):
    return factories.HalfjaarprogrammaFactory(netwerk=twente, gepubliceerd=True)


def _meeting(programma, titel: str, registrants: int = 0, **fields) -> Bijeenkomst:
    bijeenkomst = factories.BijeenkomstFactory(
        netwerken=[programma.netwerk], programma=programma, titel=titel, **fields
    )
    for _ in range(registrants):
        lid = factories.LidmaatschapFactory(netwerk=programma.netwerk, schil="betrokken").lid
        factories.AanmeldingFactory(bijeenkomst=bijeenkomst, lid=lid)
    return bijeenkomst


@pytest.fixture
def registered(programma):
    """A meeting to come with three registered members and a confirmed guest."""
    bijeenkomst = _meeting(programma, "Casuïstiek in de wijk", registrants=3)
    factories.AanmeldingFactory(
        bijeenkomst=bijeenkomst, lid=None, gast_naam="Gast", gast_email="gast@example.org"
    )
    return bijeenkomst


def _emails(bijeenkomst: Bijeenkomst) -> list[str]:
    return sorted(a.email for a in bijeenkomst.aanmeldingen.select_related("lid__user"))


def assert_cancelled_not_deleted(client, smtp, bijeenkomst: Bijeenkomst) -> None:
    """Registrations kept, the meeting cancelled, one cancellation mail per registrant, and
    the calendar feed saying CANCELLED."""
    assert Aanmelding.objects.filter(bijeenkomst_id=bijeenkomst.pk).count() == 4
    stored = Bijeenkomst.objects.get(pk=bijeenkomst.pk)
    assert stored.geannuleerd and stored.sequence == bijeenkomst.sequence + 1
    assert sorted(smtp.recipients()) == _emails(stored)
    assert {m["Subject"] for m in smtp.messages} == {f"Geannuleerd: {bijeenkomst.titel}"}
    feed = client.get(reverse("netwerken:ics", args=[stored.netwerken.get().slug]))
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert str(events[bijeenkomst.titel]["STATUS"]) == "CANCELLED"


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _programme_url(programma: Halfjaarprogramma, view: str = "change") -> str:
    return reverse(f"admin:bijeenkomsten_halfjaarprogramma_{view}", args=[programma.pk])


def _meeting_url(bijeenkomst: Bijeenkomst, view: str = "change") -> str:
    return reverse(f"admin:bijeenkomsten_bijeenkomst_{view}", args=[bijeenkomst.pk])


def _row_prefix(data: dict, bijeenkomst: Bijeenkomst) -> str:
    """The inline row ("bijeenkomsten-0") that holds this meeting on the programme's page."""
    return next(
        name.removesuffix("-id")
        for name, value in data.items()
        if name.endswith("-id") and value == str(bijeenkomst.pk)
    )


# --- Deleting: every path ---------------------------------------------------------------------


def test_ticking_delete_on_a_programme_row_cancels_a_meeting_with_registrations(
    manager, smtp, eager_celery, registered, django_capture_on_commit_callbacks
):
    leeg = _meeting(registered.programma, "Zonder aanmeldingen")
    data = changeform_data(manager.get(_programme_url(registered.programma)))
    data[f"{_row_prefix(data, registered)}-DELETE"] = "on"
    data[f"{_row_prefix(data, leeg)}-DELETE"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(_programme_url(registered.programma), data)
    assert response.status_code == 302
    assert_cancelled_not_deleted(manager, smtp, registered)
    assert not Bijeenkomst.objects.filter(pk=leeg.pk).exists()  # nobody registered: deleted
    assert "geannuleerd in plaats van verwijderd" in _messages(response)
    history = LogEntry.objects.filter(object_id=str(registered.programma.pk)).latest("pk")
    said = json.loads(history.change_message)
    assert {"deleted": {"name": "meeting", "object": leeg.titel}} in said
    # Fields are stored by verbose name ("cancelled"), which the history shows in Dutch.
    cancelled = {"name": "meeting", "object": registered.titel, "fields": ["cancelled"]}
    assert {"changed": cancelled} in said
    assert "geannuleerd" in history.get_change_message()


def test_delete_page_cancels_a_meeting_with_registrations(
    manager, smtp, eager_celery, registered, django_capture_on_commit_callbacks
):
    confirm = manager.get(_meeting_url(registered, "delete"))
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(_meeting_url(registered, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert_cancelled_not_deleted(manager, smtp, registered)
    assert response["Location"] == _meeting_url(registered)
    assert "geannuleerd in plaats van verwijderd" in _messages(response)
    # The confirmation page said what would happen; the history says what did.
    assert confirm.status_code == 200 and not confirm.context["protected"]
    assert "geannuleerd in plaats van verwijderd" in confirm.content.decode()
    entries = LogEntry.objects.filter(object_id=str(registered.pk))
    assert not entries.filter(action_flag=DELETION).exists()
    assert "geannuleerd" in entries.get().get_change_message()  # as the history shows it


def test_bulk_delete_cancels_meetings_with_registrations_and_deletes_the_rest(
    manager, smtp, eager_celery, registered, django_capture_on_commit_callbacks
):
    leeg = _meeting(registered.programma, "Zonder aanmeldingen")
    selected = {"action": "delete_selected", "_selected_action": [registered.pk, leeg.pk]}
    changelist = reverse("admin:bijeenkomsten_bijeenkomst_changelist")
    confirm = manager.post(changelist, selected)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(changelist, {**selected, "post": "yes"})
    assert response.status_code == 302
    assert_cancelled_not_deleted(manager, smtp, registered)
    assert not Bijeenkomst.objects.filter(pk=leeg.pk).exists()
    assert confirm.status_code == 200 and not confirm.context["protected"]
    said = _messages(response)
    assert "geannuleerd in plaats van verwijderd" in said
    assert "1 bijeenkomst met succes verwijderd" in said  # one deleted, not two
    assert LogEntry.objects.get(action_flag=DELETION).object_id == str(leeg.pk)


@pytest.mark.parametrize("path", ["delete page", "bulk action"])
def test_deleting_a_programme_cancels_its_meetings_with_registrations(
    manager, smtp, eager_celery, registered, django_capture_on_commit_callbacks, path
):
    programma = registered.programma
    leeg = _meeting(programma, "Zonder aanmeldingen")
    changelist = reverse("admin:bijeenkomsten_halfjaarprogramma_changelist")
    selected = {"action": "delete_selected", "_selected_action": [programma.pk]}
    if path == "delete page":
        url, post = _programme_url(programma, "delete"), {"post": "yes"}
        confirm = manager.get(url)
    else:
        url, post = changelist, {**selected, "post": "yes"}
        confirm = manager.post(url, selected)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(url, post)
    assert response.status_code == 302
    assert_cancelled_not_deleted(manager, smtp, registered)
    assert not Bijeenkomst.objects.filter(pk=leeg.pk).exists()
    # The programme stays with its cancelled meeting: a draft's meetings stay unpublished.
    assert Bijeenkomst.objects.get(pk=registered.pk).programma_id == programma.pk
    assert confirm.status_code == 200 and not confirm.context["protected"]
    assert "niet verwijderd" in _messages(response)


def test_deleting_a_programme_without_registrations_deletes_it_and_its_meetings(
    coordinator_client, programma
):
    bijeenkomst = _meeting(programma, "Nog leeg")
    response = coordinator_client.post(_programme_url(programma, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not Halfjaarprogramma.objects.filter(pk=programma.pk).exists()
    assert not Bijeenkomst.objects.filter(pk=bijeenkomst.pk).exists()


def test_a_meeting_that_has_begun_keeps_its_registrations_and_mails_nobody(
    coordinator_client, smtp, eager_celery, programma, django_capture_on_commit_callbacks
):
    past = _meeting(
        programma, "Vorige maand", registrants=2, begin=timezone.now() - timedelta(days=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(_meeting_url(past, "delete"), {"post": "yes"})
    assert response.status_code == 302
    stored = Bijeenkomst.objects.get(pk=past.pk)
    assert not stored.geannuleerd and stored.aanmeldingen.count() == 2
    assert smtp.messages == []
    assert "niet verwijderd" in _messages(response)


def test_the_database_refuses_to_delete_a_meeting_with_registrations(registered):
    with pytest.raises(ProtectedError):
        Bijeenkomst.objects.get(pk=registered.pk).delete()
    with pytest.raises(ProtectedError):
        Bijeenkomst.objects.filter(pk=registered.pk).delete()
    with pytest.raises(ProtectedError):
        registered.programma.delete()  # no cascade through a programme either
    assert Aanmelding.objects.filter(bijeenkomst=registered).count() == 4


def test_not_even_staff_delete_a_registration_in_the_admin(staff_client, registered):
    aanmelding = registered.aanmeldingen.first()
    url = reverse("admin:bijeenkomsten_aanmelding_delete", args=[aanmelding.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:bijeenkomsten_aanmelding_changelist")
    staff_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [aanmelding.pk], "post": "yes"},
    )
    assert Aanmelding.objects.filter(pk=aanmelding.pk).exists()


def test_a_network_that_organises_meetings_is_not_deleted(staff_client, twente, registered):
    zonder_programma = factories.BijeenkomstFactory(netwerken=[twente], programma=None)
    url = reverse("admin:netwerken_netwerk_delete", args=[twente.pk])
    page = staff_client.get(url)
    protected = " ".join(page.context["protected"])
    assert registered.titel in protected and zonder_programma.titel in protected
    staff_client.post(url, {"post": "yes"})
    assert set(zonder_programma.netwerken.all()) == {twente}
    assert Aanmelding.objects.filter(bijeenkomst=registered).count() == 4


def test_registrations_of_an_erased_account_still_stop_a_meeting_being_deleted(registered):
    """Account deletion (its own service) anonymises registrations; they still count."""
    from leden.privacy import account_delete

    aanmelding = registered.aanmeldingen.filter(lid__isnull=False).first()
    account_delete(user=aanmelding.lid.user)
    aanmelding.refresh_from_db()
    assert aanmelding.geanonimiseerd and aanmelding.status == "geannuleerd"
    outcome = services.meeting_delete(bijeenkomst_id=registered.pk)
    assert outcome == services.DeleteOutcome.CANCELLED
    assert Aanmelding.objects.filter(pk=aanmelding.pk).exists()


# --- Changing: the change form and the programme row go through the same service ------------


def _move_row(data: dict, prefix: str, days: int, bijeenkomst: Bijeenkomst) -> None:
    for field in ("begin", "einde"):
        moved = timezone.localtime(getattr(bijeenkomst, field) + timedelta(days=days))
        data[f"{prefix}-{field}_0"] = moved.strftime("%d-%m-%Y")
        data[f"{prefix}-{field}_1"] = moved.strftime("%H:%M:%S")


def test_moving_a_meeting_on_its_programme_row_mails_every_registrant(
    coordinator_client, smtp, eager_celery, registered, django_capture_on_commit_callbacks
):
    url = _programme_url(registered.programma)
    data = changeform_data(coordinator_client.get(url))
    _move_row(data, _row_prefix(data, registered), 7, registered)
    with django_capture_on_commit_callbacks(execute=True):
        assert coordinator_client.post(url, data).status_code == 302
    stored = Bijeenkomst.objects.get(pk=registered.pk)
    assert stored.begin.replace(microsecond=0) == (registered.begin + timedelta(days=7)).replace(
        microsecond=0
    )
    assert stored.sequence == 1
    assert sorted(smtp.recipients()) == _emails(stored)
    assert {m["Subject"] for m in smtp.messages} == {f"Gewijzigd: {registered.titel}"}


def test_a_form_loaded_before_a_cancellation_does_not_undo_it(
    smtp, eager_celery, registered, django_capture_on_commit_callbacks
):
    """A coordinator opened the meeting (or its programme) before it was cancelled elsewhere;
    saving a move from that page keeps the cancellation and its SEQUENCE, and mails no
    "moved" to anyone: only meeting_cancel changes the cancellation."""
    stale = Bijeenkomst.objects.get(pk=registered.pk)
    services.meeting_cancel(bijeenkomst_id=registered.pk)
    later = stale.begin + timedelta(days=7)
    stale.titel = "Nieuwe titel"
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_move(bijeenkomst=stale, begin=later, einde=later + timedelta(hours=2))
    stored = Bijeenkomst.objects.get(pk=registered.pk)
    assert stored.titel == "Nieuwe titel" and stored.begin == later
    assert stored.geannuleerd and stored.sequence == 2
    assert smtp.messages == []


@pytest.mark.parametrize("page", ["meeting", "programme"])
def test_narrowing_the_audience_past_registered_guests_is_refused(
    coordinator_client, registered, page
):
    registered.doelgroep = "open"
    registered.save()
    url = _meeting_url(registered) if page == "meeting" else _programme_url(registered.programma)
    data = changeform_data(coordinator_client.get(url))
    field = "doelgroep" if page == "meeting" else f"{_row_prefix(data, registered)}-doelgroep"
    data[field] = "leden"
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert "niet in deze doelgroep" in response.content.decode()
    assert Bijeenkomst.objects.get(pk=registered.pk).doelgroep == "open"

    Aanmelding.objects.filter(bijeenkomst=registered, lid__isnull=True).update(
        status="geannuleerd"
    )  # the guest cancelled: now the members are all still in
    assert coordinator_client.post(url, data).status_code == 302
    assert Bijeenkomst.objects.get(pk=registered.pk).doelgroep == "leden"


def test_narrowing_to_the_core_counts_members_outside_it(registered, twente):
    kern = factories.LidFactory()
    factories.LidmaatschapFactory(lid=kern, netwerk=twente, schil="kern", status="actief")
    Aanmelding.objects.filter(bijeenkomst=registered).update(status="geannuleerd")
    factories.AanmeldingFactory(bijeenkomst=registered, lid=kern)
    assert services.meeting_audience_problem(bijeenkomst=registered, doelgroep="kern") == ""
    factories.AanmeldingFactory(bijeenkomst=registered)  # a member of no network
    assert services.meeting_audience_problem(bijeenkomst=registered, doelgroep="kern")
    assert Bijeenkomst.objects.get(pk=registered.pk).doelgroep == "open"  # rolled back


# --- Members and accounts: deleting one in the admin is the member's own erasure -----------


@pytest.mark.parametrize("model", ["user", "lid"])
@pytest.mark.parametrize("path", ["delete_page", "bulk"])
def test_staff_deleting_a_member_erases_them_like_their_own_deletion(
    client, staff, twente, model, path
):
    from leden.models import Lid, User

    lid = factories.LidmaatschapFactory(netwerk=twente).lid
    user = lid.user
    past = factories.BijeenkomstFactory(
        netwerken=[twente], begin=timezone.now() - timedelta(days=30)
    )
    upcoming = factories.BijeenkomstFactory(netwerken=[twente], capaciteit=1)
    factories.AanmeldingFactory(bijeenkomst=past, lid=lid, status="aanwezig")
    factories.AanmeldingFactory(bijeenkomst=upcoming, lid=lid)
    waiting = factories.AanmeldingFactory(
        bijeenkomst=upcoming, lid=factories.LidFactory(), status="wachtlijst"
    )
    obj = user if model == "user" else lid
    app_model = f"leden_{model}"
    client.force_login(staff)
    if path == "delete_page":
        url = reverse(f"admin:{app_model}_delete", args=[obj.pk])
        response = client.post(url, {"post": "yes"})
    else:
        url = reverse(f"admin:{app_model}_changelist")
        response = client.post(
            url, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
        )
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Lid.objects.filter(pk=lid.pk).exists()
    # Attendance stays as an anonymous row; the freed place goes to the waiting list.
    assert Aanmelding.objects.filter(bijeenkomst=past, status="aanwezig", geanonimiseerd=True)
    waiting.refresh_from_db()
    assert waiting.status == "aangemeld"
