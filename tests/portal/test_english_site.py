"""The language switch, pages per language, and mails in the recipient's language (issue 17,
part 4). Dutch stays the default: only the switch's cookie makes a page English, never the
browser's Accept-Language."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from berichten.models import Verzending
from berichten.outbox import Mail, queue_mails
from bijeenkomsten import digest, reminders
from bijeenkomsten.mails import queue_registration_mail
from leden import mails as leden_mails
from leden import services as leden_services
from leden.models import Lid, Lidmaatschap
from portal.formats import local_date
from tests import factories, mailfixtures
from tests.leden.test_newsletter import consent, digests_for, monday_morning

pytestmark = pytest.mark.django_db
smtp_server = mailfixtures.smtp_server
smtp = mailfixtures.smtp
eager_celery = mailfixtures.eager_celery
TZ = ZoneInfo("Europe/Amsterdam")
COOKIE = settings.LANGUAGE_COOKIE_NAME


def test_pages_are_dutch_by_default_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()
    assert "Cookie" in response.headers["Vary"]


def test_the_switch_is_on_every_page_as_a_labelled_post_form(client):
    for url in ("/", reverse("account_login"), reverse("bijeenkomsten:archief"), "/bestaat-niet/"):
        page = client.get(url).content.decode()
        assert f'<form action="{reverse("set_language")}" method="post"' in page, url
        assert '<label for="taalkeuze"' in page and 'id="taalkeuze" name="language"' in page
        assert '<option value="en" lang="en">English</option>' in page
        assert '<option value="nl" lang="nl" selected>Nederlands</option>' in page


def test_switching_to_english_keeps_the_choice_in_the_cookie_and_returns_to_the_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/?pagina=2"})
    assert response.status_code == 302 and response["Location"] == "/?pagina=2"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "en" and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE
    page = client.get("/")
    assert page.headers["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()
    assert "Upcoming meetings" in page.content.decode()
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert '<html lang="nl">' in client.get("/").content.decode()


def test_the_switch_refuses_a_foreign_next_address_and_an_unknown_language(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://elders.example/"}
    )
    assert response["Location"] == "/"
    client.cookies[COOKIE] = "fr"
    assert '<html lang="nl">' in client.get("/").content.decode()


def test_a_cached_visitor_page_is_kept_per_language(client, twente):
    factories.BijeenkomstFactory(netwerken=[twente], titel="Intervisie")
    assert "Upcoming meetings" not in client.get("/").content.decode()  # Dutch, now cached
    client.cookies[COOKIE] = "en"
    assert "Upcoming meetings" in client.get("/").content.decode()
    client.cookies[COOKIE] = "nl"
    assert "Upcoming meetings" not in client.get("/").content.decode()


def test_dates_are_written_in_each_languages_own_order_in_amsterdam_time():
    moment = datetime(2027, 3, 23, 18, 30, tzinfo=ZoneInfo("UTC"))  # 19:30 in Amsterdam
    with translation.override("nl"):
        assert local_date(moment, "WEEKDAY_DATETIME_FORMAT") == "dinsdag 23 maart 2027, 19:30"
        assert digest.period_in_words("2027-W12") == "week 12 (22–28 maart 2027)"
    with translation.override("en"):
        assert local_date(moment, "WEEKDAY_DATETIME_FORMAT") == "Tuesday, March 23, 2027, 7:30 p.m."
        assert digest.period_in_words("2027-W12") == "week 12 (March 22–28, 2027)"
        assert digest.period_in_words("2027-03") == "March 2027"


def test_a_meeting_page_in_english_gives_its_time_in_english(client, twente):
    begin = datetime(2027, 3, 23, 19, 30, tzinfo=TZ)
    meeting = factories.BijeenkomstFactory(
        netwerken=[twente], begin=begin, einde=begin + timedelta(hours=2)
    )
    client.cookies[COOKIE] = "en"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Tue, Mar 23, 2027, 7:30 p.m.–9:30 p.m." in page
    client.cookies[COOKIE] = "nl"
    assert (
        "di 23 maart 2027, 19:30–21:30" in client.get(meeting.get_absolute_url()).content.decode()
    )


# --- The member's language --------------------------------------------------------------------


def test_a_member_signing_up_in_english_gets_english_mails(client):
    client.cookies[COOKIE] = "en"
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "naam": "New Member",
            "password1": "a-long-enough-password-42",
            "password2": "a-long-enough-password-42",
        },
    )
    assert Lid.objects.get(user__email="new@example.org").taal == "en"


def test_a_member_chooses_the_language_of_their_mails_on_their_profile(client, kern_twente):
    lid = kern_twente.lid
    assert lid.taal == "nl"
    client.force_login(kern_twente)
    page = client.get(reverse("leden:profiel")).content.decode()
    assert 'name="taal"' in page
    form = {k: v for k, v in _profile_data(lid).items() if v is not None}
    response = client.post(reverse("leden:profiel"), {**form, "taal": "en"})
    assert response.status_code == 302
    lid.refresh_from_db()
    assert lid.taal == "en"


def _profile_data(lid: Lid) -> dict:
    from leden.forms import ProfielForm

    data = ProfielForm(instance=lid).initial
    return {k: v for k, v in data.items() if v not in (None, False) and k != "foto"}


def test_a_registration_mail_is_in_the_members_language_not_the_requests(
    kern_twente, betrokken_twente, twente
):
    Lid.objects.filter(pk=kern_twente.lid.pk).update(taal="en")
    meeting = factories.BijeenkomstFactory(netwerken=[twente], titel="Intervisie")
    english = factories.AanmeldingFactory(bijeenkomst=meeting, lid=kern_twente.lid)
    dutch = factories.AanmeldingFactory(bijeenkomst=meeting, lid=betrokken_twente.lid)
    with translation.override("en"):  # a coordinator's English admin queues both
        queue_registration_mail(english.pk, "aangemeld")
        queue_registration_mail(dutch.pk, "aangemeld")
    rows = {r.ontvanger: r for r in Verzending.objects.filter(soort="aangemeld")}
    assert rows[kern_twente.email].onderwerp == "Registration confirmed: Intervisie"
    assert "When:" in rows[kern_twente.email].tekst
    assert rows[betrokken_twente.email].onderwerp == "Aanmelding bevestigd: Intervisie"
    assert "Wanneer:" in rows[betrokken_twente.email].tekst


def test_a_guest_registering_on_the_english_page_gets_english_mails(client, twente):
    meeting = factories.BijeenkomstFactory(netwerken=[twente], titel="Open avond")
    url = reverse("bijeenkomsten:gast_aanmelden", args=[meeting.slug])
    client.cookies[COOKIE] = "en"
    client.post(url, {"gast_naam": "Guest", "gast_email": "guest@example.org"})
    client.cookies[COOKIE] = "nl"
    client.post(url, {"gast_naam": "Gast", "gast_email": "gast@example.org"})
    subjects = dict(
        Verzending.objects.filter(soort="gast_bevestigen").values_list("ontvanger", "onderwerp")
    )
    assert subjects == {
        "guest@example.org": "Confirm your registration: Open avond",
        "gast@example.org": "Bevestig je aanmelding: Open avond",
    }


def test_a_reminder_subject_gives_the_date_in_the_members_format(kern_twente, twente):
    Lid.objects.filter(pk=kern_twente.lid.pk).update(taal="en")
    begin = datetime(2027, 3, 23, 19, 30, tzinfo=TZ)
    meeting = factories.BijeenkomstFactory(
        netwerken=[twente], titel="Intervisie", begin=begin, einde=begin + timedelta(hours=2)
    )
    factories.AanmeldingFactory(
        bijeenkomst=meeting, lid=kern_twente.lid, aangemeld_op=begin - timedelta(days=30)
    )
    reminders.send_due_reminders(now=begin - timedelta(hours=20))
    row = Verzending.objects.get(soort=reminders.REMINDER, ontvanger=kern_twente.email)
    assert row.onderwerp == "Reminder: Intervisie on 03/23/2027 7:30 p.m."


def test_the_outbox_renders_each_mail_in_its_language_and_unknown_ones_in_dutch():
    context = {"bijeenkomst": factories.BijeenkomstFactory(titel="X"), "naam": "N"}
    queue_mails(
        kind="aangemeld",
        mails=[
            Mail("en@example.org", context, language="en"),
            Mail("nl@example.org", context),
            Mail("xx@example.org", context, language="xx"),
        ],
    )
    subjects = dict(Verzending.objects.values_list("ontvanger", "onderwerp"))
    assert subjects == {
        "en@example.org": "Registration confirmed: X",
        "nl@example.org": "Aanmelding bevestigd: X",
        "xx@example.org": "Aanmelding bevestigd: X",
    }


def test_coordinators_get_a_waiting_request_each_in_their_own_language(
    coordinator_twente, lid_rotterdam, twente
):
    Lid.objects.filter(user=coordinator_twente).update(taal="en")
    without_profile = factories.UserFactory(email="tweede@example.org")
    twente.coordinators.add(without_profile)  # no member profile: the site's language
    membership = leden_services.membership_request(
        lid=lid_rotterdam.lid, netwerk_id=twente.pk, schil="betrokken", motivatie=""
    )
    Verzending.objects.filter(soort="aanvraag").delete()  # as the service queued it
    leden_mails.queue_request_mail(membership.pk, tier_move=False)
    subjects = dict(
        Verzending.objects.filter(soort="aanvraag").values_list("ontvanger", "onderwerp")
    )
    assert (
        subjects[coordinator_twente.email]
        == "A join request waits for your decision: Regionetwerk Twente"
    )
    assert subjects["tweede@example.org"].startswith("Een aanvraag")


def test_a_membership_decision_is_in_the_members_language(lid_rotterdam, twente):
    Lid.objects.filter(pk=lid_rotterdam.lid.pk).update(taal="en")
    membership = Lidmaatschap.objects.create(
        lid=lid_rotterdam.lid, netwerk=twente, schil="betrokken", status="aangevraagd"
    )
    leden_mails.queue_membership_mail(membership.pk, "geaccepteerd")
    assert (
        Verzending.objects.get(soort="geaccepteerd").onderwerp == "Welcome to Regionetwerk Twente"
    )


def test_the_departure_mail_to_a_coordinator_is_in_their_language(coordinator_twente, twente):
    Lid.objects.filter(user=coordinator_twente).update(taal="en")
    sent = leden_mails.send_departure_mails(
        naam="Oud Lid",
        coordinator_ids=[coordinator_twente.pk],
        netwerk_ids=[twente.pk],
        vertrek="1",
    )
    assert sent == 1
    [message] = mail.outbox
    assert message.subject == "A member has deleted their account"


def test_the_digest_goes_out_in_each_members_language(
    smtp, eager_celery, kern_twente, betrokken_twente, twente, django_capture_on_commit_callbacks
):
    now = monday_morning(first_of_month=True)
    english, dutch = kern_twente.lid, betrokken_twente.lid
    Lid.objects.filter(pk=english.pk).update(taal="en")
    english.refresh_from_db()
    consent(english, "maandelijks")
    consent(dutch, "maandelijks")
    factories.BijeenkomstFactory(netwerken=[twente], begin=now + timedelta(days=3))
    [to_english] = digests_for(english, now, smtp, django_capture_on_commit_callbacks)
    to_dutch = smtp.to(dutch.user.email)
    local = timezone.localtime(now, TZ).date()
    with translation.override("en"):
        month = local_date(local, "YEAR_MONTH_FORMAT")
    assert str(to_english["Subject"]).strip().endswith(month)
    assert "nieuwsbrief" in str(to_dutch[0]["Subject"])
    assert "nieuwsbrief" not in str(to_english["Subject"])
