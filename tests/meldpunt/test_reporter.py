"""The reporter's side: a report without an account, its receipt code, coming back to read a
reply and add information; no trace of the reporter stored, no cookie, nothing kept."""

from __future__ import annotations

import logging
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from meldpunt import crypto, services
from meldpunt.models import Afzender, Bericht, Melding, Status
from tests.meldpunt.conftest import REPORT_TEXT, new_ip

pytestmark = pytest.mark.django_db

CODE = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}")
IP = "203.0.113.77"
UA = "Mozilla/5.0 (X11; Linux x86_64) MeldpuntTestBrowser/1.0"


def submit(client, tekst: str = REPORT_TEXT, **extra):
    return client.post(reverse("meldpunt:melden"), {"tekst": tekst}, **extra)


def code_in(response) -> str:
    found = CODE.findall(response.content.decode())
    assert len(found) == 1, found
    return found[0]


def _raw_rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchall()


def test_a_report_row_holds_no_plaintext_and_no_network_or_browser_data(reporter):
    extra = {
        "REMOTE_ADDR": IP,
        "HTTP_USER_AGENT": UA,
        "HTTP_X_FORWARDED_FOR": "198.51.100.9",
        "HTTP_COOKIE": "tracking=abc123",
    }
    response = submit(reporter, **extra)
    assert response.status_code == 200
    code = code_in(response)
    melding = Melding.objects.get()
    reporter.post(
        reverse("meldpunt:aanvullen"),
        {"tekst": "Het gebeurde op 3 november.", "token": _token(reporter, code, **extra)},
        **extra,
    )
    assert Bericht.objects.filter(melding=melding, afzender=Afzender.MELDER).count() == 1

    secrets_ = [
        "WhatsApp", "wijkagent", "3 november", IP, "198.51.100.9", "MeldpuntTestBrowser",
        "abc123", code, code.replace("-", ""),
    ]  # fmt: skip
    for table in ("meldpunt_melding", "meldpunt_bericht"):
        rows = _raw_rows(table)
        assert rows
        every_column = " ".join(str(value) for row in rows for value in row)
        for secret in secrets_:
            assert secret not in every_column, (table, secret)
    # And the text is there, encrypted: the committee's key opens it.
    assert crypto.decrypt(melding.tekst_versleuteld) == REPORT_TEXT
    # No column that could hold a moment, an address or a browser.
    columns = {f.column for f in Melding._meta.concrete_fields}
    assert columns == {
        "id", "ontvangen_op", "status", "gesloten_op", "code_hash", "tekst_versleuteld", "gemeld",
    }  # fmt: skip


def test_the_encryption_token_says_only_the_day(reporter):
    submit(reporter)
    token = Melding.objects.get().tekst_versleuteld
    from cryptography.fernet import Fernet

    stamp = Fernet(crypto._keys()[0]).extract_timestamp(token.encode())
    assert stamp % 86400 == 0


def _token(client, code: str, **extra) -> str:
    page = client.post(reverse("meldpunt:terugkeren"), {"code": code}, **extra)
    assert page.status_code == 200
    return re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)


def test_the_reporter_reads_the_reply_and_adds_information_with_the_code(reporter, committee):
    code = code_in(submit(reporter))
    melding = Melding.objects.get()
    services.report_reply(melding=melding, auteur=committee, tekst="Kunt u zeggen welk team?")
    services.report_close(melding=melding)

    # The code as typed: lower case, spaces, an O for a 0 still finds it.
    typed = code.lower().replace("-", " ").replace("0", "o")
    page = reporter.post(reverse("meldpunt:terugkeren"), {"code": typed})
    html = page.content.decode()
    assert page.status_code == 200
    assert "WhatsApp" in html and "Kunt u zeggen welk team?" in html
    assert committee.email not in html  # the reporter sees "the committee", not who

    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    added = reporter.post(
        reverse("meldpunt:aanvullen"), {"tekst": "Team Noord, sinds oktober.", "token": token}
    )
    assert added.status_code == 200
    assert "Team Noord, sinds oktober." in added.content.decode()
    melding.refresh_from_db()
    assert melding.status == Status.OPEN  # new information reopens a closed report
    assert not melding.gemeld  # and the committee will be told


def test_a_wrong_code_finds_nothing_and_the_code_is_never_in_a_url(reporter):
    submit(reporter)
    wrong = reporter.post(reverse("meldpunt:terugkeren"), {"code": "AAAA-BBBB-CCCC-DDDD-EEEE"})
    assert wrong.status_code == 400
    assert "WhatsApp" not in wrong.content.decode()
    for name in ("melden", "terugkeren", "aanvullen"):
        assert "<" not in reverse(f"meldpunt:{name}")  # no code in any route
    assert reporter.get(reverse("meldpunt:terugkeren") + "?code=x").status_code == 200


def test_an_expired_or_forged_token_adds_nothing(reporter, settings):
    submit(reporter)
    forged = reporter.post(reverse("meldpunt:aanvullen"), {"tekst": "x", "token": "1:abc"})
    assert forged.status_code == 400
    assert not Bericht.objects.exists()


def test_an_old_key_still_opens_reports_after_a_rotation(reporter, settings):
    code = code_in(submit(reporter))
    old = settings.MELDPUNT_KEYS[0]
    from cryptography.fernet import Fernet

    settings.MELDPUNT_KEYS = [Fernet.generate_key().decode(), old]
    page = reporter.post(reverse("meldpunt:terugkeren"), {"code": code})
    assert "WhatsApp" in page.content.decode()
    assert Melding.objects.get().code_hash == crypto.receipt_digest(crypto.normalise(code))


@pytest.mark.parametrize("name", ["melden", "terugkeren"])
def test_reporter_pages_set_no_cookie_and_are_not_stored(name, reporter, kern_twente):
    for client in (reporter, _logged_in(kern_twente)):
        for response in (
            client.get(reverse(f"meldpunt:{name}")),
            client.post(reverse(f"meldpunt:{name}"), {"tekst": "", "code": ""}),
        ):
            assert not response.cookies, response.cookies
            assert "Set-Cookie" not in response.headers
            assert "no-store" in response["Cache-Control"]
            assert response["Referrer-Policy"] == "same-origin"
            assert 'name="csrfmiddlewaretoken"' not in response.content.decode()


def test_the_receipt_and_follow_up_pages_set_no_cookie_and_are_not_stored(reporter):
    receipt = submit(reporter)
    code = code_in(receipt)
    follow_up = reporter.post(reverse("meldpunt:terugkeren"), {"code": code})
    token = re.search(r'name="token" value="([^"]+)"', follow_up.content.decode()).group(1)
    added = reporter.post(reverse("meldpunt:aanvullen"), {"tekst": "Meer.", "token": token})
    for response in (receipt, follow_up, added):
        assert response.status_code == 200
        assert not response.cookies
        assert "no-store" in response["Cache-Control"]
    assert not reporter.cookies


def _logged_in(user) -> Client:
    client = Client(REMOTE_ADDR=new_ip(), HTTP_ORIGIN="http://testserver")
    client.force_login(user)
    return client


def test_a_post_from_another_site_is_refused(reporter):
    other = Client(REMOTE_ADDR=new_ip())
    for headers in (
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_REFERER": "https://evil.example/form"},
    ):
        assert submit(other, **headers).status_code == 403
    # Sec-Fetch-Site decides where the browser sends it (Origin is "null" in some cases).
    assert submit(other, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-site").status_code == 403
    assert not Melding.objects.exists()
    assert submit(other, HTTP_REFERER="http://testserver/meldpunt/").status_code == 200
    assert submit(other, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin").status_code == 200


def test_reports_are_rate_limited_per_client_and_nothing_of_the_client_is_kept(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "meldpunt_report": "2/h/ip"}
    client = Client(REMOTE_ADDR=new_ip())
    assert [submit(client).status_code for _ in range(3)] == [200, 200, 429]
    assert Melding.objects.count() == 2
    assert submit(Client(REMOTE_ADDR=new_ip())).status_code == 200  # another client


def test_receipt_code_attempts_are_rate_limited(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "meldpunt_code": "3/10m/ip"}
    client = Client(REMOTE_ADDR=new_ip())
    code = code_in(submit(client))
    answers = [
        client.post(
            reverse("meldpunt:terugkeren"), {"code": "AAAA-BBBB-CCCC-DDDD-EEE" + c}
        ).status_code
        for c in "FGH"
    ]
    assert answers == [400, 400, 400]
    # The limit is reached: even the right code is refused now, without a lookup.
    right = client.post(reverse("meldpunt:terugkeren"), {"code": code})
    assert right.status_code == 429
    assert "WhatsApp" not in right.content.decode()


def test_every_rate_is_configured():
    from django.conf import settings

    assert {"meldpunt_report", "meldpunt_code"} <= set(settings.ACCOUNT_RATE_LIMITS)


def test_the_committee_is_told_there_is_something_new_and_nothing_more(reporter, committee):
    from berichten.models import Verzending
    from meldpunt.tasks import notify

    code = code_in(submit(reporter))
    assert notify() == 1
    assert notify() == 0  # once
    row = Verzending.objects.get(soort="meldpunt_nieuw")
    assert row.ontvanger == committee.email
    stored = " ".join(str(v) for v in Verzending.objects.filter(pk=row.pk).values().get().values())
    for secret in ("WhatsApp", code, code.replace("-", "")):
        assert secret not in stored
    assert str(Melding.objects.get().pk) not in row.onderwerp


def test_services_take_no_request():
    import inspect

    for name in ("report_create", "report_add_information"):
        assert "request" not in inspect.signature(getattr(services, name)).parameters


def test_nothing_logged_while_reporting_names_the_client_or_the_text(reporter, caplog):
    """Django's request log notes 4xx answers with their path only; this proves that nothing
    the portal logs on these pages carries the client's address, browser or words."""
    extra = {"REMOTE_ADDR": IP, "HTTP_USER_AGENT": UA}
    with caplog.at_level(logging.DEBUG):
        code = code_in(submit(reporter, **extra))
        submit(reporter, tekst="", **extra)  # a 400, which django.request logs
        reporter.post(reverse("meldpunt:terugkeren"), {"code": "nope"}, **extra)
        _token(reporter, code, **extra)
    logged = "\n".join(
        f"{r.getMessage()} {r.args} {getattr(r, 'request', '')!r}" for r in caplog.records
    )
    for secret in (IP, "MeldpuntTestBrowser", "WhatsApp", code):
        assert secret not in logged
