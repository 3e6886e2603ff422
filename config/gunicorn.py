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
timeout = 30
graceful_timeout = 30
