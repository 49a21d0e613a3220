"""The analytics tables (issue 17) equal the live derivation after every workflow event, an
import, a unit's succession and a rebuild run twice; the dashboards read the same figures from
them as from the live selectors; the dossier half-month rollup equals the daily one."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from reporting.analytics import read, status
from reporting.dashboards.periods import report_period
from reporting.models import AssignmentStatusCount, AssignmentStatusRow, StatusAsOf, StatusDirty
from tasks import services
from tasks.models import Assignment
from tasks.status import Status
from tests.factories import OrgUnitFactory
from tests.reporting.factories import build_plan
from tests.tasks.factories import DirectiveFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _rows() -> list[tuple]:
    return sorted(
        AssignmentStatusRow.objects.values_list("as_of", "assignment_id", "status", "unit_id")
    )


def _counts() -> list[tuple]:
    return sorted(
        AssignmentStatusCount.objects.values_list(
            "as_of", "year", "unit_id", "area_id", "deadline_half", "status", "n"
        ),
        key=repr,
    )


def _status_today(assignment: Assignment) -> str:
    return AssignmentStatusRow.objects.get(assignment=assignment, as_of=timezone.localdate()).status


@pytest.fixture
def built(unit_a, unit_b):
    """This year's plan and last year's (whose period ends are kept, frozen), tables built."""
    today = timezone.localdate()
    build_plan({unit_a: ["done_on_time", "overdue", "in_progress"], unit_b: ["done_late"]})
    last_year = DirectiveFactory(issue_date=D(today.year - 1, 2, 1))
    build_plan({unit_b: ["overdue", "done_on_time"]}, directive=last_year)
    status.rebuild()
    return today


@pytest.fixture
def open_task(built, plan, unit_a):
    task = services.task_create(
        directive=plan, item_number="90", title="Số hóa hồ sơ", lead_unit=unit_a,
        deadline=built + datetime.timedelta(days=20), output_kind="activity",
    )  # fmt: skip
    return task.assignments.get()


def test_a_rebuild_equals_the_live_derivation_and_a_second_run_changes_nothing(built):
    # given the tables built once, every kept day holds what tasks.status derives
    assert status.check() == []
    first_rows, first_counts = _rows(), _counts()
    # today and every past period end of both plan years are kept
    kept = set(StatusAsOf.objects.values_list("as_of", flat=True))
    assert built in kept
    assert D(built.year - 1, 3, 31) in kept and D(built.year - 1, 12, 14) in kept
    # when rebuilt again (as a second worker would)
    call_command("rebuild_analytics", "--status-only", stdout=io.StringIO())
    # then the same rows and counts, still equal to the live derivation
    assert (_rows(), _counts()) == (first_rows, first_counts)
    assert status.check() == []
    # and the counts are far fewer rows than the assignments x days
    assert AssignmentStatusCount.objects.count() <= AssignmentStatusRow.objects.count()


def test_each_workflow_event_is_in_the_tables_on_commit(
    open_task, head_a, home_affairs, django_capture_on_commit_callbacks
):
    assignment = open_task

    def act(action):
        with django_capture_on_commit_callbacks(execute=True):
            action()
        assert StatusDirty.objects.count() == 0  # refreshed on commit, nothing left waiting
        assert status.check() == []
        assignment.refresh_from_db()

    # the fixture's task_create ran inside the test's transaction, which never commits: its
    # refresh is run here as the catch-up job would run it
    status.catch_up()
    assert _status_today(assignment) == Status.NOT_STARTED

    def submit_done():
        report = services.report_draft(
            assignment=assignment, author=head_a, percent=100, text="Xong", reports_done=True
        )
        services.report_submit(report=report, actor=head_a)

    act(submit_done)
    assert _status_today(assignment) == Status.AWAITING_CONFIRMATION
    act(
        lambda: services.assignment_return(
            assignment=assignment, actor=home_affairs, reason="Thiếu"
        )
    )
    assert _status_today(assignment) == Status.RETURNED
    act(submit_done)
    act(lambda: services.assignment_confirm(assignment=assignment, actor=home_affairs))
    assert _status_today(assignment) == Status.DONE_ON_TIME


def test_an_extension_and_a_cancellation_are_in_the_tables_on_commit(
    built, unit_a, head_a, home_affairs, django_capture_on_commit_callbacks
):
    # given an overdue assignment of this year
    assignment = Assignment.objects.filter(unit=unit_a, task__directive__year=built.year).get(
        pk__in=[
            row.assignment_id
            for row in AssignmentStatusRow.objects.filter(as_of=built, status=Status.OVERDUE)
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        extension = services.extension_request(
            assignment=assignment, actor=head_a,
            requested_deadline=built + datetime.timedelta(days=10), reason="Chờ số liệu",
        )  # fmt: skip
        services.extension_approve(extension=extension, actor=home_affairs)
    assert _status_today(assignment) in (Status.IN_PROGRESS, Status.NOT_STARTED)
    assert status.check() == []
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_suspend(assignment=assignment, actor=home_affairs)
    assert _status_today(assignment) == Status.SUSPENDED
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_resume(assignment=assignment, actor=home_affairs)
        services.assignment_cancel(assignment=assignment, actor=home_affairs, reason="Trùng")
    assert _status_today(assignment) == Status.CANCELLED
    assert status.check() == []


def test_task_changes_after_entry_are_in_the_tables_on_commit(
    built, unit_a, unit_b, home_affairs, django_capture_on_commit_callbacks
):
    # given an overdue task of this year's plan, led by unit A
    overdue = AssignmentStatusRow.objects.filter(
        as_of=built,
        status=Status.OVERDUE,
        unit_id=unit_a.pk,
        year=built.year,
    ).values_list("assignment_id", flat=True)
    task = Assignment.objects.get(pk=overdue[0]).task
    # when Home Affairs moves its deadline a month on, the share is no longer overdue
    with django_capture_on_commit_callbacks(execute=True):
        services.task_edit(
            task=task, actor=home_affairs, reason="Kéo dài theo chỉ đạo",
            data={"deadline": built + datetime.timedelta(days=45)},
        )  # fmt: skip
    assert _status_today(task.assignments.get(unit=unit_a)) != Status.OVERDUE
    assert status.check() == []
    # when it adds unit B as a cooperating unit, then shifts all deadlines back, then cancels
    with django_capture_on_commit_callbacks(execute=True):
        task.refresh_from_db()
        services.task_edit(
            task=task, actor=home_affairs, reason="Thêm đơn vị phối hợp",
            data={"cooperating_units": [unit_b]},
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.tasks_bulk_shift_deadline(
            tasks=[task], actor=home_affairs, reason="Lùi hạn", days=-60
        )
    assert status.check() == []
    with django_capture_on_commit_callbacks(execute=True):
        task.refresh_from_db()
        services.task_cancel(task=task, actor=home_affairs, reason="Không còn phù hợp")
    # then every share of it is cancelled in the tables, as the live derivation says
    assert {_status_today(a) for a in task.assignments.all()} == {Status.CANCELLED}
    assert status.check() == []
    assert StatusDirty.objects.count() == 0


def test_a_failed_refresh_waits_for_the_catch_up(
    open_task, head_a, django_capture_on_commit_callbacks
):
    # given a report submitted whose refresh on commit did not run (a worker died)
    with django_capture_on_commit_callbacks(execute=False):
        report = services.report_draft(
            assignment=open_task, author=head_a, percent=100, text="Xong", reports_done=True
        )
        services.report_submit(report=report, actor=head_a)
    assert StatusDirty.objects.filter(assignment_id=open_task.pk).exists()
    assert status.check() != []
    # the dashboards' "data up to" is the moment of the change still waiting
    assert read.data_up_to() == StatusDirty.objects.order_by("created_at").first().created_at
    # when the catch-up runs (every minute), the tables are right again
    status.catch_up()
    assert not StatusDirty.objects.exists()
    assert _status_today(open_task) == Status.AWAITING_CONFIRMATION
    assert status.check() == []


def test_an_import_is_in_the_tables_on_commit(
    built, home_affairs, unit_a, django_capture_on_commit_callbacks
):
    from tasks.services import imports
    from tests.tasks.test_imports import _row, _xlsx

    directive = DirectiveFactory(issue_date=D(built.year, 3, 1))
    upload = _xlsx(
        [
            _row("1"),
            _row(
                "2", deadline="", recurrence="Hằng quý", output_kind="Hoạt động (không có văn bản)"
            ),
        ]
    )
    preview = imports.task_import_preview(directive=directive, upload=upload, actor=home_affairs)
    with django_capture_on_commit_callbacks(execute=True):
        imports.task_import_confirm(directive=directive, token=preview.token, actor=home_affairs)
    new = Assignment.objects.filter(task__directive=directive)
    assert new.count() == 2
    assert AssignmentStatusRow.objects.filter(assignment__in=new, as_of=built).count() == 2
    assert status.check() == []


def test_a_unit_s_succession_is_in_the_tables_on_commit(
    province, home_affairs, django_capture_on_commit_callbacks
):
    # given a district abolished on 30/6/2025 with its open task of a 2024 plan, tables built
    directive = DirectiveFactory(number="100/KH-UBND", issue_date=D(2024, 3, 1))
    district = OrgUnitFactory(
        code="H-X", name="Huyện X", kind="district", level="district",
        valid_to=D(2025, 6, 30), parent=province,
    )  # fmt: skip
    commune = OrgUnitFactory(code="X-Y", name="Xã Y", kind="commune", level="commune")
    district.successors.set([commune])
    task = services.task_create(directive=directive, item_number="9", title="t", lead_unit=district)
    status.rebuild()
    assert AssignmentStatusRow.objects.filter(unit_id=district.pk).exists()
    # when its work passes to the successor commune
    with django_capture_on_commit_callbacks(execute=True):
        services.unit_transfer_open_assignments(unit=district, to_unit=commune, actor=home_affairs)
    # then every kept day counts it for the commune, as the live derivation does
    assert not AssignmentStatusRow.objects.filter(unit_id=district.pk).exists()
    assert (
        AssignmentStatusRow.objects.filter(
            assignment=task.assignments.get(), unit_id=commune.pk
        ).count()
        == StatusAsOf.objects.filter(as_of__year__in=[2024]).count() + 1
    )
    assert status.check() == []


def test_a_rolled_back_action_leaves_nothing(open_task, head_a):
    from django.db import transaction

    before, waiting = _rows(), StatusDirty.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        report = services.report_draft(
            assignment=open_task, author=head_a, percent=100, text="Xong", reports_done=True
        )
        services.report_submit(report=report, actor=head_a)
        raise RuntimeError
    assert StatusDirty.objects.count() == waiting
    assert _rows() == before


def test_the_new_day_moves_the_running_day_and_freezes_a_period_end(built):
    # given the tables built on a calendar quarter's last day of this year
    year = built.year - 1
    end = D(year, 3, 31)
    status.rebuild(today=end)
    assert StatusAsOf.objects.get(as_of=end).is_today
    # when the catch-up runs the next morning
    status.catch_up(today=end + datetime.timedelta(days=1))
    # then that day stays, for its own plan year only, and the new day holds every assignment
    kept = StatusAsOf.objects.get(as_of=end)
    assert not kept.is_today
    assert set(AssignmentStatusRow.objects.filter(as_of=end).values_list("year", flat=True)) == {
        year
    }
    assert StatusAsOf.objects.get(as_of=end + datetime.timedelta(days=1)).is_today
    # (the real today is later: the days between are the catch-up's next runs)
    problems = [p for p in status.check() if "running day" not in p and "not kept" not in p]
    assert problems == []


def test_check_reports_a_difference_and_the_command_exits_non_zero(built):
    AssignmentStatusRow.objects.filter(as_of=built).update(status=Status.CANCELLED)
    assert status.check()
    with pytest.raises(SystemExit) as exited:
        call_command("check_analytics", stdout=io.StringIO(), stderr=io.StringIO())
    assert exited.value.code == 1


FILTER_SETS = {
    "default": {},
    "quarter_calendar": {"period": "q1"},
    "half_cutoff": {"period": "h1", "convention": "cutoff"},
    "communes": {"unit_level": "commune"},
    "last_year_q4": {"year_back": 1, "period": "q4", "convention": "cutoff"},
    # the directive's figures read the status rows (the count table has no directive)
    "directive": {"directive_of_plan": True},
    "directive_q4_communes": {"directive_of_plan": True, "period": "q4", "unit_level": "commune"},
}


@pytest.mark.parametrize("name", FILTER_SETS)
def test_panels_read_from_the_tables_equal_the_live_panels(built, leader, unit_a, name):
    from reporting.dashboards.forms import DashboardFilterForm
    from reporting.dashboards.panels import (
        ByAreaPanel,
        ByDirectivePanel,
        ByUnitPanel,
        DashboardContext,
        OverduePanel,
        TilesPanel,
    )

    data = dict(FILTER_SETS[name])
    if data.pop("year_back", None):
        data["year"] = built.year - 1
    if data.pop("directive_of_plan", None):
        # a second directive of the year, whose tasks the chosen one's figures leave out
        chosen = Assignment.objects.values_list("task__directive", flat=True).first()
        other = DirectiveFactory(issue_date=D(built.year, 3, 1))
        build_plan({unit_a: ["overdue"], OrgUnitFactory(): ["done_late"]}, directive=other)
        status.rebuild()
        data["directive"] = chosen
    form = DashboardFilterForm(data)
    ctx = DashboardContext(
        user=leader, values=form.values, period=form.report_period(), filter_token="t"
    )
    panels = (TilesPanel, ByUnitPanel, ByDirectivePanel, ByAreaPanel, OverduePanel)

    def computed():
        figures = {}
        for panel in panels:
            result = panel(ctx).compute()
            result.pop("fresh")
            figures[panel.name] = result
        return figures

    from_tables = computed()
    assert read.is_kept(ctx.period.as_of)
    StatusAsOf.objects.all().delete()  # the tables cannot answer: derived live
    assert computed() == from_tables


def test_unit_panel_reads_the_tables_like_the_live_derivation(built, head_a, unit_a):
    from reporting.dashboards.panels import UnitPanel, unit_context

    def computed():
        result = UnitPanel(unit_context(head_a), unit_a).compute()
        result.pop("fresh")
        return result

    from_tables = computed()
    assert from_tables["overdue_all"].rows == 1
    StatusAsOf.objects.all().delete()
    assert computed() == from_tables


def test_the_half_month_dossier_rollup_equals_the_daily_one(db):
    from dossiers import demo as dossiers_demo
    from dossiers import rollups
    from dossiers import services as dossier_services
    from dossiers.metrics import (
        figures_from_half_months,
        figures_from_rollups,
        late_without_apology_count,
    )
    from dossiers.models import Dossier, DossierDailyRollup
    from dossiers.selectors import dossiers_late_without_apology
    from organizations import demo as organizations_demo
    from organizations.models import User
    from reporting.dashboards.periods import report_period as period_of

    organizations_demo.load()
    dossiers_demo.load(count=1500)
    assert rollups.half_month_ready()
    assert rollups.rollup_check() == []
    leader = User.objects.get(username="lanhdao")
    today = timezone.localdate()

    def same_figures():
        for kind, convention in (("year", "calendar"), ("q4", "cutoff"), ("h1", "calendar")):
            for year in (today.year, today.year - 1):
                period = period_of(year, kind, convention).dossier_period
                for group in (None, "level", ("unit", "level")):
                    assert figures_from_half_months(period, group_by=group) == (
                        figures_from_rollups(
                            period, rollups=DossierDailyRollup.objects.all(), group_by=group
                        )
                    ), (period, group)
                live = (
                    dossiers_late_without_apology(leader, as_of=min(period.end, today))
                    .filter(overdue_date__gte=period.start)
                    .count()
                )
                assert late_without_apology_count(period) == live, period

    same_figures()
    # when an apology is registered and the incremental rollup runs (as every 15 minutes)
    late = (
        Dossier.objects.filter(overdue_date__lte=today, apology_registered_at__isnull=True)
        .order_by("pk")
        .first()
    )
    head = User.objects.filter(unit=late.unit, role="unit_head").first()
    if head is not None:
        dossier_services.dossier_register_apology(
            dossier=late, actor=head, new_due_date=today + datetime.timedelta(days=5)
        )
    else:
        Dossier.objects.filter(pk=late.pk).update(
            apology_registered_at=timezone.now(), updated_at=timezone.now()
        )
    rollups.rollup_incremental()
    # then both rollups still equal the dossiers, and the figures agree
    assert rollups.rollup_check() == []
    same_figures()
    # and after an import of new dossiers (a second batch), folded in by the incremental run
    dossiers_demo.generate(count=300, source="import-test", seed=5, written_at=timezone.now())
    rollups.rollup_incremental()
    assert rollups.rollup_check() == []
    same_figures()


def test_freshness_is_shown_on_every_leadership_panel(built, client, leader):
    from django.urls import reverse

    client.force_login(leader)
    html = client.get(reverse("reporting:leadership_dashboard")).content.decode()
    assert html.count("data-freshness") >= 6
    assert "Số liệu đến" in html


def test_half_months_run_both_conventions(settings):
    settings.DOSSIER_REPORT_CUTOFF_DAY = 15
    for kind in ("q1", "q2", "q3", "q4", "h1", "m9", "year"):
        for convention in ("calendar", "cutoff"):
            period = report_period(2026, kind, convention)
            assert status.is_half_start(period.start) and status.is_half_end(period.end)
            assert period.end in status.period_ends(2026) or period.end == D(2026, 12, 31)
    assert status.half_index(D(2026, 3, 14)) + 1 == status.half_index(D(2026, 3, 15))


def test_the_nightly_job_repairs_a_write_around_the_services(built):
    # given a bulk update that went around the services (no refresh)
    Assignment.objects.filter(task__directive__year=built.year).update(deadline=None)
    assert status.check() != []
    # when the nightly job runs, then the tables equal the live derivation again
    done = status.nightly()
    assert done["differences"] > 0
    assert status.check() == []
