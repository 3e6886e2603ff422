"""Benchmark: the weekly digest for N members through the real worker, next to bare smtplib.

    DATABASE_URL=postgres://… REDIS_URL=redis://…/9 .venv/bin/python bench/mail.py [N]

Seeds N members (default 50,000) with confirmed digest consent in one network with coming
meetings, starts an aiosmtpd server on loopback and a real Celery worker (prefork, two
processes) on Redis, and queues the digest in batches of 500 as the beat job does. It prints
mails per second, database queries per 1,000 mails (counted inside the worker) and the peak
memory of the worker processes; and per batch, the queries besides the one claim UPDATE per
mail (committed with each mail, so that a killed worker's rerun sends exactly the rest). Then a
bare `smtplib` loop sends the very same messages (as received, prebuilt) over one connection to
the same server, and the ratio of the two rates.
"""

from __future__ import annotations

import contextlib
import logging
import os
import smtplib
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_N = 50_000
BATCH = 500


def _setup_django() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-not-for-production")
    os.environ.setdefault("MELDPUNT_KEYS", "YmVuY2gtb25seS1rZXktbm90LWZvci1wcm9kdWN0aW8=")
    import django

    django.setup()


def _worker(queue: str, counts_file: str) -> None:
    """The real worker, with a query counter per task written to `counts_file`."""
    _setup_django()
    from celery.signals import task_postrun, worker_process_init
    from django.db import connection

    from config.celery import app

    state = {"queries": 0}

    def count(execute, sql, params, many, context):
        state["queries"] += 1
        return execute(sql, params, many, context)

    @worker_process_init.connect
    def _install(**kwargs) -> None:
        connection.execute_wrappers.append(count)

    @task_postrun.connect
    def _record(retval=None, **kwargs) -> None:
        with open(counts_file, "a") as out:
            out.write(f"{state['queries']} {retval or 0}\n")
        state["queries"] = 0

    app.worker_main(
        ["worker", "-Q", queue, "--concurrency=2", "-l", "WARNING"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    )


class Sink:
    """Keeps the raw bytes of every message, so the bare loop can replay exactly these."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.original_content))
        return "250 OK"


def _seed(n: int) -> list[int]:
    from django.utils import timezone

    from berichten.models import Verzending
    from bijeenkomsten.models import Bijeenkomst
    from leden.models import DigestToestemming, Lid, Lidmaatschap, User
    from netwerken.models import Koepel, Netwerk

    koepel, _ = Koepel.objects.get_or_create(slug="bpsw", defaults={"naam": "BPSW", "land": "NL"})
    netwerk, _ = Netwerk.objects.get_or_create(
        slug="bench-twente", defaults={"naam": "Bench Twente", "koepel": koepel, "regio": "x"}
    )
    now = timezone.now()
    for i in range(3):
        Bijeenkomst.objects.get_or_create(
            slug=f"bench-{i}",
            defaults={
                "titel": f"Themabijeenkomst {i}",
                "begin": now + timedelta(days=2 + i),
                "einde": now + timedelta(days=2 + i, hours=2),
                "doelgroep": "leden",
                "locatie": "Enschede",
            },
        )[0].netwerken.add(netwerk)
    for start in range(0, n, 5000):
        stop = min(start + 5000, n)
        User.objects.bulk_create(
            [User(email=f"lid{i}@bench.example.org", password="!") for i in range(start, stop)],
            ignore_conflicts=True,
        )
    users = dict(
        User.objects.filter(email__endswith="@bench.example.org").values_list("email", "pk")
    )
    Lid.objects.bulk_create(
        [
            Lid(user_id=users[f"lid{i}@bench.example.org"], naam=f"Lid {i}", digest="wekelijks")
            for i in range(n)
        ],
        ignore_conflicts=True,
        batch_size=5000,
    )
    ids = list(
        Lid.objects.filter(user__email__endswith="@bench.example.org")
        .order_by("pk")
        .values_list("pk", flat=True)[:n]
    )
    Lidmaatschap.objects.bulk_create(
        [Lidmaatschap(lid_id=pk, netwerk=netwerk, status="actief") for pk in ids],
        ignore_conflicts=True,
        batch_size=5000,
    )
    have = set(DigestToestemming.objects.filter(lid_id__in=ids).values_list("lid_id", flat=True))
    DigestToestemming.objects.bulk_create(
        [
            DigestToestemming(
                lid_id=pk,
                frequentie="wekelijks",
                tekst="bench",
                gevraagd_via="bench",
                bevestigd_op=now,
            )
            for pk in ids
            if pk not in have
        ],
        batch_size=5000,
    )
    # Each run sends the digest afresh.
    Verzending.objects.filter(soort="digest", lid_id__in=ids).delete()
    return ids


def _peak_kb(pid: int) -> list[int]:
    """VmHWM (peak resident memory) of a process and its children, in kB."""
    pids = [pid]
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            pids += [int(p) for p in (task / "children").read_text().split()]
    peaks = []
    for p in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]))
    return peaks


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        _worker(argv[1], argv[2])
        return
    n = int(argv[0]) if argv else DEFAULT_N
    if not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("bench/mail.py needs REDIS_URL and DATABASE_URL (PostgreSQL)")
    _setup_django()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.utils import timezone

    from bijeenkomsten import tasks
    from tests.mailfixtures import free_port

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    call_command("migrate", verbosity=0)
    print(f"seeding {n} members with digest consent …", flush=True)
    ids = _seed(n)

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    queue = f"bench-mail-{uuid.uuid4().hex[:8]}"
    counts_file = str(BASE_DIR / "var" / f"{queue}.counts")
    env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "DEBUG": "0"}
    worker = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--worker", queue, counts_file],
        cwd=BASE_DIR,
        env=env,
    )
    try:
        time.sleep(4)  # worker start-up is not part of the figure
        iso = timezone.localtime().isocalendar()
        periode = f"{iso.year}-W{iso.week:02d}"
        started = time.perf_counter()
        for start in range(0, len(ids), BATCH):
            tasks.send_digest_batch.apply_async((ids[start : start + BATCH], periode), queue=queue)
        deadline = time.monotonic() + 3600
        while len(sink.messages) < len(ids) and time.monotonic() < deadline:
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        peaks = _peak_kb(worker.pid)
        time.sleep(1)  # let the last task_postrun lines land
        rows = [line.split() for line in Path(counts_file).read_text().splitlines()]
        queries = sum(int(q) for q, _ in rows)
        sent = sum(int(s) for _, s in rows)
        # Besides the one claim UPDATE per mail, each batch should cost the same few queries.
        per_batch = sorted({int(q) - int(s) for q, s in rows if int(s)})
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        with contextlib.suppress(OSError):
            os.unlink(counts_file)

    worker_rate = len(sink.messages) / elapsed
    print(f"worker:  {len(sink.messages)} digests in {elapsed:.1f} s = {worker_rate:.0f} mails/s")
    print(f"         {queries / max(sent, 1) * 1000:.0f} queries per 1000 mails ({queries} in all)")
    print(f"         per batch of {BATCH}: one claim per mail + {per_batch} other queries")
    print(
        f"         peak worker memory {max(peaks) / 1024:.0f} MB per process, "
        f"{sum(peaks) / 1024:.0f} MB for main + {len(peaks) - 1} children"
    )

    prebuilt = list(sink.messages)
    sink.messages = []
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for mail_from, rcpt_tos, content in prebuilt:
            smtp.sendmail(mail_from, rcpt_tos, content)
    bare = time.perf_counter() - started
    bare_rate = len(prebuilt) / bare
    controller.stop()
    print(f"bare smtplib loop: {len(prebuilt)} prebuilt mails in {bare:.1f} s", end="")
    print(f" = {bare_rate:.0f} mails/s")
    print(f"ratio worker / bare loop: {worker_rate / bare_rate:.2f} (target at least 0.3)")


if __name__ == "__main__":
    main()
