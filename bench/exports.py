"""Benchmark: export every member as CSV and XLSX through the real view, next to COPY.

    DATABASE_URL=postgres://… .venv/bin/python bench/exports.py [N] [--no-seed]

Seeds the demo data plus about N synthetic members (default 100,000) in a child process,
so the seeding's own memory does not hide the export's peak. Then, in this process (the
"serving process"), it posts to the member export page with Django's test Client, reads
the streamed response to the end, and prints rows per second, time to first byte and the
growth of peak resident memory; finally PostgreSQL's own `COPY (same query) TO STDOUT`
and the ratio. Targets from issue 6: CSV within 5x of COPY, peak growth under 100 MB.
"""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_N = 100_000


def _setup_django() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Production-like settings (DEBUG off: no query log); a throwaway secret for the run.
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-not-for-production")
    os.environ.setdefault("MELDPUNT_KEYS", "YmVuY2gtb25seS1rZXktbm90LWZvci1wcm9kdWN0aW8=")
    import django

    django.setup()
    from django.conf import settings

    # No static file is served here; an existing (empty) root keeps WhiteNoise from warning.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def _reset_peak() -> int:
    """Reset the kernel's peak-RSS mark if we may (Linux), and return the current RSS in kB."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _status_kb("VmRSS")


def _status_kb(field: str) -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak_kb() -> int:
    return _status_kb("VmHWM")


def seed(n: int) -> None:
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True, cwd=BASE_DIR)
    subprocess.run([*manage, "seed_demo", "--scale", str(n)], check=True, cwd=BASE_DIR)


def export_through_view(client, fmt: str) -> dict:
    from django.urls import reverse

    from portal.models import ExportLog

    before = _reset_peak()
    started = time.perf_counter()
    response = client.post(reverse("portal:members"), {"formaat": fmt}, secure=True)
    assert response.status_code == 200, response.status_code
    marks: list[float] = []  # when the first and the second chunk arrived
    size = 0
    for chunk in response.streaming_content:
        if len(marks) < 2:
            marks.append(time.perf_counter() - started)
        size += len(chunk)
    response.close()
    total = time.perf_counter() - started
    rows = ExportLog.objects.order_by("-pk").values_list("rows", flat=True).first()
    return {
        "rows": rows,
        "seconds": total,
        "ttfb": marks[0],
        # CSV sends its header first; the second chunk carries the first data rows.
        "first_rows": marks[-1],
        "bytes": size,
        "peak_growth_mb": (_peak_kb() - before) / 1024,
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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    skip_seed = "--no-seed" in argv  # reuse the data of an earlier run
    argv = [arg for arg in argv if arg != "--no-seed"]
    n = int(argv[0]) if argv else DEFAULT_N
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench/exports.py needs PostgreSQL: set DATABASE_URL=postgres://…")
        return 2
    _setup_django()
    if not skip_seed:
        print(f"Seeding demo data and about {n} members …", flush=True)
        started = time.perf_counter()
        seed(n)
        print(f"  seeded in {time.perf_counter() - started:.1f} s", flush=True)

    from django.test import Client

    from leden.models import User
    from tests.accountfixtures import give_totp

    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    give_totp(user)  # staff rights, exports included, count only with the second factor
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)

    results = {fmt: export_through_view(client, fmt) for fmt in ("csv", "xlsx")}
    copy = copy_same_query(user)

    print(f"\nMember export, all members, through the view ({results['csv']['rows']} rows)")
    for fmt, r in results.items():
        print(
            f"  {fmt:5} {r['seconds']:7.2f} s  {r['rows'] / r['seconds']:9.0f} rows/s  "
            f"first byte {r['ttfb'] * 1000:6.0f} ms, first rows {r['first_rows'] * 1000:6.0f} ms  "
            f"{r['bytes'] / 1e6:5.1f} MB  "
            f"peak memory growth {r['peak_growth_mb']:6.1f} MB"
        )
    rows = results["csv"]["rows"]
    print(
        f"  COPY  {copy['seconds']:7.2f} s  {rows / copy['seconds']:9.0f} rows/s  "
        f"{copy['bytes'] / 1e6:6.1f} MB (same SQL, same columns)"
    )
    ratio = results["csv"]["seconds"] / copy["seconds"]
    print(f"  CSV / COPY ratio: {ratio:.1f}x (target < 5x)")
    print(f"  XLSX / COPY ratio: {results['xlsx']['seconds'] / copy['seconds']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
