"""The half-year programme editor and running a meeting in the coordinators' admin."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten import services
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Halfjaarprogramma
from tests import factories
from tests.accountfixtures import give_totp
from tests.portal.test_admin_scope import changeform_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client, coordinator_twente):
    give_totp(coordinator_twente)  # the admin is closed to coordinators without TOTP
    client.force_login(coordinator_twente)
    return client


@pytest.fixture
def mails(monkeypatch):
    """What the admin asked berichten to queue (that module sends after commit)."""
    calls: list[tuple] = []
    monkeypatch.setattr(
        "bijeenkomsten.mails.queue_meeting_update_mails", lambda *args: calls.append(args)
    )
    return calls


def _aware(y: int, m: int, d: int, hour: int) -> datetime:
    return timezone.make_aware(datetime(y, m, d, hour))


@pytest.fixture
def meeting(twente):
    programma = factories.HalfjaarprogrammaFactory(netwerk=twente, gepubliceerd=False)
    bijeenkomst = factories.BijeenkomstFactory(
        netwerken=[twente],
        programma=programma,
        begin=_aware(2027, 3, 2, 19),
        einde=_aware(2027, 3, 2, 21),
    )
    for _ in range(3):
        factories.AanmeldingFactory(bijeenkomst=bijeenkomst)
    return bijeenkomst


def _change_url(obj) -> str:
    return reverse(f"admin:bijeenkomsten_{obj._meta.model_name}_change", args=[obj.pk])


def test_moving_a_meeting_raises_sequence_and_queues_mails(coordinator_client, meeting, mails):
    data = changeform_data(coordinator_client.get(_change_url(meeting)))
    data.update({"begin_0": "09-03-2027", "einde_0": "09-03-2027"})
    response = coordinator_client.post(_change_url(meeting), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.begin).date().isoformat() == "2027-03-09"
    assert meeting.sequence == 1
    assert mails == [(meeting.pk, "gewijzigd")]


def test_saving_without_moving_sends_nothing(coordinator_client, meeting, mails):
    data = changeform_data(coordinator_client.get(_change_url(meeting)))
    data["beschrijving"] = "Met soep."
    coordinator_client.post(_change_url(meeting), data)
    meeting.refresh_from_db()
    assert (meeting.sequence, mails) == (0, [])


def test_end_before_start_says_what_to_do(coordinator_client, meeting):
    data = changeform_data(coordinator_client.get(_change_url(meeting)))
    data["einde_1"] = "18:00:00"
    response = coordinator_client.post(_change_url(meeting), data)
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors)
    assert "The end lies before the start." in errors or "Het einde ligt vóór het begin" in errors


def test_cancel_button_cancels_and_queues_mails(coordinator_client, meeting, mails):
    data = changeform_data(coordinator_client.get(_change_url(meeting)))
    data["_cancel_meeting"] = "1"
    assert coordinator_client.post(_change_url(meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.geannuleerd and meeting.sequence == 1
    assert mails == [(meeting.pk, "geannuleerd")]
    assert not services.meeting_cancel(bijeenkomst_id=meeting.pk)  # twice changes nothing
    assert len(mails) == 1


def test_cancelled_meeting_shows_as_cancelled_in_the_calendar_feed(meeting, mails):
    from bijeenkomsten.ics import meeting_calendar

    services.meeting_cancel(bijeenkomst_id=meeting.pk)
    body = meeting_calendar([Bijeenkomst.objects.get(pk=meeting.pk)])
    assert b"STATUS:CANCELLED" in body
    assert b"SEQUENCE:1" in body


def test_attendance_checklist_marks_forty_people_in_one_save(coordinator_client, twente):
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente])
    rows = [factories.AanmeldingFactory(bijeenkomst=bijeenkomst) for _ in range(40)]
    response = coordinator_client.get(_change_url(bijeenkomst))
    data = changeform_data(response)
    for index in range(30):
        data[f"aanmeldingen-{index}-aanwezig"] = "on"
    with CaptureQueriesContext(connection) as saving:
        assert coordinator_client.post(_change_url(bijeenkomst), data).status_code == 302
    assert Aanmelding.objects.filter(pk__in=[r.pk for r in rows], status="aanwezig").count() == 30
    updates = [
        q
        for q in saving.captured_queries
        if q["sql"].startswith('UPDATE "bijeenkomsten_aanmelding"')
    ]
    assert len(updates) <= 2


def test_programme_change_page_queries_do_not_grow_with_meetings(coordinator_client, twente):
    def programme(jaar: int, meetings: int) -> Halfjaarprogramma:
        programma = factories.HalfjaarprogrammaFactory(netwerk=twente, jaar=jaar)
        for index in range(meetings):
            bijeenkomst = factories.BijeenkomstFactory(
                netwerken=[twente], programma=programma, begin=_aware(jaar, 2, 1 + index, 19)
            )
            for _ in range(5):
                factories.ProgrammaonderdeelFactory(bijeenkomst=bijeenkomst)
        return programma

    counts = []
    big, small = programme(2027, 8), programme(2028, 4)
    coordinator_client.get(_change_url(small))  # warm the content-type and session caches
    for programma in (big, small):
        with CaptureQueriesContext(connection) as queries:
            response = coordinator_client.get(_change_url(programma))
        assert response.status_code == 200
        counts.append(len(queries))
    assert b"5 parts: edit" in response.content or b"5 onderdelen" in response.content
    assert counts[0] == counts[1]
    assert counts[0] <= 20


def test_new_programme_proposes_meetings_every_six_weeks_on_usual_day(coordinator_client, twente):
    twente.vaste_weekdag = 1  # Tuesday
    twente.vaste_aanvang = time(19, 30)
    twente.save()
    response = coordinator_client.get(
        reverse("admin:bijeenkomsten_halfjaarprogramma_add") + "?jaar=2027&helft=1"
    )
    (inline,) = response.context["inline_admin_formsets"]
    begins = [form.initial["begin"] for form in inline.formset.forms]
    assert len(begins) >= 4
    assert all(timezone.localtime(b).weekday() == 1 for b in begins)
    assert all(timezone.localtime(b).time() == time(19, 30) for b in begins)
    assert {b2 - b1 for b1, b2 in zip(begins, begins[1:], strict=False)} <= {
        timedelta(weeks=6),
        timedelta(weeks=6, hours=1),
        timedelta(weeks=6, hours=-1),
    }


def test_rows_left_as_proposed_are_not_saved(coordinator_client, twente):
    twente.vaste_weekdag = 1
    twente.vaste_aanvang = time(19, 30)
    twente.save()
    add_url = reverse("admin:bijeenkomsten_halfjaarprogramma_add") + "?jaar=2027&helft=1"
    response = coordinator_client.get(add_url)
    (inline,) = response.context["inline_admin_formsets"]
    data = {"netwerk": twente.pk, "jaar": 2027, "helft": 1, "themas": "Ethiek"}
    prefix = inline.formset.prefix
    forms = inline.formset.forms
    data.update({f"{prefix}-TOTAL_FORMS": len(forms), f"{prefix}-INITIAL_FORMS": 0})
    for index, form in enumerate(forms):
        begin, einde = (
            timezone.localtime(form.initial["begin"]),
            timezone.localtime(form.initial["einde"]),
        )
        data.update(
            {
                f"{prefix}-{index}-begin_0": begin.strftime("%d-%m-%Y"),
                f"{prefix}-{index}-begin_1": begin.strftime("%H:%M:%S"),
                f"{prefix}-{index}-einde_0": einde.strftime("%d-%m-%Y"),
                f"{prefix}-{index}-einde_1": einde.strftime("%H:%M:%S"),
                f"{prefix}-{index}-soort": "netwerk",
                f"{prefix}-{index}-doelgroep": "netwerk",  # the default audience
            }
        )
    data[f"{prefix}-0-titel"] = "Aftrap"
    response = coordinator_client.post(add_url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    programma = Halfjaarprogramma.objects.get(netwerk=twente, jaar=2027, helft=1)
    (bijeenkomst,) = programma.bijeenkomsten.all()
    assert bijeenkomst.titel == "Aftrap"
    assert list(bijeenkomst.netwerken.all()) == [twente]
    assert bijeenkomst.slug.startswith("aftrap-2027-")


def test_copy_to_next_half_year_moves_dates_and_keeps_structure(coordinator_client, meeting):
    factories.ProgrammaonderdeelFactory(bijeenkomst=meeting, titel="Casus")
    programma = meeting.programma
    coordinator_client.post(
        reverse("admin:bijeenkomsten_halfjaarprogramma_changelist"),
        {"action": "copy_to_next_half_year", "_selected_action": [programma.pk]},
    )
    copy = Halfjaarprogramma.objects.get(netwerk=programma.netwerk, jaar=2027, helft=2)
    assert not copy.gepubliceerd and copy.themas == programma.themas
    (new,) = copy.bijeenkomsten.all()
    assert timezone.localtime(new.begin).weekday() == timezone.localtime(meeting.begin).weekday()
    assert timezone.localtime(new.begin).time() == timezone.localtime(meeting.begin).time()
    assert (new.begin.date() - meeting.begin.date()).days == 182
    assert [o.titel for o in new.onderdelen.all()] == ["Casus"]
    assert new.aanmeldingen.count() == 0
    assert list(new.netwerken.all()) == list(meeting.netwerken.all())


def test_publish_button_publishes_and_records_when(coordinator_client, meeting):
    programma = meeting.programma
    data = changeform_data(coordinator_client.get(_change_url(programma)))
    data["_publish"] = "1"
    assert coordinator_client.post(_change_url(programma), data).status_code == 302
    programma.refresh_from_db()
    assert programma.gepubliceerd and programma.gepubliceerd_op is not None
    first = programma.gepubliceerd_op
    assert not services.programme_publish(programma_id=programma.pk)
    programma.refresh_from_db()
    assert programma.gepubliceerd_op == first  # the digest announces it once


def test_changes_are_recorded_with_the_changed_fields(coordinator_client, meeting):
    from django.contrib.admin.models import LogEntry

    data = changeform_data(coordinator_client.get(_change_url(meeting)))
    data["locatie"] = "Hengelo"
    coordinator_client.post(_change_url(meeting), data)
    entry = LogEntry.objects.filter(object_id=str(meeting.pk)).latest("action_time")
    # Stored as the field's verbose name (the translations' msgid), shown in Dutch.
    assert "place" in entry.change_message and "plaats" in entry.get_change_message()
    history = coordinator_client.get(
        reverse("admin:bijeenkomsten_bijeenkomst_history", args=[meeting.pk])
    )
    assert history.status_code == 200


def test_slides_must_be_a_pdf(coordinator_client, meeting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = coordinator_client.post(
        reverse("admin:bijeenkomsten_materiaal_add"),
        {
            "bijeenkomst": meeting.pk,
            "soort": "slides",
            "titel": "Dia's",
            "pdf": SimpleUploadedFile("dias.pdf", b"not a pdf", content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "pdf" in response.context["adminform"].form.errors
    assert not meeting.materialen.exists()


def test_meeting_changelist_queries_do_not_grow_with_rows(coordinator_client, twente, rotterdam):
    url = reverse("admin:bijeenkomsten_bijeenkomst_changelist")
    programma = factories.HalfjaarprogrammaFactory(netwerk=twente)

    def count() -> int:
        coordinator_client.get(url)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.get(url).status_code == 200
        return len(queries)

    factories.BijeenkomstFactory(netwerken=[twente], programma=programma)
    few = count()
    for _ in range(10):
        factories.BijeenkomstFactory(netwerken=[twente, rotterdam], programma=programma)
    assert count() == few


def test_reminder_action_from_berichten_is_on_the_meeting_admin(coordinator_client, twente):
    factories.BijeenkomstFactory(netwerken=[twente])
    response = coordinator_client.get(reverse("admin:bijeenkomsten_bijeenkomst_changelist"))
    assert "send_reminder_now" in dict(response.context["action_form"].fields["action"].choices)


@pytest.mark.parametrize("page", ["meeting", "programme"])
def test_raising_the_capacity_admits_the_waiting_list_first(coordinator_client, meeting, page):
    """New places go to those waiting, in their order, not to whoever registers next."""
    from bijeenkomsten.models import Aanmelding

    meeting.capaciteit = 3  # the fixture's three registrations fill it
    meeting.save()
    waiting = [
        factories.AanmeldingFactory(bijeenkomst=meeting, status="wachtlijst") for _ in range(3)
    ]
    url = _change_url(meeting if page == "meeting" else meeting.programma)
    data = changeform_data(coordinator_client.get(url))
    field = next(name for name in data if name.endswith("capaciteit"))
    data[field] = "5"
    assert coordinator_client.post(url, data).status_code == 302

    statuses = dict(
        Aanmelding.objects.filter(pk__in=[a.pk for a in waiting]).values_list("pk", "status")
    )
    assert [statuses[a.pk] for a in waiting] == ["aangemeld", "aangemeld", "wachtlijst"]


def test_meeting_page_in_the_admin_links_an_uploaded_pdf(coordinator_client, meeting):
    from django.core.files.base import ContentFile

    from bijeenkomsten.models import Materiaal
    from tests.portal.test_uploads import pdf_bytes

    materiaal = Materiaal(bijeenkomst=meeting, soort="slides", titel="Dia's")
    materiaal.pdf.save("dias.pdf", ContentFile(pdf_bytes()), save=False)
    materiaal.save()
    page = coordinator_client.get(_change_url(meeting))
    assert page.status_code == 200
    assert materiaal.pdf.url in page.content.decode()
    assert coordinator_client.get(materiaal.pdf.url).status_code == 200


def test_programme_search_finds_a_year(coordinator_client, twente):
    for jaar in (2026, 2027):
        for helft in (1, 2):
            factories.HalfjaarprogrammaFactory(netwerk=twente, jaar=jaar, helft=helft)
    url = reverse("admin:bijeenkomsten_halfjaarprogramma_changelist")
    for term in ("2027", "Twente 2027"):
        found = coordinator_client.get(url, {"q": term}).context["cl"].result_list
        assert sorted((p.jaar, p.helft) for p in found) == [(2027, 1), (2027, 2)], term
    assert coordinator_client.get(url, {"q": "Ethiek"}).status_code == 200  # words still work


def _history(client, obj) -> str:
    """The history page's entries as text."""
    import re

    url = reverse(f"admin:bijeenkomsten_{obj._meta.model_name}_history", args=[obj.pk])
    html = client.get(url).content.decode()
    if "<tbody>" not in html:
        return ""  # no entries yet
    rows = html.split("<tbody>")[1].split("</tbody>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", rows))


def test_history_names_the_changed_fields_in_dutch(coordinator_client, meeting, mails):
    data = changeform_data(coordinator_client.get(_change_url(meeting)))
    data.update({"begin_0": "09-03-2027", "einde_0": "09-03-2027", "locatie": "Hengelo"})
    assert coordinator_client.post(_change_url(meeting), data).status_code == 302
    coordinator_client.post(_change_url(meeting), {**data, "_cancel_meeting": "1"})

    history = _history(coordinator_client, meeting)
    assert "Gewijzigd: begin, einde en plaats." in history
    assert "Gewijzigd: geannuleerd." in history
    assert "None" not in history and "Start" not in history and "Place" not in history


def test_a_meeting_moved_on_its_programme_row_records_it_in_its_own_history(
    coordinator_client, meeting, mails
):
    from tests.bijeenkomsten.test_admin_deletes import _move_row, _row_prefix

    url = _change_url(meeting.programma)
    data = changeform_data(coordinator_client.get(url))
    _move_row(data, _row_prefix(data, meeting), 7, meeting)
    assert coordinator_client.post(url, data).status_code == 302

    assert "Gewijzigd: begin en einde." in _history(coordinator_client, meeting)
    assert "Gewijzigd bij bijeenkomst" in _history(coordinator_client, meeting.programma)


def test_attendance_action_says_why_a_registration_was_not_marked(coordinator_client, twente):
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente])  # still to come
    waiting = factories.AanmeldingFactory(
        bijeenkomst=bijeenkomst, status="wachtlijst", lid__naam="Wachtende"
    )
    cancelled = factories.AanmeldingFactory(
        bijeenkomst=bijeenkomst, status="geannuleerd", lid__naam="Afgemelde"
    )
    response = coordinator_client.post(
        reverse("admin:bijeenkomsten_aanmelding_changelist"),
        {"action": "mark_attended", "_selected_action": [waiting.pk, cancelled.pk]},
        follow=True,
    )
    said = " ".join(str(m) for m in response.context["messages"])
    assert "Wachtende niet als aanwezig gemarkeerd: de bijeenkomst is nog niet begonnen" in said
    assert "Afgemelde niet als aanwezig gemarkeerd: alleen wie aangemeld is" in said
    assert "0 aanmeldingen gewijzigd" not in said


def test_attendance_checklist_says_why_a_tick_was_refused(coordinator_client, twente):
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente])  # still to come
    factories.AanmeldingFactory(bijeenkomst=bijeenkomst, status="wachtlijst", lid__naam="Wachtende")
    data = changeform_data(coordinator_client.get(_change_url(bijeenkomst)))
    data["aanmeldingen-0-aanwezig"] = "on"
    response = coordinator_client.post(_change_url(bijeenkomst), data, follow=True)
    said = " ".join(str(m) for m in response.context["messages"])
    assert "Wachtende niet als aanwezig gemarkeerd: de bijeenkomst is nog niet begonnen" in said
    assert Aanmelding.objects.get(lid__naam="Wachtende").status == "wachtlijst"
