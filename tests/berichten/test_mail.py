"""Mail: rendering, exactly-once reminders and digests, consent and one-click unsubscribe.

Mails go through a real SMTP server on loopback (aiosmtpd); time is passed in as `now=`.
"""

from __future__ import annotations

import html
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from berichten import delivery
from berichten.models import Verzending
from bijeenkomsten import digest, reminders
from bijeenkomsten import mails as meeting_mails
from bijeenkomsten import tasks as meeting_tasks
from bijeenkomsten.ics import meeting_calendar
from leden import digest_consent
from leden import mails as member_mails
from leden.models import DigestToestemming, Lid
from tests import factories, mailfixtures
from tests.mailfixtures import html_part, text_part

pytestmark = pytest.mark.django_db
# Fixtures from tests/mailfixtures.py (conftest.py belongs to the whole suite).
smtp_server = mailfixtures.smtp_server
smtp = mailfixtures.smtp
eager_celery = mailfixtures.eager_celery
TZ = ZoneInfo("Europe/Amsterdam")


def next_monday_morning() -> datetime:
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    return datetime.combine(monday, time(8, 0), TZ)


def consent(lid: Lid, frequentie: str = "wekelijks") -> DigestToestemming:
    lid.digest = frequentie
    lid.save(update_fields=["digest"])
    return DigestToestemming.objects.create(
        lid=lid, frequentie=frequentie, tekst="t", gevraagd_via="test", bevestigd_op=timezone.now()
    )


# --- The mail helper and .ics ---------------------------------------------------------------


def test_registration_confirmation_has_text_html_ics_and_auto_submitted(
    smtp, eager_celery, kern_twente, twente, django_capture_on_commit_callbacks
):
    bijeenkomst = factories.BijeenkomstFactory(titel="Casuïstiek", netwerken=[twente])
    aanmelding = factories.AanmeldingFactory(bijeenkomst=bijeenkomst, lid=kern_twente.lid)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_mails.queue_registration_mail(aanmelding.pk, "aangemeld")

    [message] = smtp.messages
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Subject"] == "Aanmelding bevestigd: Casuïstiek"
    assert "Casuïstiek" in text_part(message) and "<strong>Casuïstiek</strong>" in html_part(
        message
    )
    [ics] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    event = Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    assert str(event["UID"]) == f"bijeenkomst-{bijeenkomst.pk}@regionet"
    assert Verzending.objects.get().status == "verzonden"


def test_plain_text_and_subject_are_not_html_escaped(
    smtp, eager_celery, kern_twente, twente, django_capture_on_commit_callbacks
):
    bijeenkomst = factories.BijeenkomstFactory(titel="Kaas & Wijn 'n avond", netwerken=[twente])
    aanmelding = factories.AanmeldingFactory(bijeenkomst=bijeenkomst, lid=kern_twente.lid)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_mails.queue_registration_mail(aanmelding.pk, "aangemeld")
    [message] = smtp.messages
    assert message["Subject"] == "Aanmelding bevestigd: Kaas & Wijn 'n avond"
    assert "Kaas & Wijn 'n avond" in text_part(message)
    assert "Kaas &amp; Wijn &#x27;n avond" in html_part(message)  # HTML is escaped, as it must


def test_a_queued_mail_is_not_sent_when_the_transaction_rolls_back(
    smtp, eager_celery, kern_twente, django_capture_on_commit_callbacks
):
    aanmelding = factories.AanmeldingFactory(lid=kern_twente.lid)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        meeting_mails.queue_registration_mail(aanmelding.pk, "wachtlijst")
    assert len(callbacks) == 1  # queued only on commit
    assert smtp.messages == []


def test_meeting_calendar_carries_sequence_cancellation_timezone_and_alarm(twente):
    live = factories.BijeenkomstFactory(netwerken=[twente])
    cancelled = factories.BijeenkomstFactory(netwerken=[twente], geannuleerd=True, sequence=3)
    cal = Calendar.from_ical(meeting_calendar([live, cancelled]))
    first, second = cal.walk("VEVENT")
    assert first["STATUS"] == "CONFIRMED" and first.walk("VALARM")
    assert first["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Amsterdam"
    assert second["STATUS"] == "CANCELLED" and int(second["SEQUENCE"]) == 3
    assert str(second["UID"]) == f"bijeenkomst-{cancelled.pk}@regionet"


def test_meeting_change_mails_each_live_registrant_once_per_version(
    smtp, eager_celery, twente, kern_twente, betrokken_twente, django_capture_on_commit_callbacks
):
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente])
    factories.AanmeldingFactory(bijeenkomst=bijeenkomst, lid=kern_twente.lid)
    factories.AanmeldingFactory(
        bijeenkomst=bijeenkomst, lid=betrokken_twente.lid, status="geannuleerd"
    )
    with django_capture_on_commit_callbacks(execute=True):
        meeting_mails.queue_meeting_update_mails(bijeenkomst.pk, "gewijzigd")
        meeting_mails.queue_meeting_update_mails(bijeenkomst.pk, "gewijzigd")  # same version
    assert smtp.recipients() == [kern_twente.email]


def test_declined_join_request_mail_carries_the_coordinators_message(
    smtp, eager_celery, twente, django_capture_on_commit_callbacks
):
    lidmaatschap = factories.LidmaatschapFactory(netwerk=twente, status="aangevraagd")
    with django_capture_on_commit_callbacks(execute=True):
        member_mails.queue_membership_mail(lidmaatschap.pk, "afgewezen", "De kern is vol.")
    [message] = smtp.messages
    assert "De kern is vol." in text_part(message)
    assert "Regionetwerk Twente" in message["Subject"]


# --- SMTP errors ----------------------------------------------------------------------------


def test_permanent_smtp_error_marks_the_mail_failed(
    smtp, eager_celery, kern_twente, django_capture_on_commit_callbacks
):
    smtp.on_message = lambda message: "550 5.1.1 No such user"
    aanmelding = factories.AanmeldingFactory(lid=kern_twente.lid)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_mails.queue_registration_mail(aanmelding.pk, "aangemeld")
    verzending = Verzending.objects.get()
    assert verzending.status == "mislukt" and "No such user" in verzending.fout


def test_temporary_smtp_error_keeps_the_mail_queued_for_a_retry(smtp, kern_twente):
    smtp.on_message = lambda message: "451 4.3.0 Try again later"
    aanmelding = factories.AanmeldingFactory(lid=kern_twente.lid)
    meeting_mails.queue_registration_mail(aanmelding.pk, "aangemeld")
    verzending = Verzending.objects.get()
    with pytest.raises(delivery.TemporaryMailError):
        delivery.send_queued([verzending.pk])
    verzending.refresh_from_db()
    assert (verzending.status, verzending.pogingen) == ("wachtrij", 1)

    smtp.on_message = None  # the retry succeeds
    assert delivery.send_queued([verzending.pk]) == 1
    verzending.refresh_from_db()
    assert verzending.status == "verzonden"


def test_unreachable_smtp_server_is_a_temporary_error(settings, kern_twente):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    aanmelding = factories.AanmeldingFactory(lid=kern_twente.lid)
    meeting_mails.queue_registration_mail(aanmelding.pk, "aangemeld")
    with pytest.raises(delivery.TemporaryMailError):
        delivery.send_queued(Verzending.objects.values_list("pk", flat=True))


# --- Reminders ------------------------------------------------------------------------------


def test_reminders_go_at_seven_days_and_one_day_once_each(
    smtp, twente, kern_twente, betrokken_twente
):
    begin = timezone.now() + timedelta(days=10)
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente], begin=begin)
    factories.AanmeldingFactory(bijeenkomst=bijeenkomst, lid=kern_twente.lid)
    stil = betrokken_twente.lid
    stil.herinneringen = False
    stil.save()
    factories.AanmeldingFactory(bijeenkomst=bijeenkomst, lid=stil)
    factories.AanmeldingFactory(
        bijeenkomst=bijeenkomst, lid=None, gast_email="gast@example.org", gast_naam="Gast"
    )

    assert reminders.send_due_reminders(now=begin - timedelta(days=8)) == 0
    assert reminders.send_due_reminders(now=begin - timedelta(days=6)) == 2
    assert reminders.send_due_reminders(now=begin - timedelta(days=5)) == 0  # not twice
    assert reminders.send_due_reminders(now=begin - timedelta(hours=20)) == 2
    assert reminders.send_due_reminders(now=begin - timedelta(minutes=30)) == 0  # no 1h offline
    assert sorted(smtp.recipients()) == sorted([kern_twente.email, "gast@example.org"] * 2)
    assert "Herinnering: " in smtp.messages[0]["Subject"]


def test_online_session_also_reminds_an_hour_before_with_the_join_link(smtp, twente, kern_twente):
    begin = timezone.now() + timedelta(days=3)
    bijeenkomst = factories.BijeenkomstFactory(
        netwerken=[twente],
        begin=begin,
        soort="online",
        locatie="",
        online_link="https://meet.example.org/safari",
    )
    factories.AanmeldingFactory(bijeenkomst=bijeenkomst, lid=kern_twente.lid)
    assert reminders.send_due_reminders(now=begin - timedelta(minutes=50)) == 1
    [message] = smtp.messages
    assert "https://meet.example.org/safari" in text_part(message)
    assert Verzending.objects.get().sleutel == f"bijeenkomst-{bijeenkomst.pk}-1h"


def test_core_only_meeting_reminds_all_active_core_members_to_register_or_send_apologies(
    smtp, twente, coordinator_twente, kern_twente, betrokken_twente, lid_rotterdam
):
    begin = timezone.now() + timedelta(days=3)
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente], begin=begin, doelgroep="kern")
    factories.AanmeldingFactory(
        bijeenkomst=bijeenkomst, lid=coordinator_twente.lid, status="geannuleerd"
    )  # apologies sent
    ended = factories.LidmaatschapFactory(netwerk=twente, schil="kern", status="beeindigd")
    reminders.send_due_reminders(now=begin - timedelta(days=2))
    assert smtp.recipients() == [kern_twente.email]
    assert "Kom je ook?" in smtp.messages[0]["Subject"]
    assert ended.lid.user.email not in smtp.recipients()


def test_send_reminder_now_from_the_admin_is_at_most_once_a_day(
    smtp, eager_celery, twente, kern_twente, django_capture_on_commit_callbacks
):
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente])
    factories.AanmeldingFactory(bijeenkomst=bijeenkomst, lid=kern_twente.lid)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_reminder_now(bijeenkomst_id=bijeenkomst.pk)
        reminders.send_reminder_now(bijeenkomst_id=bijeenkomst.pk)
    assert smtp.recipients() == [kern_twente.email]


def test_unique_constraint_refuses_a_second_reminder_claim(twente, kern_twente):
    from django.db import IntegrityError, transaction

    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente])
    row = {"soort": "herinnering", "bijeenkomst": bijeenkomst, "lid": kern_twente.lid}
    Verzending.objects.create(ontvanger=kern_twente.email, sleutel="1d", **row)
    with pytest.raises(IntegrityError), transaction.atomic():
        Verzending.objects.create(ontvanger=kern_twente.email, sleutel="1d", **row)


# --- Digest ---------------------------------------------------------------------------------


@pytest.fixture
def regions(twente, rotterdam):
    """Twente and Rotterdam under BPSW, Limburg under Sterk Sociaal Werk, Noord alone."""
    ssw = factories.KoepelFactory(slug="ssw", naam="Sterk Sociaal Werk", land="BE")
    limburg = factories.NetwerkFactory(slug="limburg", naam="SSW Limburg", koepel=ssw)
    stil = factories.KoepelFactory(slug="stil", naam="Stil", land="NL")
    noord = factories.NetwerkFactory(slug="noord", naam="Regionetwerk Noord", koepel=stil)
    now = next_monday_morning()
    soon = now + timedelta(days=3)
    factories.BijeenkomstFactory(titel="Twente thema", netwerken=[twente], begin=soon)
    factories.BijeenkomstFactory(
        titel="Rotterdam open", netwerken=[rotterdam], begin=soon, doelgroep="open"
    )
    factories.BijeenkomstFactory(
        titel="Rotterdam leden", netwerken=[rotterdam], begin=soon, doelgroep="leden"
    )
    factories.BijeenkomstFactory(titel="Limburg platform", netwerken=[limburg], begin=soon)
    leden = {}
    for name, netwerk in {"twente": twente, "limburg": limburg, "noord": noord}.items():
        lid = factories.LidFactory(naam=f"Lid {name}")
        factories.LidmaatschapFactory(lid=lid, netwerk=netwerk, schil="betrokken")
        consent(lid)
        leden[name] = lid
    return now, leden


def run_digest(now: datetime, django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return meeting_tasks.queue_digests(now=now)


def test_digest_content_differs_for_twente_and_limburg_and_nothing_new_sends_nothing(
    smtp, eager_celery, regions, django_capture_on_commit_callbacks
):
    now, leden = regions
    run_digest(now, django_capture_on_commit_callbacks)
    [twente_mail] = smtp.to(leden["twente"].user.email)
    [limburg_mail] = smtp.to(leden["limburg"].user.email)
    assert smtp.to(leden["noord"].user.email) == []  # nothing new: no mail

    twente_text, limburg_text = text_part(twente_mail), text_part(limburg_mail)
    assert "Twente thema" in twente_text and "Rotterdam open" in twente_text
    assert "Rotterdam leden" not in twente_text  # members-only of another network
    assert "Limburg" not in twente_text
    assert "Limburg platform" in limburg_text
    assert "Twente" not in limburg_text and "Rotterdam" not in limburg_text
    assert twente_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(twente_mail["List-Unsubscribe"]).strip().startswith("<http")
    assert twente_mail["Auto-Submitted"] == "auto-generated"

    smtp.clear()
    run_digest(now + timedelta(hours=2), django_capture_on_commit_callbacks)  # second beat tick
    assert smtp.messages == []


def test_digest_only_with_confirmed_consent_and_only_on_digest_morning(
    smtp, eager_celery, regions, django_capture_on_commit_callbacks
):
    now, leden = regions
    DigestToestemming.objects.filter(lid=leden["twente"]).update(bevestigd_op=None)
    assert run_digest(now - timedelta(days=1), django_capture_on_commit_callbacks) == 0
    run_digest(now, django_capture_on_commit_callbacks)
    assert smtp.to(leden["twente"].user.email) == []
    assert len(smtp.to(leden["limburg"].user.email)) == 1


def test_digest_batch_uses_a_constant_number_of_queries(smtp, regions, twente):
    now, leden = regions
    periode = digest.digest_period("wekelijks", now=now)
    with CaptureQueriesContext(connection) as small:
        digest.build_digests([leden["twente"].pk], periode, now=now)
    many = [leden["twente"].pk]
    for _ in range(25):
        lid = factories.LidFactory()
        factories.LidmaatschapFactory(lid=lid, netwerk=twente)
        consent(lid)
        many.append(lid.pk)
    with CaptureQueriesContext(connection) as large:
        digests = digest.build_digests(many, periode, now=now)
    assert len(digests) == 26
    assert len(large) == len(small)


def test_one_click_unsubscribe_without_cookies_stops_the_digest_but_not_reminders(
    smtp, eager_celery, regions, twente, django_capture_on_commit_callbacks
):
    now, leden = regions
    lid = leden["twente"]
    run_digest(now, django_capture_on_commit_callbacks)
    url = str(smtp.to(lid.user.email)[0]["List-Unsubscribe"]).strip().strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]

    response = Client(enforce_csrf_checks=True).post("/" + path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert response.cookies == {} or "sessionid" not in response.cookies
    lid.refresh_from_db()
    assert lid.digest == "nooit"
    assert DigestToestemming.objects.get(lid=lid).ingetrokken_op is not None

    smtp.clear()
    run_digest(now + timedelta(days=7), django_capture_on_commit_callbacks)
    assert smtp.to(lid.user.email) == []
    assert len(smtp.to(leden["limburg"].user.email)) == 1

    begin = now + timedelta(days=9)
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente], begin=begin)
    factories.AanmeldingFactory(bijeenkomst=bijeenkomst, lid=lid)
    reminders.send_due_reminders(now=begin - timedelta(hours=12))
    assert len(smtp.to(lid.user.email)) == 1  # the reminder still comes


def test_unsubscribe_get_changes_nothing_and_a_tampered_token_is_404(client, kern_twente):
    toestemming = consent(kern_twente.lid)
    token = digest_consent.unsubscribe_token(toestemming.sleutel)
    assert str(kern_twente.lid.pk) not in token.split(":")[0] or len(token) > 30

    response = client.get(f"/berichten/afmelden/{token}/")
    assert response.status_code == 200
    toestemming.refresh_from_db()
    assert toestemming.ingetrokken_op is None

    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(f"/berichten/afmelden/{tampered}/").status_code == 404
    assert client.post(f"/berichten/afmelden/{tampered}/").status_code == 404
    toestemming.refresh_from_db()
    assert toestemming.ingetrokken_op is None


def test_digest_double_opt_in_records_consent_only_after_confirmation(
    client, smtp, eager_celery, kern_twente, django_capture_on_commit_callbacks
):
    client.force_login(kern_twente)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/berichten/nieuwsbrief/", {"frequentie": "maandelijks", "akkoord": "on"}
        )
    assert response.status_code == 302
    toestemming = DigestToestemming.objects.get(lid=kern_twente.lid)
    assert toestemming.bevestigd_op is None and toestemming.gevraagd_via.startswith("portal")
    # What the member agreed to is kept as they read it, in Dutch, beside the checkbox.
    assert "nieuwsbrief" in toestemming.tekst
    page = client.get("/berichten/nieuwsbrief/").content.decode()
    assert toestemming.tekst in html.unescape(page)
    kern_twente.lid.refresh_from_db()
    assert kern_twente.lid.digest == "nooit"  # not before confirmation

    [message] = smtp.messages
    link = next(w for w in text_part(message).split() if "/nieuwsbrief/bevestigen/" in w)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    anonymous = Client()
    assert anonymous.get(path).status_code == 200
    toestemming.refresh_from_db()
    assert toestemming.bevestigd_op is None  # a link scanner's GET confirms nothing
    assert anonymous.post(path).status_code == 200
    toestemming.refresh_from_db()
    kern_twente.lid.refresh_from_db()
    assert toestemming.bevestigd_op is not None and kern_twente.lid.digest == "maandelijks"
    assert anonymous.post(path[:-2] + "x/").status_code == 404


def test_digest_request_page_needs_login(client):
    response = client.get("/berichten/nieuwsbrief/")
    assert response.status_code == 302


def test_mail_log_admin_lists_and_searches(client, staff, kern_twente, twente):
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente])
    for sleutel in ("7d", "1d"):
        Verzending.objects.create(
            ontvanger=kern_twente.email,
            soort="herinnering",
            bijeenkomst=bijeenkomst,
            lid=kern_twente.lid,
            sleutel=sleutel,
        )
    client.force_login(staff)
    response = client.get("/admin/berichten/verzending/", {"q": kern_twente.email})
    assert response.status_code == 200
    assert response.content.decode().count(kern_twente.email) >= 2
    assert client.get("/admin/leden/digesttoestemming/").status_code == 200


def test_reminder_offsets_and_digest_morning_come_from_the_settings(settings, twente):
    settings.BERICHTEN_HERINNERINGEN = {"default": ["3d"], "online": ["2h"]}
    settings.BERICHTEN_DIGEST_WEEKDAY, settings.BERICHTEN_DIGEST_HOUR = 2, 9
    fysiek = factories.BijeenkomstFactory(netwerken=[twente])
    online = factories.BijeenkomstFactory(netwerken=[twente], soort="online", locatie="")
    assert [label for label, _delta in reminders.reminder_offsets(fysiek)] == ["3d"]
    assert [label for label, _delta in reminders.reminder_offsets(online)] == ["2h"]

    monday = next_monday_morning()
    wednesday = monday + timedelta(days=2)
    assert digest.digest_period("wekelijks", now=monday) is None
    assert digest.digest_period("wekelijks", now=wednesday.replace(hour=8)) is None
    assert digest.digest_period("wekelijks", now=wednesday.replace(hour=9)) is not None


@pytest.mark.parametrize("naam", ["Jan Jansen", "Zoë & <Co>"])
def test_digests_built_once_per_content_carry_each_members_own_name_address_and_links(
    smtp, eager_celery, regions, twente, naam, django_capture_on_commit_callbacks
):
    now, leden = regions
    tweede = factories.LidFactory(naam=naam)
    factories.LidmaatschapFactory(lid=tweede, netwerk=twente, schil="betrokken")
    consent(tweede)
    run_digest(now, django_capture_on_commit_callbacks)

    [eerste_mail] = smtp.to(leden["twente"].user.email)
    [tweede_mail] = smtp.to(tweede.user.email)
    assert text_part(eerste_mail) != text_part(tweede_mail)  # same content, other name and link
    assert f"Beste {naam}," in text_part(tweede_mail)
    assert (
        f"<p>Beste {naam.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')},</p>"
        in (html_part(tweede_mail))
    )
    assert "Twente thema" in text_part(tweede_mail)
    assert tweede_mail["To"] == tweede.user.email
    verzending = Verzending.objects.get(lid=tweede, soort="digest")
    assert tweede_mail["Message-ID"] == f"<verzending-{verzending.pk}@regionet>"
    links = {str(m["List-Unsubscribe"]).strip("<> ") for m in (eerste_mail, tweede_mail)}
    assert len(links) == 2
    token = digest_consent.unsubscribe_token(DigestToestemming.objects.get(lid=tweede).sleutel)
    url = str(tweede_mail["List-Unsubscribe"]).strip("<> ")
    assert url.endswith(f"/berichten/afmelden/{token}/")
    assert url in text_part(tweede_mail) and url in html_part(tweede_mail)


def test_digest_with_many_meetings_keeps_its_lines_short_enough_for_plain_8bit_parts(
    smtp, eager_celery, regions, twente, django_capture_on_commit_callbacks
):
    now, leden = regions
    for i in range(25):
        factories.BijeenkomstFactory(
            titel=f"Casuïstiekoverleg wijkteams nummer {i}",
            netwerken=[twente],
            begin=now + timedelta(days=2, hours=i),
        )
    run_digest(now, django_capture_on_commit_callbacks)
    [mail] = smtp.to(leden["twente"].user.email)
    for part in (mail.get_body(("plain",)), mail.get_body(("html",))):
        assert part["Content-Transfer-Encoding"] in ("7bit", "8bit")
    assert html_part(mail).count("Casuïstiekoverleg wijkteams") == 25


def test_prebuilt_digest_refused_for_good_is_marked_failed_and_a_temporary_refusal_retried(
    smtp, regions
):
    now, leden = regions
    periode = digest.digest_period("wekelijks", now=now)
    gone, busy = leden["twente"], leden["limburg"]
    smtp.on_message = lambda message: "550 5.1.1 No such user"
    assert digest.send_digest_batch([gone.pk], periode, now=now) == 0
    assert Verzending.objects.get(lid=gone).status == "mislukt"

    smtp.on_message = lambda message: "451 4.3.0 Try again later"
    with pytest.raises(delivery.TemporaryMailError):
        digest.send_digest_batch([gone.pk, busy.pk], periode, now=now)
    verzending = Verzending.objects.get(lid=busy)
    assert (verzending.status, verzending.pogingen) == ("wachtrij", 1)

    smtp.on_message = None  # the task's retry
    assert digest.send_digest_batch([gone.pk, busy.pk], periode, now=now) == 1
    assert [m["To"] for m in smtp.messages] == [busy.user.email]
    assert Verzending.objects.get(lid=busy).status == "verzonden"


# --- What the digest's raw-bytes fast path relies on ---------------------------------------


def test_the_smtp_backend_still_has_the_smtplib_connection_the_raw_digest_sends_over(smtp):
    """bijeenkomsten.digest._RawMail sends pre-encoded bytes with
    `EmailBackend().connection.sendmail(from, [to], raw)`: Django keeps an smtplib.SMTP there."""
    import smtplib

    from django.core.mail import get_connection
    from django.core.mail.backends.smtp import EmailBackend

    backend = get_connection()
    assert isinstance(backend, EmailBackend)
    assert backend.connection_class is smtplib.SMTP
    assert backend.open() is True
    try:
        assert isinstance(backend.connection, smtplib.SMTP)
        assert callable(backend.connection.sendmail)
    finally:
        backend.close()


def test_raw_digest_bytes_say_what_the_plain_fallback_mail_says(regions):
    """The marker trick assumes Django encodes the digest in plain 7bit/8bit parts, with each
    marker intact in the To and Message-ID headers and in both bodies: the raw bytes, filled
    in, must parse to the same mail as the fallback built from mail objects."""
    from email import message_from_bytes, policy

    now, leden = regions
    periode = digest.digest_period("wekelijks", now=now)
    [(member, content)] = digest.build_digests([leden["twente"].pk], periode, now=now).values()
    template = digest._DigestTemplate(content, periode)
    assert template.raw_parts is not None, "the digest is no longer in plain 7bit/8bit parts"
    assert len(template.markers) >= 6  # name and link in both parts, address, Message-ID
    url = "https://regionet.example/berichten/afmelden/tok:en/"
    raw = template.mail_for(pk=41, lid=member, url=url, raw=True)
    fallback = template.mail_for(pk=41, lid=member, url=url, raw=False)
    assert isinstance(raw, digest._RawMail) and raw.to == member.user.email
    fast = message_from_bytes(raw.raw, policy=policy.default)
    plain = message_from_bytes(fallback.message().as_bytes(), policy=policy.default)
    for header in ("To", "Subject", "Message-ID", "List-Unsubscribe", "Auto-Submitted"):
        assert str(fast[header]) == str(plain[header]), header
    assert fast["Message-ID"] == delivery.message_id(41)
    for part in (text_part, html_part):
        assert part(fast).replace("\r\n", "\n") == part(plain).replace("\r\n", "\n")
    assert f"Beste {member.naam}," in text_part(fast) and url in text_part(fast)
    # A 7bit mail cannot take a non-ASCII name as it is: that member gets the fallback.
    if template.seven_bit:
        member.naam = "Zoë"
        assert not isinstance(
            template.mail_for(pk=42, lid=member, url=url, raw=True), digest._RawMail
        )
