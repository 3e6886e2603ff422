"""Benchmark: a year's overview (hours per category) for every member, next to plain SQL.

    DATABASE_URL=postgres://… .venv/bin/python bench/certificates.py [N] [--no-seed]

Seeds the demo data plus about N synthetic members (default 50,000; `seed_demo --scale N`,
whose past registrations are attended), then computes, for the last full year, every
member's totals per category the way the yearly overview does (`deelname.selectors.
year_totals_all`: the meetings' educational time decided once in Python, the attendance
streamed). Next to it, one plain aggregate query of the same figures: the same per-meeting
minutes handed to PostgreSQL as a VALUES list, joined to the attendance and summed with
GROUP BY. Both results are compared row for row; the ratio is printed with a verdict
(target: within 5x of the plain query).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_N = 50_000
TARGET = 5.0


def _setup_django() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-not-for-production")
    import django

    django.setup()


def seed(n: int) -> None:
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True, cwd=BASE_DIR)
    subprocess.run([*manage, "seed_demo", "--scale", str(n)], check=True, cwd=BASE_DIR)


def through_the_app(jaar: int) -> tuple[float, dict]:
    from deelname.selectors import year_totals_all

    started = time.perf_counter()
    result = {lid_id: totals for lid_id, totals in year_totals_all(jaar) if totals}
    return time.perf_counter() - started, result


def plain_sql(jaar: int) -> tuple[float, dict]:
    """The same figures in one aggregate query; the per-meeting minutes (decided in Python by
    the kind, parts and coordinators' settings) go in as a VALUES list, prepared untimed."""
    from django.db import connection

    from bijeenkomsten.models import Bijeenkomst
    from deelname.figures import half_year_bounds
    from deelname.selectors import meeting_times

    start, _ = half_year_bounds(jaar, 1)
    _, end = half_year_bounds(jaar, 2)
    ids = Bijeenkomst.objects.filter(begin__gte=start, begin__lt=end).values_list("pk", flat=True)
    values = [
        (pk, cat, minutes)
        for pk, time_ in meeting_times(ids).items()
        for cat, minutes in time_.minuten.items()
    ]
    if not values:
        return 0.0, {}
    rows_sql = ", ".join(["(%s, %s, %s)"] * len(values))
    params = [x for row in values for x in row]
    sql = (
        f"WITH m(bijeenkomst_id, categorie, minuten) AS (VALUES {rows_sql}) "
        "SELECT a.lid_id, m.categorie, SUM(m.minuten) FROM bijeenkomsten_aanmelding a "
        "JOIN m ON m.bijeenkomst_id = a.bijeenkomst_id "
        "WHERE a.status = 'aanwezig' AND a.lid_id IS NOT NULL "
        "GROUP BY a.lid_id, m.categorie"
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    seconds = time.perf_counter() - started
    result: dict[int, dict[str, int]] = {}
    for lid_id, cat, minutes in rows:
        result.setdefault(lid_id, {})[cat] = int(minutes)
    return seconds, result


def best_of(runs: int, function, *args):
    best = None
    for _ in range(runs):
        seconds, result = function(*args)
        if best is None or seconds < best[0]:
            best = (seconds, result)
    assert best is not None
    return best


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    skip_seed = "--no-seed" in argv
    argv = [arg for arg in argv if arg != "--no-seed"]
    n = int(argv[0]) if argv else DEFAULT_N
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench/certificates.py needs PostgreSQL: set DATABASE_URL=postgres://…")
        return 2
    _setup_django()
    if not skip_seed:
        print(f"Seeding demo data and about {n} members …", flush=True)
        started = time.perf_counter()
        seed(n)
        print(f"  seeded in {time.perf_counter() - started:.1f} s", flush=True)

    from django.utils import timezone

    from bijeenkomsten.models import Aanmelding

    jaar = timezone.localdate().year - 1
    attended = Aanmelding.objects.attended().filter(bijeenkomst__begin__year=jaar).count()
    app_seconds, app = best_of(3, through_the_app, jaar)
    sql_seconds, plain = best_of(3, plain_sql, jaar)
    same = app == plain
    ratio = app_seconds / sql_seconds if sql_seconds else float("inf")
    print(f"\nYearly overview {jaar}, every member ({len(app)} members, {attended} attendances)")
    print(f"  overview (app)   {app_seconds:7.3f} s  {len(app) / app_seconds:9.0f} members/s")
    print(f"  plain SQL        {sql_seconds:7.3f} s  (one GROUP BY of the same figures)")
    print(f"  same figures: {'yes' if same else 'NO'}")
    print(f"  app / SQL ratio: {ratio:.1f}x (target < {TARGET:.0f}x)")
    verdict = "OK" if same and ratio < TARGET else "NOT MET"
    print(f"  verdict: {verdict}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
