"""Completion snapshots: figures per scope equal the staged outcomes, a second run for the same
day leaves one row per key, past days read the statuses of that day."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from reporting import demo as reporting_demo
from reporting.jobs import compute_completion_snapshots_task
from reporting.models import CompletionSnapshot, SnapshotScope
from reporting.snapshots import snapshots_compute
from tests.reporting.factories import build_plan

OUTCOMES = ["done_on_time", "done_on_time", "done_late", "overdue", "in_progress", "cancelled"]


def test_snapshot_figures_equal_the_staged_outcomes(unit_a, unit_b):
    # given unit A with six staged outcomes and unit B with two
    build_plan({unit_a: OUTCOMES, unit_b: ["done_on_time", "overdue"]})
    today = timezone.localdate()
    # when today's snapshots are computed
    snapshots_compute(day=today)
    # then the province row counts both units (cancelled work is out of the total)
    province = CompletionSnapshot.objects.get(scope=SnapshotScope.PROVINCE, day=today)
    assert (province.total, province.done, province.done_on_time, province.done_late) == (
        7,
        4,
        3,
        1,
    )
    assert (province.overdue, province.in_progress) == (2, 1)
    assert province.completion_rate == Decimal("57.1")
    unit_row = CompletionSnapshot.objects.get(scope=SnapshotScope.UNIT, key=unit_a.pk, day=today)
    assert (unit_row.total, unit_row.done, unit_row.completion_rate) == (5, 3, Decimal("60.0"))
    assert CompletionSnapshot.objects.filter(scope=SnapshotScope.DIRECTIVE, day=today).count() == 1


def test_running_twice_for_a_day_leaves_one_row_per_key(unit_a):
    build_plan({unit_a: OUTCOMES})
    today = timezone.localdate()
    snapshots_compute(day=today)
    first = CompletionSnapshot.objects.count()
    snapshots_compute(day=today)
    assert CompletionSnapshot.objects.count() == first == 3  # province, unit, directive


def test_a_past_day_reads_the_status_of_that_day(unit_a):
    # given a task done 12 days ago (deadline 10 days ago)
    build_plan({unit_a: ["done_on_time"]})
    day = timezone.localdate() - datetime.timedelta(days=20)
    # when the snapshot of 20 days ago is computed
    snapshots_compute(day=day)
    # then it was not done yet then
    row = CompletionSnapshot.objects.get(scope=SnapshotScope.PROVINCE, day=day)
    assert (row.total, row.done, row.completion_rate) == (1, 0, Decimal("0.0"))


def test_the_nightly_job_and_run_job_write_the_days_snapshots(unit_a):
    build_plan({unit_a: OUTCOMES})
    assert compute_completion_snapshots_task.delay().get() == 3
    call_command("run_job", "completion-snapshots", "--kwargs", '{"day": "2026-01-05"}')
    assert CompletionSnapshot.objects.filter(day=datetime.date(2026, 1, 5)).exists()


def test_the_demo_backfill_is_idempotent(unit_a):
    build_plan({unit_a: OUTCOMES})
    reporting_demo.load()
    rows = CompletionSnapshot.objects.count()
    assert rows == 3 * (reporting_demo.WEEKS + 1)
    assert reporting_demo.load() == "0 completion snapshots written"
    assert CompletionSnapshot.objects.count() == rows
