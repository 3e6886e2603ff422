"""Benchmark: a survey's results page at 10,000 responses of 20 questions.

    DATABASE_URL=postgres://… .venv/bin/python bench/surveys.py [N] [--no-seed]

Builds (once) two surveys of 20 questions of every kind, one with N complete responses
(default 10,000) and one with N/10, through the same bulk service the demo uses. Then it
loads the coordinators' results page through the real view with Django's test Client, as
staff, with and without a breakdown by sector, and prints the median time of 10 loads, the
number of queries at both sizes (they must be equal: aggregates are GROUP BY queries, not
loops over responses), the ratio of the two sizes' times and the ratio to `/healthz` in the
same run. Target from issue 15: under half a second at 10,000 responses.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_N = 10_000
RUNS = 10
TARGET_SECONDS = 0.5


def _setup_django() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-not-for-production")
    import django

    django.setup()
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    # The page names its static files; no manifest is built here (nothing is served).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _survey(title: str, n: int, *, reseed: bool):
    from bevragingen.models import Bevraging
    from netwerken.models import Koepel, Netwerk
    from tests.bevragingen.conftest import add_responses, build_survey

    existing = Bevraging.objects.filter(titel=title).first()
    if existing is not None and not reseed and existing.responsen.count() == n:
        return existing
    if existing is not None:
        existing.delete()
    koepel, _ = Koepel.objects.get_or_create(
        slug="bench-koepel", defaults={"naam": "Bench-koepel", "land": "BE"}
    )
    netwerk, _ = Netwerk.objects.get_or_create(
        slug="bench-bevragingen",
        defaults={"naam": "Bench bevragingen", "koepel": koepel, "regio": "Bench"},
    )
    survey = build_survey(netwerk, titel=title)
    started = time.perf_counter()
    add_responses(survey, n)
    print(f"  {n} responses stored in {time.perf_counter() - started:.1f} s", flush=True)
    return survey


def _load(client, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    client.get(url, secure=True)  # warm: connection, session, templates
    for _run in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, secure=True)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    return statistics.median(times), queries


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    reseed = "--no-seed" not in argv
    argv = [arg for arg in argv if not arg.startswith("--")]
    n = int(argv[0]) if argv and argv[0].isdigit() else DEFAULT_N
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench/surveys.py needs PostgreSQL: set DATABASE_URL=postgres://…")
        return 2
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    print(f"Surveys of 20 questions with {n} and {n // 10} responses …", flush=True)
    large = _survey("Bench: grote bevraging", n, reseed=reseed)
    small = _survey("Bench: kleine bevraging", n // 10, reseed=reseed)
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum does on a live database after a bulk load: statistics for the
        # planner, the visibility map for index-only scans.
        cursor.execute("VACUUM ANALYZE bevragingen_antwoord, bevragingen_respons")

    from django.test import Client
    from django.urls import reverse

    from leden.models import User
    from tests.accountfixtures import give_totp

    user, _ = User.objects.get_or_create(
        email="bench-bevragingen@example.org", defaults={"is_staff": True, "is_superuser": True}
    )
    give_totp(user)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)

    healthz, _q = _load(client, "/healthz")
    from django.core.cache.backends.dummy import DummyCache

    from bevragingen import selectors

    cached = selectors.cache
    rows = []
    for survey in (small, large):
        url = reverse("bevragingen:resultaten", kwargs={"sleutel": survey.sleutel})
        by_sector = f"{url}?per={survey.vragen.get(volgorde=0).pk}"
        # Cold: the counts computed in the database on every load (no cache at all).
        selectors.cache = DummyCache("bench", {})
        cold = (_load(client, url), _load(client, by_sector))
        selectors.cache = cached
        warm = (_load(client, url), _load(client, by_sector))
        rows.append((survey.responsen.count(), cold, warm))

    print("\nResults page, as staff, median of 10 loads")
    for count, cold, warm in rows:
        for label, ((plain_s, plain_q), (by_s, by_q)) in (("computed", cold), ("cached", warm)):
            print(
                f"  {count:6} responses, counts {label:8}: {plain_s * 1000:6.0f} ms "
                f"({plain_q} queries), by sector {by_s * 1000:6.0f} ms ({by_q} queries)"
            )
    (_n1, small_cold, small_warm) = rows[0]
    (_n2, large_cold, large_warm) = rows[1]
    print(f"  /healthz: {healthz * 1000:.1f} ms")
    ratio = large_cold[1][0] / small_cold[1][0]
    print(f"  ratio {n} / {n // 10} responses, computed by sector: {ratio:.1f}x")
    print(f"  ratio computed by sector / healthz: {large_cold[1][0] / healthz:.0f}x")
    print(f"  ratio cached by sector / healthz: {large_warm[1][0] / healthz:.0f}x")
    same = all(
        small[i][1] == large[i][1]
        for small, large in ((small_cold, large_cold), (small_warm, large_warm))
        for i in (0, 1)
    )
    print(f"  queries equal at both sizes: {'yes' if same else 'NO'}")
    verdicts = []
    for label, timings in (("computed", large_cold), ("cached", large_warm)):
        worst = max(timings[0][0], timings[1][0])
        verdict = "OK" if worst < TARGET_SECONDS else "TOO SLOW"
        verdicts.append(worst < TARGET_SECONDS)
        print(
            f"  target < {TARGET_SECONDS * 1000:.0f} ms at {n} responses, counts {label}: "
            f"{worst * 1000:.0f} ms, {verdict}"
        )
    return 0 if verdicts[0] and same else 1


if __name__ == "__main__":
    sys.exit(main())
