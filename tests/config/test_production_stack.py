"""The production stack works on the first try.

Docker cannot run here, so the smoke test starts the processes docker-compose.yml starts, with
the commands and the app environment read from that file: the one-shot migration, the image's
collectstatic, gunicorn with config/gunicorn.py, a worker for the default queue, one for the
mail queue, exactly one beat, and Caddy with deploy/Caddyfile, all on loopback ports. Then it
checks over https, trusting only Caddy's own local CA, what a newcomer's `docker compose up`
must give: pages, static files, login, a registration whose mail reaches a real SMTP server
through the mail worker, the health check, and the security headers.

It needs PostgreSQL (DATABASE_URL), Redis (REDIS_URL) and caddy; without them it is skipped,
unless REQUIRE_STACK=1 (set by .ci/run), which makes a missing part a failure. The stack gets a
database of its own (DATABASE_URL's name + _stack, dropped afterwards) and a Redis database of
its own (STACK_REDIS_URL, default: REDIS_URL's database + 8), so the suite's leftover tasks never
reach its workers.
"""

from __future__ import annotations

import base64
import contextlib
import fnmatch
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests import factories, mailfixtures

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
BIN = Path(sys.executable).parent
MEMBER = "rookproef@example.org"
MEETING = "rookproef-bijeenkomst"

pytestmark = pytest.mark.stack


# --- The compose file and the image, read as a newcomer's Docker would read them ---------------


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())  # safe_load resolves the x-app merge keys


def services() -> dict[str, dict]:
    return compose()["services"]


def command(service: str) -> list[str]:
    value = services()[service]["command"]
    assert isinstance(value, list), f"{service}: keep the command a list (exec form)"
    return value


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, for the values in this file."""

    def one(match: re.Match) -> str:
        name, op, rest = match.group(1), match.group(2), match.group(3)
        if variables.get(name):
            return variables[name]
        if op == ":?":
            raise AssertionError(f"compose refuses to start without {name}: {rest}")
        return rest or ""

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", one, str(value))


def queues_consumed(argv: list[str]) -> set[str]:
    if "-Q" not in argv:
        return {"celery"}
    return set(argv[argv.index("-Q") + 1].split(","))


def runs_beat(argv: list[str]) -> bool:
    return "beat" in argv or "-B" in argv or "--beat" in argv


def test_compose_runs_exactly_one_beat_and_no_worker_embeds_one():
    beats = [name for name, s in services().items() if runs_beat(s.get("command") or [])]
    assert beats == ["beat"]
    assert services()["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_every_queue_a_task_is_routed_to_has_a_worker_and_mail_has_its_own():
    from django.conf import settings

    workers = {
        name: queues_consumed(s["command"])
        for name, s in services().items()
        if "worker" in (s.get("command") or [])
    }
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed == {"mail"}
    assert set().union(*workers.values()) == routed | {"celery"}
    assert workers["worker-mail"] == {"mail"}
    assert "mail" not in workers["worker"]
    # The tasks that open an SMTP connection are the routed ones.
    for task in ("berichten.tasks.send_mails", "leden.tasks.send_departure_mails"):
        assert settings.CELERY_TASK_ROUTES[task] == {"queue": "mail"}


def test_compose_migrates_once_before_anything_else_starts():
    migrate = services()["migrate"]
    assert command("migrate") == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    for name in ("web", "worker", "worker-mail", "beat"):
        assert services()[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }, name
        assert "migrate" not in " ".join(command(name)), name


def test_only_the_tls_proxy_is_published_and_it_uses_the_projects_caddyfile():
    web, proxy = services()["web"], services()["proxy"]
    assert "ports" not in web
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    # The variables the Caddyfile reads are the ones compose hands it.
    read = set(re.findall(r"\{\$(\w+)", CADDYFILE.read_text()))
    assert {"SITE_ADDRESS", "UPSTREAM"} <= set(proxy["environment"]) <= read
    env = services()["web"]["environment"]
    assert (env["DEBUG"], env["BEHIND_PROXY"]) == ("0", "1")


def dockerignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule, enough for the patterns in .dockerignore: the last match wins, a pattern
    matches the path or a folder above it, and `**/` matches any depth, none included."""
    ignored = False
    parts = path.split("/")
    for raw in patterns:
        negate, pattern = raw.startswith("!"), raw.lstrip("!").strip("/")
        candidates = {pattern, pattern.removeprefix("**/")}
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(fnmatch.fnmatchcase(p, c) for p in prefixes for c in candidates):
            ignored = not negate
    return ignored


def test_image_runs_as_a_user_hides_no_failure_and_leaves_secrets_and_data_out():
    dockerfile = (ROOT / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.M)
    assert users and users[-1] not in {"root", "0"}
    assert "|| true" not in dockerfile and "2>/dev/null" not in dockerfile
    assert "collectstatic --noinput" in dockerfile
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in [".env", ".env.production", "var/regionet.sqlite3", "var/mail/1.log",
                 ".git/config", ".venv/bin/python", "leden/__pycache__/models.cpython-311.pyc",
                 "__pycache__/x.pyc", ".pytest_cache/README.md"]:  # fmt: skip
        assert dockerignored(path, patterns), path
    for path in ["manage.py", "config/settings.py", "locale/nl/LC_MESSAGES/django.mo",
                 "static/css/regionet.css", "requirements.lock", ".env.example"]:  # fmt: skip
        assert not dockerignored(path, patterns), path


def dotenv(path: Path) -> dict[str, str]:
    """A .env file as compose's env_file reads it: `KEY=value  # comment`, empty values kept."""
    values = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            values[key.strip()] = re.split(r"\s+#", value, maxsplit=1)[0].strip()
    return values


def newcomer_env(**variables: str) -> dict[str, str]:
    """What compose gives the app's containers for a .env copied from .env.example with a
    secret filled in: the file's variables (most of them empty), x-app's environment on top."""
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    dotfile = dotenv(ROOT / ".env.example") | {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MELDPUNT_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }
    variables = {"DOMAIN": "localhost", **dotfile, **variables}
    app = services()["web"]["environment"]
    return base | dotfile | {key: interpolate(value, variables) for key, value in app.items()}


def test_a_dotenv_copied_from_the_example_keeps_the_production_defaults():
    env = newcomer_env()
    shown = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "import json; from django.conf import settings as s; print(json.dumps([s.DEBUG, "
         "s.ALLOWED_HOSTS, s.SITE_URL, str(s.STATIC_ROOT), s.CELERY_BROKER_URL, "
         "s.DEFAULT_FROM_EMAIL, s.SECURE_PROXY_SSL_HEADER, s.LOGGING['root']['level']]))"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout.splitlines()[-1]) == [
        False,
        ["localhost", "127.0.0.1"],
        "https://localhost",
        str(ROOT / "var" / "static"),  # the image's VAR_DIR, /app/var, is this default
        "redis://redis:6379/0",
        "Regionet <noreply@regionet.local>",
        ["HTTP_X_FORWARDED_PROTO", "https"],
        "INFO",
    ]
    gunicorn = subprocess.run(
        [sys.executable, "-c", "import runpy; c = runpy.run_path('config/gunicorn.py'); "
         "print(c['bind'], c['workers'] > 0, c['timeout'])"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert gunicorn.stdout.split() == ["0.0.0.0:8000", "True", "120"], gunicorn.stderr


# --- The stack on loopback ------------------------------------------------------------------


def missing_part() -> str | None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return "needs DATABASE_URL on PostgreSQL"
    if not os.environ.get("REDIS_URL"):
        return "needs REDIS_URL"
    if not shutil.which("caddy"):
        return "needs caddy (apt-get install caddy)"
    return None


@dataclass
class Stack:
    tmp: Path
    env: dict[str, str]
    https_port: int
    http_port: int
    web_port: int
    inbox: mailfixtures.Inbox
    marker: str
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"https://localhost:{self.https_port}"

    @property
    def root_ca(self) -> Path:
        return self.tmp / "caddy-data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def logs(self) -> str:
        return "\n".join(
            f"--- {name} ---\n" + "".join(self.log(name).splitlines(True)[-30:])
            for name in self.processes
        )

    def run(self, name: str, argv: list[str], timeout: float = 180) -> None:
        """A one-shot step; it must succeed."""
        with open(self.tmp / f"{name}.log", "w") as out:
            result = subprocess.run(
                argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout
            )
        assert result.returncode == 0, f"{name} failed:\n{self.log(name)[-3000:]}"

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
        out = open(self.tmp / f"{name}.log", "w")  # noqa: SIM115 (the process keeps it)
        self.processes[name] = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env or self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with its children
        )
        out.close()

    def wait_for(self, what: str, check, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return
            dead = [n for n, p in self.processes.items() if p.poll() is not None]
            if dead:
                raise AssertionError(f"{', '.join(dead)} exited while waiting for {what}:\n"
                                     + self.logs())  # fmt: skip
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}:\n" + self.logs())

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # stragglers: prefork children
            process.wait(timeout=10)

    def pids_with_marker(self) -> list[tuple[int, list[str]]]:
        """Every live process started for this stack (found by a variable in its environment)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                environ = (entry / "environ").read_bytes().split(b"\0")
                argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            except OSError:
                continue
            if f"STACK_RUN={self.marker}".encode() in environ:
                found.append((int(entry.name), [a for a in argv if a]))
        return found


def stack_redis_url() -> str:
    if os.environ.get("STACK_REDIS_URL"):
        return os.environ["STACK_REDIS_URL"]
    url = urllib.parse.urlsplit(os.environ["REDIS_URL"])
    db = int(url.path.strip("/") or 0)
    return urllib.parse.urlunsplit(url._replace(path=f"/{(db + 8) % 16}"))


def clear_redis(redis_url: str, cache_prefix: str) -> None:
    """The stack's broker starts and ends empty (no task of an earlier run reaches it), and its
    cache entries go with it."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = ["celery", "mail", "unacked", "unacked_index", "unacked_mutex"]
    keys += client.keys("_kombu.binding*") + client.keys(f"{cache_prefix}:*")
    client.delete(*keys)
    client.close()


def stack_database(suffix: str):
    """A database of the stack's own, next to the one in DATABASE_URL."""
    import dj_database_url
    import psycopg

    parsed = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"{parsed['NAME']}_{suffix}"
    admin = psycopg.connect(
        dbname="postgres",
        user=parsed["USER"] or None,
        password=parsed["PASSWORD"] or None,
        host=parsed["HOST"] or None,
        port=parsed["PORT"] or None,
        autocommit=True,
    )
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}")
    return admin, name, urllib.parse.urlunsplit(url)


def app_argv(argv: list[str]) -> list[str]:
    """A compose command, run with this virtualenv's interpreter and scripts."""
    program = sys.executable if argv[0] == "python" else str(BIN / argv[0])
    return [program, *argv[1:]]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    reason = missing_part()
    if reason:
        if os.environ.get("REQUIRE_STACK") == "1":
            pytest.fail(f"REQUIRE_STACK=1 but the stack test cannot run: {reason}")
        pytest.skip(reason)

    from aiosmtpd.controller import Controller

    tmp = tmp_path_factory.mktemp("stack")
    inbox = mailfixtures.Inbox()
    inbox.port = mailfixtures.free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    smtp.start()

    https_port, http_port, web_port, admin_port = (mailfixtures.free_port() for _ in range(4))
    base = f"https://localhost:{https_port}"
    admin, dbname, database_url = stack_database("stack")
    admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{dbname}"')
    marker = uuid.uuid4().hex
    redis_url, cache_prefix = stack_redis_url(), f"stack-{marker[:12]}"
    clear_redis(redis_url, cache_prefix)
    # The app's environment as compose gives it to a newcomer (DOMAIN=localhost) ...
    env = newcomer_env() | {
        # ... but on loopback: what compose names by service, and the image's VAR_DIR, here.
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "VAR_DIR": str(tmp / "var"),
        "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
        "CSRF_TRUSTED_ORIGINS": base,
        "SITE_URL": base,
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "WEB_CONCURRENCY": "2",  # the default (2 x cores + 1) is for a machine of its own
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(inbox.port),
        "CACHE_KEY_PREFIX": cache_prefix,
        "STACK_RUN": marker,
    }
    running = Stack(tmp, env, https_port, http_port, web_port, inbox, marker)
    try:
        # The image's build step, then compose's one-shot service.
        running.run("collectstatic", [sys.executable, "manage.py", "collectstatic", "--noinput"])
        running.run("migrate", app_argv(command("migrate")))
        running.run(
            "seed",
            [sys.executable, "manage.py", "shell", "-c",
             "from tests import factories\n"
             f"factories.LidFactory(user__email={MEMBER!r}, naam='Rook Proef')\n"
             f"factories.BijeenkomstFactory(slug={MEETING!r}, titel='Rookproef')\n"],
        )  # fmt: skip
        for name in ("web", "worker", "worker-mail", "beat"):
            running.start(name, app_argv(command(name)))
        running.start(
            "proxy",
            ["caddy", "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
            env={
                **env,
                "SITE_ADDRESS": f"localhost:{https_port}",
                "UPSTREAM": f"127.0.0.1:{web_port}",
                "HTTP_PORT": str(http_port),
                "CADDY_BIND": "127.0.0.1",
                "CADDY_ADMIN": f"127.0.0.1:{admin_port}",
                "XDG_DATA_HOME": str(tmp / "caddy-data"),
                "XDG_CONFIG_HOME": str(tmp / "caddy-config"),
            },
        )
        running.wait_for("gunicorn", lambda: plain_get(running, "/healthz")[0] != 0)
        for name in ("worker", "worker-mail"):
            running.wait_for(name, lambda n=name: " ready." in running.log(n))
        running.wait_for("beat", lambda: "beat: Starting" in running.log("beat"))
        running.wait_for("Caddy's local CA", running.root_ca.exists)
        running.wait_for("https", lambda: client(running).get("/healthz").status == 200)
        yield running
    finally:
        running.stop()
        smtp.stop()
        clear_redis(redis_url, cache_prefix)
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        admin.close()


def plain_get(stack: Stack, path: str) -> tuple[int, str]:
    """Plain HTTP straight to gunicorn, as compose's health check does inside the network."""
    request = urllib.request.Request(f"http://127.0.0.1:{stack.web_port}{path}")
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=5) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")
    except OSError:
        return 0, ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str


class Client:
    """A browser's part: cookies, the CSRF token from the form, Origin and Referer."""

    def __init__(self, stack: Stack) -> None:
        self.base = stack.base
        context = ssl.create_default_context(cafile=str(stack.root_ca))
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.jar),
            NoRedirect,
        )

    def request(self, url: str, data: dict | None = None, referer: str = "") -> Response:
        url = url if "://" in url else self.base + url
        headers = {"Referer": referer, "Origin": self.base} if data is not None else {}
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            text = response.read().decode(errors="replace")
            return Response(response.status, dict(response.headers.items()), text)

    def get(self, url: str) -> Response:
        return self.request(url)

    def post_form(self, page: str, action: str, data: dict) -> Response:
        form = self.get(page)
        assert form.status == 200, form
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
        assert token, "no CSRF token on " + page
        return self.request(
            action, {"csrfmiddlewaretoken": token.group(1), **data}, self.base + page
        )


def client(stack: Stack) -> Client:
    return Client(stack)


def test_home_page_and_static_files_are_served_over_https(stack):
    home = client(stack).get("/")
    assert home.status == 200, home.body[:500]
    css = re.search(r'href="(/static/[^"]+\.css)"', home.body)
    assert css, "no stylesheet on the home page"
    assert re.search(r"\.[0-9a-f]{12}\.css$", css.group(1)), "collectstatic's manifest not used"
    sheet = client(stack).get(css.group(1))
    assert sheet.status == 200
    assert sheet.headers["Content-Type"].startswith("text/css")


def test_plain_http_is_redirected_to_https(stack):
    plain = client(stack).get(f"http://localhost:{stack.http_port}/bijeenkomsten/archief/?x=1")
    assert plain.status in {301, 308}
    assert plain.headers["Location"] == f"{stack.base}/bijeenkomsten/archief/?x=1"


def test_health_check_answers_over_https_and_plain_http_inside_the_network(stack):
    assert client(stack).get("/healthz").status == 200
    assert plain_get(stack, "/healthz") == (200, "")
    # Only the health check: any other plain request to gunicorn is sent to https.
    status, location = plain_get(stack, "/bijeenkomsten/archief/")
    assert status == 301 and location.startswith("https://")


def test_security_headers_are_set(stack):
    home = client(stack).get("/")
    headers = {k.lower(): v for k, v in home.headers.items()}
    assert "max-age=31536000" in headers["strict-transport-security"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"]
    assert headers.get("x-frame-options") == "DENY" or "frame-ancestors" in headers.get(
        "content-security-policy", ""
    )


def test_content_security_policy_and_permissions_policy_are_set(stack):
    headers = {k.lower(): v for k, v in client(stack).get("/").headers.items()}
    assert "content-security-policy" in headers
    assert "permissions-policy" in headers


def test_member_logs_in_and_registers_and_the_mail_worker_sends_the_confirmation(stack):
    browser = client(stack)
    login = browser.post_form(
        "/accounts/login/",
        "/accounts/login/",
        {"login": MEMBER, "password": factories.PASSWORD},
    )
    assert login.status == 302, login.body[:2000]
    assert login.headers["Location"] == "/"
    session = next(c for c in browser.jar if c.name == "sessionid")
    assert session.secure
    assert 'action="/accounts/logout/"' in browser.get("/").body

    page = f"/bijeenkomsten/{MEETING}/"
    registered = browser.post_form(page, f"{page}aanmelden/", {})
    assert registered.status == 302, registered.body[:2000]
    assert f'action="{page}afmelden/"' in browser.get(page).body  # registered: may cancel

    stack.inbox.wait_for(1, timeout=60)
    mails = stack.inbox.to(MEMBER)
    assert len(mails) == 1, stack.logs()
    assert "Rookproef" in mails[0]["Subject"]
    # Sent by the mail worker: the default worker never saw the task.
    received = "Task berichten.tasks.send_mails["
    assert received in stack.log("worker-mail")
    assert received not in stack.log("worker")


def test_exactly_one_beat_runs(stack):
    processes = stack.pids_with_marker()
    assert any("gunicorn" in " ".join(argv) for _, argv in processes)
    # A worker with -B (or its prefork children) would count here too.
    beats = [argv for _, argv in processes if runs_beat(argv)]
    assert len(beats) == 1, processes
