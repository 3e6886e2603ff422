"""One newsletter setting, and a digest that reads like a newsletter (issue 13, point 7).

Whether and how often a member gets the digest per network is decided in one place
(leden.mail_preferences.digest_settings): the digest batch and every page ask it.
"""

from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from bijeenkomsten import digest
from bijeenkomsten import tasks as meeting_tasks
from leden import digest_consent, mail_preferences
from leden.forms import ProfielForm
from leden.models import DigestToestemming, Lid, Mailvoorkeur
from tests import factories, mailfixtures
from tests.mailfixtures import text_part

pytestmark = pytest.mark.django_db
smtp_server = mailfixtures.smtp_server
smtp = mailfixtures.smtp
eager_celery = mailfixtures.eager_celery
TZ = ZoneInfo("Europe/Amsterdam")

MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"
PAGES = ("/leden/profiel/", "/berichten/voorkeuren/", "/berichten/nieuwsbrief/")
NEVER_SHOWN = "Je ontvangt geen nieuwsbrief (nooit)."


def monday_morning(*, first_of_month: bool = False) -> datetime:
    """A Monday 08:00 ahead: the first Monday of its month (monthly digest too) or a later one."""
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != 0 or (day.day <= 7) != first_of_month:
        day += timedelta(days=1)
    return datetime.combine(day, time(8, 0), TZ)


def consent(lid: Lid, frequentie: str = "wekelijks") -> DigestToestemming:
    Lid.objects.filter(pk=lid.pk).update(digest=frequentie)
    lid.refresh_from_db()
    return DigestToestemming.objects.create(
        lid=lid, frequentie=frequentie, tekst="t", gevraagd_via="test", bevestigd_op=timezone.now()
    )


def month(day: date) -> str:
    return MONTHS.split()[day.month - 1]


def digests_for(lid: Lid, now: datetime, smtp, capture) -> list:
    with capture(execute=True):
        meeting_tasks.queue_digests(now=now)
    return smtp.to(lid.user.email)


@pytest.fixture
def beide(kern_twente, rotterdam):
    """Kern Twente is also a member in Rotterdam (the same umbrella)."""
    lid = kern_twente.lid
    factories.LidmaatschapFactory(lid=lid, netwerk=rotterdam, schil="betrokken")
    return lid


def shown_frequencies(client: Client) -> dict[str, str]:
    """Network name → the frequency the preferences page has checked."""
    response = client.get("/berichten/voorkeuren/")
    return {
        keuze.netwerk.naam: form.initial["nieuwsbrief"] for keuze, form in response.context["forms"]
    }


# --- One place decides -----------------------------------------------------------------------


def test_after_one_click_unsubscribe_every_page_shows_never(client, beide, twente, rotterdam):
    toestemming = consent(beide, "wekelijks")
    Mailvoorkeur.objects.create(
        lid=beide, netwerk=rotterdam, herinneringen=False, nieuwsbrief="maandelijks"
    )
    client.force_login(beide.user)
    assert shown_frequencies(client) == {
        "Regionetwerk Rotterdam": "maandelijks",
        "Regionetwerk Twente": "wekelijks",
    }

    token = digest_consent.unsubscribe_token(toestemming.sleutel)
    response = Client(enforce_csrf_checks=True).post(
        f"/berichten/afmelden/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200

    assert set(shown_frequencies(client).values()) == {"nooit"}
    for path in PAGES:
        page = html.unescape(client.get(path).content.decode())
        assert NEVER_SHOWN in page, path
        assert ": wekelijks" not in page and ": maandelijks" not in page, path
    # The reminder choice for Rotterdam survives; the consent record is kept, withdrawn.
    assert list(Mailvoorkeur.objects.values_list("herinneringen", "nieuwsbrief")) == [
        (False, "nooit")
    ]
    toestemming.refresh_from_db()
    assert toestemming.ingetrokken_op is not None and toestemming.tekst == "t"


@pytest.mark.parametrize("consent_state", ["bevestigd", "ingetrokken", "gevraagd", "geen"])
def test_the_digest_batch_and_the_pages_follow_the_same_one_setting(
    client,
    smtp,
    eager_celery,
    beide,
    twente,
    rotterdam,
    consent_state,
    django_capture_on_commit_callbacks,
):
    """Profile default weekly, Twente chosen monthly: what the pages show is what is sent."""
    now = monday_morning(first_of_month=True)  # the weekly and the monthly digest are due
    for netwerk in (twente, rotterdam):
        factories.BijeenkomstFactory(
            titel=f"Thema {netwerk.naam}", netwerken=[netwerk], begin=now + timedelta(days=3)
        )
    Lid.objects.filter(pk=beide.pk).update(digest="wekelijks")
    beide.refresh_from_db()
    Mailvoorkeur.objects.create(
        lid=beide, netwerk=twente, herinneringen=True, nieuwsbrief="maandelijks"
    )
    if consent_state != "geen":
        DigestToestemming.objects.create(
            lid=beide,
            # Asked on the preferences page: the choices per network are what was asked.
            frequentie="per netwerk" if consent_state == "gevraagd" else "wekelijks",
            tekst="t",
            gevraagd_via="test",
            bevestigd_op=None if consent_state == "gevraagd" else timezone.now(),
            ingetrokken_op=timezone.now() if consent_state == "ingetrokken" else None,
        )
    setting = mail_preferences.digest_setting(beide)
    decided = {n.naam: setting.frequency(n.pk) for n in (twente, rotterdam)}
    assert decided == {
        twente.naam: mail_preferences.digest_frequency_for(beide, twente),
        rotterdam.naam: mail_preferences.digest_frequency_for(beide, rotterdam),
    }
    if consent_state == "bevestigd":
        assert decided == {twente.naam: "maandelijks", rotterdam.naam: "wekelijks"}
    else:
        assert decided == {twente.naam: "nooit", rotterdam.naam: "nooit"}

    # The batch: one digest per frequency decided, holding exactly those networks.
    mails = digests_for(beide, now, smtp, django_capture_on_commit_callbacks)
    sent = {}
    for message in mails:
        frequentie = "maandelijks" if "week" not in message["Subject"] else "wekelijks"
        for naam in (twente.naam, rotterdam.naam):
            if f"Thema {naam}" in text_part(message):
                sent[naam] = frequentie
    assert sent == {naam: f for naam, f in decided.items() if f != "nooit"}

    # The pages: the same, or while waiting for the confirmation, what was asked (and says so).
    client.force_login(beide.user)
    shown = shown_frequencies(client)
    if consent_state == "gevraagd":
        assert shown == {twente.naam: "maandelijks", rotterdam.naam: "wekelijks"}
        for path in PAGES:
            assert "Wacht op je bevestiging" in client.get(path).content.decode(), path
    else:
        assert shown == decided
    for path in PAGES:
        page = client.get(path).content.decode()
        assert (NEVER_SHOWN in page) == (consent_state in ("ingetrokken", "geen")), path
        if consent_state == "bevestigd":
            assert f"{twente.naam}: maandelijks" in page and f"{rotterdam.naam}: wekelijks" in page


@pytest.mark.parametrize(
    ("profiel", "keuzes", "bevestigd"),
    [
        ("wekelijks", {}, True),
        ("wekelijks", {"twente": "maandelijks", "rotterdam": "maandelijks"}, True),
        ("nooit", {"rotterdam": "wekelijks"}, True),
        ("maandelijks", {"twente": "nooit"}, True),
        ("wekelijks", {}, False),
    ],
)
def test_the_batchs_database_filter_agrees_with_the_setting(
    beide, twente, rotterdam, profiel, keuzes, bevestigd
):
    Lid.objects.filter(pk=beide.pk).update(digest=profiel)
    beide.refresh_from_db()
    netwerken = {"twente": twente, "rotterdam": rotterdam}
    for slug, nieuwsbrief in keuzes.items():
        Mailvoorkeur.objects.create(
            lid=beide, netwerk=netwerken[slug], herinneringen=True, nieuwsbrief=nieuwsbrief
        )
    DigestToestemming.objects.create(
        lid=beide,
        frequentie="wekelijks",
        tekst="t",
        gevraagd_via="test",
        bevestigd_op=timezone.now() if bevestigd else None,
    )
    setting = mail_preferences.digest_setting(beide)
    for frequentie in ("wekelijks", "maandelijks"):
        in_python = any(setting.frequency(n.pk) == frequentie for n in netwerken.values())
        in_sql = Lid.objects.filter(
            mail_preferences.receives_digest(frequentie), pk=beide.pk
        ).exists()
        assert in_python == in_sql, frequentie


def test_profile_has_no_newsletter_field_of_its_own_and_links_to_the_preferences(
    client, kern_twente
):
    assert "digest" not in ProfielForm.base_fields
    client.force_login(kern_twente)
    page = client.get("/leden/profiel/").content.decode()
    assert 'name="digest"' not in page
    assert 'href="/berichten/voorkeuren/"' in page


def test_choosing_a_frequency_without_consent_starts_the_double_opt_in(
    client, smtp, eager_celery, beide, twente, rotterdam, django_capture_on_commit_callbacks
):
    client.force_login(beide.user)
    page = html.unescape(client.get("/berichten/voorkeuren/").content.decode())
    assert "dubbele opt-in" in page and str(digest_consent.CONSENT_TEXT) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/berichten/voorkeuren/",
            {
                f"netwerk-{twente.pk}-herinneringen": "on",
                f"netwerk-{twente.pk}-nieuwsbrief": "nooit",
                f"netwerk-{rotterdam.pk}-herinneringen": "on",
                f"netwerk-{rotterdam.pk}-nieuwsbrief": "maandelijks",
            },
            follow=True,
        )
    assert "Kijk in je mailbox" in response.content.decode()
    toestemming = DigestToestemming.objects.get(lid=beide)
    assert toestemming.bevestigd_op is None and toestemming.frequentie == "per netwerk"
    assert toestemming.tekst == str(digest_consent.CONSENT_TEXT)  # what was asked, kept
    assert mail_preferences.digest_frequency_for(beide, rotterdam) == "nooit"  # not yet

    [message] = smtp.messages
    link = next(w for w in text_part(message).split() if "/nieuwsbrief/bevestigen/" in w)
    assert Client().post("/" + link.split("://", 1)[1].split("/", 1)[1]).status_code == 200
    beide.refresh_from_db()
    # Confirmed: the choices made per network hold, the other network stays off.
    assert mail_preferences.digest_frequency_for(beide, rotterdam) == "maandelijks"
    assert mail_preferences.digest_frequency_for(beide, twente) == "nooit"

    response = client.post(
        "/berichten/voorkeuren/",
        {
            f"netwerk-{twente.pk}-nieuwsbrief": "nooit",
            f"netwerk-{rotterdam.pk}-nieuwsbrief": "nooit",
        },
        follow=True,
    )
    assert "Je bent afgemeld voor de nieuwsbrief." in response.content.decode()
    toestemming.refresh_from_db()
    assert toestemming.ingetrokken_op is not None
    assert toestemming.ingetrokken_via == "portal: mailvoorkeuren"


def test_subscribing_for_all_networks_overrides_earlier_choices_per_network(
    beide, twente, rotterdam
):
    Mailvoorkeur.objects.create(lid=beide, netwerk=twente, herinneringen=True, nieuwsbrief="nooit")
    toestemming = digest_consent.digest_request(
        lid=beide, frequentie="maandelijks", via="portal: nieuwsbrief-formulier"
    )
    assert mail_preferences.digest_setting(beide).chosen(twente.pk) == "maandelijks"
    digest_consent.digest_confirm(toestemming_id=toestemming.pk)
    beide.refresh_from_db()
    assert mail_preferences.digest_frequency_for(beide, twente) == "maandelijks"
    assert mail_preferences.digest_frequency_for(beide, rotterdam) == "maandelijks"


# --- The digest reads like a newsletter ------------------------------------------------------


@pytest.mark.parametrize(
    ("periode", "words"),
    [
        ("2027-W12", "week 12 (22–28 maart 2027)"),
        ("2027-W13", "week 13 (29 maart – 4 april 2027)"),
        ("2026-W53", "week 53 (28 december 2026 – 3 januari 2027)"),
        ("2027-03", "maart 2027"),
    ],
)
def test_period_in_words(periode, words):
    assert digest.period_in_words(periode) == words


@pytest.mark.parametrize("first_of_month", [False, True])
def test_subject_names_the_period_in_dutch_words(
    smtp, eager_celery, beide, twente, first_of_month, django_capture_on_commit_callbacks
):
    now = monday_morning(first_of_month=first_of_month)
    frequentie = "maandelijks" if first_of_month else "wekelijks"
    consent(beide, frequentie)
    factories.BijeenkomstFactory(netwerken=[twente], begin=now + timedelta(days=3))
    [message] = digests_for(beide, now, smtp, django_capture_on_commit_callbacks)
    local, subject = now.date(), str(message["Subject"]).strip()
    if first_of_month:
        assert subject == f"Regionet: nieuwsbrief {month(local)} {local.year}"
    else:
        week = local.isocalendar().week
        sunday = local + timedelta(days=6)
        assert subject.startswith(f"Regionet: nieuwsbrief week {week} (")
        assert subject.endswith(f"{sunday.day} {month(sunday)} {sunday.year})")
    assert "-W" not in subject and f"{local.year}-" not in subject


def test_sections_in_order_own_meetings_then_nearby_then_new_reports(
    smtp, eager_celery, kern_twente, twente, rotterdam, django_capture_on_commit_callbacks
):
    lid = kern_twente.lid
    now = monday_morning()
    consent(lid)
    factories.BijeenkomstFactory(
        titel="Verslag Twente", netwerken=[twente], begin=now - timedelta(days=20), verslag="Zo"
    )
    factories.BijeenkomstFactory(
        titel="Open Rotterdam", netwerken=[rotterdam], begin=now + timedelta(days=2)
    )
    factories.BijeenkomstFactory(
        titel="Eigen Twente", netwerken=[twente], begin=now + timedelta(days=10)
    )
    [message] = digests_for(lid, now, smtp, django_capture_on_commit_callbacks)
    text = text_part(message)
    order = [
        "Binnenkort in je netwerken",
        "Eigen Twente",
        "Open bijeenkomsten in de buurt",
        "Open Rotterdam",
        "Nieuwe verslagen en materialen",
        "Verslag Twente",
    ]
    positions = [text.find(heading) for heading in order]
    assert -1 not in positions, (positions, text)
    assert positions == sorted(positions)


def test_a_meeting_five_weeks_ahead_is_in_the_weekly_digest(
    smtp, eager_celery, kern_twente, twente, django_capture_on_commit_callbacks
):
    now = monday_morning()
    consent(kern_twente.lid)
    factories.BijeenkomstFactory(
        titel="Over vijf weken", netwerken=[twente], begin=now + timedelta(weeks=5)
    )
    factories.BijeenkomstFactory(
        titel="Over acht weken", netwerken=[twente], begin=now + timedelta(weeks=8)
    )
    [message] = digests_for(kern_twente.lid, now, smtp, django_capture_on_commit_callbacks)
    assert "Over vijf weken" in text_part(message)
    assert "Over acht weken" not in text_part(message)


def test_an_old_report_edited_today_is_not_new(
    smtp, eager_celery, kern_twente, twente, django_capture_on_commit_callbacks
):
    now = monday_morning()
    consent(kern_twente.lid)
    old = factories.BijeenkomstFactory(
        titel="Jaarcongres 2017",
        netwerken=[twente],
        begin=datetime(2017, 3, 9, 14, 0, tzinfo=TZ),
        verslag="Het verslag, vandaag nog bijgewerkt.",
    )
    old.materialen.create(soort="slides", titel="Dia's 2017", url="https://example.org/d")
    recent = factories.BijeenkomstFactory(
        titel="Intervisie vorige maand",
        netwerken=[twente],
        begin=now - timedelta(days=30),
        verslag="Verslag.",
    )
    recent.materialen.create(soort="slides", titel="Dia's intervisie", url="https://example.org/i")
    [message] = digests_for(kern_twente.lid, now, smtp, django_capture_on_commit_callbacks)
    text = text_part(message)
    assert "Intervisie vorige maand" in text and "Dia's intervisie" in text
    assert "Jaarcongres 2017" not in text and "Dia's 2017" not in text
