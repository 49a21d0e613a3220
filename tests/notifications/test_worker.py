"""Jobs on a real Celery worker: in a thread on the configured broker, and as a separate process
on Redis that is killed with SIGKILL in the middle of a job."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import current_app
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import OperationalError, connection

from core.models import JobRun, JobRunOutcome
from notifications.models import Notification, NotificationKind
from notifications.services import notification_send

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


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


def test_a_job_queued_by_a_service_runs_on_a_real_worker(real_broker, head_a):
    # given head A has an e-mail address and a worker runs on the configured broker
    head_a.email = "head_a@stc.example"
    head_a.save(update_fields=["email"])
    with start_worker(real_broker, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        # when the service queues the immediate-mail job (on commit)
        notification = notification_send(
            recipient=head_a, kind=NotificationKind.OVERDUE, message="Việc X quá hạn"
        )
        # then the worker claims and mails it
        wait_for(
            lambda: Notification.objects.filter(
                pk=notification.pk, emailed_at__isnull=False
            ).exists(),
            timeout=30,
            what="the worker to mail the notification",
        )


def _worker_env(**extra: str) -> dict[str, str]:
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
        # Short limits so a killed worker's job comes back within the test: the job (8 s)
        # fits the hard limit, and the visibility timeout must be above it (settings refuse
        # anything else).
        "CELERY_TASK_SOFT_TIME_LIMIT": "10",
        "CELERY_TASK_TIME_LIMIT": "12",
        "CELERY_VISIBILITY_TIMEOUT": "13",
        **extra,
    }


def _start_worker_process(log: Path, **env: str) -> subprocess.Popen:
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
        env=_worker_env(**env),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, killed as a whole
    )


def _kill(process: subprocess.Popen) -> None:
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
    _kill(worker)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (JobStatus.RUNNING, 1)


def test_a_job_killed_with_its_worker_completes_once_on_a_new_worker(real_broker, head_a, tmp_path):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the kill test needs Redis to redeliver the job")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share: set DATABASE_URL")
    log = tmp_path / "worker.log"
    run_key = f"worker-test:{uuid.uuid4().hex}"
    first = _start_worker_process(log)
    second = None
    try:
        # given a four-step job (2 s a step) running on the first worker
        real_broker.send_task(
            "tests.worker_jobs.slow_steps_task",
            kwargs={"user_id": head_a.pk, "steps": 4, "seconds": 2, "run_key": run_key},
        )
        step_one = Notification.objects.filter(dedupe_key=f"{run_key}:step-1")
        wait_for(step_one.exists, timeout=60, what=f"step 1 (worker log: {log})")
        # when the worker is killed in the middle of the job
        _kill(first)
        assert not Notification.objects.filter(dedupe_key=f"{run_key}:step-4").exists()
        assert JobRun.objects.get(run_key=run_key).outcome == JobRunOutcome.RUNNING
        # and a new worker starts
        second = _start_worker_process(log)
        # then the redelivered job completes
        wait_for(
            lambda: JobRun.objects.filter(
                run_key=run_key, outcome=JobRunOutcome.SUCCEEDED
            ).exists(),
            timeout=90,
            what=f"the job to complete on the new worker (worker log: {log})",
        )
        # and its effect exists exactly once
        keys = sorted(
            Notification.objects.filter(dedupe_key__startswith=run_key).values_list(
                "dedupe_key", flat=True
            )
        )
        assert keys == [f"{run_key}:step-{n}" for n in range(1, 5)]
        assert JobRun.objects.filter(run_key=run_key).count() == 1
    finally:
        for process in (first, second):
            if process is not None:
                _kill(process)


def test_an_export_whose_worker_is_killed_is_taken_over_after_its_lease_and_done_once(
    real_broker, home_affairs, tmp_path, settings
):
    from core import background
    from core.models import JobStatus
    from organizations.models import OrgUnit
    from reporting.models import Export
    from tests.worker_jobs import SLOW_EXPORT_KEY

    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the kill test runs on Redis")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share: set DATABASE_URL")
    for number in range(6):
        OrgUnit.objects.create(code=f"SLOW-{number}", name=f"Đơn vị {number}")
    # given an export (a second a row) running on a worker that renews a 3-second lease, with
    # the broker's own redelivery far away (its default visibility timeout)
    settings.JOB_TEMP_DIR = tmp_path
    env = {
        "JOB_LEASE_SECONDS": "3",
        "JOB_TEMP_DIR": str(tmp_path),
        "CELERY_VISIBILITY_TIMEOUT": "3600",
    }
    log = tmp_path / "worker.log"
    export = Export.objects.create(user=home_affairs, key=SLOW_EXPORT_KEY, title="Đơn vị")
    first = _start_worker_process(log, **env)
    second = None
    try:
        real_broker.send_task("reporting.jobs.run_export_task", args=[export.pk])
        # when its worker is killed in the middle
        kill_while_running(export, first, log)
        # then, once the lease ran out, the reaper hands it to a new worker
        second = _start_worker_process(log, **env)
        wait_for(
            lambda: background.reap()["requeued"] == 1,
            timeout=30,
            what="the lease to run out and the reaper to requeue the export",
        )
        wait_for(
            lambda: Export.objects.filter(pk=export.pk, status=JobStatus.SUCCEEDED).exists(),
            timeout=90,
            what=f"the export to finish on the new worker (worker log: {log})",
        )
        # the notice is written just after the row's success is committed
        wait_for(
            home_affairs.notifications.filter(kind=NotificationKind.JOB).exists,
            timeout=10,
            what="the notice to the person who asked for the export",
        )
    finally:
        for process in (first, second):
            if process is not None:
                _kill(process)
    export.refresh_from_db()
    # and it was done once: a second take, every row, one notice, no scratch file left
    assert export.attempts == 2
    assert export.rows_written == OrgUnit.objects.count()
    assert export.file.name.endswith(".xlsx")
    notices = home_affairs.notifications.filter(kind=NotificationKind.JOB)
    assert [notice.message for notice in notices] == ["Xuất Excel “Đơn vị” đã hoàn tất."]
    assert list(tmp_path.glob("reporting-export-*")) == []


def test_a_redelivered_or_duplicated_job_does_not_notify_twice(
    real_broker, home_affairs, head_a, staff_a, unit_a, tmp_path
):
    import datetime

    from tasks import services as task_services
    from tasks.models import OutputKind, ProgressReport
    from tests.tasks.factories import DirectiveFactory

    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: redelivery is Redis's")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share: set DATABASE_URL")
    directive = DirectiveFactory(number="8/KH-UBND", issue_date=datetime.date(2026, 1, 10))
    task = task_services.task_create(
        directive=directive, item_number="1", title="Rà soát văn bản", lead_unit=unit_a,
        deadline=datetime.date(2026, 6, 30), output_kind=OutputKind.ACTIVITY,
    )  # fmt: skip
    report = ProgressReport.objects.create(
        assignment=task.assignments.get(), percent=100, text="Xong", reports_done=True,
        author=head_a,
    )  # fmt: skip
    arguments = {
        "report_id": report.pk, "actor_id": home_affairs.pk, "review_id": 41, "pause": 6,
    }  # fmt: skip
    notified = Notification.objects.filter(dedupe_key__startswith="report.returned:")
    log = tmp_path / "worker.log"
    first = _start_worker_process(log)
    second = None
    try:
        # given a job that emitted its event (committed) and is killed before it finished
        result = real_broker.send_task(
            "tests.worker_jobs.return_report_event_task", kwargs=arguments
        )
        wait_for(lambda: notified.count() == 2, timeout=60, what=f"the event (log: {log})")
        _kill(first)
        # when Redis redelivers it to a new worker, and the message is also sent twice more
        second = _start_worker_process(log)
        assert result.get(timeout=90) == 41  # the redelivered run finished
        duplicates = [
            real_broker.send_task(
                "tests.worker_jobs.return_report_event_task", kwargs={**arguments, "pause": 0}
            )
            for _ in range(2)
        ]
        for duplicate in duplicates:
            assert duplicate.get(timeout=60) == 41
    finally:
        for process in (first, second):
            if process is not None:
                _kill(process)
    # then each person of the unit was told once, and Home Affairs (the actor) not at all
    assert sorted(notified.values_list("recipient__username", flat=True)) == [
        "head_a",
        "staff_a",
    ]
