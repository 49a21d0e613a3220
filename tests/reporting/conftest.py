import datetime

import pytest

from tasks import services
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
