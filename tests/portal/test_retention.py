"""The nightly retention job (issue 19): time travels past each period of the register, the
job runs, and then every text column of every table is scanned for the expired subjects'
names and addresses. Attendance counts and the outbox's exactly-once keys must survive."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from berichten.models import Verzending
from bijeenkomsten.models import Aanmelding
from leden.models import Lid, Lidmaatschap, User
from leden.services import membership_decline
from portal import personal_data, retention
from portal.accesslog import record_view
from portal.models import ExportLog, Inzage, RetentionLog
from portal.retention import run_retention
from portal.tasks import apply_retention
from tests import factories

GUEST_NAME, GUEST_EMAIL = "Gerrit Gastvrij", "gerrit.gastvrij@example.net"
UNVERIFIED_NAME, UNVERIFIED_EMAIL = "Ursula Onbevestigd", "ursula.onbevestigd@example.net"
MOTIVATION = "Dirk wil meedoen vanwege zijn wijkaanpak-motivatie-7731"
MEMBER_EMAIL = "marieke.blijft@example.net"


def scan(*needles: str) -> set[tuple[str, str, str]]:
    """(table, column, needle) wherever a needle occurs, in every column of every table of
    the database, read as text: found by introspection, not by the models."""
    hits = set()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                for needle in needles:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608 (introspected names)
                        f"WHERE LOWER(CAST({quote(column.name)} AS TEXT)) LIKE %s",
                        [f"%{needle.lower()}%"],
                    )
                    if cursor.fetchone()[0]:
                        hits.add((table, column.name, needle))
    return hits


def _mail(to: str, *, key: str, body: str, lid=None, sent=None) -> Verzending:
    return Verzending.objects.create(
        ontvanger=to,
        soort="herinnering",
        sleutel=key,
        lid=lid,
        onderwerp=f"Voor {body}",
        tekst=f"Beste {body},",
        html=f"<p>Beste {body},</p>",
        gegevens={"naam": body},
        headers={"To": to},
        status=Verzending.Status.SENT,
        aangemaakt_op=sent or timezone.now(),
    )


@pytest.fixture
def world(twente, staff):
    now = timezone.now()
    meeting = factories.BijeenkomstFactory(
        begin=now - timedelta(days=1, hours=2), einde=now - timedelta(days=1), netwerken=[twente]
    )
    member = factories.LidFactory(naam="Marieke Blijft", user__email=MEMBER_EMAIL)
    factories.AanmeldingFactory(bijeenkomst=meeting, lid=member, status="aanwezig")
    Aanmelding.objects.create(
        bijeenkomst=meeting, gast_naam=GUEST_NAME, gast_email=GUEST_EMAIL, status="aanwezig"
    )
    _mail(GUEST_EMAIL, key=f"bijeenkomst-{meeting.pk}-1d", body=GUEST_NAME)
    _mail(MEMBER_EMAIL, key=f"bijeenkomst-{meeting.pk}-1d", body="Marieke Blijft", lid=member)

    unverified = User.objects.create_user(UNVERIFIED_EMAIL, "x")
    EmailAddress.objects.create(user=unverified, email=UNVERIFIED_EMAIL, verified=False)
    Lid.objects.create(user=unverified, naam=UNVERIFIED_NAME)
    _mail(UNVERIFIED_EMAIL, key="", body=UNVERIFIED_NAME)

    dirk = factories.LidFactory(naam="Dirk Aanvrager")
    request = Lidmaatschap.objects.create(
        lid=dirk, netwerk=twente, status="aangevraagd", motivatie=MOTIVATION
    )
    membership_decline(lidmaatschap_id=request.pk)

    record_view(viewer=staff, subject_id=member.user_id, waar="admin", what="leden.lid")
    ExportLog.objects.create(user=staff, user_email=staff.email, export="members", format="csv")
    return {"now": now, "meeting": meeting, "member": member, "request": request}


def _changed(logs: list[RetentionLog]) -> dict[str, int]:
    return {log.rule: log.rows for log in logs if log.rows}


def test_time_travel_past_each_period_leaves_nothing_of_the_expired(world):
    now, meeting = world["now"], world["meeting"]
    attended = Aanmelding.objects.filter(bijeenkomst=meeting, status="aanwezig").count()
    claims = Verzending.objects.exclude(sleutel="")  # what exactly-once rests on
    mail_keys = sorted(claims.values_list("soort", "sleutel"))

    # Nothing has expired yet.
    assert _changed(run_retention(now)) == {}

    # 15 days: the unverified account is gone, with everything it had.
    assert _changed(run_retention(now + timedelta(days=15))) == {"unverified_accounts": 1}
    assert not User.objects.filter(email=UNVERIFIED_EMAIL).exists()
    assert scan(UNVERIFIED_NAME, UNVERIFIED_EMAIL) == set()
    assert scan(MOTIVATION)  # the declined request waits for its own period

    # 31 days: the declined join request.
    assert _changed(run_retention(now + timedelta(days=31))) == {"declined_requests": 1}
    assert scan(MOTIVATION) == set()
    assert scan(GUEST_NAME)  # the guest waits for theirs

    # 92 days: the guest (91 days after the meeting) and the mail log (90 days after sending).
    changed = _changed(run_retention(now + timedelta(days=92)))
    mails = Verzending.objects.count()  # the two above and the decline's mail to Dirk
    assert changed == {"guest_registrations": 1, "mail_log": mails}
    assert scan(GUEST_NAME, GUEST_EMAIL, "Marieke Blijft") == {
        ("leden_lid", "naam", "Marieke Blijft")  # a member keeps her profile
    }
    # A member's address stays only with her account.
    assert {(t, c) for t, c, _n in scan(MEMBER_EMAIL)} == {
        ("leden_user", "email"),
        ("account_emailaddress", "email"),
    }

    # 366 days: who viewed and who exported.
    assert Inzage.objects.exists() and ExportLog.objects.exists()
    assert _changed(run_retention(now + timedelta(days=366))) == {"access_log": 2}
    assert not Inzage.objects.exists() and not ExportLog.objects.exists()

    # Idempotent: a second run changes nothing.
    assert _changed(run_retention(now + timedelta(days=366))) == {}

    # Attendance counts and the outbox's claims are intact.
    assert Aanmelding.objects.filter(bijeenkomst=meeting, status="aanwezig").count() == attended
    assert sorted(claims.values_list("soort", "sleutel")) == mail_keys
    claimed = claims.first()
    assert claimed is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Verzending.objects.create(
            ontvanger=claimed.ontvanger, soort=claimed.soort, sleutel=claimed.sleutel
        )


def test_every_run_logs_each_rule_with_counts_only(world):
    logs = run_retention(world["now"] + timedelta(days=400))
    assert {log.rule for log in logs} == {rule.key for rule in personal_data.retentions()}
    assert all(log.ok for log in logs)


def test_a_run_broken_off_resumes_where_it_stopped(world, monkeypatch):
    """A crash mid-run leaves the finished batches done; the next run does the rest."""
    for n in range(3):
        Aanmelding.objects.create(
            bijeenkomst=world["meeting"], gast_naam=f"Gast {n}", gast_email=f"g{n}@example.net"
        )
    guests = Aanmelding.objects.filter(lid__isnull=True, geanonimiseerd=False)
    calls = []

    def crash_on_second_batch(batch):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return batch.update(gast_naam="", gast_email="", geanonimiseerd=True)

    with pytest.raises(RuntimeError):
        personal_data.in_batches(guests, crash_on_second_batch, size=2)
    assert guests.count() == 2  # the first batch of two is done, the rest not

    later = world["now"] + timedelta(days=92)
    assert _changed(run_retention(later))["guest_registrations"] == 2
    assert not guests.exists()


def test_a_failing_rule_does_not_stop_the_others(world, monkeypatch):
    rules = {rule.key: rule for rule in personal_data.retentions()}

    def broken(now):
        raise RuntimeError("boom")

    monkeypatch.setattr(
        retention,
        "retentions",
        lambda: [
            personal_data.Retention("broken", 1, "", personal_data.Action.DELETE, broken),
            rules["declined_requests"],
        ],
    )
    logs = run_retention(world["now"] + timedelta(days=31))
    assert [(log.rule, log.ok, log.rows) for log in logs] == [
        ("broken", False, 0),
        ("declined_requests", True, 1),
    ]


def test_the_beat_task_runs_every_rule_once(world):
    assert apply_retention() == 0  # nothing has expired today
    assert RetentionLog.objects.count() == len(personal_data.retentions())
