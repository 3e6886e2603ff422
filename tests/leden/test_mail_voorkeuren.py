"""Mail preferences per network: reminders on or off and the digest frequency, per network.

The member's profile (Lid.herinneringen, Lid.digest) holds wherever no choice was made.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bijeenkomsten import digest, reminders
from bijeenkomsten import tasks as meeting_tasks
from leden import mail_preferences
from leden.models import DigestToestemming, Lid, Mailvoorkeur
from tests import factories, mailfixtures
from tests.mailfixtures import text_part

pytestmark = pytest.mark.django_db
smtp_server = mailfixtures.smtp_server
smtp = mailfixtures.smtp
eager_celery = mailfixtures.eager_celery
TZ = ZoneInfo("Europe/Amsterdam")


def monday_morning(*, first_of_month: bool) -> datetime:
    """A Monday 08:00 ahead: the first of its month (monthly digest too) or a later one."""
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != 0 or (day.day <= 7) != first_of_month:
        day += timedelta(days=1)
    return datetime.combine(day, time(8, 0), TZ)


def kies(lid: Lid, netwerk, *, herinneringen: bool = True, nieuwsbrief: str = "wekelijks"):
    return Mailvoorkeur.objects.create(
        lid=lid, netwerk=netwerk, herinneringen=herinneringen, nieuwsbrief=nieuwsbrief
    )


@pytest.fixture
def beide(kern_twente, rotterdam):
    """Kern Twente is also a member in Rotterdam."""
    lid = kern_twente.lid
    factories.LidmaatschapFactory(lid=lid, netwerk=rotterdam, schil="betrokken")
    return lid


def registered_for(lid: Lid, netwerk, titel: str, begin: datetime):
    bijeenkomst = factories.BijeenkomstFactory(titel=titel, netwerken=[netwerk], begin=begin)
    factories.AanmeldingFactory(
        bijeenkomst=bijeenkomst, lid=lid, aangemeld_op=begin - timedelta(days=30)
    )
    return bijeenkomst


# --- Reminders ------------------------------------------------------------------------------


def test_reminders_off_for_twente_but_on_for_rotterdam_send_only_the_rotterdam_reminder(
    smtp, beide, twente, rotterdam
):
    begin = timezone.now() + timedelta(days=3)
    registered_for(beide, twente, "Intervisie Twente", begin)
    registered_for(beide, rotterdam, "Intervisie Rotterdam", begin)
    kies(beide, twente, herinneringen=False)

    assert reminders.send_due_reminders(now=begin - timedelta(hours=20)) == 1
    [message] = smtp.messages
    assert "Intervisie Rotterdam" in message["Subject"]


def test_a_choice_for_a_network_overrides_reminders_switched_off_in_the_profile(
    smtp, beide, twente, rotterdam
):
    Lid.objects.filter(pk=beide.pk).update(herinneringen=False)
    begin = timezone.now() + timedelta(days=3)
    registered_for(beide, twente, "Intervisie Twente", begin)
    registered_for(beide, rotterdam, "Intervisie Rotterdam", begin)
    kies(beide, rotterdam, herinneringen=True)

    reminders.send_due_reminders(now=begin - timedelta(hours=20))
    [message] = smtp.messages
    assert "Intervisie Rotterdam" in message["Subject"]


def test_core_only_invitation_respects_reminders_switched_off_for_that_network(
    smtp, twente, kern_twente, coordinator_twente
):
    begin = timezone.now() + timedelta(days=3)
    factories.BijeenkomstFactory(netwerken=[twente], begin=begin, doelgroep="kern")
    kies(kern_twente.lid, twente, herinneringen=False)
    reminders.send_due_reminders(now=begin - timedelta(days=2))
    assert smtp.recipients() == [coordinator_twente.email]


def test_meeting_of_two_networks_reminds_a_member_who_wants_reminders_from_one_of_them(
    smtp, beide, twente, rotterdam
):
    begin = timezone.now() + timedelta(days=3)
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente, rotterdam], begin=begin)
    factories.AanmeldingFactory(
        bijeenkomst=bijeenkomst, lid=beide, aangemeld_op=begin - timedelta(days=30)
    )
    kies(beide, twente, herinneringen=False)
    assert reminders.send_due_reminders(now=begin - timedelta(hours=20)) == 1
    kies(beide, rotterdam, herinneringen=False)
    assert reminders.send_reminder_now(bijeenkomst_id=bijeenkomst.pk) == 0


def test_reminder_selection_takes_the_same_queries_for_one_or_many_members_with_choices(
    twente, kern_twente
):
    begin = timezone.now() + timedelta(days=3)
    bijeenkomst = registered_for(kern_twente.lid, twente, "Thema", begin)
    kies(kern_twente.lid, twente, herinneringen=False)
    with CaptureQueriesContext(connection) as one:
        rows = reminders.reminder_recipients(bijeenkomst, registered_before=None)
    assert rows == []
    for i in range(20):
        lid = factories.LidFactory()
        factories.LidmaatschapFactory(lid=lid, netwerk=twente)
        factories.AanmeldingFactory(bijeenkomst=bijeenkomst, lid=lid)
        kies(lid, twente, herinneringen=i % 2 == 0)
    with CaptureQueriesContext(connection) as many:
        rows = reminders.reminder_recipients(bijeenkomst, registered_before=None)
    assert len(rows) == 10
    assert len(many) == len(one)


# --- Digest ---------------------------------------------------------------------------------


def consent(lid: Lid, frequentie: str) -> None:
    Lid.objects.filter(pk=lid.pk).update(digest=frequentie)
    DigestToestemming.objects.create(
        lid=lid, frequentie=frequentie, tekst="t", gevraagd_via="test", bevestigd_op=timezone.now()
    )


def digest_texts(smtp, now, lid, django_capture_on_commit_callbacks) -> list[str]:
    with django_capture_on_commit_callbacks(execute=True):
        meeting_tasks.queue_digests(now=now)
    return [text_part(m) for m in smtp.to(lid.user.email)]


def meetings(twente, rotterdam, now: datetime) -> None:
    soon = now + timedelta(days=3)
    factories.BijeenkomstFactory(titel="Twente thema", netwerken=[twente], begin=soon)
    factories.BijeenkomstFactory(titel="Rotterdam thema", netwerken=[rotterdam], begin=soon)


@pytest.mark.parametrize(
    ("profiel", "keuze_twente", "verwacht", "niet"),
    [
        ("wekelijks", "nooit", "Rotterdam thema", "Twente thema"),  # Twente switched off
        ("maandelijks", "wekelijks", "Twente thema", "Rotterdam thema"),  # monthly reader
    ],
)
def test_weekly_digest_holds_exactly_the_networks_chosen_weekly_there_or_in_the_profile(
    smtp,
    eager_celery,
    beide,
    twente,
    rotterdam,
    profiel,
    keuze_twente,
    verwacht,
    niet,
    django_capture_on_commit_callbacks,
):
    now = monday_morning(first_of_month=False)
    meetings(twente, rotterdam, now)
    consent(beide, profiel)
    kies(beide, twente, nieuwsbrief=keuze_twente)
    [text] = digest_texts(smtp, now, beide, django_capture_on_commit_callbacks)
    assert verwacht in text and niet not in text


def test_monthly_choice_for_one_network_moves_it_to_the_monthly_digest(
    smtp, eager_celery, beide, twente, rotterdam, django_capture_on_commit_callbacks
):
    now = monday_morning(first_of_month=True)
    meetings(twente, rotterdam, now)
    consent(beide, "wekelijks")
    kies(beide, rotterdam, nieuwsbrief="maandelijks")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_tasks.queue_digests(now=now)
    subjects = {m["Subject"]: text_part(m) for m in smtp.to(beide.user.email)}
    # The subject names the period in words ("week 5 (…)", "februari 2026").
    weekly = digest.period_in_words(digest.digest_period("wekelijks", now=now))
    monthly = digest.period_in_words(digest.digest_period("maandelijks", now=now))
    assert len(subjects) == 2  # the weekly one and the monthly one
    [weekly_text] = [text for subject, text in subjects.items() if subject.endswith(weekly)]
    [monthly_text] = [text for subject, text in subjects.items() if subject.endswith(monthly)]
    assert "Twente thema" in weekly_text and "Rotterdam thema" not in weekly_text
    assert "Rotterdam thema" in monthly_text and "Twente thema" not in monthly_text


def test_a_choice_per_network_sends_no_digest_without_confirmed_consent(
    smtp, eager_celery, beide, twente, rotterdam, django_capture_on_commit_callbacks
):
    now = monday_morning(first_of_month=False)
    meetings(twente, rotterdam, now)
    kies(beide, twente, nieuwsbrief="wekelijks")
    assert digest_texts(smtp, now, beide, django_capture_on_commit_callbacks) == []


def test_digest_batch_with_choices_uses_a_constant_number_of_queries(twente, rotterdam):
    now = monday_morning(first_of_month=False)
    meetings(twente, rotterdam, now)
    periode = digest.digest_period("wekelijks", now=now)

    def member(i: int) -> int:
        lid = factories.LidFactory()
        factories.LidmaatschapFactory(lid=lid, netwerk=twente)
        factories.LidmaatschapFactory(lid=lid, netwerk=rotterdam)
        consent(lid, "wekelijks")
        kies(lid, [twente, rotterdam][i % 2], nieuwsbrief="nooit")
        return lid.pk

    first = [member(0)]
    with CaptureQueriesContext(connection) as one:
        digest.build_digests(first, periode, now=now)
    many = first + [member(i) for i in range(1, 21)]
    with CaptureQueriesContext(connection) as large:
        digests = digest.build_digests(many, periode, now=now)
    assert len(large) == len(one)
    titles = [[b.titel for b in content.eigen] for _lid, content in digests.values()]
    assert titles.count(["Rotterdam thema"]) == 11 and titles.count(["Twente thema"]) == 10


# --- The page -------------------------------------------------------------------------------


def test_preferences_page_needs_login(client):
    response = client.get("/berichten/voorkeuren/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_preferences_page_shows_one_fieldset_per_active_network_with_profile_defaults(
    client, beide, twente, rotterdam
):
    factories.LidmaatschapFactory(
        lid=beide, netwerk=factories.NetwerkFactory(naam="Oud netwerk"), status="beeindigd"
    )
    kies(beide, rotterdam, herinneringen=False, nieuwsbrief="maandelijks")
    # A choice shows only with confirmed consent (without it every page says "nooit").
    DigestToestemming.objects.create(
        lid=beide,
        frequentie="maandelijks",
        tekst="t",
        gevraagd_via="test",
        bevestigd_op=timezone.now(),
    )
    client.force_login(beide.user)
    response = client.get("/berichten/voorkeuren/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<legend class="h5') == 2 and "Oud netwerk" not in html
    assert "Regionetwerk Twente</legend>" in html and "Regionetwerk Rotterdam</legend>" in html
    twente_form, rotterdam_form = (f for _keuze, f in response.context["forms"])
    if twente_form.prefix.endswith(str(rotterdam.pk)):
        twente_form, rotterdam_form = rotterdam_form, twente_form
    assert twente_form.initial == {"herinneringen": True, "nieuwsbrief": beide.digest}
    assert rotterdam_form.initial == {"herinneringen": False, "nieuwsbrief": "maandelijks"}


def test_saving_preferences_stores_only_choices_that_differ_from_the_profile(
    client, beide, twente, rotterdam
):
    kies(beide, twente, herinneringen=False)
    client.force_login(beide.user)
    response = client.post(
        "/berichten/voorkeuren/",
        {
            f"netwerk-{twente.pk}-herinneringen": "on",
            f"netwerk-{twente.pk}-nieuwsbrief": "nooit",  # as the profile: no row
            f"netwerk-{rotterdam.pk}-nieuwsbrief": "maandelijks",  # reminders off
        },
    )
    assert response.status_code == 302
    assert list(Mailvoorkeur.objects.values_list("netwerk_id", "herinneringen", "nieuwsbrief")) == [
        (rotterdam.pk, False, "maandelijks")
    ]


def test_invalid_choice_saves_nothing_and_shows_the_form_again(client, beide, twente, rotterdam):
    client.force_login(beide.user)
    response = client.post(
        "/berichten/voorkeuren/",
        {
            f"netwerk-{twente.pk}-nieuwsbrief": "dagelijks",
            f"netwerk-{rotterdam.pk}-nieuwsbrief": "nooit",
        },
    )
    assert response.status_code == 200
    assert Mailvoorkeur.objects.count() == 0


def test_choices_are_only_for_networks_of_active_memberships(beide, lid_rotterdam, twente):
    with pytest.raises(ValueError):
        mail_preferences.mail_preferences_save(
            lid=lid_rotterdam.lid, keuzes={twente.pk: (False, "nooit")}
        )
    assert Mailvoorkeur.objects.count() == 0


def test_unique_constraint_refuses_a_second_choice_for_the_same_network(beide, twente):
    from django.db import IntegrityError, transaction

    kies(beide, twente)
    with pytest.raises(IntegrityError), transaction.atomic():
        kies(beide, twente, herinneringen=False)


def test_preferences_page_tells_a_member_without_consent_how_to_subscribe(client, beide):
    client.force_login(beide.user)
    assert "/berichten/nieuwsbrief/" in client.get("/berichten/voorkeuren/").content.decode()
    consent(beide, "wekelijks")
    assert "/berichten/nieuwsbrief/" not in client.get("/berichten/voorkeuren/").content.decode()


def test_mail_data_for_the_privacy_download_holds_consents_and_choices(beide, twente):
    consent(beide, "wekelijks")
    kies(beide, twente, herinneringen=False, nieuwsbrief="nooit")
    data = mail_preferences.mail_data_of(beide)
    [toestemming] = data["nieuwsbrief_toestemmingen"]
    assert toestemming["frequentie"] == "wekelijks" and toestemming["bevestigd_op"] is not None
    [keuze] = data["mailvoorkeuren"]
    assert keuze["netwerk__naam"] == "Regionetwerk Twente"
    assert (keuze["herinneringen"], keuze["nieuwsbrief"]) == (False, "nooit")
