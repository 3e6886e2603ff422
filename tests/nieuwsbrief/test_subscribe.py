"""The newsletter without an account (issue 17, part 1): double opt-in by a button, consent
as shown, at most one confirmation mail per address per day, only public content, one-click
unsubscribe, and the subscription kept when the subscriber creates an account."""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from berichten.models import Verzending
from bijeenkomsten.models import Materiaal
from leden.models import User
from netwerken.models import Netwerk
from nieuwsbrief import digest, privacy, services, tasks
from nieuwsbrief.models import Abonnee, Abonnement
from tests import factories, mailfixtures
from tests.mailfixtures import html_part, text_part

pytestmark = pytest.mark.django_db
smtp_server = mailfixtures.smtp_server
smtp = mailfixtures.smtp
eager_celery = mailfixtures.eager_celery
TZ = ZoneInfo("Europe/Amsterdam")
ADDRESS = "volger@example.org"
_ips = (f"10.7.{i // 250}.{i % 250 + 1}" for i in itertools.count())


def new_ip() -> str:
    return next(_ips)


def monday_morning() -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != 0:
        day += timedelta(days=1)
    return datetime.combine(day, time(8, 0), TZ)


def sign_up(client: Client, *, email: str, ip: str | None = None, **choices):
    """A POST of the form from a new client (the rate limits count per run, not per test:
    each test uses addresses of its own)."""
    data = {"email": email, "akkoord": "on", **choices}
    return client.post(reverse("nieuwsbrief:aanmelden"), data, REMOTE_ADDR=ip or new_ip())


def confirm_url(message) -> str:
    body = message.body if hasattr(message, "body") else text_part(message)
    return next(line for line in body.splitlines() if "/nieuwsbrief/bevestigen/" in line).strip()


def subscribe(email: str = ADDRESS, *, netwerken=(), koepels=()) -> Abonnee:
    abonnee = services.subscription_request(
        email=email,
        netwerk_ids=[n.pk for n in netwerken],
        koepel_ids=[k.pk for k in koepels],
        tekst="tekst",
        via="test",
    )
    return services.subscription_confirm(abonnee_id=abonnee.pk)


# --- Subscribing -------------------------------------------------------------------------------


def test_a_visitor_subscribes_and_only_the_button_confirms(
    client, twente, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, email=ADDRESS, netwerken=[twente.pk])
    assert response.status_code == 200
    assert "Kijk in je mail" in response.content.decode()
    [message] = mail.outbox
    assert message.to == [ADDRESS]
    assert twente.naam in message.body
    path = confirm_url(message).removeprefix("http://127.0.0.1:8000")

    # A mail scanner opening the link confirms nothing.
    page = Client().get(path)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert twente.naam in page.content.decode()
    abonnee = Abonnee.objects.get()
    assert abonnee.bevestigd_op is None

    confirmed = Client().post(path)
    assert confirmed.status_code == 200
    abonnee.refresh_from_db()
    assert abonnee.bevestigd_op is not None
    [abonnement] = Abonnement.objects.all()
    assert abonnement.netwerk == twente and abonnement.bevestigd_op is not None


def test_the_consent_is_recorded_with_the_text_the_visitor_saw(client, twente):
    page = client.get(reverse("nieuwsbrief:aanmelden")).content.decode()
    sign_up(client, email="toestemming@example.org", netwerken=[twente.pk])
    abonnee = Abonnee.objects.get()
    assert abonnee.tekst == str(services.CONSENT_TEXT)
    assert abonnee.tekst in page  # in Dutch: what the page showed
    assert abonnee.tekst.startswith("Ik wil de nieuwsbrief")
    assert abonnee.gevraagd_via.startswith("nieuwsbrief-formulier")


def test_without_consent_or_without_a_network_nothing_is_stored(client, twente):
    assert sign_up(client, email=ADDRESS, netwerken=[twente.pk], akkoord="").status_code == 400
    assert sign_up(client, email=ADDRESS).status_code == 400
    assert not Abonnee.objects.exists() and not Verzending.objects.exists()


def test_a_network_page_link_ticks_that_network(client, twente):
    response = client.get(reverse("nieuwsbrief:aanmelden") + "?netwerk=twente")
    assert response.context["form"].initial["netwerken"] == [twente]
    assert "?netwerk=twente" in client.get(twente.get_absolute_url()).content.decode()


def test_a_visitor_asking_for_the_newsletter_meets_no_login_page(client):
    response = client.get("/berichten/nieuwsbrief/")
    assert response.status_code == 302
    assert response["Location"] == reverse("nieuwsbrief:aanmelden")
    assert client.get(response["Location"]).status_code == 200
    assert reverse("nieuwsbrief:aanmelden") in client.get("/").content.decode()  # footer


def test_100_sign_ups_for_one_address_within_an_hour_send_one_confirmation_mail(
    client, twente, rotterdam, eager_celery, django_capture_on_commit_callbacks
):
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(100):
            netwerk = twente if i % 2 else rotterdam
            statuses.append(
                sign_up(client, email="honderd@example.org", netwerken=[netwerk.pk]).status_code
            )
    assert statuses == [200] * 100  # from 100 clients: the same answer every time
    assert len(mail.outbox) == 1
    assert Verzending.objects.filter(ontvanger="honderd@example.org").count() == 1


def test_the_database_allows_one_confirmation_per_address_per_day_without_rate_limits(
    settings, twente, rotterdam
):
    """The rate limits switched off: the outbox key (the day) still refuses a second mail.
    The next day is a new key: the negative control that the key, not chance, held."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "newsletter_mail": ""}
    now = timezone.now()
    for netwerk in (twente, rotterdam, twente):
        services.subscription_request(
            email=ADDRESS.upper(), netwerk_ids=[netwerk.pk], tekst="t", via="test", now=now
        )
    assert Verzending.objects.filter(soort="nieuwsbrief_bevestigen").count() == 1
    services.subscription_request(
        email=ADDRESS, netwerk_ids=[twente.pk], tekst="t", via="test", now=now + timedelta(days=1)
    )
    assert Verzending.objects.filter(soort="nieuwsbrief_bevestigen").count() == 2


def test_many_addresses_from_one_client_are_refused_after_a_few(client, twente):
    ip = new_ip()
    statuses = [
        sign_up(client, email=f"a{i}@example.org", ip=ip, netwerken=[twente.pk]).status_code
        for i in range(8)
    ]
    assert statuses == [200] * 5 + [429] * 3
    assert Abonnee.objects.count() == 5


def test_each_day_may_bring_one_confirmation_and_repeated_sign_ups_in_a_day_one(client):
    """Over five days five mails (a new key each day); five sign-ups in one day: one."""
    netwerk = factories.NetwerkFactory(slug="twente")
    now = timezone.now()
    for day in range(5):
        services.subscription_request(
            email=ADDRESS,
            netwerk_ids=[netwerk.pk],
            tekst="t",
            via="test",
            now=now + timedelta(days=day),
            may_mail=lambda: True,
        )
    assert Verzending.objects.filter(soort="nieuwsbrief_bevestigen").count() == 5
    Verzending.objects.all().delete()
    Abonnee.objects.all().delete()
    for _ in range(5):
        sign_up(client, email="vijf@example.org", netwerken=[netwerk.pk])
    # The view's per-address limit and the day key together: one mail.
    assert Verzending.objects.filter(soort="nieuwsbrief_bevestigen").count() == 1


def test_a_request_while_subscribed_waits_for_confirmation_and_keeps_what_was_confirmed(
    twente, rotterdam
):
    abonnee = subscribe(netwerken=[twente])
    services.subscription_request(email=ADDRESS, netwerk_ids=[rotterdam.pk], tekst="t", via="test")
    assert services.followed_names(abonnee) == [twente.naam]
    assert services.pending_names(abonnee) == [rotterdam.naam]
    assert digest.followed_networks([abonnee.pk])[abonnee.pk] == {twente.pk}


def test_a_tampered_or_expired_confirmation_link_answers_404(client, twente):
    abonnee = services.subscription_request(
        email=ADDRESS, netwerk_ids=[twente.pk], tekst="t", via="test"
    )
    token = services.confirm_token(abonnee)
    assert client.get(reverse("nieuwsbrief:bevestigen", args=[token + "x"])).status_code == 404
    unsubscribe = services.unsubscribe_token(abonnee.sleutel)
    # An unsubscribe token is no confirmation token.
    assert client.get(reverse("nieuwsbrief:bevestigen", args=[unsubscribe])).status_code == 404


# --- The digest --------------------------------------------------------------------------------


@pytest.fixture
def meetings(twente, rotterdam):
    now = monday_morning()
    soon = now + timedelta(days=3)
    return {
        "open": factories.BijeenkomstFactory(
            titel="Open themabijeenkomst", netwerken=[twente], doelgroep="open", begin=soon
        ),
        "leden": factories.BijeenkomstFactory(
            titel="Voor leden", netwerken=[twente], doelgroep="leden", begin=soon
        ),
        "netwerk": factories.BijeenkomstFactory(
            titel="Voor het netwerk", netwerken=[twente], doelgroep="netwerk", begin=soon
        ),
        "kern": factories.BijeenkomstFactory(
            titel="Alleen de kern", netwerken=[twente], doelgroep="kern", begin=soon
        ),
        "concept": factories.BijeenkomstFactory(
            titel="Concept",
            netwerken=[twente],
            programma=factories.HalfjaarprogrammaFactory(netwerk=twente, gepubliceerd=False),
            begin=soon,
        ),
        "elders": factories.BijeenkomstFactory(
            titel="Open in Rotterdam", netwerken=[rotterdam], doelgroep="open", begin=soon
        ),
        "now": now,
    }


def test_subscribers_get_only_open_meetings_of_the_networks_they_follow(twente, meetings):
    abonnee = subscribe(netwerken=[twente])
    now = meetings["now"]
    [(ids, periode)] = list(digest.subscriber_batches(now=now))
    assert ids == [abonnee.pk]
    _abonnee, content = digest.build_subscriber_digests(ids, periode, now=now)[abonnee.pk]
    assert [b.titel for b in content.eigen] == ["Open themabijeenkomst"]


def test_public_news_only_reports_and_materials_of_open_meetings(twente, meetings):
    abonnee = subscribe(netwerken=[twente])
    now = meetings["now"]
    past = now - timedelta(days=5)
    for key in ("open", "kern"):
        b = meetings[key]
        b.begin, b.einde, b.verslag = past, past + timedelta(hours=2), "Verslag"
        b.save()
        Materiaal.objects.create(bijeenkomst=b, soort="slides", titel=f"Dia's {key}", tekst="x")
    periode = digest.digest_period("wekelijks", now=now)
    _a, content = digest.build_subscriber_digests([abonnee.pk], periode, now=now)[abonnee.pk]
    assert [b.titel for b in content.verslagen] == ["Open themabijeenkomst"]
    assert [m.titel for m in content.materialen] == ["Dia's open"]


def test_an_umbrella_subscription_covers_a_network_added_later(twente, meetings):
    abonnee = subscribe(koepels=[twente.koepel])
    later = factories.NetwerkFactory(slug="later", koepel=twente.koepel)
    assert later.pk in digest.followed_networks([abonnee.pk])[abonnee.pk]


def test_unconfirmed_and_unsubscribed_addresses_get_no_digest(twente, meetings):
    services.subscription_request(
        email="wacht@example.org", netwerk_ids=[twente.pk], tekst="t", via="t"
    )
    gone = subscribe("weg@example.org", netwerken=[twente])
    services.subscription_cancel(abonnee_id=gone.pk, via="test")
    assert list(digest.subscriber_batches(now=meetings["now"])) == []


def test_the_digest_has_one_click_unsubscribe_and_after_it_nothing_comes(
    smtp, twente, meetings, django_capture_on_commit_callbacks, eager_celery
):
    subscribe(netwerken=[twente])
    now = meetings["now"]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.queue_subscriber_digests(now=now) == 1
    [message] = smtp.to(ADDRESS)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message["List-Unsubscribe"].strip("<>")
    assert "Open themabijeenkomst" in text_part(message)
    assert "Alleen de kern" not in text_part(message) + html_part(message)
    assert url in text_part(message)

    # RFC 8058: the mail client POSTs, without cookies or a CSRF token.
    path = url.removeprefix("http://127.0.0.1:8000")
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    smtp.clear()
    Verzending.objects.all().delete()  # even with the period's claims gone: nobody is due
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.queue_subscriber_digests(now=now) == 0
    assert smtp.to(ADDRESS) == []


def test_a_rerun_of_the_digest_morning_mails_nobody_twice(
    smtp, twente, meetings, django_capture_on_commit_callbacks, eager_celery
):
    subscribe(netwerken=[twente])
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.queue_subscriber_digests(now=meetings["now"])
    assert len(smtp.to(ADDRESS)) == 1


def test_a_digest_batch_takes_the_same_queries_for_few_or_many_subscribers(
    twente, rotterdam, meetings
):
    """Reads and the claim: a fixed number; then per mail only its own claim (an update in a
    savepoint), as for the members' digest."""
    periode = digest.digest_period("wekelijks", now=meetings["now"])
    counts = []
    for size, prefix in ((2, "weinig"), (12, "veel")):
        for i in range(size):
            subscribe(f"{prefix}{i}@example.org", netwerken=[twente, rotterdam][: 1 + i % 2])
        ids = list(Abonnee.objects.filter(email__startswith=prefix).values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            assert digest.send_subscriber_digest_batch(ids, periode, now=meetings["now"]) == size
        per_mail = [q for q in queries if q["sql"].startswith("UPDATE berichten_verzending")]
        assert len(per_mail) == size
        fixed = [
            q
            for q in queries
            if not q["sql"].startswith(("UPDATE berichten_verzending", "SAVEPOINT", "RELEASE"))
        ]
        counts.append(len(fixed))
    assert counts[0] == counts[1] == 10


# --- An account later ---------------------------------------------------------------------------


def test_a_subscriber_who_creates_an_account_keeps_the_subscription_once_verified(twente):
    abonnee = subscribe(netwerken=[twente])
    user = User.objects.create_user(email=ADDRESS.title().replace("@E", "@e"), password="x")
    address = EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    abonnee.refresh_from_db()
    assert abonnee.user == user
    assert abonnee.bevestigd_op is not None
    assert digest.followed_networks([abonnee.pk])[abonnee.pk] == {twente.pk}


def test_verifying_an_account_confirms_no_pending_request(twente):
    abonnee = services.subscription_request(
        email=ADDRESS, netwerk_ids=[twente.pk], tekst="t", via="t"
    )
    user = User.objects.create_user(email=ADDRESS, password="x")
    address = EmailAddress.objects.create(user=user, email=ADDRESS, verified=True, primary=True)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    abonnee.refresh_from_db()
    assert abonnee.user == user and abonnee.bevestigd_op is None


# --- Retention -----------------------------------------------------------------------------------


def test_unconfirmed_requests_are_forgotten_after_a_week_and_withdrawn_ones_after_a_year(twente):
    now = timezone.now()
    old = services.subscription_request(
        email="oud@example.org",
        netwerk_ids=[twente.pk],
        tekst="t",
        via="t",
        now=now - timedelta(days=8),
    )
    fresh = services.subscription_request(
        email="nieuw@example.org", netwerk_ids=[twente.pk], tekst="t", via="t"
    )
    kept = subscribe("blijft@example.org", netwerken=[twente])
    Abonnee.objects.filter(pk=kept.pk).update(gevraagd_op=now - timedelta(days=400))
    gone = subscribe("weg@example.org", netwerken=[twente])
    services.subscription_cancel(abonnee_id=gone.pk, via="t", now=now - timedelta(days=366))
    assert privacy.forget_unconfirmed(now) == 1
    assert privacy.forget_unsubscribed(now) == 1
    assert privacy.forget_unconfirmed(now) == privacy.forget_unsubscribed(now) == 0  # idempotent
    assert set(Abonnee.objects.values_list("pk", flat=True)) == {fresh.pk, kept.pk}
    assert not Abonnee.objects.filter(pk=old.pk).exists()


def test_the_register_declares_the_subscribers_personal_fields():
    from portal.personal_data import entries

    declared = {(e.model, f) for e in entries() for f in e.fields}
    for field in ("email", "tekst", "user"):
        assert ("nieuwsbrief.Abonnee", field) in declared


def test_deleting_a_network_deletes_its_subscriptions_not_the_subscriber(twente, rotterdam):
    abonnee = subscribe(netwerken=[twente, rotterdam])
    Netwerk.objects.filter(pk=rotterdam.pk).delete()
    assert digest.followed_networks([abonnee.pk])[abonnee.pk] == {twente.pk}


def test_a_members_download_shows_the_subscription_and_erasure_forgets_it(twente, kern_twente):
    from leden import privacy as leden_privacy

    abonnee = subscribe(kern_twente.email, netwerken=[twente])
    [section] = [
        h.collect(kern_twente.lid) for h in leden_privacy.holders() if h.name == "nieuwsbrief"
    ]
    assert section[0]["volgt"] == [twente.naam] and section[0]["toestemming"] == "tekst"
    leden_privacy.account_delete(user=kern_twente)
    assert not Abonnee.objects.filter(pk=abonnee.pk).exists()
