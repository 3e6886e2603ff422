"""A visitor follows Twente's newsletter without an account, in headless Chromium, with the
real Celery worker sending over loopback SMTP (issue 17, measured): subscribe, confirm by the
button, receive the next digest, unsubscribe with one click (RFC 8058), and receive nothing
after, while a subscriber who stays gets the following one (the negative control).

The worker is a subprocess sharing the live PostgreSQL test database and Redis (as in
tests/berichten/test_mail_worker.py); the digest morning is set to now for it.
"""

from __future__ import annotations

import os
import time
import urllib.request
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from berichten.models import Verzending
from config.celery import app as celery_app
from nieuwsbrief import services, tasks
from nieuwsbrief.digest import KIND
from nieuwsbrief.models import Abonnee
from tests import factories, mailfixtures
from tests.berichten.test_mail_worker import Worker
from tests.conftest import check_accessibility
from tests.mailfixtures import text_part

smtp_server = mailfixtures.smtp_server
TZ = ZoneInfo("Europe/Amsterdam")
ADDRESS = "nieuwsgierig@example.org"
CONTROL = "blijft@example.org"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="needs REDIS_URL: the real worker consumes from a real Redis",
    ),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs DATABASE_URL on PostgreSQL: the worker must share the live test database",
    ),
    pytest.mark.django_db(transaction=True),
]

QUEUES = ("mail", "celery")  # the outbox and digest batches; the beat task


@pytest.fixture
def worker(smtp_server, site_url, monkeypatch, settings):
    """A real worker on the mail and default queues (emptied first: this Redis database is this
    run's own), whose digest morning is now."""
    settings.SITE_URL = site_url
    monkeypatch.setenv("SITE_URL", site_url)
    now = timezone.localtime(timezone.now(), TZ)
    monkeypatch.setenv("BERICHTEN_DIGEST_WEEKDAY", str(now.weekday()))
    monkeypatch.setenv("BERICHTEN_DIGEST_HOUR", "0")
    settings.BERICHTEN_DIGEST_WEEKDAY, settings.BERICHTEN_DIGEST_HOUR = now.weekday(), 0
    with celery_app.connection_for_write() as connection:
        for queue in QUEUES:
            connection.default_channel.queue_purge(queue)
    started = Worker("nieuwsbrief", ",".join(QUEUES), smtp_server.port)
    started.wait_until(" ready.")
    yield started
    started.stop()


def mails_to(inbox, address: str, count: int = 1, timeout: float = 30) -> list:
    deadline = time.monotonic() + timeout
    while len(inbox.to(address)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    found = inbox.to(address)
    assert len(found) >= count, f"{address}: {len(found)} mails, expected {count}"
    return found


def link_in(message, part: str) -> str:
    return next(word for word in text_part(message).split() if part in word)


def run_digest_morning(worker: Worker, runs: int) -> None:
    """The beat task, as beat would queue it, taken by the worker (which then queues and runs
    the batches; the callers wait for their mails)."""
    tasks.send_subscriber_digests.apply_async()
    worker.wait_until("send_subscriber_digests", count=runs)


def test_a_visitor_follows_twente_without_an_account_and_unsubscribes_with_one_click(
    page, site_url, worker, smtp_server, twente
):
    factories.BijeenkomstFactory(
        titel="Open themabijeenkomst: Het Nieuwe Werken",
        netwerken=[twente],
        doelgroep="open",
        begin=timezone.now() + timedelta(days=3),
    )
    factories.BijeenkomstFactory(
        titel="Alleen voor de kern",
        netwerken=[twente],
        doelgroep="kern",
        begin=timezone.now() + timedelta(days=4),
    )
    control = services.subscription_request(
        email=CONTROL, netwerk_ids=[twente.pk], tekst="t", via="test", may_mail=lambda: False
    )
    services.subscription_confirm(abonnee_id=control.pk)

    # The network's page offers the newsletter; no login page on the way.
    page.goto(site_url + twente.get_absolute_url())
    page.get_by_role("link", name="Volg de nieuwsbrief").click()
    assert "/nieuwsbrief/" in page.url and "/accounts/" not in page.url
    assert page.get_by_label("Regionetwerk Twente").is_checked()
    page.get_by_role("button", name="Aanmelden").click()  # nothing filled in: errors shown
    assert "Dit veld is verplicht" in page.inner_text("main")
    check_accessibility(page, "nieuwsbrief-aanmelden-fout")
    page.get_by_label("Je e-mailadres").fill(ADDRESS)
    page.get_by_label("Ik wil de nieuwsbrief").check()
    page.get_by_role("button", name="Aanmelden").click()
    assert ADDRESS in page.inner_text("main")
    check_accessibility(page, "nieuwsbrief-verstuurd")

    # The worker sends the confirmation; the link opens a page with a button.
    [confirmation] = mails_to(smtp_server, ADDRESS)
    page.goto(link_in(confirmation, "/nieuwsbrief/bevestigen/"))
    assert Abonnee.objects.get(email=ADDRESS).bevestigd_op is None  # opening confirms nothing
    check_accessibility(page, "nieuwsbrief-bevestigen")
    page.get_by_role("button", name="Bevestigen").click()
    assert "Regionetwerk Twente" in page.inner_text("main")
    check_accessibility(page, "nieuwsbrief-bevestigd")
    assert Abonnee.objects.get(email=ADDRESS).bevestigd_op is not None

    # The digest morning: the real beat task, batch and send, in the worker.
    run_digest_morning(worker, runs=1)
    digest = mails_to(smtp_server, ADDRESS, count=2)[-1]
    assert "Open themabijeenkomst: Het Nieuwe Werken" in text_part(digest)
    assert "Alleen voor de kern" not in text_part(digest)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len(mails_to(smtp_server, CONTROL)) == 1

    # One click in the mail client: a POST to the List-Unsubscribe address, no cookies.
    url = digest["List-Unsubscribe"].strip("<>")
    request = urllib.request.Request(url, data=b"List-Unsubscribe=One-Click", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our live server)
        assert response.status == 200
    assert Abonnee.objects.get(email=ADDRESS).ingetrokken_op is not None

    # The next digest morning (this period's claims removed, as if a week had passed): the
    # control subscriber gets it, the visitor who unsubscribed nothing.
    Verzending.objects.filter(soort=KIND).delete()
    run_digest_morning(worker, runs=2)
    assert len(mails_to(smtp_server, CONTROL, count=2)) == 2
    assert len(smtp_server.to(ADDRESS)) == 2  # the confirmation and the one digest, no more
