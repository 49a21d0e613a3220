import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from core.jobruns import day_run_key, job_registry, run_tracked, stale_after, tracked_job
from core.models import JobRun, JobRunOutcome
from notifications.jobs import DIGEST_JOB, send_daily_digests_task
from tests.factories import UserFactory
from tests.notifications.factories import NotificationFactory

VN = datetime.timezone(datetime.timedelta(hours=7))
pytestmark = pytest.mark.django_db


def test_run_key_day_is_vietnam_day_across_midnight():
    # 23:59 and 00:01 in Vietnam are both 21/11 in UTC
    with time_machine.travel(datetime.datetime(2026, 11, 21, 23, 59, tzinfo=VN), tick=False):
        before = day_run_key("deadline-scan")
    with time_machine.travel(datetime.datetime(2026, 11, 22, 0, 1, tzinfo=VN), tick=False):
        after = day_run_key("deadline-scan")
    assert (before, after) == ("deadline-scan:2026-11-21", "deadline-scan:2026-11-22")


def test_each_untracked_key_run_is_recorded_with_its_rows():
    run_tracked("cleanup", lambda: 7)
    run_tracked("cleanup", lambda: 0)
    assert list(JobRun.objects.order_by("pk").values_list("outcome", "rows")) == [
        ("succeeded", 7),
        ("succeeded", 0),
    ]
    assert JobRun.objects.filter(finished_at__isnull=True).count() == 0


def test_a_keyed_job_runs_once_and_the_second_run_is_recorded_as_skipped():
    calls = []

    @tracked_job("scan", run_key=lambda day: f"scan:{day}")
    def scan(day):
        calls.append(day)
        return 3

    first = scan("2026-11-21")
    second = scan("2026-11-21")
    third = scan("2026-11-22")
    assert calls == ["2026-11-21", "2026-11-22"]
    assert (first.outcome, second.outcome, third.outcome) == ("succeeded", "skipped", "succeeded")
    assert "scan:2026-11-21" in second.error and second.run_key is None
    assert JobRun.objects.get(run_key="scan:2026-11-21").rows == 3


def test_a_failed_run_is_recorded_and_may_be_retried_on_the_same_key():
    def boom():
        raise RuntimeError("mail server down")

    with pytest.raises(RuntimeError):
        run_tracked("digest", boom, run_key="digest:2026-11-21")
    failed = JobRun.objects.get(run_key="digest:2026-11-21")
    assert failed.outcome == JobRunOutcome.FAILED
    assert "mail server down" in failed.error and failed.finished_at is not None
    # when retried
    retried = run_tracked("digest", lambda: 2, run_key="digest:2026-11-21")
    # then the same row now records the success
    assert retried.pk == failed.pk
    assert (retried.outcome, retried.rows, retried.error) == ("succeeded", 2, "")


def test_a_fresh_running_row_of_another_task_is_not_run_again():
    with time_machine.travel(datetime.datetime(2026, 11, 21, 7, 0, tzinfo=VN), tick=False):
        JobRun.objects.create(
            job="digest", run_key="digest:2026-11-21", started_at=datetime.datetime.now(VN)
        )
    with time_machine.travel(datetime.datetime(2026, 11, 21, 7, 5, tzinfo=VN), tick=False):
        run = run_tracked("digest", lambda: 1, run_key="digest:2026-11-21")
    assert run.outcome == JobRunOutcome.SKIPPED


def test_a_stale_running_row_is_taken_over():
    # given a run whose worker died at 07:00
    start = datetime.datetime(2026, 11, 21, 7, 0, tzinfo=VN)
    JobRun.objects.create(job="digest", run_key="digest:2026-11-21", started_at=start)
    # when it is run again after the hard time limit
    later = start + stale_after() + datetime.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        run = run_tracked("digest", lambda: 1, run_key="digest:2026-11-21")
    assert run.outcome == JobRunOutcome.SUCCEEDED
    assert JobRun.objects.count() == 1


def test_a_redelivered_task_takes_over_its_own_running_row(with_emails):
    # given the digest task "abc" was running when its worker was killed
    head_a, _, _ = with_emails
    NotificationFactory(recipient=head_a)
    key = day_run_key(DIGEST_JOB)
    JobRun.objects.create(
        job=DIGEST_JOB,
        run_key=key,
        started_at=datetime.datetime.now(VN),
        task_id="abc",
    )
    # when another task arrives it is skipped; the redelivered message (same id) runs
    other = send_daily_digests_task.apply(task_id="other").get()
    redelivered = send_daily_digests_task.apply(task_id="abc").get()
    assert (other, redelivered) == ("skipped: 0", "succeeded: 1")
    assert len(mail.outbox) == 1


def test_running_the_digest_job_twice_sends_one_mail(with_emails):
    head_a, staff_a, _ = with_emails
    NotificationFactory(recipient=head_a)
    NotificationFactory(recipient=staff_a)
    first = send_daily_digests_task.apply().get()
    second = send_daily_digests_task.apply().get()
    assert (first, second) == ("succeeded: 2", "skipped: 0")
    assert len(mail.outbox) == 2
    assert sorted(JobRun.objects.values_list("outcome", flat=True)) == ["skipped", "succeeded"]


def test_registry_knows_beat_entries_and_tasks():
    registry = job_registry()
    assert registry["notifications-daily-digest"] == "notifications.jobs.send_daily_digests_task"
    assert registry["purge_read_notifications_task"] == (
        "notifications.jobs.purge_read_notifications_task"
    )
    assert not any(name.startswith("celery.") for name in registry)


def test_run_job_command_lists_and_runs(with_emails, capsys):
    head_a, _, _ = with_emails
    NotificationFactory(recipient=head_a)
    call_command("run_job", "--list")
    assert "notifications-daily-digest" in capsys.readouterr().out
    call_command("run_job", "notifications-daily-digest")
    assert "succeeded: 1" in capsys.readouterr().out
    assert len(mail.outbox) == 1
    call_command("run_job", "notifications-daily-digest", "--kwargs", '{"day": "2026-01-02"}')
    assert JobRun.objects.filter(run_key=f"{DIGEST_JOB}:2026-01-02").exists()


def test_run_job_rejects_unknown_names_and_bad_arguments():
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("run_job", "no-such-job")
    with pytest.raises(CommandError, match="JSON"):
        call_command("run_job", "notifications-daily-digest", "--kwargs", "{day")


def test_run_job_reports_a_failing_job():
    with pytest.raises(CommandError, match="failed"):
        call_command("run_job", "notifications-daily-digest", "--kwargs", '{"day": "21/11"}')


def test_every_beat_entry_names_a_registered_task_in_vietnam_time(settings):
    from celery import current_app

    registry = job_registry()
    for name in settings.CELERY_BEAT_SCHEDULE:
        assert registry[name] in current_app.tasks, name
    digest = settings.CELERY_BEAT_SCHEDULE["notifications-daily-digest"]["schedule"]
    assert (digest.hour, digest.minute) == ({7}, {0})
    assert current_app.conf.timezone == "Asia/Ho_Chi_Minh"


def test_running_the_purge_job_twice_deletes_once():
    from notifications.jobs import purge_read_notifications_task

    NotificationFactory(
        recipient=UserFactory(),
        read_at=datetime.datetime(2020, 1, 1, tzinfo=VN),
    )
    first = purge_read_notifications_task.apply().get()
    second = purge_read_notifications_task.apply().get()
    assert (first, second) == ("succeeded: 1", "succeeded: 0")
