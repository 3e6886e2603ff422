"""Real parts for mail tests: an SMTP server on loopback and a way to read what it received.

`python -m tests.mailfixtures <celery worker arguments>` starts a real worker whose sends skip
the claim: the negative control of the race tests in tests/berichten/test_mail_worker.py.
"""

from __future__ import annotations

import email
import os
import socket
import sys
import threading
import time
from email import policy
from email.message import EmailMessage

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd handler that keeps every accepted message.

    `on_message(message)` may return an SMTP reply such as "451 …" or "550 …" to refuse one.
    """

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self.on_message = None
        self.port = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        if self.on_message is not None:
            reply = self.on_message(message)
            if reply:
                return reply
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in m["To"]]

    def recipients(self) -> list[str]:
        with self.lock:
            return [m["To"] for m in self.messages]

    def wait_for(self, count: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def smtp(settings, smtp_server):
    """Route Django's mail to the loopback SMTP server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    return smtp_server


@pytest.fixture
def eager_celery():
    """Tasks run in-process (the worker tests use a real worker instead)."""
    from config.celery import app

    old = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = old


def text_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


# --- Negative control: a worker without the claim ------------------------------------------


def send_without_claim(pk: int, message, connection) -> bool:
    """berichten.delivery._send_one minus its claim: no conditional UPDATE, so no row lock."""
    from django.utils import timezone

    from berichten import delivery
    from berichten.models import Verzending

    message.connection = connection
    message.extra_headers.setdefault("Message-ID", delivery.message_id(pk))
    message.send(fail_silently=False)
    Verzending.objects.filter(pk=pk).update(status="verzonden", verzonden_op=timezone.now())
    return True


def run_worker_without_claim(argv: list[str]) -> None:
    """A real Celery worker (same app, same tasks) in which every send skips the claim."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from berichten import delivery
    from config.celery import app

    delivery._send_one = send_without_claim
    app.worker_main(["worker", *argv])


if __name__ == "__main__":
    run_worker_without_claim(sys.argv[1:])
