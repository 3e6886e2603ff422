"""Benchmark: a registration rush. 400 members register for one meeting of 250 places at once.

    DATABASE_URL=postgres://… REDIS_URL=redis://…/9 .venv/bin/python bench/rush.py [--profile]

Seeds the demo data (once), then per round 400 new members of Twente (one in four core) and a
meeting of Twente with capacity 250, and logs each member in (a session of their own in the
shared store, and a CSRF cookie of their own). Starts gunicorn with the production settings
(`config/gunicorn.py`, DEBUG off, Redis cache, behind-proxy headers as Caddy sends them) and
first measures `/healthz` with `wrk -c32` as the baseline. Then N client threads (32, then 64,
each round on a fresh meeting) wait on a barrier and post the 400 registrations as fast as
the server answers. Printed per round: registrations per second, p50 and p99, the cost of one
registration as a multiple of a `/healthz` request (healthz req/s over registrations/s), and
the checks: exactly 250 registered, 150 on the waiting list in the right order (core first,
then by time), exactly one mail queued per person, no 5xx. Each row gets a verdict against
issue 18's aims (a registration at most 15 /healthz, p99 under 300 ms at 32 clients).
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MEMBERS = 400
CAPACITY = 250
CORE_EVERY = 4  # one member in four is core
ROUNDS = (32, 64)
COST_LIMIT = 15.0  # a registration costs at most this many /healthz requests
P99_LIMIT_MS = 300.0  # at 32 clients


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _setup_django() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-not-for-production")
    import django

    django.setup()


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], check=True, cwd=BASE_DIR)


def prepare_round(run: str, label: str) -> tuple[str, list[tuple[str, str, bool]]]:
    """A meeting of 250 places and 400 logged-in members: (slug, [(session, csrf, core)])."""
    from django.conf import settings
    from django.test import Client

    from netwerken.models import Netwerk
    from tests import factories

    # The members' passwords are never used (their sessions are made here): a fast hasher,
    # as in the tests, so making 400 of them takes seconds; the server keeps its own.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    twente = Netwerk.objects.get(slug="twente")
    slug = f"rush-{run}-{label}"
    factories.BijeenkomstFactory(
        slug=slug, titel=f"Drukte {label}", netwerken=[twente], doelgroep="leden",
        capaciteit=CAPACITY,
    )  # fmt: skip
    members = []
    client = Client()
    for i in range(MEMBERS):
        core = i % CORE_EVERY == 0
        lidmaatschap = factories.LidmaatschapFactory(
            netwerk=twente, schil="kern" if core else "betrokken", status="actief",
            lid__user__email=f"rush-{run}-{label}-{i}@example.org", lid__naam=f"Drukte {i}",
        )  # fmt: skip
        client.force_login(lidmaatschap.lid.user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        client.cookies.clear()
        members.append((session, secrets.token_hex(16), core))  # a 32-character CSRF secret
    return slug, members


def rush(port: int, slug: str, members, clients: int) -> dict:
    """`clients` threads, one connection each, start together and post every registration."""
    from django.conf import settings

    path = f"/bijeenkomsten/{slug}/aanmelden/"
    origin = f"https://localhost:{port}"
    queue = list(enumerate(members))
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    order: list[int] = []  # members in the order their answer came

    def work() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        barrier.wait()
        while True:
            with lock:
                if not queue:
                    break
                index, (session, csrf, _core) = queue.pop(0)
            body = f"csrfmiddlewaretoken={csrf}"
            headers = {
                "Host": f"localhost:{port}",
                "X-Forwarded-Proto": "https",  # as Caddy sends it (BEHIND_PROXY=1)
                "Origin": origin,
                "Referer": f"{origin}/bijeenkomsten/{slug}/",
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
            }
            started = time.perf_counter()
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[response.status] = statuses.get(response.status, 0) + 1
                order.append(index)
        connection.close()

    threads = [threading.Thread(target=work) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    total = time.perf_counter() - started
    latencies.sort()
    return {
        "seconds": total,
        "rate": len(latencies) / total,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "statuses": statuses,
    }


def check(slug: str, members) -> list[tuple[str, bool]]:
    from django.db.models import Max

    from berichten.models import Verzending
    from bijeenkomsten.models import Aanmelding, Bijeenkomst
    from bijeenkomsten.services.registration import waiting_list_position

    meeting = Bijeenkomst.objects.get(slug=slug)
    registrations = Aanmelding.objects.filter(bijeenkomst=meeting)
    registered = registrations.filter(status="aangemeld").count()
    waiting = list(registrations.filter(status="wachtlijst"))
    # First come, first served: no one who came later got a place than anyone now waiting.
    last_in = registrations.filter(status="aangemeld").aggregate(last=Max("aangemeld_op"))["last"]
    fair = all(last_in <= a.aangemeld_op for a in waiting)
    # The waiting list as members are told their place: core first, then by arrival.
    expected = sorted(waiting, key=lambda a: (not a.voorrang, a.aangemeld_op, a.pk))
    told = [waiting_list_position(a) for a in expected]
    core_first = told == list(range(1, len(waiting) + 1)) and any(a.voorrang for a in waiting)
    people = registrations.values("lid").distinct().count()
    per_person = list(Verzending.objects.filter(bijeenkomst=meeting).values_list("lid", flat=True))
    one_mail_each = len(per_person) == MEMBERS and len(set(per_person)) == MEMBERS
    waiting_wanted = MEMBERS - CAPACITY
    one_each = people == MEMBERS == registrations.count()
    return [
        (f"exactly {CAPACITY} registered (got {registered})", registered == CAPACITY),
        (f"exactly {waiting_wanted} waiting (got {len(waiting)})", len(waiting) == waiting_wanted),
        ("places went to the first 250 to arrive", fair),
        ("waiting list positions: core first, then by arrival", core_first),
        (f"one registration per member ({people} members)", one_each),
        (f"exactly one mail queued per person ({len(per_person)} mails)", one_mail_each),
    ]


# Where a registration's time goes: each phase is the cumulative time of the function(s) that
# do it, as cProfile sees them (file fragment, function name). Phases nest (the view holds the
# service, which holds the lock and the mail), so they do not add up to the request.
PHASES = [
    ("whole request (middleware and view)", [("django/core/handlers/base.py", "get_response")]),
    ("session: load", [("sessions/backends/cached_db.py", "load")]),
    ("session: save", [("sessions/backends/cached_db.py", "save")]),
    ("user (auth.get_user)", [("django/contrib/auth/__init__.py", "get_user")]),
    ("CSRF check", [("django/middleware/csrf.py", "process_view")]),
    ("the view", [("bijeenkomsten/views.py", "register")]),
    ("  the meeting (visible to this member?)", [("bijeenkomsten/views.py", "_to_act_on_or_404")]),
    ("  the member (lid_for_user)", [("leden/selectors.py", "lid_for_user")]),
    ("  registration_create (service)", [("services/registration.py", "registration_create")]),
    ("    lock the meeting row", [("services/registration.py", "_lock")]),
    ("    count: room left?", [("services/registration.py", "_has_room")]),
    ("    core of the organiser?", [("services/registration.py", "_is_core_of_organiser")]),
    ("    insert the registration", [("django/db/models/base.py", "save")]),
    ("    mail row (render and insert)", [("bijeenkomsten/mails.py", "queue_registration_mail")]),
    ("      its calendar (.ics)", [("bijeenkomsten/ics.py", "meeting_mail_calendar")]),
    ("    page cache bump", [("portal/pagecache.py", "_bump")]),
    ("  task publish (on commit)", [("portal/queueing.py", "enqueue")]),
    ("messages (cookie)", [("contrib/messages/storage/cookie.py", "_store")]),
    ("all SQL", [("django/db/backends/utils.py", "_execute")]),
]


def profile(slug: str, members, count: int = 40) -> None:
    """Run `count` registrations in this process (test Client, production settings, the same
    database and Redis) under cProfile, and print the time per registration of each phase."""
    import cProfile
    import pstats

    from django.conf import settings
    from django.test import Client

    # One client (one handler, as one gunicorn worker has), each member's cookies in turn.
    client = Client(enforce_csrf_checks=True, SERVER_NAME="localhost")
    path = f"/bijeenkomsten/{slug}/aanmelden/"
    origin = "https://localhost"

    def post(session: str, csrf: str) -> int:
        client.cookies.clear()
        client.cookies[settings.SESSION_COOKIE_NAME] = session
        client.cookies[settings.CSRF_COOKIE_NAME] = csrf
        data = {"csrfmiddlewaretoken": csrf}
        return client.post(path, data, HTTP_ORIGIN=origin, secure=True).status_code

    post(*members[0][:2])  # warm
    chosen = members[1:count]
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for session, csrf, _core in chosen:
        status = post(session, csrf)
        assert status == 302, status
    profiler.disable()
    wall = (time.perf_counter() - started) / len(chosen) * 1000
    stats = pstats.Stats(profiler).stats
    runs = len(chosen)
    print(f"\n  Profile of one registration (in-process, mean of {runs}; wall {wall:.1f} ms):")
    for label, functions in PHASES:
        total = 0.0
        for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.items():
            if any(filename.endswith(f) or f in filename for f, n in functions if n == name):
                total += cumulative
        print(f"    {label:40} {total / runs * 1000:7.2f} ms")
    if os.environ.get("RUSH_PROFILE_TOP"):  # the most expensive functions, for digging
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(
            int(os.environ["RUSH_PROFILE_TOP"])
        )


def wait_until_served(port: int, timeout: float = 180) -> None:
    """Until every worker answers: gunicorn listens before its workers have loaded Django."""
    deadline = time.monotonic() + timeout
    answered = 0
    while answered < 10:
        if time.monotonic() > deadline:
            raise RuntimeError("gunicorn did not answer /healthz")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            answered += connection.getresponse().status == 200
            connection.close()
        except OSError:
            time.sleep(0.5)


def healthz(port: int) -> float:
    result = subprocess.run(
        ["wrk", "-t2", "-c32", "-d5s", "-H", "X-Forwarded-Proto: https",
         f"http://127.0.0.1:{port}/healthz"],
        capture_output=True, text=True,
    )  # fmt: skip
    found = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    return float(found.group(1)) if found else 0.0


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench/rush.py needs PostgreSQL: set DATABASE_URL=postgres://…")
        return 2
    _setup_django()
    _manage("migrate", "--noinput", "-v", "0")
    _manage("collectstatic", "--noinput", "-v", "0")
    from netwerken.models import Netwerk

    if not Netwerk.objects.filter(slug="twente").exists():
        _manage("seed_demo")
    run = secrets.token_hex(3)
    if "--profile" in sys.argv[1:]:  # only the profile of one registration
        profile(*prepare_round(run, "profiel"))
        return 0
    rounds = {clients: prepare_round(run, f"c{clients}") for clients in ROUNDS}

    port = _free_port()
    env = os.environ | {"GUNICORN_BIND": f"127.0.0.1:{port}", "BEHIND_PROXY": "1", "DEBUG": "0"}
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_served(port)
        baseline = healthz(port)
        print(f"\nRegistration rush: {MEMBERS} members, {CAPACITY} places, gunicorn production")
        print(f"  /healthz (wrk -c32)        {baseline:8.0f} req/s  (baseline)")
        failed = False
        for clients, (slug, members) in rounds.items():
            result = rush(port, slug, members, clients)
            cost = baseline / result["rate"] if result["rate"] else float("inf")  # 0: no baseline
            errors = sum(n for code, n in result["statuses"].items() if code >= 500)
            print(
                f"  {clients:3} clients: {result['rate']:7.1f} registrations/s, "
                f"p50 {result['p50']:6.0f} ms, p99 {result['p99']:6.0f} ms, "
                f"one registration = {cost:5.1f} x /healthz, answers {result['statuses']}"
            )
            aims = [(f"cost <= {COST_LIMIT:.0f} x /healthz", 0 < cost <= COST_LIMIT)]
            if clients == 32:
                aims.append((f"p99 < {P99_LIMIT_MS:.0f} ms", result["p99"] < P99_LIMIT_MS))
            aims.append(("no 5xx", errors == 0))
            for label, ok in [*aims, *check(slug, members)]:
                print(f"      {label:58} {'ok' if ok else 'MISSED'}")
                failed |= not ok and "x /healthz" not in label and "p99" not in label
        profile_slug, profile_members = prepare_round(run, "profiel")
        profile(profile_slug, profile_members)
        return 1 if failed else 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
