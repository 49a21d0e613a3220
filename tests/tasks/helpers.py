"""Small builders shared by the job tests of the tasks app."""

import datetime

from tasks import services
from tasks.models import Assignment


def make_assignment(directive, unit, number: str, deadline: datetime.date, **kwargs) -> Assignment:
    """A one-off task led by `unit`, through the service; returns the unit's assignment."""
    task = services.task_create(
        directive=directive,
        item_number=number,
        title=f"Nhiệm vụ số {number}",
        lead_unit=unit,
        deadline=deadline,
        expected_output="Báo cáo",
        **kwargs,
    )
    return task.assignments.get(unit=unit)
