"""Benchmark: the member export as a background job (CSV and XLSX) next to PostgreSQL's COPY.

    DATABASE_URL=postgres://… REDIS_URL=redis://…/9 .venv/bin/python bench/exports.py [N]
    (add --no-seed to reuse an earlier run's data)

Seeds the demo data plus about N synthetic members (default 250,000; a rerun that finds them
skips the seeding) in a child process. Starts a real Celery worker (solo pool, so the export
runs in the process whose memory is read). Then, as staff with the test Client in this
process, it posts the member export form, polls the job's JSON twice a second as the page's
script does, and downloads the file: every one of those web requests is timed (the target is
that none takes a second). The worker's time is the job's own (started to finished). Then
PostgreSQL's own `COPY (same SQL) TO STDOUT` of the same rows, read to the end here, is the
baseline: each format's time as a multiple of COPY's, and XLSX as a multiple of CSV (target
at most 3). Peak memory growth of the worker during each export is printed too.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_N = 250_000
WEB_LIMIT = 1.0  # seconds: no web request during an export takes longer
XLSX_PER_CSV = 3.0  # target: XLSX within 3x CSV
CSV_PER_COPY = 5.0  # target of issue 6: CSV within 5x COPY


def _setup_django() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Production-like settings (DEBUG off: no query log); a throwaway secret for the run.
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-not-for-production")
    os.environ.setdefault("MELDPUNT_KEYS", "YmVuY2gtb25seS1rZXktbm90LWZvci1wcm9kdWN0aW8=")
    import django

    django.setup()
    from django.conf import settings

    # The job page names static files: collected, with the manifest production reads.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        check=True,
        cwd=BASE_DIR,
    )


def _status_kb(pid: int, field: str) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak(pid: int) -> int:
    """Reset the process's peak-RSS mark (Linux) and return its current RSS in kB."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    return _status_kb(pid, "VmRSS")


def seed(n: int) -> None:
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True, cwd=BASE_DIR)
    subprocess.run([*manage, "seed_demo", "--scale", str(n)], check=True, cwd=BASE_DIR)


def start_worker() -> subprocess.Popen:
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "-Q", "celery"]
        + ["--pool=solo", "-l", "WARNING", "--without-gossip", "--without-mingle"]
        + ["--without-heartbeat"],
        cwd=BASE_DIR,
    )
    time.sleep(4)  # start-up is not part of the figure
    return worker


def export_as_job(client, fmt: str, worker_pid: int) -> dict:
    from django.urls import reverse

    from portal.models import ExportJob

    timings: list[tuple[float, str]] = []

    def timed(method, url, *args, **kwargs):
        started = time.perf_counter()
        response = method(url, *args, secure=True, **kwargs)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        timings.append((time.perf_counter() - started, f"{method.__name__.upper()} {url}"))
        return response, body

    before = _reset_peak(worker_pid)
    started = time.perf_counter()
    response, _ = timed(client.post, reverse("portal:members"), {"formaat": fmt})
    assert response.status_code == 302, response.status_code
    job_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    status_url = reverse("portal:job_status", args=[job_id])
    timed(client.get, response["Location"])  # the page a person sees first
    polls = 0
    while True:
        _, body = timed(client.get, status_url)
        polls += 1
        state = json.loads(body)
        if state["finished"]:
            break
        time.sleep(0.5)
    waited = time.perf_counter() - started
    assert state["download_url"], state
    response, body = timed(client.get, state["download_url"])
    assert response.status_code == 200
    job = ExportJob.objects.get(pk=job_id)
    return {
        "rows": job.rows_written,
        "seconds": (job.finished_at - job.started_at).total_seconds(),
        "waited": waited,
        "bytes": len(body),
        "requests": len(timings),
        "polls": polls,
        "slowest_request": max(timings),  # (seconds, which)
        "peak_growth_mb": (_status_kb(worker_pid, "VmHWM") - before) / 1024,
    }


def copy_same_query(user) -> dict:
    """PostgreSQL's COPY of the very SQL the export runs, read to the end by this process."""
    import psycopg
    from django.db import connection

    from leden.exports import MemberListExport

    sql, params = MemberListExport(user=user).queryset().query.sql_with_params()
    connection.ensure_connection()
    raw = connection.connection
    statement = psycopg.ClientCursor(raw).mogrify(sql, params)
    started = time.perf_counter()
    size = 0
    with raw.cursor() as cursor:
        copy_sql = f"COPY ({statement}) TO STDOUT WITH (FORMAT csv, DELIMITER ';', HEADER)"
        with cursor.copy(copy_sql) as copy:
            for data in copy:
                size += len(data)
    return {"seconds": time.perf_counter() - started, "bytes": size}


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    skip_seed = "--no-seed" in argv  # reuse the data of an earlier run
    argv = [arg for arg in argv if arg != "--no-seed"]
    n = int(argv[0]) if argv else DEFAULT_N
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench/exports.py needs PostgreSQL: set DATABASE_URL=postgres://…")
        return 2
    if not os.environ.get("REDIS_URL"):
        print("bench/exports.py needs Redis for the worker: set REDIS_URL=redis://…")
        return 2
    _setup_django()
    from leden.models import Lidmaatschap, User

    if not skip_seed:
        have = 0
        with contextlib.suppress(Exception):  # no tables yet
            have = User.objects.filter(email__endswith="@schaal.regionet.local").count()
        if have < n:
            print(f"Seeding demo data and about {n} members …", flush=True)
            started = time.perf_counter()
            seed(n)
            print(f"  seeded in {time.perf_counter() - started:.1f} s", flush=True)

    from django.test import Client

    from tests.accountfixtures import give_totp

    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    give_totp(user)  # staff rights, exports included, count only with the second factor
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    client.get("/export/", secure=True)  # the page a person starts from (templates loaded)

    worker = start_worker()
    try:
        results = {fmt: export_as_job(client, fmt, worker.pid) for fmt in ("csv", "xlsx")}
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    copy = copy_same_query(user)

    rows = results["csv"]["rows"]
    assert rows == Lidmaatschap.objects.count(), (rows, Lidmaatschap.objects.count())
    print(f"\nMember export as a background job, all members ({rows} rows); baseline COPY")
    print(f"  {'':6} {'seconds':>8} {'rows/s':>9} {'x COPY':>7} {'MB':>6} {'worker peak +MB':>16}")
    print(
        f"  {'COPY':6} {copy['seconds']:8.2f} {rows / copy['seconds']:9.0f} {1:7.1f} "
        f"{copy['bytes'] / 1e6:6.1f}"
    )
    for fmt, r in results.items():
        print(
            f"  {fmt:6} {r['seconds']:8.2f} {r['rows'] / r['seconds']:9.0f} "
            f"{r['seconds'] / copy['seconds']:7.1f} {r['bytes'] / 1e6:6.1f} "
            f"{r['peak_growth_mb']:16.1f}"
        )
    csv_ratio = results["csv"]["seconds"] / copy["seconds"]
    xlsx_ratio = results["xlsx"]["seconds"] / results["csv"]["seconds"]
    slowest, which = max(r["slowest_request"] for r in results.values())
    requests = sum(r["requests"] for r in results.values())
    print(
        f"  CSV / COPY  {csv_ratio:5.1f}x  (target < {CSV_PER_COPY:.0f}x)   "
        f"{verdict(csv_ratio < CSV_PER_COPY)}"
    )
    print(
        f"  XLSX / CSV  {xlsx_ratio:5.1f}x  (target <= {XLSX_PER_CSV:.0f}x)  "
        f"{verdict(xlsx_ratio <= XLSX_PER_CSV)}"
    )
    print(
        f"  slowest of {requests} web requests (form, page, polls, download): "
        f"{slowest * 1000:.0f} ms  (target < {WEB_LIMIT * 1000:.0f} ms)  "
        f"{verdict(slowest < WEB_LIMIT)}\n    (the slowest: {which})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
