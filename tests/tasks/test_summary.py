"""The Monday leadership summary: figures now and a week ago, units most overdue, one mail."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from notifications.models import Notification
from tasks.jobs import leadership_summary_task
from tasks.models import Assignment
from tasks.services.summary import leadership_summaries_send, leadership_summary
from tasks.status import WorkflowState
from tests.tasks.helpers import make_assignment

VN = datetime.timezone(datetime.timedelta(hours=7))
D = datetime.date
MONDAY = D(2026, 11, 23)


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=VN)


@pytest.fixture(autouse=True)
def _empty_outbox():
    mail.outbox = []


@pytest.fixture
def recipients(leader, home_affairs, head_a):
    for user in (leader, home_affairs, head_a):
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])
    return leader, home_affairs


def done(assignment: Assignment, on: datetime.date) -> None:
    Assignment.objects.filter(pk=assignment.pk).update(
        state=WorkflowState.CONFIRMED, completed_on=on
    )


@pytest.fixture
def province_work(directive, unit_a, unit_b):
    """Unit A: done on time, done late last week, overdue since Saturday, in progress.
    Unit B: two overdue for weeks."""
    done(make_assignment(directive, unit_a, "1", D(2026, 11, 10)), D(2026, 11, 5))
    done(make_assignment(directive, unit_a, "2", D(2026, 11, 10)), D(2026, 11, 18))
    make_assignment(directive, unit_a, "3", D(2026, 11, 20))
    make_assignment(directive, unit_a, "4", D(2026, 12, 15))
    make_assignment(directive, unit_b, "5", D(2026, 11, 1))
    make_assignment(directive, unit_b, "6", D(2026, 11, 2))


def test_summary_compares_this_week_with_the_week_before(province_work, unit_a, unit_b):
    summary = leadership_summary(day=MONDAY)
    now, before = summary.this_week, summary.last_week
    assert (now.total, now.done_on_time, now.done_late, now.in_progress, now.overdue) == (
        6,
        1,
        1,
        1,
        3,
    )
    assert (before.done_late, before.in_progress, before.overdue) == (0, 2, 3)
    assert now.completion_rate == Decimal("33.3") and before.completion_rate == Decimal("16.7")
    assert summary.changes == {
        "total": 0,
        "done_on_time": 0,
        "done_late": 1,
        "in_progress": -1,
        "overdue": 0,
        "completion_rate": Decimal("16.6"),
    }
    assert [(row.unit, row.overdue) for row in summary.top_overdue] == [(unit_b, 2), (unit_a, 1)]


def test_one_mail_in_vietnamese_per_leader_and_home_affairs(province_work, recipients):
    leader, home_affairs = recipients
    with time_machine.travel(at(23, 7, 30), tick=False):
        assert leadership_summaries_send() == 2
    # the unit head is not a recipient
    assert sorted(m.to[0] for m in mail.outbox) == ["home_affairs@example.vn", "leader@example.vn"]
    message = mail.outbox[0]
    assert message.subject == (
        "[Cổng CCHC] Tổng hợp kết quả thực hiện nhiệm vụ CCHC tuần 23/11/2026: 3 nhiệm vụ quá hạn"
    )
    assert "- Đã hoàn thành quá hạn: 1 (+1)" in message.body
    assert "- Đang thực hiện trong hạn: 1 (-1)" in message.body
    assert "- Tỷ lệ hoàn thành: 33,3% (+16,6 điểm %)" in message.body
    assert "1. Sở Tư pháp: 2 nhiệm vụ quá hạn" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<li>Sở Tài chính: 1 nhiệm vụ quá hạn</li>" in html
    # the claim is a notification already mailed, so the digest does not repeat it
    claim = Notification.objects.get(recipient=leader)
    assert claim.emailed_at is not None and claim.dedupe_key == "leadership_summary:-:2026-11-23"


def test_the_job_twice_in_a_week_sends_one_mail_per_recipient(province_work, recipients):
    with time_machine.travel(at(23, 7, 30), tick=False):
        assert leadership_summary_task.delay().get() == "succeeded: 2"
        assert leadership_summary_task.delay().get() == "skipped: 0"
    # even the service itself, run again on Wednesday, sends nothing more this week
    with time_machine.travel(at(25, 9), tick=False):
        assert leadership_summaries_send() == 0
    assert len(mail.outbox) == 2
    # next Monday, a new week: new mails
    with time_machine.travel(at(30, 7, 30), tick=False):
        call_command("run_job", "tasks-leadership-summary")
    assert len(mail.outbox) == 4


def test_a_province_with_no_work_still_reads_clearly(recipients):
    with time_machine.travel(at(23, 7, 30), tick=False):
        leadership_summaries_send()
    body = mail.outbox[0].body
    assert "Tỷ lệ hoàn thành: chưa có số liệu" in body
    assert "Không có đơn vị nào có nhiệm vụ quá hạn." in body
