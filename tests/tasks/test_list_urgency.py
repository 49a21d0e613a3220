"""The assignment lists' default order: overdue first, then returned, then open work due within
DUE_SOON_DAYS, other open work, and done or set-aside work last (tasks.selectors._urgency, one
simple CASE over the status annotation, core.expressions.Switch)."""

import datetime
import itertools

import pytest
from django.utils import timezone

from tasks import selectors
from tasks.models import Assignment
from tasks.status import DONE, DUE_SOON_DAYS, EXCLUDED, Status, WorkflowState
from tests.tasks.factories import AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db


def expected_urgency(status: str, eff_deadline: datetime.date | None, soon: datetime.date) -> int:
    if status == Status.OVERDUE:
        return 0
    if status == Status.RETURNED:
        return 1
    if status in (Status.IN_PROGRESS, Status.NOT_STARTED):
        return 2 if eff_deadline is not None and eff_deadline <= soon else 5
    if status in {s.value for s in DONE | EXCLUDED}:
        return 9
    return 5


def test_every_status_and_deadline_gets_its_urgency_and_the_list_is_in_that_order(
    home_affairs, unit_a
):
    # given assignments in every workflow state, each with no deadline, one past, one due soon,
    # one far off, started or not, completed before or after the deadline
    today = timezone.localdate()
    deadlines = [
        None,
        today - datetime.timedelta(days=5),
        today + datetime.timedelta(days=2),
        today + datetime.timedelta(days=DUE_SOON_DAYS + 20),
    ]
    for state, deadline, started in itertools.product(WorkflowState, deadlines, (False, True)):
        completed = state in (WorkflowState.CONFIRMED, WorkflowState.AWAITING_CONFIRMATION)
        AssignmentFactory(
            task=TaskFactory(),
            unit=unit_a,
            state=state,
            deadline=deadline,
            started_on=today - datetime.timedelta(days=10) if started else None,
            completed_on=today - datetime.timedelta(days=1) if completed else None,
        )

    # when Home Affairs opens the assignment list
    rows = list(selectors.assignment_list(home_affairs))

    # then each row's urgency is what the rule says for its status and effective deadline
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    assert len(rows) == Assignment.objects.count() == len(WorkflowState) * 8
    seen = {row.status for row in rows}
    assert {Status.OVERDUE, Status.RETURNED, Status.IN_PROGRESS, Status.NOT_STARTED} <= seen
    assert seen & {s.value for s in DONE} and seen & {s.value for s in EXCLUDED}
    for row in rows:
        assert row.urgency == expected_urgency(row.status, row.eff_deadline, soon), (
            row.status,
            row.eff_deadline,
        )
    # and the list is ordered by it, then by the effective deadline (none last)
    keys = [(row.urgency, row.eff_deadline is None, row.eff_deadline or today) for row in rows]
    assert keys == sorted(keys)
