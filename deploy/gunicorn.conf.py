"""Gunicorn settings for production and for ``make bench`` (``gunicorn -c deploy/gunicorn.conf.py wsgi:app``).

Measured choice (docs/performance.md, ``bench/tune_workers.py``): threaded workers (``gthread``), ONE process per
core, 4 threads each. A request spends much of its time waiting for PostgreSQL and Redis, so a few threads keep a
core busy; more processes or threads than that only add context switches and PostgreSQL connections competing for
the same two cores (2 × cores processes × 4 threads cost ~40 % more CPU per autosave than 1 × cores × 4).
Override with GUNICORN_WORKER_CLASS / GUNICORN_WORKERS / GUNICORN_THREADS."""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
backlog = 4096  # a start storm queues thousands of connections at once; none should be refused
keepalive = 75  # longer than any pause of a student page between requests (nginx uses 75 s too): an idle kept-alive connection closed just as the browser reuses it resets that request
timeout = 60
graceful_timeout = 20
max_requests = 0
accesslog = None
