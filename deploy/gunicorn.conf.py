"""Gunicorn settings for production and for ``make bench`` (``gunicorn -c deploy/gunicorn.conf.py wsgi:app``).

Measured choice (docs/performance.md): threaded workers, because a request spends most of its time
waiting for PostgreSQL; two processes per core keep both cores busy while one waits on the GIL.
Override with GUNICORN_WORKERS / GUNICORN_THREADS."""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
backlog = 4096
keepalive = 30
timeout = 60
graceful_timeout = 20
max_requests = 0
accesslog = None
