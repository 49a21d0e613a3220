"""Changing a task after entry (tasks/services/changes.py): edit with a reason, cancel, suspend,
resume and the plan grid's bulk actions; history, kept reports, status on the new deadline."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reporting.audit import audit_entries, audit_union
from tasks import services
from tasks.models import Assignment, ProgressReport, Task, TaskState
from tasks.services import changes, plans
from tasks.status import Status, WorkflowState, assignment_status
from tests.factories import OrgUnitFactory

D = datetime.date
REASON = "Điều chỉnh theo Công văn 123/UBND-NC"


@pytest.fixture
def events(monkeypatch):
    """The workflow events the services emit (notifications/events.py turns them into
    notifications; here only what was emitted is read)."""
    emitted = []
    for module in (changes, plans):
        monkeypatch.setattr(module, "emit", lambda event, **kwargs: emitted.append((event, kwargs)))
    return emitted


def _report_done(assignment, head, on):
    report = services.report_draft(
        assignment=assignment, author=head, percent=100, text="Đã xong", reports_done=True
    )
    return services.report_submit(report=report, actor=head, on=on)


@pytest.fixture
def activity_task(directive, unit_a, unit_b):
    """A task led by A with B cooperating; its output is an activity (no evidence file)."""
    return services.task_create(
        directive=directive,
        item_number="5",
        title="Tuyên truyền",
        lead_unit=unit_a,
        cooperating_units=[unit_b],
        deadline=D(2026, 3, 31),
        output_kind="activity",
        expected_output="Các buổi tuyên truyền",
    )


def test_a_later_deadline_after_a_late_report_makes_it_on_time_and_keeps_the_report(
    activity_task, unit_a, head_a, home_affairs, events
):
    # given unit A reported done on 10/04, after the deadline of 31/03, and it was confirmed
    assignment = activity_task.assignments.get(unit=unit_a)
    report = _report_done(assignment, head_a, D(2026, 4, 10))
    services.assignment_confirm(assignment=assignment, actor=home_affairs)
    assignment.refresh_from_db()
    assert assignment_status(assignment, D(2026, 5, 1)) == Status.DONE_LATE
    # when Home Affairs moves the deadline to 15/04, with a reason
    task = services.task_edit(
        task=activity_task,
        actor=home_affairs,
        data={"deadline": D(2026, 4, 15)},
        reason=REASON,
        expected_version=activity_task.version,
    )
    # then the status is read against the new deadline, in Python and in SQL
    assignment.refresh_from_db()
    assert assignment.deadline == D(2026, 4, 15)
    assert assignment_status(assignment, D(2026, 5, 1)) == Status.DONE_ON_TIME
    row = Assignment.objects.with_status(D(2026, 5, 1)).get(pk=assignment.pk)
    assert row.status == Status.DONE_ON_TIME
    # and the report and its completion date are kept
    assert ProgressReport.objects.filter(pk=report.pk, state="submitted").exists()
    assert assignment.completed_on == D(2026, 4, 10)
    assert assignment.state == WorkflowState.CONFIRMED
    # and the history says who changed what and why, on the task and on the assignment
    record = task.history.order_by("-history_id").first()
    assert (record.history_user, record.history_change_reason) == (home_affairs, REASON)
    assert record.deadline == D(2026, 4, 15)
    assert assignment.history.order_by("-history_id").first().history_change_reason == REASON
    assert task.version == activity_task.version + 1
    # and one event tells what changed, keyed by the history row
    assert events == [
        (
            "task.changed",
            {
                "actor": home_affairs,
                "subject": task,
                "occurrence": record.history_id,
                "changes": [("Thời hạn", "31/03/2026", "15/04/2026")],
                "reason": REASON,
            },
        )
    ]


def test_the_change_history_page_reads_who_what_when_and_why(activity_task, home_affairs, events):
    # given a deadline change
    services.task_edit(
        task=activity_task, actor=home_affairs, data={"deadline": D(2026, 5, 5)}, reason=REASON
    )
    # when the change history is read
    entries = audit_entries(list(audit_union(models=["task"])[:1]))
    # then the newest task change names the user, the field, old -> new, and the reason
    entry = entries[0]
    assert entry.user == home_affairs
    assert entry.reason == REASON
    assert [(c.old, c.new) for c in entry.changes] == [("31/03/2026", "05/05/2026")]


def test_a_stale_form_changes_nothing(activity_task, home_affairs, events):
    # given a page read at version 1, then someone else changed the task
    read_at = activity_task.version
    services.task_edit(
        task=activity_task, actor=home_affairs, data={"title": "Tuyên truyền CCHC"}, reason=REASON
    )
    events.clear()
    # when the old page is sent
    with pytest.raises(ValidationError) as refused:
        services.task_edit(
            task=activity_task,
            actor=home_affairs,
            data={"deadline": D(2026, 6, 30)},
            reason=REASON,
            expected_version=read_at,
        )
    # then it is refused with a clear message, and nothing is written
    assert "thay đổi" in refused.value.messages[0]
    activity_task.refresh_from_db()
    assert activity_task.deadline == D(2026, 3, 31)
    assert activity_task.title == "Tuyên truyền CCHC"
    assert events == []


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_change_needs_a_reason(activity_task, home_affairs, reason):
    with pytest.raises(ValidationError) as refused:
        services.task_edit(
            task=activity_task, actor=home_affairs, data={"title": "Khác"}, reason=reason
        )
    assert "reason" in refused.value.message_dict
    activity_task.refresh_from_db()
    assert activity_task.title == "Tuyên truyền"


def test_a_deadline_before_the_directive_is_refused(activity_task, home_affairs):
    with pytest.raises(ValidationError) as refused:
        services.task_edit(
            task=activity_task, actor=home_affairs, data={"deadline": D(2025, 12, 1)}, reason=REASON
        )
    assert "10/01/2026" in refused.value.message_dict["deadline"][0]


def test_a_unit_that_did_not_exist_on_the_plan_date_is_refused(
    activity_task, province, home_affairs
):
    gone = OrgUnitFactory(code="H1", name="UBND huyện Cũ", parent=province, valid_to=D(2025, 6, 30))
    with pytest.raises(ValidationError) as refused:
        services.task_edit(
            task=activity_task, actor=home_affairs, data={"lead_unit": gone}, reason=REASON
        )
    assert "lead_unit" in refused.value.message_dict
    assert not Assignment.objects.filter(unit=gone).exists()


def test_unit_people_may_not_change_a_task(activity_task, head_a, staff_a, leader):
    for actor in (head_a, staff_a, leader):
        with pytest.raises(PermissionDenied):
            services.task_edit(task=activity_task, actor=actor, data={"title": "x"}, reason=REASON)
        with pytest.raises(PermissionDenied):
            services.task_cancel(task=activity_task, actor=actor, reason=REASON)


def test_nothing_changed_is_said_and_not_recorded(activity_task, home_affairs):
    before = activity_task.history.count()
    with pytest.raises(ValidationError):
        services.task_edit(
            task=activity_task, actor=home_affairs, data={"title": "Tuyên truyền"}, reason=REASON
        )
    assert activity_task.history.count() == before


def test_a_unit_taken_off_keeps_its_reports_and_one_put_back_gets_its_assignment_back(
    activity_task, unit_b, home_affairs, head_b, events
):
    # given the cooperating unit B reported progress
    b_share = activity_task.assignments.get(unit=unit_b)
    report = services.report_draft(assignment=b_share, author=head_b, percent=30, text="Đã họp")
    services.report_submit(report=report, actor=head_b, on=D(2026, 2, 1))
    # when B is taken off the task
    services.task_edit(
        task=activity_task, actor=home_affairs, data={"cooperating_units": []}, reason=REASON
    )
    # then its assignment is cancelled, not deleted, and its report is kept
    b_share.refresh_from_db()
    assert b_share.state == WorkflowState.CANCELLED
    assert b_share.history.order_by("-history_id").first().history_change_reason == REASON
    assert ProgressReport.objects.filter(pk=report.pk).exists()
    # when B is put back
    task = Task.objects.get(pk=activity_task.pk)
    services.task_edit(
        task=task, actor=home_affairs, data={"cooperating_units": [unit_b]}, reason=REASON
    )
    # then the same assignment is open again, with its progress
    b_share.refresh_from_db()
    assert b_share.state == WorkflowState.OPEN
    assert b_share.progress_percent == 30
    assigned = [kw["subject"] for event, kw in events if event == "assignment.assigned"]
    assert assigned == [b_share]


def test_a_new_lead_gets_an_assignment_and_the_former_lead_is_cancelled(
    activity_task, unit_a, province, home_affairs, events
):
    # given a third unit that exists on the plan's date
    unit_c = OrgUnitFactory(code="SXD", name="Sở Xây dựng", short_name="SXD", parent=province)
    # when it becomes the lead unit
    task = services.task_edit(
        task=activity_task, actor=home_affairs, data={"lead_unit": unit_c}, reason=REASON
    )
    # then it has a lead assignment with the task's deadline; A's is cancelled
    new_share = task.assignments.get(unit=unit_c)
    assert (new_share.role, new_share.deadline) == ("lead", D(2026, 3, 31))
    assert new_share.history.get().history_change_reason == REASON
    assert task.assignments.get(unit=unit_a).state == WorkflowState.CANCELLED
    # and the unit is told it was given the task
    assert [e for e, _kw in events] == ["assignment.assigned", "task.changed"]
    assert events[0][1]["subject"] == new_share
    assert events[1][1]["changes"] == [("Đơn vị chủ trì", "STC", "SXD")]


def test_an_approved_extension_not_later_than_the_new_deadline_is_superseded(
    activity_task, unit_a, head_a, home_affairs
):
    # given unit A was granted 20/04
    share = activity_task.assignments.get(unit=unit_a)
    extension = services.extension_request(
        assignment=share, actor=head_a, requested_deadline=D(2026, 4, 20), reason="Chờ số liệu"
    )
    services.extension_approve(extension=extension, actor=home_affairs)
    # when the task's deadline moves to 30/04, later than the extension
    services.task_edit(
        task=activity_task, actor=home_affairs, data={"deadline": D(2026, 4, 30)}, reason=REASON
    )
    # then the new deadline is the effective one
    share.refresh_from_db()
    assert (share.deadline, share.extended_deadline) == (D(2026, 4, 30), None)
    # but a deadline moved earlier than an extension leaves the unit its extension
    services.task_edit(
        task=Task.objects.get(pk=activity_task.pk),
        actor=home_affairs,
        data={"deadline": D(2026, 4, 5)},
        reason=REASON,
    )
    share.refresh_from_db()
    assert share.effective_deadline == D(2026, 4, 5)


def test_cancel_keeps_confirmed_work_and_reports_and_is_refused_twice(
    activity_task, unit_a, unit_b, head_a, home_affairs, events
):
    # given A's share is confirmed done, B's is open
    share_a = activity_task.assignments.get(unit=unit_a)
    _report_done(share_a, head_a, D(2026, 3, 20))
    services.assignment_confirm(assignment=share_a, actor=home_affairs)
    # when the task is cancelled
    task = services.task_cancel(task=activity_task, actor=home_affairs, reason=REASON)
    # then the task is cancelled, B's share too, A's confirmed work stays done
    assert task.state == TaskState.CANCELLED
    states = dict(task.assignments.values_list("unit__code", "state"))
    assert states == {"STC": WorkflowState.CONFIRMED, "STP": WorkflowState.CANCELLED}
    assert ProgressReport.objects.filter(assignment=share_a).count() == 1
    assert events[-1][0] == "task.cancelled"
    assert events[-1][1]["reason"] == REASON
    # and a second cancel (a double submit) is refused, and so is any edit
    with pytest.raises(ValidationError):
        services.task_cancel(task=task, actor=home_affairs, reason=REASON)
    with pytest.raises(ValidationError):
        services.task_edit(task=task, actor=home_affairs, data={"title": "x"}, reason=REASON)


def test_suspend_then_resume_puts_each_share_back_where_it_was(
    activity_task, unit_a, unit_b, head_a, home_affairs, events
):
    # given A reported done (awaiting confirmation) and B is open
    _report_done(activity_task.assignments.get(unit=unit_a), head_a, D(2026, 3, 20))
    # when the task is suspended, then resumed
    task = services.task_suspend(task=activity_task, actor=home_affairs, reason=REASON)
    assert set(task.assignments.values_list("state", flat=True)) == {WorkflowState.SUSPENDED}
    assert (
        Assignment.objects.with_status(D(2026, 5, 1)).filter(task=task).first().status
        == Status.SUSPENDED
    )
    task = services.task_resume(task=task, actor=home_affairs, reason="Tiếp tục")
    # then each share is back in its own state
    states = dict(task.assignments.values_list("unit__code", "state"))
    assert states == {"STC": WorkflowState.AWAITING_CONFIRMATION, "STP": WorkflowState.OPEN}
    assert task.state == TaskState.ACTIVE
    assert [e for e, _kw in events] == ["task.suspended", "task.resumed"]


# --- Bulk actions -----------------------------------------------------------------------------


@pytest.fixture
def three_tasks(directive, unit_a):
    return [
        services.task_create(
            directive=directive,
            item_number=str(n),
            title=f"Nhiệm vụ {n}",
            lead_unit=unit_a,
            deadline=D(2026, 6, n),
            output_kind="activity",
        )
        for n in (11, 12, 13)
    ]


def test_bulk_shift_moves_three_deadlines_and_their_assignments(three_tasks, home_affairs, events):
    changed = services.tasks_bulk_shift_deadline(
        tasks=three_tasks, actor=home_affairs, reason=REASON, days=10
    )
    assert len(changed) == 3
    deadlines = sorted(Assignment.objects.values_list("deadline", flat=True))
    assert deadlines == [D(2026, 6, 21), D(2026, 6, 22), D(2026, 6, 23)]
    assert [e for e, _kw in events] == ["task.changed"] * 3


def test_bulk_shift_to_a_date_is_all_or_nothing(three_tasks, directive, home_affairs):
    # given one selected task whose version is stale
    versions = {task.pk: task.version for task in three_tasks}
    versions[three_tasks[2].pk] = 99
    with pytest.raises(ValidationError):
        services.tasks_bulk_shift_deadline(
            tasks=three_tasks,
            actor=home_affairs,
            reason=REASON,
            to_date=D(2026, 8, 1),
            expected_versions=versions,
        )
    # then not one deadline moved
    assert set(Task.objects.values_list("deadline", flat=True)) == {
        D(2026, 6, 11),
        D(2026, 6, 12),
        D(2026, 6, 13),
    }


def test_bulk_shift_refuses_a_date_before_the_directive(three_tasks, home_affairs):
    with pytest.raises(ValidationError) as refused:
        services.tasks_bulk_shift_deadline(
            tasks=three_tasks, actor=home_affairs, reason=REASON, days=-200
        )
    assert "10/01/2026" in refused.value.messages[0]
    assert not Task.objects.filter(deadline__lt=D(2026, 6, 1)).exists()


def test_bulk_shift_of_a_recurring_task_moves_each_period(directive, unit_a, home_affairs):
    task = services.task_create(
        directive=directive,
        item_number="20",
        title="Báo cáo quý",
        lead_unit=unit_a,
        recurrence="quarterly",
        period_offset_days=5,
    )
    services.tasks_bulk_shift_deadline(tasks=[task], actor=home_affairs, reason=REASON, days=10)
    period = task.assignments.get().periods.order_by("period_start").first()
    assert period.deadline == D(2026, 4, 15)  # 31/03 + 5 + 10
    task.refresh_from_db()
    assert task.period_offset_days == 15
    with pytest.raises(ValidationError):
        services.tasks_bulk_shift_deadline(
            tasks=[task], actor=home_affairs, reason=REASON, to_date=D(2026, 9, 1)
        )


def test_bulk_change_lead_and_bulk_cancel(three_tasks, unit_b, home_affairs):
    services.tasks_bulk_change_lead(
        tasks=three_tasks[:2], actor=home_affairs, reason=REASON, lead_unit=unit_b
    )
    assert list(Task.objects.filter(lead_unit=unit_b).values_list("item_number", flat=True)) == [
        "11",
        "12",
    ]
    services.tasks_bulk_cancel(tasks=three_tasks, actor=home_affairs, reason=REASON)
    assert set(Task.objects.values_list("state", flat=True)) == {TaskState.CANCELLED}
    # a second bulk cancel has nothing left to do and says so
    with pytest.raises(ValidationError):
        services.tasks_bulk_cancel(tasks=Task.objects.all(), actor=home_affairs, reason=REASON)


def test_bulk_actions_are_home_affairs_only(three_tasks, head_a):
    with pytest.raises(PermissionDenied):
        services.tasks_bulk_cancel(tasks=three_tasks, actor=head_a, reason=REASON)


def test_a_change_reaches_the_units_bell_once_the_transaction_commits(
    activity_task, home_affairs, head_a, head_b, django_capture_on_commit_callbacks
):
    # given the real notifications/events.py
    from notifications.models import Notification

    # when Home Affairs moves the deadline
    with django_capture_on_commit_callbacks(execute=True):
        services.task_edit(
            task=activity_task,
            actor=home_affairs,
            data={"deadline": D(2026, 4, 30)},
            reason=REASON,
        )
    # then the lead and the cooperating unit's heads are told, with the new date and the reason
    for head in (head_a, head_b):
        notification = Notification.objects.get(recipient=head)
        assert "30/04/2026" in notification.message
        assert REASON in notification.message
    assert not Notification.objects.filter(recipient=home_affairs).exists()
