"""Benchmark: the members' pages under gunicorn and wrk, as ratios to a trivial view.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/pages.py
        [--scale N] [--duration S] [--connections C] [--no-seed]

Seeds the demo data plus about N synthetic members (`seed_demo --scale`, default 50,000;
skipped when the database already holds them), starts gunicorn with production settings
(DEBUG off, collected static files, the shared Redis cache), then loads each page with
`wrk` on loopback, anonymous and as a logged-in core member, and prints the median time
of a cold request (every cached page invalidated first, as after any change), then, with the
page warm, requests per second, p50 and p99 latency, and the ratio to `/healthz` measured
just before it in the same run (the healthz row itself shows how much two such runs differ).
Targets from issue 4 at 32 connections: anonymous >= 0.5, logged in >= 0.2, p99 < 100 ms.
wrk, gunicorn, Redis and PostgreSQL share the machine's cores: only the ratios compare.
"""

from __future__ import annotations

import argparse
import os
import re
import runpy
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCALE_DOMAIN = "@schaal.regionet.local"
DEMO_MEMBER = "lid1.twente@regionet.local"  # a core member in the demo data
TARGETS = {"anoniem": 0.5, "ingelogd": 0.2}
P99_LIMIT_MS = 100.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(*args: str, env: dict) -> None:
    subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args], check=True, cwd=BASE_DIR, env=env
    )


def _setup_django() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _scale_members() -> int:
    from leden.models import User

    return User.objects.filter(email__endswith=SCALE_DOMAIN).count()


def _pages() -> dict[str, str]:
    """One real URL per page kind, picked from the seeded data."""
    from django.urls import reverse
    from django.utils import timezone

    from bijeenkomsten.models import Bijeenkomst, Halfjaarprogramma
    from netwerken.models import Netwerk

    netwerk = Netwerk.objects.get(slug="twente")
    programma = (
        Halfjaarprogramma.objects.filter(netwerk=netwerk, gepubliceerd=True)
        .order_by("-jaar", "-helft")
        .first()
    )
    meeting = (
        Bijeenkomst.objects.filter(doelgroep="open", einde__gte=timezone.now(), netwerken=netwerk)
        .exclude(slug__startswith="schaal-")
        .order_by("begin")
        .first()
    )
    return {
        "agenda": reverse("home"),
        "netwerk": netwerk.get_absolute_url(),
        "programma": programma.get_absolute_url(),
        "bijeenkomst": meeting.get_absolute_url(),
        "archief": reverse("bijeenkomsten:archief"),
        "netwerk.ics": reverse("netwerken:ics", args=[netwerk.slug]),
    }


def _session_cookie() -> str:
    """A real session of a demo core member, stored where gunicorn will read it."""
    from django.conf import settings
    from django.test import Client

    from leden.models import User

    client = Client()
    client.force_login(User.objects.get(email=DEMO_MEMBER))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _browser_cookies(base: str, session: str) -> str:
    """The cookies a browser holds after its first page: the session and the CSRF cookie."""
    request = urllib.request.Request(
        base + "/", headers={"X-Forwarded-Proto": "https", "Cookie": session}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
        set_cookies = response.headers.get_all("Set-Cookie") or []
    return "; ".join([session, *(header.split(";", 1)[0] for header in set_cookies)])


def _wait_until_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            _fetch(url, None)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _fetch(url: str, cookie: str | None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    if cookie:
        request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
        return response.status, response.read()


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(output: str, percentile: str) -> float:
    """A latency percentile from wrk's --latency table, in milliseconds (nan if absent)."""
    match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    return float(match[1]) * _UNITS_MS[match[2]] if match else float("nan")


def _wrk(url: str, cookie: str | None, *, connections: int, duration: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    command += ["-H", "X-Forwarded-Proto: https"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50": _ms(output, "50"),
        "p99": _ms(output, "99"),
        "errors": int(errors[1]) if errors else 0,
        "socket_errors": socket_errors[1] if socket_errors else "",
    }


def _cold_ms(url: str, cookie: str | None, invalidate, times: int = 7) -> float:
    """Median time of a request made afresh, each after invalidating every cached page."""
    timings = []
    for _ in range(times):
        invalidate()
        started = time.perf_counter()
        _fetch(url, cookie)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _workers() -> int:
    return runpy.run_path(str(BASE_DIR / "config" / "gunicorn.py"))["workers"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=50_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--no-seed", action="store_true")
    parser.add_argument("--only", nargs="*", default=None, help="measure only these pages")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2

    var_dir = Path(tempfile.mkdtemp(prefix="regionet-bench-"))
    os.environ.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-not-for-production"),
            "MELDPUNT_KEYS": os.environ.get(
                "MELDPUNT_KEYS", "YmVuY2gtb25seS1rZXktbm90LWZvci1wcm9kdWN0aW8="
            ),
            "ALLOWED_HOSTS": "127.0.0.1",
            "BEHIND_PROXY": "1",  # wrk plays the TLS proxy: X-Forwarded-Proto: https
            "VAR_DIR": str(var_dir),
            "LOG_LEVEL": "WARNING",
        }
    )
    env = dict(os.environ)
    _setup_django()
    if not args.no_seed:
        _manage("migrate", "--noinput", "-v", "0", env=env)
        if _scale_members() < args.scale:
            print(f"seeding the demo data and {args.scale} members …", flush=True)
            _manage("seed_demo", "--scale", str(args.scale), env=env)
    _manage("collectstatic", "--noinput", "-v", "0", env=env)
    from portal import pagecache

    pages = _pages()
    cookie = _session_cookie()
    members = _scale_members()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        # The production configuration, on a loopback port.
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"]
        + ["-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=BASE_DIR,
        env=env,
    )
    try:
        _wait_until_up(f"{base}/healthz")
        cookie = _browser_cookies(base, cookie)
        runs = [("healthz", "-", "/healthz", None)]
        for audience, who in (("anoniem", None), ("ingelogd", cookie)):
            runs += [
                (name, audience, path, who)
                for name, path in pages.items()
                if args.only is None or name in args.only
            ]
        for name, audience, path, who in runs:  # warm caches and check every answer is a 200
            for _ in range(3):
                status, body = _fetch(base + path, who)
            assert status == 200, (path, status)
            if audience == "ingelogd" and name != "netwerk.ics":
                assert b"/accounts/logout/" in body, f"not logged in on {path}"

        print(
            f"\ngunicorn (config/gunicorn.py: {_workers()} sync workers), "
            f"wrk -t2 -c{args.connections} -d{args.duration}s, {members} scale members, DEBUG off\n"
        )
        print(
            f"{'page':<14}{'who':<10}{'cold ms':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
            f"{'healthz':>9}{'ratio':>8}  verdict"
        )
        failures = 0
        for name, audience, path, who in runs:
            # /healthz is measured again just before each page: the machine's speed drifts over
            # a run of minutes (shared cores), and a ratio must compare like with like.
            healthz = _wrk(
                base + "/healthz", None, connections=args.connections, duration=args.duration
            )["rps"]
            # Cold: the page made afresh, as after any change (every cached page invalidated).
            # Then warm it, as steady traffic keeps it, and measure the steady state.
            cold_ms = _cold_ms(base + path, who, pagecache.bump_content_version)
            for _ in range(3):
                _fetch(base + path, who)
            result = _wrk(base + path, who, connections=args.connections, duration=args.duration)
            ratio = result["rps"] / healthz
            target = TARGETS.get(audience)
            problems = []
            if target is not None and ratio < target:
                problems.append(f"ratio < {target}")
            if not result["p99"] < P99_LIMIT_MS:  # also when wrk measured nothing (nan)
                problems.append(f"p99 >= {P99_LIMIT_MS:.0f} ms")
            if result["errors"] or result["socket_errors"]:
                problems.append(f"errors {result['errors']} {result['socket_errors']}".strip())
            failures += bool(problems)
            verdict = "; ".join(problems) or "ok"
            print(
                f"{name:<14}{audience:<10}{cold_ms:>9.1f}{result['rps']:>9.0f}{result['p50']:>9.1f}"
                f"{result['p99']:>9.1f}{healthz:>9.0f}{ratio:>8.2f}  {verdict}",
                flush=True,
            )
        print(f"\n{failures} of {len(runs)} runs miss a target")
        return 0
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
