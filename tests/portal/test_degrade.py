"""A failing Redis or SMTP server degrades the site, never breaks it.

Real failures, no mocks: Redis at a port nobody listens on (connection refused), a
redis-server this file starts and stops, a listener that accepts and never answers (a hanging
Redis), and an SMTP port nobody listens on until an aiosmtpd server starts there.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import portal.cache
from berichten import delivery, outbox
from berichten.models import Verzending
from bijeenkomsten.models import Aanmelding
from leden.models import User
from portal.queueing import enqueue
from tests import factories, mailfixtures

pytestmark = pytest.mark.django_db

PASSWORD = "een-heel-lang-wachtwoord"


def closed_port() -> int:
    return mailfixtures.free_port()  # bound and released at once: nothing listens there


def redis_cache(url: str, settings) -> dict:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return {"BACKEND": "portal.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}


def _forget_producer_pool(app) -> None:
    # kombu keeps its pools per broker URL; the app only keeps a reference to the current one.
    # Its connection pool too (app.control.purge, worker tests): made for whichever URL was
    # current when first used, a closed port left by an earlier test would stay.
    app.amqp._producer_pool = None
    app._pool = None


@pytest.fixture
def broker():
    """Point Celery's publishing at another broker URL for one test."""
    from config.celery import app

    old = app.conf.broker_url, app.conf.broker_transport_options

    def point(url: str) -> None:
        _forget_producer_pool(app)
        app.conf.broker_url = url
        app.conf.broker_transport_options = {}

    yield point
    _forget_producer_pool(app)
    app.conf.broker_url, app.conf.broker_transport_options = old


@pytest.fixture
def redis_down(settings, broker) -> str:
    """Cache and broker at a Redis that refuses connections, as REDIS_URL would set both."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {"default": redis_cache(url, settings)}
    broker(url)
    return url


class RedisProcess:
    """A real redis-server on a free port, with its data on disk (as in docker-compose)."""

    def __init__(self, binary: str, folder) -> None:
        self.binary, self.folder = binary, folder
        self.port = mailfixtures.free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--dir", str(self.folder), "--appendonly", "yes", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # a clean shutdown keeps the data
            self.process.wait(timeout=10)


@pytest.fixture
def redis_process(tmp_path, settings, monkeypatch):
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is required in CI")
        pytest.skip("redis-server is not installed")
    server = RedisProcess(binary, tmp_path)
    server.start()
    settings.CACHES = {"default": redis_cache(server.url, settings)}
    monkeypatch.setattr(portal.cache, "SKIP_FOR", 0.2)  # the breaker's pause, shortened
    yield server
    server.stop()


def logged_in(client) -> bool:
    return client.get(reverse("leden:profiel")).status_code == 200


# --- Redis unreachable ------------------------------------------------------------------------


def test_pages_login_and_registration_work_with_redis_unreachable(
    client, redis_down, twente, kern_twente, django_capture_on_commit_callbacks
):
    bijeenkomst = factories.BijeenkomstFactory(doelgroep="open", netwerken=[twente])
    assert client.get("/").status_code == 200
    assert client.get(bijeenkomst.get_absolute_url()).status_code == 200
    assert client.get(reverse("account_login")).status_code == 200
    response = client.post(
        reverse("account_login"), {"login": kern_twente.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert logged_in(client)
    assert client.get("/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]))
    assert response.status_code == 302
    aanmelding = Aanmelding.objects.get(bijeenkomst=bijeenkomst, lid__user=kern_twente)
    assert aanmelding.status == "aangemeld"
    # The confirmation could not be handed to the broker: it waits in the outbox.
    row = Verzending.objects.get(soort="aangemeld", ontvanger=kern_twente.email)
    assert row.status == Verzending.Status.QUEUED
    assert client.get(bijeenkomst.get_absolute_url()).status_code == 200


def test_sign_up_works_with_redis_unreachable(
    client, redis_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "zonder.redis@example.org", "naam": "Nieuw Lid"}
            | {"password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert User.objects.filter(email="zonder.redis@example.org").exists()
    row = Verzending.objects.get(ontvanger="zonder.redis@example.org")
    assert row.status == Verzending.Status.QUEUED and "/accounts/confirm-email/" in row.tekst


def test_readiness_names_the_cache_and_the_broker_when_redis_is_unreachable(client, redis_down):
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "failing", "broker": "failing"}
    assert client.get("/healthz").status_code == 200  # liveness: the process answers


def test_readiness_answers_200_when_every_dependency_answers(client):
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "ok"}


def test_health_checks_are_not_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()  # builds its middleware with the setting above
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz/ready").status_code == 200


def test_a_broker_that_refuses_costs_a_publish_little_and_raises_nothing(broker):
    from berichten import tasks

    broker(f"redis://127.0.0.1:{closed_port()}/0")
    enqueue(tasks.send_mails, [0])  # the first publish also imports the transport
    started = time.monotonic()
    assert enqueue(tasks.send_mails, [0]) is False
    assert time.monotonic() - started < 0.5


@pytest.fixture
def hanging_redis():
    """A port that accepts connections and never answers: a Redis that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.05)
    accepted: list[socket.socket] = []
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], accepted
    done.set()
    thread.join(timeout=5)
    for sock in accepted:
        sock.close()
    listener.close()


def test_a_hanging_redis_costs_a_page_one_short_timeout(client, settings, twente, hanging_redis):
    port, accepted = hanging_redis
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{port}/0", settings)}
    bijeenkomst = factories.BijeenkomstFactory(doelgroep="open", netwerken=[twente])
    started = time.monotonic()
    assert client.get("/").status_code == 200
    assert client.get(bijeenkomst.get_absolute_url()).status_code == 200
    elapsed = time.monotonic() - started
    # One call waits for the socket timeout; the breaker spares every other call the wait.
    assert len(accepted) == 1
    assert elapsed < 2.0


# --- Redis going down and coming back ---------------------------------------------------------


def test_a_logged_in_member_stays_logged_in_across_a_redis_outage(
    client, redis_process, kern_twente
):
    client.force_login(kern_twente)
    assert logged_in(client)
    redis_process.stop()
    assert logged_in(client)  # the session is read from the database
    assert client.get("/").status_code == 200
    redis_process.start()
    time.sleep(0.3)  # the breaker's pause
    assert logged_in(client)
    assert logged_in(client)


def test_a_logout_during_a_redis_outage_stays_a_logout_when_redis_returns(
    client, redis_process, kern_twente, settings
):
    client.force_login(kern_twente)
    assert logged_in(client)  # the session is now in Redis too
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    redis_process.stop()
    assert client.post(reverse("account_logout")).status_code == 302
    redis_process.start()  # with the data it had, the session among it
    time.sleep(0.3)
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert not logged_in(thief)


# --- SMTP down ------------------------------------------------------------------------------


@pytest.fixture
def smtp_later(settings):
    """SMTP settings for a port nobody listens on yet; `.start()` opens an aiosmtpd there."""
    from aiosmtpd.controller import Controller

    inbox = mailfixtures.Inbox()
    inbox.port = mailfixtures.free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = inbox.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    inbox.start = controller.start
    yield inbox
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


def deliver_when_smtp_is_back(smtp_later, row: Verzending) -> None:
    """The worker's first try fails on the dead SMTP server; the periodic retry, once the
    server is up, sends the row."""
    with pytest.raises(delivery.TemporaryMailError):
        delivery.send_queued([row.pk])
    row.refresh_from_db()
    assert row.status == Verzending.Status.QUEUED and row.tekst
    smtp_later.start()
    later = timezone.now() + delivery.STALE_AFTER + timedelta(minutes=1)
    assert delivery.retry_stale_mails(now=later) == 1
    row.refresh_from_db()
    assert row.status == Verzending.Status.SENT
    assert row.tekst == row.html == ""  # the secret link is not kept once sent


def test_sign_up_with_smtp_down_succeeds_and_the_mail_follows(
    client, smtp_later, broker, django_capture_on_commit_callbacks
):
    broker(f"redis://127.0.0.1:{closed_port()}/0")  # no worker here: the periodic job sends
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "zonder.smtp@example.org", "naam": "Nieuw Lid"}
            | {"password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    row = Verzending.objects.get(ontvanger="zonder.smtp@example.org")
    assert row.soort == outbox.ACCOUNT
    deliver_when_smtp_is_back(smtp_later, row)

    (message,) = smtp_later.to("zonder.smtp@example.org")
    assert message["Subject"].startswith("[Regionet] ")
    assert message["Auto-Submitted"] == "auto-generated"
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mailfixtures.text_part(message))
    client.post(link.group(0).split("testserver")[-1])
    user = User.objects.get(email="zonder.smtp@example.org")
    assert user.emailaddress_set.get().verified


def test_password_reset_with_smtp_down_succeeds_and_the_mail_follows(
    client, kern_twente, smtp_later, broker, django_capture_on_commit_callbacks
):
    broker(f"redis://127.0.0.1:{closed_port()}/0")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": kern_twente.email})
    assert response.status_code == 302
    row = Verzending.objects.get(ontvanger=kern_twente.email, soort=outbox.ACCOUNT)
    deliver_when_smtp_is_back(smtp_later, row)

    (message,) = smtp_later.to(kern_twente.email)
    text = mailfixtures.text_part(message)
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", text).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert 'name="password1"' in response.content.decode()


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL")
    or not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="the real worker needs Redis and a PostgreSQL test database it can share",
)
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_the_sign_up_mail_once_smtp_is_back(client, smtp_later):
    """The whole way: the request commits and queues, the worker meets a dead SMTP server and
    retries later; the server starts; the mail arrives, once."""
    from config.celery import app
    from tests.berichten.test_mail_worker import Worker

    app.control.purge()  # the queues hold nothing from earlier tests
    worker = Worker("degrade", "celery,mail", smtp_later.port)  # mail has its own queue
    try:
        worker.wait_until(" ready.")
        response = client.post(
            reverse("account_signup"),
            {"email": "via.worker@example.org", "naam": "Nieuw Lid"}
            | {"password1": PASSWORD, "password2": PASSWORD},
        )
        assert response.status_code == 302
        worker.wait_until("Retry in")  # the first try met the dead SMTP server
        smtp_later.start()
        smtp_later.wait_for(1, timeout=60)
        (message,) = smtp_later.to("via.worker@example.org")
        assert "/accounts/confirm-email/" in mailfixtures.text_part(message)
        row = Verzending.objects.get(ontvanger="via.worker@example.org")
        assert row.status == Verzending.Status.SENT and row.tekst == ""
    finally:
        worker.stop()


def test_a_flood_of_readiness_probes_checks_once_per_moment(client, monkeypatch):
    """/healthz/ready is public: probes in quick succession share one round of checks."""
    from portal import health

    runs = []
    monkeypatch.setattr(health, "CHECKS", {"database": lambda: runs.append(1)})
    for _ in range(20):
        assert client.get("/healthz/ready").json() == {"database": "ok"}
    assert runs == [1]
    health.forget()
    client.get("/healthz/ready")
    assert runs == [1, 1]
