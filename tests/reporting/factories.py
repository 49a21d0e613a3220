"""A plan of tasks with known outcomes, for dashboard tests that recompute the figures."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tasks import services
from tests.reporting.conftest import stage
from tests.tasks.factories import DirectiveFactory


def build_plan(units_outcomes: dict, *, copies: int = 1, directive=None, area=None) -> dict:
    """units_outcomes: {unit: [outcome, ...]}; each outcome becomes a task led by that unit,
    `copies` times over. Returns the count of each outcome per unit code."""
    today = timezone.localdate()
    directive = directive or DirectiveFactory(issue_date=datetime.date(today.year, 1, 5))
    counts: dict[str, dict[str, int]] = {}
    number = directive.tasks.count()
    for unit, outcomes in units_outcomes.items():
        for _copy in range(copies):
            for outcome in outcomes:
                number += 1
                task = services.task_create(
                    directive=directive,
                    item_number=str(number),
                    title=f"Nhiệm vụ {number}",
                    lead_unit=unit,
                    deadline=today + datetime.timedelta(days=30),
                    area=area,
                )
                stage(task.assignments.get(), outcome, today)
                per_unit = counts.setdefault(unit.code, {})
                per_unit[outcome] = per_unit.get(outcome, 0) + 1
    return counts
