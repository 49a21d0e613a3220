"""The shared harness of the real-worker tests: a broker the jobs really go to, a Celery worker
started as its own process (its own process group) on the test database, a SIGKILL of that
group while a job row runs, and a wait for what should follow. The notification, import,
export and report-generation kill tests all use it; none copies it."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings
from django.db import OperationalError, connection

ROOT = Path(__file__).resolve().parents[1]


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OperationalError:
            # SQLite's shared in-memory test database locks a table while the worker thread
            # writes to it (no busy wait in shared-cache mode): look again.
            pass
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture
def real_broker():
    """Jobs go to the broker instead of running inline; leftovers of earlier runs are purged."""
    app = current_app
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    if settings.REDIS_URL:
        import redis

        redis.Redis.from_url(settings.REDIS_URL).delete("unacked", "unacked_index", "unacked_mutex")
    app.control.purge()
    yield app
    app.control.purge()
    app.conf.task_always_eager = eager


def worker_env(**extra: str) -> dict[str, str]:
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,  # the test database pytest-django created
        "REDIS_URL": settings.REDIS_URL,
        "CCHC_TEST_REAL_WORKER": "true",
        # Short limits so a killed worker's job comes back within seconds: the jobs the tests
        # kill (4 s at most) fit the hard limit, and the visibility timeout must be above it
        # (settings refuse anything else).
        "CELERY_TASK_SOFT_TIME_LIMIT": "4",
        "CELERY_TASK_TIME_LIMIT": "5",
        "CELERY_VISIBILITY_TIMEOUT": "6",
        **extra,
    }


def start_worker_process(log: Path, **env: str) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "cchc_portal",
        "worker",
        "--pool=solo",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-n",
        f"kill-test-{uuid.uuid4().hex[:8]}@%h",
    ]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=worker_env(**env),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, killed as a whole
    )


def kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def kill_while_running(row, worker: subprocess.Popen, log: Path) -> None:
    """Wait until the job row runs on `worker`, let it work two seconds, SIGKILL the worker,
    and check the row is left running on its first take (what the tests then recover)."""
    from core.models import JobStatus

    model = type(row)
    wait_for(
        lambda: model.objects.filter(pk=row.pk, status=JobStatus.RUNNING).exists(),
        timeout=60,
        what=f"the job to start (worker log: {log})",
    )
    time.sleep(2)
    kill(worker)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (JobStatus.RUNNING, 1)
