"""Production settings: no default secret, and `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_start_up_fails_without_a_secret_key_in_production():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x7" * 30 + "-deploy-check-key",
        ALLOWED_HOSTS="regionet.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_dutch_is_the_language_and_amsterdam_the_time_zone(settings):
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.USE_TZ and settings.USE_I18N


def test_a_test_run_keeps_its_cache_keys_to_itself():
    """A shared Redis holds rate limits and pages of earlier runs; this run must not read them."""
    from django.core.cache import cache

    prefix = os.environ["CACHE_KEY_PREFIX"]
    assert prefix.startswith("test-")
    assert cache.make_key("allauth:rl:x").startswith(prefix + ":")


def test_gunicorn_accepts_its_configuration():
    """config/gunicorn.py serves the Dockerfile, compose and the benchmark."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--check-config"]
        + ["-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "x7" * 30},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
