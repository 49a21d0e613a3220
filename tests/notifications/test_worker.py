"""Jobs on a real Celery worker: in a thread on the configured broker, and as a separate process
on Redis that is killed with SIGKILL in the middle of a job."""

import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection

from core.models import JobRun, JobRunOutcome
from notifications.models import Notification, NotificationKind
from notifications.services import notification_send
from tests.worker_harness import (  # noqa: F401 - real_broker is a fixture
    kill,
    kill_while_running,
    real_broker,
    start_worker_process,
    wait_for,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_job_queued_by_a_service_runs_on_a_real_worker(real_broker, head_a):  # noqa: F811
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


def test_a_job_killed_with_its_worker_completes_once_on_a_new_worker(
    real_broker,  # noqa: F811
    head_a,
    tmp_path,
):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the kill test needs Redis to redeliver the job")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share: set DATABASE_URL")
    log = tmp_path / "worker.log"
    run_key = f"worker-test:{uuid.uuid4().hex}"
    first = start_worker_process(log)
    second = None
    try:
        # given a four-step job (1 s a step) running on the first worker
        real_broker.send_task(
            "tests.worker_jobs.slow_steps_task",
            kwargs={"user_id": head_a.pk, "steps": 4, "seconds": 1, "run_key": run_key},
        )
        step_one = Notification.objects.filter(dedupe_key=f"{run_key}:step-1")
        wait_for(step_one.exists, timeout=60, what=f"step 1 (worker log: {log})")
        # when the worker is killed in the middle of the job
        kill(first)
        assert not Notification.objects.filter(dedupe_key=f"{run_key}:step-4").exists()
        assert JobRun.objects.get(run_key=run_key).outcome == JobRunOutcome.RUNNING
        # and a new worker starts
        second = start_worker_process(log)
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
                kill(process)


def test_an_export_whose_worker_is_killed_is_taken_over_after_its_lease_and_done_once(
    real_broker,  # noqa: F811
    home_affairs,
    tmp_path,
    settings,
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
    first = start_worker_process(log, **env)
    second = None
    try:
        real_broker.send_task("reporting.jobs.run_export_task", args=[export.pk])
        # when its worker is killed in the middle
        kill_while_running(export, first, log)
        # then, once the lease ran out, the reaper hands it to a new worker
        second = start_worker_process(log, **env)
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
                kill(process)
    export.refresh_from_db()
    # and it was done once: a second take, every row, one notice, no scratch file left
    assert export.attempts == 2
    assert export.rows_written == OrgUnit.objects.count()
    assert export.file.name.endswith(".xlsx")
    notices = home_affairs.notifications.filter(kind=NotificationKind.JOB)
    assert [notice.message for notice in notices] == ["Xuất Excel “Đơn vị” đã hoàn tất."]
    assert list(tmp_path.glob("reporting-export-*")) == []


def test_a_redelivered_or_duplicated_job_does_not_notify_twice(
    real_broker,  # noqa: F811
    home_affairs,
    head_a,
    staff_a,
    unit_a,
    tmp_path,
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
        "report_id": report.pk, "actor_id": home_affairs.pk, "review_id": 41, "pause": 3,
    }  # fmt: skip
    notified = Notification.objects.filter(dedupe_key__startswith="report.returned:")
    log = tmp_path / "worker.log"
    first = start_worker_process(log)
    second = None
    try:
        # given a job that emitted its event (committed) and is killed before it finished
        result = real_broker.send_task(
            "tests.worker_jobs.return_report_event_task", kwargs=arguments, ignore_result=False
        )
        wait_for(lambda: notified.count() == 2, timeout=60, what=f"the event (log: {log})")
        kill(first)
        # when Redis redelivers it to a new worker, and the message is also sent twice more
        second = start_worker_process(log)
        assert result.get(timeout=90) == 41  # the redelivered run finished
        duplicates = [
            real_broker.send_task(
                "tests.worker_jobs.return_report_event_task",
                kwargs={**arguments, "pause": 0},
                ignore_result=False,
            )
            for _ in range(2)
        ]
        for duplicate in duplicates:
            assert duplicate.get(timeout=60) == 41
    finally:
        for process in (first, second):
            if process is not None:
                kill(process)
    # then each person of the unit was told once, and Home Affairs (the actor) not at all
    assert sorted(notified.values_list("recipient__username", flat=True)) == [
        "head_a",
        "staff_a",
    ]
