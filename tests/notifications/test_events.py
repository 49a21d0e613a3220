"""notifications.events: emit() turns a workflow event into one notification per person."""

import datetime

import pytest
from django.core import mail
from django.db import transaction

from core.roles import Role
from notifications import events
from notifications.models import Notification, NotificationKind, NotificationPreference
from tasks import services as task_services
from tasks.models import OutputKind, ProgressReport
from tests.factories import UserFactory
from tests.tasks.factories import DirectiveFactory

pytestmark = pytest.mark.django_db

# The event keys of the contract (INTERFACES.md section 1), all pre-registered.
CONTRACT_KEYS = {
    "assignment.assigned",
    "report.submitted",
    "report.returned",
    "report.confirmed",
    "extension.requested",
    "extension.decided",
    "task.changed",
    "task.cancelled",
    "task.suspended",
    "task.resumed",
    "thread.posted",
    "assessment.submitted",
    "assessment.returned",
    "assessment.appraised",
    "job.finished",
}


@pytest.fixture
def directive(province, home_affairs):
    return DirectiveFactory(
        number="5580/KH-UBND", issue_date=datetime.date(2026, 1, 10), created_by=home_affairs
    )


@pytest.fixture
def task_a(directive, unit_a):
    return task_services.task_create(
        directive=directive,
        item_number="1",
        title="Xây dựng kế hoạch rà soát thủ tục hành chính",
        lead_unit=unit_a,
        deadline=datetime.date(2026, 9, 15),
        output_kind=OutputKind.ACTIVITY,
    )


@pytest.fixture
def report_a(task_a, unit_a, staff_a):
    assignment = task_a.assignments.get(unit=unit_a)
    return ProgressReport.objects.create(
        assignment=assignment, percent=100, text="Đã xong", reports_done=True, author=staff_a
    )


def _keys(user) -> list[str]:
    return list(user.notifications.values_list("dedupe_key", flat=True))


def test_every_contract_event_is_registered():
    assert CONTRACT_KEYS <= set(events.registered())


def test_an_unknown_event_is_refused_loudly(report_a, home_affairs):
    with pytest.raises(KeyError):
        events.emit("report.lost", actor=home_affairs, subject=report_a, occurrence=1)


def test_returned_reaches_the_units_people_once_with_who_what_which_and_the_link(
    report_a, home_affairs, head_a, staff_a, head_b, leader, django_capture_on_commit_callbacks
):
    # when Home Affairs returns the report, twice (a double click, a retried job)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            events.emit(
                "report.returned",
                actor=home_affairs,
                subject=report_a,
                occurrence=7,
                reason="Thiếu minh chứng",
            )

    # then unit A's head and staff have one notification each, nobody else any
    for user in (head_a, staff_a):
        notification = user.notifications.get()
        assert notification.kind == NotificationKind.WORKFLOW
        assert notification.dedupe_key == f"report.returned:tasks.progressreport.{report_a.pk}:7"
        assert "đã trả lại nhiệm vụ" in notification.message
        assert "Xây dựng kế hoạch rà soát" in notification.message
        assert "Thiếu minh chứng" in notification.message
        assert str(home_affairs) in notification.message
        assert notification.link == f"/nhiem-vu/{report_a.assignment_id}/"
    for user in (home_affairs, head_b, leader):
        assert not user.notifications.exists()


def test_another_occurrence_is_a_new_notification(
    report_a, home_affairs, head_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("report.confirmed", actor=home_affairs, subject=report_a, occurrence=1)
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("report.confirmed", actor=home_affairs, subject=report_a, occurrence=1)
        events.emit("report.confirmed", actor=home_affairs, subject=report_a, occurrence=2)
    assert sorted(_keys(head_a)) == [
        f"report.confirmed:tasks.progressreport.{report_a.pk}:1",
        f"report.confirmed:tasks.progressreport.{report_a.pk}:2",
    ]


def test_a_rolled_back_action_tells_nobody(
    report_a, home_affairs, head_a, django_capture_on_commit_callbacks
):
    heard = []

    def listener(*args):
        heard.append(args)

    events.subscribe(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(RuntimeError), transaction.atomic():
                events.emit("report.confirmed", actor=home_affairs, subject=report_a, occurrence=1)
                raise RuntimeError("the service failed after emitting")
    finally:
        events.unsubscribe(listener)
    assert not Notification.objects.exists()
    assert heard == []


def test_listeners_hear_every_event_after_the_commit(
    report_a, home_affairs, django_capture_on_commit_callbacks
):
    heard = []

    def listener(event, actor, subject, occurrence, context):
        heard.append((event, actor, subject, occurrence, context["reason"]))

    events.subscribe(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            events.emit(
                "report.returned", actor=home_affairs, subject=report_a, occurrence=3, reason="x"
            )
        assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        events.unsubscribe(listener)
    assert heard == [("report.returned", home_affairs, report_a, "3", "x")]


def test_a_broken_listener_does_not_stop_the_notifications(
    report_a, home_affairs, head_a, django_capture_on_commit_callbacks
):
    def broken(*args):
        raise ValueError("webhook down")

    events.subscribe(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            events.emit("report.confirmed", actor=home_affairs, subject=report_a, occurrence=1)
    finally:
        events.unsubscribe(broken)
    assert head_a.notifications.count() == 1


def test_the_actor_is_never_told_of_their_own_action(
    report_a, head_a, staff_a, django_capture_on_commit_callbacks
):
    # a unit head who also is on the receiving side of an event about the unit
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("report.confirmed", actor=head_a, subject=report_a, occurrence=1)
    assert not head_a.notifications.exists()
    assert staff_a.notifications.count() == 1


def test_submitted_goes_to_the_home_affairs_officer_who_entered_the_plan(
    report_a, home_affairs, head_a, django_capture_on_commit_callbacks
):
    other_officer = UserFactory(username="ha2", role=Role.HOME_AFFAIRS)
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("report.submitted", actor=head_a, subject=report_a, occurrence=report_a.pk)
    notification = home_affairs.notifications.get()
    assert "đã báo cáo hoàn thành nhiệm vụ" in notification.message
    assert "chờ bạn xác nhận" in notification.message
    assert not other_officer.notifications.exists()


def test_a_plan_without_an_active_owner_goes_to_every_home_affairs_user(
    report_a, home_affairs, head_a, django_capture_on_commit_callbacks
):
    other_officer = UserFactory(username="ha2", role=Role.HOME_AFFAIRS)
    home_affairs.is_active = False
    home_affairs.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("report.submitted", actor=head_a, subject=report_a, occurrence=report_a.pk)
    assert other_officer.notifications.count() == 1
    assert not home_affairs.notifications.exists()


def test_immediate_mail_only_for_those_who_chose_it(
    report_a, home_affairs, head_a, staff_a, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    head_a.email, staff_a.email = "head_a@stc.example", "staff_a@stc.example"
    head_a.save(update_fields=["email"])
    staff_a.save(update_fields=["email"])
    NotificationPreference.objects.create(user=head_a, immediate_workflow=True)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(
            "report.returned", actor=home_affairs, subject=report_a, occurrence=1, reason="Thiếu"
        )
    assert [m.to for m in mail.outbox] == [["head_a@stc.example"]]
    assert "đã trả lại nhiệm vụ" in mail.outbox[0].body
    # staff_a's notification waits for the digest
    assert staff_a.notifications.get().emailed_at is None
