"""gunicorn settings for production: used by the Dockerfile, docker-compose.yml and bench/pages.py.

gunicorn -c config/gunicorn.py config.wsgi
"""

import multiprocessing
import os

# An empty variable (a .env copied from .env.example) means the default.
bind = os.environ.get("GUNICORN_BIND") or "0.0.0.0:8000"
# Sync workers sit idle while PostgreSQL or Redis answers: gunicorn's advice of two per core
# plus one keeps the cores busy meanwhile.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# A sync worker gets no heartbeat while it serves one request, streamed or not, so the
# timeout bounds the longest request: an XLSX export took 15 s for 100,000 rows and 34 s for
# 241,000 on this project's 2-core machines (bench/exports.py); 30 s would cut it off.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 120)
graceful_timeout = 30
# No control socket ($HOME/.gunicorn/gunicorn.ctl): the container is managed with signals, its
# home is read-only, and several gunicorns on one machine (bench, tests) would share the path.
control_socket_disable = True
