import datetime

import pytest
from django.core.exceptions import ValidationError

from tasks import services
from tasks.models import Assignment, AssignmentPeriod, AssignmentRole, TaskRecurrence
from tasks.services import AddressMode
from tasks.status import Status, WorkflowState
from tests.factories import OrgUnitFactory
from tests.tasks.factories import DirectiveFactory

D = datetime.date


def test_task_to_all_departments_and_districts_creates_one_assignment_each(province):
    # given a letter of 2020, two departments, a district that existed in 2020 and a commune
    # of 2025
    directive = DirectiveFactory(number="2718/UBND-NC", issue_date=D(2020, 10, 9))
    dep1 = OrgUnitFactory(code="D1", name="Sở 1", parent=province)
    dep2 = OrgUnitFactory(code="D2", name="Sở 2", parent=province)
    district = OrgUnitFactory(
        code="H1", name="Huyện 1", kind="district", level="district", valid_to=D(2025, 6, 30)
    )
    OrgUnitFactory(code="X1", name="Xã 1", kind="commune", level="commune",
                   valid_from=D(2025, 7, 1))  # fmt: skip
    # when addressed as of 2020
    units = services.units_for_address(
        mode=AddressMode.ALL_DEPARTMENTS_AND_DISTRICTS, on_date=directive.issue_date
    )
    task = services.task_create(directive=directive, item_number="1", title="t", addressees=units)
    # then
    codes = set(task.assignments.values_list("unit__code", flat=True))
    assert {dep1.code, dep2.code, district.code} <= codes
    assert "X1" not in codes
    assert set(task.assignments.values_list("role", flat=True)) == {AssignmentRole.LEAD}


def test_lead_and_cooperating_units(directive, unit_a, unit_b, home_affairs_unit):
    task = services.task_create(
        directive=directive,
        item_number="3",
        title="t",
        lead_unit=home_affairs_unit,
        cooperating_units=[unit_a, unit_b],
        deadline=D(2021, 9, 15),
    )
    roles = dict(task.assignments.values_list("unit__code", "role"))
    assert roles == {"SNV": "lead", "STC": "cooperating", "STP": "cooperating"}
    assert set(task.assignments.values_list("deadline", flat=True)) == {D(2021, 9, 15)}


def test_duplicate_item_number_is_refused(task_a, directive):
    with pytest.raises(ValidationError, match="đã có nhiệm vụ số 1"):
        services.task_create(directive=directive, item_number="1", title="again")


def test_six_clear_gaps_are_flagged(directive):
    task = services.task_create(directive=directive, item_number="7", title="t")
    assert len(task.gaps) == 3


def test_quarterly_task_gets_a_period_per_quarter_with_offset_deadline(directive, unit_a):
    task = services.task_create(
        directive=directive,
        item_number="5",
        title="Báo cáo quý",
        lead_unit=unit_a,
        recurrence=TaskRecurrence.QUARTERLY,
        period_offset_days=10,
        recurrence_start=D(2026, 1, 1),
        recurrence_end=D(2026, 12, 31),
    )
    periods = list(AssignmentPeriod.objects.filter(assignment__task=task))
    assert [(p.period_start, p.period_end, p.deadline) for p in periods] == [
        (D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 10)),
        (D(2026, 4, 1), D(2026, 6, 30), D(2026, 7, 10)),
        (D(2026, 7, 1), D(2026, 9, 30), D(2026, 10, 10)),
        (D(2026, 10, 1), D(2026, 12, 31), D(2027, 1, 10)),
    ]


def test_recurring_periods_count_in_sql_and_drive_the_assignment_status(
    directive, unit_a, head_a, home_affairs
):
    from tasks.status import assignment_status

    task = services.task_create(
        directive=directive, item_number="6", title="Báo cáo tháng", lead_unit=unit_a,
        recurrence=TaskRecurrence.MONTHLY, period_offset_days=5,
        recurrence_start=D(2026, 1, 1), recurrence_end=D(2026, 3, 31), output_kind="activity",
    )  # fmt: skip
    assignment = task.assignments.get()
    jan, feb, mar = assignment.periods.all()
    # January reported on 3/2 (within 5/2) and confirmed; February never reported
    report = services.report_draft(
        assignment=assignment, author=head_a, percent=100, text="T1", reports_done=True, period=jan
    )
    services.report_submit(report=report, actor=head_a, on=D(2026, 2, 3))
    services.assignment_confirm(assignment=assignment, actor=home_affairs, period=jan)
    as_of = D(2026, 3, 10)
    counts = dict(
        AssignmentPeriod.objects.filter(assignment=assignment)
        .with_status(as_of)
        .values_list("period_start", "status")
    )
    assert counts == {
        D(2026, 1, 1): Status.DONE_ON_TIME,
        D(2026, 2, 1): Status.OVERDUE,
        D(2026, 3, 1): Status.NOT_STARTED,
    }
    # the assignment reads its first unfinished period, in SQL and in Python alike
    row = Assignment.objects.with_status(as_of).get(pk=assignment.pk)
    assert row.status == Status.OVERDUE
    assert assignment_status(assignment, as_of) == Status.OVERDUE
    assert mar.state == WorkflowState.OPEN


def test_a_new_task_deadline_reaches_open_assignments(task_a, assignment_a):
    services.task_update(task=task_a, deadline=D(2026, 12, 31))
    assignment_a.refresh_from_db()
    assert assignment_a.deadline == D(2026, 12, 31)
