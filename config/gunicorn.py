"""gunicorn settings for production: used by the Dockerfile, docker-compose.yml and bench/pages.py.

gunicorn -c config/gunicorn.py config.wsgi
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers sit idle while PostgreSQL or Redis answers: gunicorn's advice of two per core
# plus one keeps the cores busy meanwhile.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A sync worker gets no heartbeat while it serves one request, streamed or not, so the
# timeout bounds the longest request: an XLSX export took 15 s for 100,000 rows and 34 s for
# 241,000 on this project's 2-core machines (bench/exports.py); 30 s would cut it off.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
