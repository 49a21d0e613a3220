"""The computed-criterion sources read from tasks and dossiers score their band."""

import datetime
from decimal import Decimal

import pytest

from core import workdays
from dossiers import rollups
from indicators.models import Criterion
from indicators.portal_sources import dossier_on_time_for_unit, task_completion_for_unit
from indicators.services.assessments import assessments_recompute
from indicators.sources import DOSSIER_ON_TIME, TASK_COMPLETION, get_source
from tasks.models import Assignment
from tasks.status import WorkflowState
from tests.dossiers.factories import at, make_dossier, make_procedure
from tests.indicators.helpers import line
from tests.tasks.factories import DirectiveFactory
from tests.tasks.helpers import make_assignment

D = datetime.date


def plan_of_40(unit, *, done: int, year: int = 2025) -> list[Assignment]:
    """40 tasks of `unit` due in `year`, the first `done` of them confirmed done."""
    directive = DirectiveFactory(issue_date=D(year, 1, 10))
    assignments = [
        make_assignment(directive, unit, str(n), D(year, 3 + n % 9, 10)) for n in range(1, 41)
    ]
    Assignment.objects.filter(pk__in=[a.pk for a in assignments[:done]]).update(
        state=WorkflowState.CONFIRMED, completed_on=D(year, 3, 1)
    )
    return assignments


def test_both_portal_sources_are_registered_at_start_up():
    assert get_source(TASK_COMPLETION).compute is task_completion_for_unit
    assert get_source(DOSSIER_ON_TIME).compute is dossier_on_time_for_unit
    assert get_source(TASK_COMPLETION).label == "Tỷ lệ hoàn thành nhiệm vụ"


def test_28_of_40_tasks_done_is_70_percent_and_scores_the_criterions_band(opened, unit_a):
    # given criterion 1.1.2 reads the task completion source, and unit A did 28 of its 40 tasks
    Criterion.objects.filter(code="1.1.2").update(source_key=TASK_COMPLETION)
    plan_of_40(unit_a, done=28)
    # when the computed lines are rescored
    assessments_recompute()
    # then 70% reaches the 50% band: a quarter of the 10 points
    target = line(opened["STC"], "1.1.2")
    assert target.computed_score == Decimal("2.5")
    assert target.computed_figures["percent"] == "70.00"
    assert (target.computed_figures["done"], target.computed_figures["total"]) == (28, 40)
    assert target.computed_figures["band_from"] == "50.00"
    # and unit B, with no tasks due that year, is left unscored, its figures saying why
    other = line(opened["STP"], "1.1.2")
    assert other.computed_score is None
    assert other.computed_figures["total"] == 0


def test_task_completion_counts_the_years_work_without_cancelled_tasks(db, unit_a):
    assignments = plan_of_40(unit_a, done=28)
    # a cancelled task leaves both counts; a task due next year is not this year's
    Assignment.objects.filter(pk=assignments[-1].pk).update(state=WorkflowState.CANCELLED)
    make_assignment(assignments[0].task.directive, unit_a, "99", D(2026, 2, 1))
    percent, figures = task_completion_for_unit(unit_a, 2025)
    assert (figures["done"], figures["total"]) == (28, 39)
    assert round(percent, 2) == Decimal("71.79")


@pytest.fixture
def procedure(db):
    workdays.invalidate()
    return make_procedure("1.009", time_limit=3)


def test_dossier_on_time_is_early_and_on_time_over_finished(procedure, unit_a, unit_b):
    # given dossiers received 2/3/2026 (due 5/3): one early, one on time, one late, one open
    for finished in (at(2026, 3, 4), at(2026, 3, 5), at(2026, 3, 9), None):
        make_dossier(procedure, unit_a, received_at=at(2026, 3, 2), finished_at=finished)
    rollups.rollup_rebuild()
    # when the 2026 source is read
    percent, figures = dossier_on_time_for_unit(unit_a, 2026)
    # then 2 of 3 finished dossiers were on time
    assert round(percent, 2) == Decimal("66.67")
    assert figures["finished"] == 3 and figures["finished_late"] == 1
    assert (figures["period_start"], figures["period_end"]) == ("2025-12-15", "2026-12-14")
    # a unit with no finished dossier has no rate
    assert dossier_on_time_for_unit(unit_b, 2026)[0] is None
