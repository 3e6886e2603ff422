"""`make bench`: run every benchmark under bench/ in turn and print what each measures.

Benchmarks need PostgreSQL (DATABASE_URL) and, for mail, Redis (REDIS_URL); each prints
ratios measured in the same run, never absolute targets.
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "pages.py",
    "rush.py",
    "exports.py",
    "nodes.py",
    "mail.py",
    "planner.py",
    "surveys.py",
    "certificates.py",
]


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database the benchmarks use, if this machine has none yet."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        return
    params = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def main() -> int:
    os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/regionet_bench")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
    ensure_database(os.environ["DATABASE_URL"])
    failures = 0
    for name in BENCHMARKS:
        path = HERE / name
        if not path.exists():
            continue
        print(f"\n=== {name}", flush=True)
        failures += (
            subprocess.call([sys.executable, str(path), *sys.argv[1:]], cwd=HERE.parent) != 0
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
