"""Status at the boundaries, in Python and in SQL: both must agree on every case."""

import datetime

import pytest

from tasks.status import Status, WorkflowState, derive_status

D = datetime.date
DEADLINE = D(2026, 9, 15)

CASES = [
    # (name, state, deadline, extended, started_on, completed_on, as_of, expected)
    ("done on the deadline day is on time", "confirmed", DEADLINE, None, D(2026, 9, 1),
     DEADLINE, D(2026, 11, 1), Status.DONE_ON_TIME),
    ("done the day after is late", "confirmed", DEADLINE, None, D(2026, 9, 1),
     D(2026, 9, 16), D(2026, 11, 1), Status.DONE_LATE),
    ("done with no deadline", "confirmed", None, None, D(2026, 9, 1), D(2026, 9, 16),
     D(2026, 11, 1), Status.DONE_NO_DEADLINE),
    ("late against the deadline but within the approved extension", "confirmed", DEADLINE,
     D(2026, 9, 30), D(2026, 9, 1), D(2026, 9, 30), D(2026, 11, 1), Status.DONE_ON_TIME),
    ("confirmation is late but the unit reported on time", "confirmed", DEADLINE, None,
     D(2026, 9, 1), D(2026, 9, 14), D(2026, 9, 20), Status.DONE_ON_TIME),
    ("as of a day before completion it was still in progress", "confirmed", DEADLINE, None,
     D(2026, 9, 1), D(2026, 9, 14), D(2026, 9, 10), Status.IN_PROGRESS),
    ("as of a day before late completion it was overdue", "confirmed", DEADLINE, None,
     D(2026, 9, 1), D(2026, 9, 20), D(2026, 9, 18), Status.OVERDUE),
    ("as of a day before the first report it was not started", "open", DEADLINE, None,
     D(2026, 9, 1), None, D(2026, 8, 1), Status.NOT_STARTED),
    ("on the deadline day open work is not yet overdue", "open", DEADLINE, None,
     D(2026, 9, 1), None, DEADLINE, Status.IN_PROGRESS),
    ("the day after the deadline open work is overdue", "open", DEADLINE, None,
     D(2026, 9, 1), None, D(2026, 9, 16), Status.OVERDUE),
    ("never started and past deadline is overdue", "open", DEADLINE, None, None, None,
     D(2026, 9, 16), Status.OVERDUE),
    ("an approved extension keeps it within deadline", "open", DEADLINE, D(2026, 10, 15),
     D(2026, 9, 1), None, D(2026, 10, 1), Status.IN_PROGRESS),
    ("in progress with no deadline", "open", None, None, D(2026, 9, 1), None,
     D(2027, 1, 1), Status.NO_DEADLINE),
    ("not started with no deadline", "open", None, None, None, None, D(2027, 1, 1),
     Status.NOT_STARTED),
    ("reported done, awaiting confirmation", "awaiting_confirmation", DEADLINE, None,
     D(2026, 9, 1), D(2026, 9, 10), D(2026, 9, 20), Status.AWAITING_CONFIRMATION),
    ("returned", "returned", DEADLINE, None, D(2026, 9, 1), None, D(2026, 9, 10),
     Status.RETURNED),
    ("suspended", "suspended", DEADLINE, None, None, None, D(2026, 9, 20), Status.SUSPENDED),
    ("cancelled", "cancelled", DEADLINE, None, None, None, D(2026, 9, 20), Status.CANCELLED),
]  # fmt: skip


@pytest.mark.parametrize(
    ("state", "deadline", "extended", "started", "completed", "as_of", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_python_status_at_the_boundaries(
    state, deadline, extended, started, completed, as_of, expected
):
    assert (
        derive_status(
            state=state,
            deadline=deadline,
            extended_deadline=extended,
            started_on=started,
            completed_on=completed,
            as_of=as_of,
        )
        == expected
    )


@pytest.mark.django_db
def test_sql_annotation_agrees_with_python_on_every_case():
    from tests.tasks.factories import AssignmentFactory

    # given one assignment per case
    rows = []
    for name, state, deadline, extended, started, completed, _as_of, _expected in CASES:
        rows.append(
            AssignmentFactory(
                task__title=name,
                state=state,
                deadline=deadline,
                extended_deadline=extended,
                started_on=started,
                completed_on=completed,
            )
        )
    from tasks.models import Assignment

    # when each is read with its own as-of date, then SQL says what Python says
    for row, case in zip(rows, CASES, strict=True):
        annotated = Assignment.objects.with_status(as_of=case[6]).get(pk=row.pk)
        assert annotated.status == case[7], case[0]
        assert WorkflowState(row.state)
