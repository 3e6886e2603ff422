"""A real Celery worker on the real Redis, sending to a real SMTP server on loopback.

The worker is a subprocess and must see the test's data, so these tests need a live
PostgreSQL test database (transaction=True); on SQLite the test database is in memory and
cannot be shared. Each test uses a queue of its own, so a task left unacknowledged by a killed
worker can never reach a later run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from berichten.models import Verzending
from bijeenkomsten import tasks
from leden.models import DigestToestemming, Lid, Lidmaatschap, User
from tests import factories, mailfixtures

ROOT = Path(__file__).resolve().parents[2]
smtp_server = mailfixtures.smtp_server

pytestmark = [
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


class Worker:
    def __init__(self, name: str, queue: str, smtp_port: int, *, claim: bool = True) -> None:
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "worker-test-secret",
        }
        self.lines: list[str] = []
        # Without the claim: the same worker, with the claim taken out by tests/mailfixtures.py.
        command = ["celery", "-A", "config", "worker"] if claim else ["tests.mailfixtures"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", *command, "--pool=solo"]
            + ["-n", f"{name}@%h", "-Q", queue, "-l", "INFO"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_until(self, text: str, count: int = 1, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sum(text in line for line in self.lines) >= count:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"worker never logged {text!r}:\n" + "".join(self.lines[-40:]))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def workers(smtp_server):
    queue = f"mailtest-{uuid.uuid4().hex[:8]}"
    started: list[Worker] = []

    def start(name: str, *, claim: bool = True) -> Worker:
        worker = Worker(name, queue, smtp_server.port, claim=claim)
        started.append(worker)
        worker.wait_until(" ready.")
        return worker

    start.queue = queue
    yield start
    for worker in started:
        worker.stop()


def wait_for_all_sent(count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Verzending.objects.filter(status="verzonden").count() >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"only {Verzending.objects.filter(status='verzonden').count()} sent")


def race_two_reminder_runs(workers, smtp_server, *, claim: bool) -> Counter:
    """Two workers run the reminder job for 40 registrants at once; mails per recipient."""
    netwerk = factories.NetwerkFactory(slug="twente")
    begin = timezone.now() + timedelta(hours=20)
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[netwerk], begin=begin)
    leden = [factories.LidFactory() for _ in range(40)]
    for lid in leden:
        factories.AanmeldingFactory(
            bijeenkomst=bijeenkomst, lid=lid, aangemeld_op=timezone.now() - timedelta(days=3)
        )
    smtp_server.on_message = lambda message: time.sleep(0.01)  # let the two runs overlap
    first, second = workers("w1", claim=claim), workers("w2", claim=claim)

    for _ in range(2):
        tasks.send_due_reminders.apply_async(queue=workers.queue)
    first.wait_until("send_due_reminders", timeout=30)
    second.wait_until("send_due_reminders", timeout=30)  # both workers ran the job
    first.wait_until("succeeded", timeout=60)
    second.wait_until("succeeded", timeout=60)
    wait_for_all_sent(40)
    time.sleep(0.5)  # anything extra would arrive now
    return Counter(smtp_server.recipients())


def test_two_workers_running_the_reminder_job_at_once_send_each_registrant_one_mail(
    workers, smtp_server
):
    received = race_two_reminder_runs(workers, smtp_server, claim=True)
    assert len(received) == 40
    assert set(received.values()) == {1}


def test_negative_control_without_the_claim_two_workers_send_duplicates(workers, smtp_server):
    """The same race with the claim taken out of the workers: duplicates, so the test above
    can fail. Both runs read the 40 queued rows before either has sent much (each mail takes
    the SMTP server 10 ms), so nearly every registrant gets two."""
    received = race_two_reminder_runs(workers, smtp_server, claim=False)
    print(f"without the claim: {sum(received.values())} mails to {len(received)} registrants")
    assert len(received) == 40
    assert sum(received.values()) > 40
    assert max(received.values()) == 2


def test_worker_killed_halfway_through_a_digest_batch_then_rerun_sends_exactly_the_rest(
    workers, smtp_server
):
    netwerk = factories.NetwerkFactory(slug="twente")
    factories.BijeenkomstFactory(netwerken=[netwerk], begin=timezone.now() + timedelta(days=3))
    users = User.objects.bulk_create(
        [User(email=f"lid{i}@kill.example.org", password="!") for i in range(500)]
    )
    leden = Lid.objects.bulk_create(
        [Lid(user=user, naam=f"Lid {i}", digest="wekelijks") for i, user in enumerate(users)]
    )
    Lidmaatschap.objects.bulk_create(
        [Lidmaatschap(lid=lid, netwerk=netwerk, status="actief") for lid in leden]
    )
    DigestToestemming.objects.bulk_create(
        [
            DigestToestemming(
                lid=lid,
                frequentie="wekelijks",
                tekst="t",
                gevraagd_via="test",
                bevestigd_op=timezone.now(),
            )
            for lid in leden
        ]
    )
    iso = timezone.localtime().isocalendar()
    periode = f"{iso.year}-W{iso.week:02d}"
    ids = [lid.pk for lid in leden]

    worker = workers("w1")

    def kill_at_201(message):
        # SIGKILL while the worker waits for our answer to mail 201: that mail is not taken.
        if len(smtp_server.messages) == 200:
            os.kill(worker.process.pid, signal.SIGKILL)
            return "421 going down"
        return None

    smtp_server.on_message = kill_at_201
    tasks.send_digest_batch.apply_async((ids, periode), queue=workers.queue)
    worker.process.wait(timeout=60)
    assert len(smtp_server.messages) == 200
    assert Verzending.objects.filter(status="verzonden").count() == 200

    smtp_server.on_message = None
    workers("w2")
    tasks.send_digest_batch.apply_async((ids, periode), queue=workers.queue)  # the rerun
    wait_for_all_sent(500)
    time.sleep(0.5)  # anything extra would arrive now

    received = Counter(smtp_server.recipients())
    assert len(received) == 500
    assert set(received.values()) == {1}
