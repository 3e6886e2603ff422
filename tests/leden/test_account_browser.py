"""Sign-up, verification by the mailed link, login, logout and password reset in Chromium.

The mail is read from the real outbox: Django's file backend writes each message to disk,
and the live server runs in this process, so the settings below reach it."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

import pytest

from leden.models import User
from tests import mailfixtures
from tests.conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

eager_celery = mailfixtures.eager_celery  # allauth's mail goes via the outbox and the task

PASSWORD = "een-heel-lang-wachtwoord"
NEW_PASSWORD = "nog-een-veel-langer-wachtwoord"


@pytest.fixture
def outbox(settings, tmp_path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(folder)
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"  # the live server speaks plain http
    return folder


def mails(folder: Path) -> list[email.message.EmailMessage]:
    found = []
    for path in sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime):
        # One file per connection; messages are separated by a line of 79 dashes.
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk, policy=policy.default))
    return found


def link_in(message, path_part: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"https?://\S+{path_part}\S*", body).group(0)


def submit(page) -> None:
    page.click("main form button[type=submit]")


def test_sign_up_verify_log_in_out_and_reset_the_password(page, site_url, outbox, eager_celery):
    page.goto(site_url + "/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "nl"
    # A failed submit first: the errors must be readable by everyone (axe) and in Dutch.
    page.fill("#id_email", "nieuw.lid@example.org")
    page.fill("#id_naam", "Nieuw Lid")
    page.fill("#id_password1", "kort")
    page.fill("#id_password2", "kort")
    submit(page)
    assert "minimaal 12 tekens" in page.content()
    check_accessibility(page, "account-aanmelden-fout")

    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    submit(page)
    page.wait_for_url("**/accounts/confirm-email/")
    (verification,) = mails(outbox)
    assert verification["To"] == "nieuw.lid@example.org"
    user = User.objects.get(email="nieuw.lid@example.org")
    assert user.lid.naam == "Nieuw Lid" and not user.emailaddress_set.get().verified

    page.goto(link_in(verification, "/accounts/confirm-email/"))
    submit(page)  # "Bevestigen"
    assert user.emailaddress_set.get().verified

    page.goto(site_url + "/accounts/login/")
    check_accessibility(page, "account-inloggen")
    page.fill("#id_login", "nieuw.lid@example.org")
    page.fill("#id_password", PASSWORD)
    submit(page)
    page.wait_for_selector("nav >> text=Mijn profiel")

    page.click("nav button:has-text('Uitloggen')")
    page.wait_for_selector("nav >> text=Inloggen")
    assert page.locator("nav >> text=Mijn profiel").count() == 0

    page.goto(site_url + "/accounts/password/reset/")
    page.fill("#id_email", "nieuw.lid@example.org")
    submit(page)
    page.wait_for_url("**/accounts/password/reset/done/")
    reset = mails(outbox)[-1]
    assert reset["To"] == "nieuw.lid@example.org" and reset is not verification
    page.goto(link_in(reset, "/accounts/password/reset/key/"))
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    submit(page)
    page.wait_for_url("**/accounts/password/reset/key/done/")

    page.goto(site_url + "/accounts/login/")
    page.fill("#id_login", "nieuw.lid@example.org")
    page.fill("#id_password", PASSWORD)  # the old password no longer works
    submit(page)
    assert page.locator("nav >> text=Mijn profiel").count() == 0
    page.fill("#id_login", "nieuw.lid@example.org")
    page.fill("#id_password", NEW_PASSWORD)
    submit(page)
    page.wait_for_selector("nav >> text=Mijn profiel")


def test_member_turns_on_two_step_verification_from_the_profile(page, site_url, kern_twente):
    from tests.accountfixtures import secret_of, totp_code
    from tests.factories import PASSWORD as FACTORY_PASSWORD

    page.goto(site_url + "/accounts/login/")
    page.fill("#id_login", kern_twente.email)
    page.fill("#id_password", FACTORY_PASSWORD)
    submit(page)
    page.goto(site_url + "/leden/profiel/")
    page.click("text=Tweestapsverificatie (authenticator-app)")
    check_accessibility(page, "account-tweestaps-overzicht")
    page.click("main a:has-text('Activeer')")
    page.fill("#id_password", FACTORY_PASSWORD)  # allauth asks for the password again
    submit(page)
    page.wait_for_selector("#authenticator_secret")
    check_accessibility(page, "account-tweestaps-activeren")
    secret = page.input_value("#authenticator_secret")
    page.fill("#id_code", totp_code(secret))
    submit(page)
    page.wait_for_url("**/accounts/2fa/recovery-codes/", timeout=30_000)  # slow under load
    assert secret_of(kern_twente) == secret
    check_accessibility(page, "account-tweestaps-herstelcodes")

    # From now on the login asks for the code after the password.
    page.click("nav button:has-text('Uitloggen')")
    page.goto(site_url + "/accounts/login/")
    page.fill("#id_login", kern_twente.email)
    page.fill("#id_password", FACTORY_PASSWORD)
    submit(page)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    check_accessibility(page, "account-tweestaps-code")
    assert page.locator("nav >> text=Mijn profiel").count() == 0
    page.fill("#id_code", totp_code(secret))
    submit(page)
    page.wait_for_selector("nav >> text=Mijn profiel")


def test_member_uploads_a_photo_and_asks_to_join_the_core(page, site_url, betrokken_twente):
    from django.test import Client

    from tests.leden.test_accounts_photo import jpeg_with_gps

    client = Client()
    client.force_login(betrokken_twente)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}]
    )
    page.goto(site_url + "/leden/profiel/")
    page.set_input_files(
        "#id_foto", files=[{"name": "ik.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}]
    )
    page.click("main form button:has-text('Opslaan')")
    page.wait_for_selector("main img[alt='Je foto']")
    assert page.evaluate("document.querySelector(\"main img[alt='Je foto']\").naturalWidth") == 800
    page.click("main button:has-text('Vraag om bij de kern te komen')")
    page.wait_for_selector("text=Overstap naar de kern (1e schil) gevraagd")
    check_accessibility(page, "account-profiel")
