import datetime

import pytest
from django.core.cache import cache

from tasks import services
from tasks.models import Assignment
from tasks.status import WorkflowState
from tests.tasks.factories import DirectiveFactory


@pytest.fixture
def plan(province):
    return DirectiveFactory(
        number="5580/KH-UBND",
        issue_date=datetime.date(2026, 1, 10),
        summary="Kế hoạch cải cách hành chính năm 2026",
    )


@pytest.fixture
def reported_done(plan, unit_a, head_a):
    """A task of unit A that its head reported done (awaiting Home Affairs)."""
    task = services.task_create(
        directive=plan, item_number="3", title="Công khai thủ tục", lead_unit=unit_a,
        deadline=datetime.date(2026, 6, 30), output_kind="activity",
    )  # fmt: skip
    assignment = task.assignments.get()
    report = services.report_draft(
        assignment=assignment, author=head_a, percent=100, text="Xong", reports_done=True
    )
    services.report_submit(report=report, actor=head_a)
    return assignment


@pytest.fixture
def two_units_tasks(plan, unit_a, unit_b):
    """Task 1 led by unit A (unit B cooperates), task 2 led by unit B."""
    first = services.task_create(
        directive=plan, item_number="1", title="Rà soát thủ tục hành chính", lead_unit=unit_a,
        cooperating_units=[unit_b], deadline=datetime.date(2026, 9, 15),
    )  # fmt: skip
    second = services.task_create(
        directive=plan, item_number="2", title="Tuyên truyền cải cách hành chính",
        lead_unit=unit_b, deadline=datetime.date(2026, 10, 1),
    )  # fmt: skip
    return first, second


@pytest.fixture(autouse=True)
def fresh_cache():
    """Panels keep their figures on the shared cache: every test starts from an empty one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo_plan(db):
    """The demo province with its directives and tasks (this year's plan: 29 of 42 done)."""
    from directives import demo as directives_demo
    from organizations import demo as organizations_demo
    from tasks import demo as tasks_demo

    organizations_demo.load()
    directives_demo.load()
    tasks_demo.load()


def stage(assignment: Assignment, outcome: str, today: datetime.date) -> None:
    """Put a test assignment in a known state by its own columns (test data, not a workflow):
    done_on_time, done_late, overdue or in_progress."""
    day = datetime.timedelta(days=1)
    fields = {
        "done_on_time": {
            "deadline": today - 10 * day,
            "state": WorkflowState.CONFIRMED,
            "started_on": today - 30 * day,
            "completed_on": today - 12 * day,
        },
        "done_late": {
            "deadline": today - 20 * day,
            "state": WorkflowState.CONFIRMED,
            "started_on": today - 30 * day,
            "completed_on": today - 15 * day,
        },
        "overdue": {"deadline": today - 5 * day, "state": WorkflowState.OPEN},
        "in_progress": {
            "deadline": today + 5 * day,
            "state": WorkflowState.OPEN,
            "started_on": today - 3 * day,
        },
        "cancelled": {"deadline": today + 5 * day, "state": WorkflowState.CANCELLED},
    }[outcome]
    Assignment.objects.filter(pk=assignment.pk).update(**fields)
