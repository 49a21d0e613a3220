from decimal import Decimal

import pytest
from django.utils import timezone

from directives import demo as directives_demo
from organizations import demo as organizations_demo
from tasks import demo as tasks_demo
from tasks.models import Assignment, Task
from tasks.selectors import completion_summary
from tasks.status import Status


@pytest.fixture
def demo(db):
    organizations_demo.load()
    directives_demo.load()
    tasks_demo.load()


def _year_plan():
    return Assignment.objects.filter(
        task__directive__number=directives_demo.this_year_plan_number(),
        task__directive__year=timezone.localdate().year,
    )


def test_this_years_plan_reads_28_of_40_done_through_the_status_annotation(demo):
    summary = completion_summary(_year_plan())
    assert (summary.done, summary.total) == (28, 40)
    assert summary.completion_rate == Decimal("70.0")
    assert (summary.done_on_time, summary.done_late) == (21, 7)


def test_this_years_plan_spreads_over_every_status(demo):
    today = timezone.localdate()
    statuses = dict(_counts(_year_plan().with_status(today)))
    assert statuses == {
        Status.DONE_ON_TIME: 21,
        Status.DONE_LATE: 7,
        Status.AWAITING_CONFIRMATION: 3,
        Status.IN_PROGRESS: 5,
        Status.OVERDUE: 4,
    }
    assert _year_plan().due_soon(today).count() == 3


def _counts(queryset):
    from django.db.models import Count

    return queryset.values_list("status").annotate(n=Count("pk")).order_by()


def test_seeded_directives_and_their_tasks(demo):
    assert Task.objects.filter(directive__number="2718/UBND-NC").count() == 9
    first = Task.objects.get(directive__number="2718/UBND-NC", item_number="1")
    codes = set(first.assignments.values_list("unit__code", flat=True))
    assert {"STP", "STC", "SNV", "H-TAYHOA", "X-DONGSON"} <= codes  # H-DONGSON moved on
    assert first.assignments.get(unit__code="X-DONGSON").transfers.exists()
    quan_triet = Task.objects.get(directive__number="1250/KH-UBND", item_number="1")
    assert quan_triet.deadline.isoformat() == "2021-09-15"
    assert quan_triet.lead_unit.code == "SNV"
    assert quan_triet.assignments.filter(role="cooperating").count() == 3
    assert quan_triet.directive.implements.get().number == "76/NQ-CP"


def test_loading_twice_changes_nothing(demo):
    counts = (Task.objects.count(), Assignment.objects.count())
    assert tasks_demo.load() == "0 tasks created"
    assert directives_demo.load() == "0 directives created"
    assert (Task.objects.count(), Assignment.objects.count()) == counts
