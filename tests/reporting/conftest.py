import datetime

import pytest
from django.core.cache import cache

from tasks.models import Assignment
from tasks.status import WorkflowState


@pytest.fixture(autouse=True)
def fresh_cache():
    """Panels keep their figures on the shared cache: every test starts from an empty one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo_plan(db):
    """The demo province with its directives and tasks (this year's plan: 28 of 40 done)."""
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
