"""The demo plans (Công văn 2718, Kế hoạch 5580, this year's plan) on the demo province the package
built (tests/demo/conftest.py): their figures, statuses, periods and a second load that changes
nothing (rolled back with the test)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from directives import demo as directives_demo
from directives.models import Directive
from tasks import demo as tasks_demo
from tasks.models import Assignment, AssignmentPeriod, ProgressReport, Task
from tasks.selectors import completion_summary
from tasks.status import Status


@pytest.fixture
def demo(demo_province, db):
    """The demo province the package built (tests/demo/conftest.py), its plans among it."""


def _year_plan():
    return Assignment.objects.filter(
        task__directive__number=directives_demo.this_year_plan_number(),
        task__directive__year=timezone.localdate().year,
    )


def test_this_years_plan_reads_29_of_42_done_through_the_status_annotation(demo):
    # 40 tasks, 28 of them done, and two cooperating shares (one done, one under way)
    summary = completion_summary(_year_plan())
    assert (summary.done, summary.total) == (29, 42)
    assert summary.completion_rate == Decimal("69.0")
    assert (summary.done_on_time, summary.done_late) == (22, 7)


def test_this_years_plan_spreads_over_every_status(demo):
    today = timezone.localdate()
    statuses = dict(_counts(_year_plan().with_status(today)))
    assert statuses == {
        Status.DONE_ON_TIME: 22,
        Status.DONE_LATE: 7,
        Status.AWAITING_CONFIRMATION: 3,
        Status.IN_PROGRESS: 6,
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
    # the districts' open work moved to a successor commune when they were abolished
    assert {"STP", "STC", "SNV", "X-TAYHOA", "P-BINHMINH", "X-DONGSON"} <= codes
    assert first.assignments.get(unit__code="X-DONGSON").transfers.exists()
    still_at_districts = Assignment.objects.filter(unit__kind="district").exclude(
        state__in=["confirmed", "cancelled"]
    )
    assert not still_at_districts.exists()
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


def test_every_recurring_demo_task_is_due_inside_each_of_its_periods(demo):
    # Given the demo's recurring tasks (the 2021 plan's quarterly report)
    recurring = Task.objects.exclude(recurrence="")
    periods = AssignmentPeriod.objects.filter(assignment__task__in=recurring)
    # Then each period's deadline falls in the period's last month, never after it
    assert recurring.exists() and periods.count() == 12  # 4 quarters x lead and 2 cooperating
    for period in periods:
        assert period.period_start <= period.deadline <= period.period_end
        assert period.deadline.month == period.period_end.month
    # And the periods were reported on time and confirmed, before their deadlines
    assert not periods.exclude(state="confirmed").exists()
    assert not periods.filter(completed_on__gt=F("deadline")).exists()


def test_a_plan_task_named_after_a_period_is_due_in_that_periods_last_month(demo):
    # Given this year's plan, loaded today
    today = timezone.localdate()
    due = tasks_demo.quarter_report_due(today)
    report = Task.objects.get(
        directive__number=directives_demo.this_year_plan_number(),
        directive__year=today.year,
        item_number="2",
    )
    # Then its periodic report names the period it reports on and is due on that period's 20th
    if due is not None:
        name, deadline = due
        assert report.title == f"Báo cáo CCHC {name} {today.year}"
        assert report.deadline == deadline
        assert deadline.day == 20 and deadline.month % 3 == 0
    # And no task of the demo is reported on a day after today or before its directive
    reports = ProgressReport.objects.filter(report_date__isnull=False)
    assert not reports.filter(report_date__gt=today).exists()
    assert not ProgressReport.objects.filter(submitted_at__gt=timezone.now()).exists()
    assert not Directive.objects.filter(issue_date__gt=today).exists()
    assert not reports.filter(report_date__lt=F("assignment__task__directive__issue_date")).exists()


def test_the_quarterly_report_is_the_last_one_due_ten_days_before_the_load_day():
    assert tasks_demo.quarter_report_due(date(2026, 12, 5)) == ("quý III năm", date(2026, 9, 20))
    assert tasks_demo.quarter_report_due(date(2026, 12, 30)) == ("năm", date(2026, 12, 20))
    assert tasks_demo.quarter_report_due(date(2026, 7, 1)) == ("6 tháng đầu năm", date(2026, 6, 20))
    assert tasks_demo.quarter_report_due(date(2026, 3, 25)) is None


def test_no_work_of_an_earlier_years_plan_is_still_overdue(demo):
    # Given the demo's older plans (2021), loaded today
    today = timezone.localdate()
    older = Assignment.objects.filter(
        task__directive__year__lt=today.year, task__deadline__isnull=False
    ).with_status(today)
    # Then their dated work was done (on time or late), not left overdue for years
    assert older.exists()
    assert not older.filter(status=Status.OVERDUE).exists()
    assert older.filter(status=Status.DONE_LATE).exists()  # one was late, as work is


def test_this_years_plan_has_cooperating_units_and_a_conversation(demo):
    # given the demo: this year's plan has tasks with cooperating units...
    cooperating = _year_plan().filter(role="cooperating")
    assert set(cooperating.values_list("unit__code", flat=True)) == {"STP", "STC"}
    # ...and threads where Home Affairs, the lead unit and a cooperating unit write
    from tasks.models import AssignmentPost

    posts = AssignmentPost.objects.filter(
        assignment__in=_year_plan(), assignment__role="lead"
    ).select_related("author_unit")
    assert posts.count() == 7
    thread = posts.filter(assignment__task__item_number="36").order_by("created_at")
    assert [post.author_unit.code for post in thread] == ["SNV", "STP", "STC", "STP"]
    assert all(post.created_at < timezone.now() for post in posts)
    assert thread[2].attachments.count() == 1


def test_each_task_of_this_years_plan_names_the_leader_who_follows_its_area(demo, persona_client):
    tasks = Task.objects.filter(pk__in=_year_plan().values("task"))
    assert not tasks.filter(leader_in_charge="").exists()
    assert all(
        task.leader_in_charge == tasks_demo.AREA_LEADERS[task.area.code]
        for task in tasks.select_related("area")
    )
    # and the leader's overdue panel shows each overdue task's leader on its row
    page = persona_client("lanhdao").get("/bao-cao/dieu-hanh/").content.decode()
    overdue = _year_plan().with_status(timezone.localdate()).filter(status=Status.OVERDUE)
    assert overdue.exists()
    for assignment in overdue.select_related("task"):
        row = page[page.index(f">{assignment.task.title}<") :]
        assert assignment.task.leader_in_charge in row[: row.index("</tr>")]
