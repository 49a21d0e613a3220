"""The daily deadline scan: due-soon reminders and newly overdue work, once each."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command

from core.models import JobRun, JobRunOutcome
from notifications.jobs import send_daily_digests_task
from notifications.models import Notification, NotificationKind, NotificationPreference
from tasks import services
from tasks.jobs import deadline_scan_task
from tasks.models import Assignment, TaskRecurrence
from tasks.services.reminders import assignments_remind_deadlines
from tasks.status import WorkflowState
from tests.tasks.helpers import make_assignment

VN = datetime.timezone(datetime.timedelta(hours=7))
D = datetime.date


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=VN)


@pytest.fixture(autouse=True)
def _empty_outbox():
    mail.outbox = []


@pytest.fixture
def emails(head_a, staff_a, head_b):
    for user in (head_a, staff_a, head_b):
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])
    return head_a, staff_a, head_b


def received(user) -> list[tuple[str, int]]:
    return sorted(
        Notification.objects.filter(recipient=user).values_list("kind", "object_id"),
    )


def test_work_due_in_7_3_and_1_days_reminds_the_units_head_and_staff(
    directive, unit_a, unit_b, head_a, staff_a, head_b
):
    # given work of unit A due in 7, 3, 1 and 2 days, and work of unit B due in 3 days
    in_7 = make_assignment(directive, unit_a, "1", D(2026, 11, 28))
    in_3 = make_assignment(directive, unit_a, "2", D(2026, 11, 24))
    in_1 = make_assignment(directive, unit_a, "3", D(2026, 11, 22))
    make_assignment(directive, unit_a, "4", D(2026, 11, 23))
    of_b = make_assignment(directive, unit_b, "5", D(2026, 11, 24))
    # when the scan runs on 21/11 at 06:50 (Vietnam time)
    with time_machine.travel(at(21, 6, 50), tick=False):
        result = assignments_remind_deadlines()
    # then unit A's head and staff each get three reminders, unit B's head one
    due = NotificationKind.DUE_SOON
    assert (
        received(head_a)
        == received(staff_a)
        == sorted([(due, in_7.pk), (due, in_3.pk), (due, in_1.pk)])
    )
    assert received(head_b) == [(due, of_b.pk)]
    assert (result.due_soon, result.overdue) == (7, 0)
    message = Notification.objects.get(recipient=head_a, object_id=in_3.pk)
    expected = f"Còn 3 ngày đến hạn (24/11/2026): {directive.number} · 2. Nhiệm vụ số 2"
    assert message.message == expected
    assert message.link == f"/nhiem-vu/{in_3.pk}/"
    assert message.dedupe_key == f"due_soon:tasks.assignment.{in_3.pk}:2026-11-21"


def test_done_suspended_and_cancelled_work_is_not_reminded(directive, unit_a, head_a):
    done = make_assignment(directive, unit_a, "1", D(2026, 11, 24))
    suspended = make_assignment(directive, unit_a, "2", D(2026, 11, 24))
    Assignment.objects.filter(pk=done.pk).update(
        state=WorkflowState.CONFIRMED, completed_on=D(2026, 11, 20)
    )
    Assignment.objects.filter(pk=suspended.pk).update(state=WorkflowState.SUSPENDED)
    with time_machine.travel(at(21, 6, 50), tick=False):
        assert assignments_remind_deadlines().total == 0
    assert not Notification.objects.exists()


def test_an_approved_extension_moves_the_reminder(directive, unit_a, head_a):
    extended = make_assignment(directive, unit_a, "1", D(2026, 11, 22))
    Assignment.objects.filter(pk=extended.pk).update(extended_deadline=D(2026, 11, 28))
    with time_machine.travel(at(21, 6, 50), tick=False):
        assignments_remind_deadlines()
    assert Notification.objects.get(recipient=head_a).message.startswith("Còn 7 ngày đến hạn")


def test_overdue_is_notified_from_midnight_vietnam_time_and_mailed_once(
    directive, unit_a, emails, django_capture_on_commit_callbacks
):
    head_a, staff_a, head_b = emails
    # given work due 21/11, and staff A who turned immediate mails off
    assignment = make_assignment(directive, unit_a, "1", D(2026, 11, 21))
    NotificationPreference.objects.create(user=staff_a, immediate_overdue=False)
    # at 23:59 on 21/11 it is not overdue yet
    with time_machine.travel(at(21, 23, 59), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert assignments_remind_deadlines().overdue == 0
    # at 00:01 on 22/11 (still 21/11 in UTC) it is overdue: head and staff are told
    with time_machine.travel(at(22, 0, 1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert assignments_remind_deadlines().overdue == 2
    # and the scans of the following days tell nobody again
    for day in (22, 23, 24):
        with time_machine.travel(at(day, 6, 50), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                assert assignments_remind_deadlines().overdue == 0
    overdue = NotificationKind.OVERDUE
    assert received(head_a) == received(staff_a) == [(overdue, assignment.pk)]
    assert Notification.objects.get(recipient=head_a).dedupe_key == (
        f"overdue:tasks.assignment.{assignment.pk}:2026-11-22"
    )
    # the immediate mail goes to the head only: staff A keeps it for the digest
    [message] = mail.outbox
    assert message.to == ["head_a@example.vn"]
    assert "Quá hạn từ 21/11/2026" in message.body


def test_a_missed_scan_is_caught_up_but_old_overdue_work_is_not_announced(
    directive, unit_a, head_a
):
    # given work that went overdue two days ago (the beat was down) and work overdue for weeks
    recent = make_assignment(directive, unit_a, "1", D(2026, 11, 19))
    make_assignment(directive, unit_a, "2", D(2026, 10, 1))
    with time_machine.travel(at(21, 6, 50), tick=False):
        assignments_remind_deadlines()
    assert received(head_a) == [(NotificationKind.OVERDUE, recent.pk)]


def test_a_recurring_assignment_is_reminded_per_period(directive, unit_a, head_a):
    # given a monthly report due 5 days after each month ends
    task = services.task_create(
        directive=directive,
        item_number="1",
        title="Báo cáo tình hình CCHC hằng tháng",
        lead_unit=unit_a,
        recurrence=TaskRecurrence.MONTHLY,
        period_offset_days=5,
        recurrence_start=D(2026, 10, 1),
        recurrence_end=D(2026, 12, 31),
        expected_output="Báo cáo tháng",
    )
    october = task.assignments.get().periods.get(period_start=D(2026, 10, 1))
    # when the scan runs on 4/11, October's report (due 5/11) is due tomorrow
    with time_machine.travel(at(4, 6, 50), tick=False):
        assignments_remind_deadlines()
    [notification] = Notification.objects.filter(recipient=head_a)
    assert (notification.kind, notification.object_id) == (NotificationKind.DUE_SOON, october.pk)
    assert "(kỳ 01/10/2026–31/10/2026)" in notification.message


def test_the_job_runs_once_a_day_and_twice_gives_one_notification(directive, unit_a, head_a):
    make_assignment(directive, unit_a, "1", D(2026, 11, 24))
    with time_machine.travel(at(21, 6, 50), tick=False):
        first = deadline_scan_task.delay().get()
        second = deadline_scan_task.delay().get()
    assert first == "succeeded: 1"
    assert second == "skipped: 0"
    assert Notification.objects.filter(recipient=head_a).count() == 1
    run = JobRun.objects.get(run_key="tasks-deadline-scan:2026-11-21")
    assert (run.outcome, run.rows) == (JobRunOutcome.SUCCEEDED, 1)


def test_run_job_runs_the_scan_now(directive, unit_a, head_a, capsys):
    make_assignment(directive, unit_a, "1", D(2026, 11, 24))
    with time_machine.travel(at(21, 10), tick=False):
        call_command("run_job", "tasks-deadline-scan")
    assert "tasks-deadline-scan: succeeded: 1" in capsys.readouterr().out
    assert Notification.objects.filter(recipient=head_a).count() == 1


def test_the_0650_scan_lands_in_the_0700_digest_once(directive, unit_a, emails):
    head_a, staff_a, _ = emails
    make_assignment(directive, unit_a, "1", D(2026, 11, 28))
    with time_machine.travel(at(21, 6, 50), tick=False):
        deadline_scan_task.delay()
    with time_machine.travel(at(21, 7), tick=False):
        send_daily_digests_task.delay()
        send_daily_digests_task.delay()
    assert sorted(m.to[0] for m in mail.outbox) == ["head_a@example.vn", "staff_a@example.vn"]
    assert "Còn 7 ngày đến hạn (28/11/2026)" in mail.outbox[0].body


@pytest.mark.parametrize("per_kind", [1, 6])
def test_the_scan_runs_a_fixed_number_of_queries(
    directive, unit_a, head_a, staff_a, per_kind, django_assert_num_queries
):
    # given `per_kind` assignments due in 3 days and as many newly overdue
    for n in range(per_kind):
        make_assignment(directive, unit_a, f"s{n}", D(2026, 11, 24))
        make_assignment(directive, unit_a, f"o{n}", D(2026, 11, 20))
    ContentType.objects.get_for_model(Assignment)  # cached in production after the first run
    # then the scan costs the same whatever the number of rows: the savepoint and its release,
    # and for each kind (overdue: each first overdue day, here one): one-off rows, period rows,
    # the units' people, then in a savepoint the keys they already have and the insert
    with time_machine.travel(at(21, 6, 50), tick=False):
        with django_assert_num_queries(2 + 2 * 7):
            result = assignments_remind_deadlines()
    assert (result.due_soon, result.overdue) == (2 * per_kind, 2 * per_kind)


def test_the_scan_is_scheduled_before_the_digest_and_the_summary_on_monday_morning():
    schedule = settings.CELERY_BEAT_SCHEDULE
    scan = schedule["tasks-deadline-scan"]["schedule"]
    digest = schedule["notifications-daily-digest"]["schedule"]
    summary = schedule["tasks-leadership-summary"]["schedule"]
    assert (scan.hour, scan.minute) == ({6}, {50})
    assert (digest.hour, digest.minute) == ({7}, {0})
    assert (summary.hour, summary.minute, summary.day_of_week) == ({7}, {30}, {1})
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"
