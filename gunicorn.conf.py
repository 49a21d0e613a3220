"""gunicorn settings of the web process (docker-compose, the Dockerfile and `make bench`).

Threaded workers: a portal request spends much of its time waiting on PostgreSQL and Redis, so
a few threads per process keep the cores busy where one sync worker per process would idle.
Each thread keeps its own database connection (CONN_MAX_AGE): workers x threads connections.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # nosec B104 - inside the container
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
