"""Timeliness classes at their boundaries, in Python and in SQL alike."""

import datetime

import pytest

from dossiers.models import Dossier
from dossiers.timeliness import Timeliness, dossier_timeliness, timeliness_expression
from tests.dossiers.factories import at, make_dossier, make_procedure

D = datetime.date


@pytest.mark.parametrize(
    ("finished_at", "as_of", "expected"),
    [
        (at(2026, 3, 18, 16), D(2026, 3, 31), Timeliness.EARLY),
        (at(2026, 3, 19, 23, 30), D(2026, 3, 31), Timeliness.ON_TIME),  # on the due date
        (at(2026, 3, 20, 0, 10), D(2026, 3, 31), Timeliness.LATE),
        (None, D(2026, 3, 19), Timeliness.PENDING_WITHIN),  # the due date itself
        (None, D(2026, 3, 20), Timeliness.PENDING_OVERDUE),
        (at(2026, 3, 20, 10), D(2026, 3, 19), Timeliness.PENDING_WITHIN),  # not yet finished
    ],
)
def test_classes_at_the_boundaries(procedure, unit_a, finished_at, as_of, expected):
    # Given a dossier received Monday 16/3/2026 with 3 working days: due Thursday 19/3
    dossier = make_dossier(procedure, unit_a, finished_at=finished_at)
    assert dossier.due_date == D(2026, 3, 19)
    # Then Python and the annotation agree
    assert dossier_timeliness(dossier, as_of) == expected
    annotated = Dossier.objects.annotate(t=timeliness_expression(as_of)).get(pk=dossier.pk)
    assert annotated.t == expected


def test_receipt_after_cutoff_moves_the_due_date(land, unit_a):
    # Given a procedure with a 16:00 cut-off and one working day
    procedure = make_procedure(field=land, time_limit=1, cutoff_hour=16)
    before = make_dossier(procedure, unit_a, received_at=at(2026, 3, 16, 15, 59))
    after = make_dossier(procedure, unit_a, received_at=at(2026, 3, 16, 16, 1))
    # Then the late receipt is due a day later
    assert before.due_date == D(2026, 3, 17)
    assert after.due_date == D(2026, 3, 18)


def test_withdrawn_dossier_has_no_class(procedure, unit_a):
    dossier = make_dossier(procedure, unit_a, state="withdrawn")
    assert dossier_timeliness(dossier, D(2026, 4, 1)) is None
    assert dossier.overdue_date is None
