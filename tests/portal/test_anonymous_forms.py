"""Anonymous forms cannot be used to mail strangers, and sign-up tells nobody who has an account.

Each test posts from client addresses of its own (and uses addresses of its own), so the rate
limits it fills, which live in the shared cache, touch no other test.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import re
import uuid

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail, signing
from django.urls import reverse

from berichten.models import Verzending
from bijeenkomsten import services
from bijeenkomsten.exports import RegistrationExport
from bijeenkomsten.models import Aanmelding
from bijeenkomsten.selectors import with_listing_data
from tests import factories, mailfixtures

pytestmark = pytest.mark.django_db

eager_celery = mailfixtures.eager_celery

GUEST_RATES = {"guest_registration": "5/10m/ip", "guest_registration_mail": "1/h/key"}
_ip_numbers = itertools.count(uuid.uuid4().int % 2**22 * 4)


def new_ip() -> str:
    """A client address no other test (nor an earlier run in a shared Redis) has used."""
    n = next(_ip_numbers)
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def new_address() -> str:
    return f"slachtoffer-{uuid.uuid4().hex[:10]}@example.org"


@pytest.fixture
def guest_rates(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, **GUEST_RATES}


def register_as_guest(client, bijeenkomst, email: str, *, ip: str, naam: str = "Gast", **extra):
    return client.post(
        reverse("bijeenkomsten:gast_aanmelden", args=[bijeenkomst.slug]),
        {"gast_naam": naam, "gast_email": email},
        REMOTE_ADDR=ip,
        **extra,
    )


def guest_mails(email: str | None = None) -> int:
    rows = Verzending.objects.filter(soort="gast_bevestigen")
    return (rows.filter(ontvanger=email) if email else rows).count()


# --- Class 6: the guest form ------------------------------------------------------------------


def test_one_client_registering_25_strangers_sends_no_more_mails_than_its_limit(
    client, guest_rates
):
    """The audit: 25 guest registrations, a spam text as the name, 25 victims: 25 mails."""
    bijeenkomst = factories.BijeenkomstFactory(doelgroep="open")
    ip, spam = new_ip(), "Goedkope pillen op http://spam.example"
    statuses = [
        register_as_guest(client, bijeenkomst, new_address(), ip=ip, naam=spam).status_code
        for _ in range(25)
    ]
    assert statuses == [200] * 5 + [429] * 20
    assert guest_mails() == 5
    assert Aanmelding.objects.filter(bijeenkomst=bijeenkomst).count() == 5
    refused = register_as_guest(client, bijeenkomst, new_address(), ip=ip)
    assert refused.status_code == 429
    assert "Probeer het over een paar minuten opnieuw" in refused.content.decode()
    assert guest_mails() == 5


def test_one_address_gets_at_most_its_limit_of_mails_whoever_registers_it(client, guest_rates):
    """100 registrations of one address, each from another client, over five open meetings."""
    meetings = [factories.BijeenkomstFactory(doelgroep="open") for _ in range(5)]
    victim = new_address()
    for n in range(100):
        response = register_as_guest(client, meetings[n % 5], victim, ip=new_ip())
        assert response.status_code == 200
    assert guest_mails(victim) == 1


def test_registering_again_mails_nothing_and_answers_as_for_a_new_address(client, guest_rates):
    bijeenkomst = factories.BijeenkomstFactory(doelgroep="open")
    known, limited, new = new_address(), new_address(), new_address()
    register_as_guest(client, bijeenkomst, known, ip=new_ip())
    other_meeting = factories.BijeenkomstFactory(doelgroep="open")
    register_as_guest(client, other_meeting, limited, ip=new_ip())  # its one mail this hour
    assert guest_mails() == 2

    answers = {
        email: register_as_guest(client, bijeenkomst, email, ip=new_ip())
        for email in (known, limited, new)
    }
    assert guest_mails(known) == 1 and guest_mails(limited) == 1 and guest_mails(new) == 1
    bodies = {
        re.sub(r"csrfmiddlewaretoken\" value=\"\w+", "", r.content.decode()).replace(email, "@")
        for email, r in answers.items()
    }
    assert {r.status_code for r in answers.values()} == {200}
    assert len(bodies) == 1


def test_the_client_limit_counts_the_client_behind_a_trusted_proxy(client, settings, guest_rates):
    """Behind one proxy: the client is the last X-Forwarded-For entry, which the proxy wrote;
    entries the client wrote itself before it change nothing."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    bijeenkomst = factories.BijeenkomstFactory(doelgroep="open")
    proxy, first, second = new_ip(), new_ip(), new_ip()

    def via_proxy(client_ip: str, spoofed: str = "") -> int:
        forwarded = f"{spoofed}, {client_ip}" if spoofed else client_ip
        return register_as_guest(
            client, bijeenkomst, new_address(), ip=proxy, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    assert [via_proxy(first) for _ in range(5)] == [200] * 5
    assert via_proxy(first) == 429
    assert via_proxy(first, spoofed=new_ip()) == 429
    assert via_proxy(second) == 200  # another client behind the same proxy
    assert guest_mails() == 6


def test_unconfirmed_guests_take_no_place_and_count_as_registered_only_once_confirmed(client):
    bijeenkomst = factories.BijeenkomstFactory(doelgroep="open", capaciteit=2)
    email = new_address()
    register_as_guest(client, bijeenkomst, email, ip=new_ip())
    listed = with_listing_data(type(bijeenkomst).objects.filter(pk=bijeenkomst.pk)).get()
    assert listed.bezet == 0
    page = client.get(reverse("bijeenkomsten:detail", args=[bijeenkomst.slug])).content.decode()
    assert "2 plaatsen over" in page

    guest = Aanmelding.objects.get(gast_email=email)
    services.registration_confirm_guest(aanmelding_id=guest.pk)
    listed = with_listing_data(type(bijeenkomst).objects.filter(pk=bijeenkomst.pk)).get()
    assert listed.bezet == 1


def test_the_registration_export_marks_unconfirmed_guests(staff):
    bijeenkomst = factories.BijeenkomstFactory(doelgroep="open")
    waiting = services.registration_create(
        bijeenkomst_id=bijeenkomst.pk, gast_naam="Wacht Nog", gast_email=new_address()
    )
    confirmed = services.registration_create(
        bijeenkomst_id=bijeenkomst.pk, gast_naam="Wel Bevestigd", gast_email=new_address()
    )
    services.registration_confirm_guest(aanmelding_id=confirmed.pk)
    rows = {row[2]: row for row in RegistrationExport(user=staff, bijeenkomst=bijeenkomst).rows()}
    assert rows[waiting.gast_naam][6] == "onbevestigd"
    assert rows[confirmed.gast_naam][6] == str(Aanmelding.Status.AANGEMELD.label)


def _decoded_parts(token: str) -> list[bytes]:
    parts = []
    for part in re.split(r"[:./]", token):
        for decode in (base64.urlsafe_b64decode, base64.b64decode):
            with contextlib.suppress(ValueError):
                parts.append(decode(part + "=" * (-len(part) % 4)))
    return parts


def test_the_confirmation_link_does_not_carry_the_address(
    client, eager_celery, guest_rates, django_capture_on_commit_callbacks
):
    bijeenkomst = factories.BijeenkomstFactory(doelgroep="open")
    email = "Zichtbaar.Adres@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        register_as_guest(client, bijeenkomst, email, ip=new_ip(), naam="Spam http://x.example")
    (message,) = mail.outbox
    body, html = message.body, message.alternatives[0][0]
    link = re.search(r"https?://\S+/gast/bevestigen/\S+/", body)[0]
    token = link.rstrip("/").rsplit("/", 1)[1]
    for form in (email, email.lower()):
        assert form not in link
        for prefix in (b"", b"x", b"xx"):  # base64 of the address at any alignment
            for encode in (base64.b64encode, base64.urlsafe_b64encode):
                encoded = encode(prefix + form.encode()).decode().rstrip("=")
                assert encoded[4:-4] not in link
        assert not any(form.encode() in part for part in _decoded_parts(token))
    # Nor does the mail to this unconfirmed address carry the text the stranger typed.
    assert "Spam" not in body and "x.example" not in html

    assert client.get(link.split("testserver")[-1]).status_code == 200
    client.post(link.split("testserver")[-1])
    assert Aanmelding.objects.get(gast_email=email.lower()).bevestigd


def test_links_mailed_before_the_opaque_tokens_no_longer_work(client):
    bijeenkomst = factories.BijeenkomstFactory(doelgroep="open")
    guest = services.registration_create(
        bijeenkomst_id=bijeenkomst.pk, gast_naam="Gast", gast_email=new_address()
    )
    old = signing.dumps({"a": guest.pk, "e": guest.gast_email}, salt=services.GUEST_TOKEN_SALT)
    assert client.get(reverse("bijeenkomsten:gast_bevestigen", args=[old])).status_code == 404
    new = services.guest_token(guest)
    assert client.get(reverse("bijeenkomsten:gast_bevestigen", args=[new])).status_code == 200


def test_an_unconfirmed_guest_gets_a_new_link_an_hour_later_and_the_old_one_stops(
    client, settings, guest_rates
):
    """A lost mail or an expired link does not lock the address out of the meeting."""
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "guest_registration_mail": "5/h/key",
    }
    bijeenkomst = factories.BijeenkomstFactory(doelgroep="open")
    email = new_address()
    register_as_guest(client, bijeenkomst, email, ip=new_ip())
    first = Aanmelding.objects.get(gast_email=email)
    register_as_guest(client, bijeenkomst, email, ip=new_ip())
    register_as_guest(client, bijeenkomst, email, ip=new_ip())
    assert guest_mails(email) == 2  # within the hour: the same link once more, not again

    Aanmelding.objects.filter(pk=first.pk).update(
        aangemeld_op=first.aangemeld_op - services.GUEST_LINK_RENEW_AFTER
    )
    register_as_guest(client, bijeenkomst, email, ip=new_ip())
    assert guest_mails(email) == 3
    live = Aanmelding.objects.get(gast_email=email, status="aangemeld")
    assert live.pk != first.pk
    old_link = reverse("bijeenkomsten:gast_bevestigen", args=[services.guest_token(first)])
    assert client.get(old_link).status_code == 404


# --- allauth's anonymous forms ---------------------------------------------------------------


def test_every_anonymous_form_that_mails_is_limited_per_client_and_per_address():
    """Sign-up mails through "confirm_email" (a verification, or "you have an account")."""
    from allauth.account import app_settings
    from allauth.core.internal.ratelimit import parse_rates

    assert not app_settings.LOGIN_BY_CODE_ENABLED  # else "request_login_code" mails too
    per = {
        action: {rate.per for rate in parse_rates(rates)}
        for action, rates in app_settings.RATE_LIMITS.items()
    }
    assert "ip" in per["signup"] and "key" in per["confirm_email"]
    assert per["reset_password"] == {"ip", "key"}
    assert per["guest_registration"] == {"ip"} and per["guest_registration_mail"] == {"key"}


def test_password_reset_mails_one_address_at_most_three_times_an_hour(
    client, eager_celery, kern_twente, django_capture_on_commit_callbacks
):
    for _ in range(6):
        with django_capture_on_commit_callbacks(execute=True):  # allauth mails via the outbox
            response = client.post(
                reverse("account_reset_password"),
                {"email": kern_twente.email},
                REMOTE_ADDR=new_ip(),
            )
        assert response.status_code in (302, 429)
    assert len([m for m in mail.outbox if kern_twente.email in m.to]) == 3


def test_sign_up_from_one_client_is_refused_after_ten_in_ten_minutes(
    client, eager_celery, django_capture_on_commit_callbacks
):
    ip = new_ip()
    statuses = []
    for _ in range(11):
        with django_capture_on_commit_callbacks(execute=True):  # allauth mails via the outbox
            response = client.post(
                reverse("account_signup"),
                {
                    "email": new_address(),
                    "naam": "Spam http://spam.example",
                    "password1": "een-heel-lang-wachtwoord",
                    "password2": "een-heel-lang-wachtwoord",
                },
                REMOTE_ADDR=ip,
            )
        client.logout()
        statuses.append(response.status_code)
    assert statuses == [302] * 10 + [429]
    assert len(mail.outbox) == 10


# --- Class 7: sign-up takes as long for a known address -------------------------------------


class CountingHasher(MD5PasswordHasher):
    """A real hasher that counts how often it hashes (the slow step of a real one)."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


def test_sign_up_hashes_a_password_for_a_known_address_as_for_a_new_one(
    client, settings, kern_twente
):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    data = {
        "naam": "X",
        "password1": "een-heel-lang-wachtwoord",
        "password2": "een-heel-lang-wachtwoord",
    }
    hashes = {}
    for label, email in (("known", kern_twente.email), ("new", new_address())):
        CountingHasher.calls = 0
        response = client.post(
            reverse("account_signup"), {**data, "email": email}, REMOTE_ADDR=new_ip()
        )
        client.logout()
        assert response.status_code == 302
        hashes[label] = CountingHasher.calls
    assert hashes["new"] >= 1
    assert hashes["known"] == hashes["new"]
