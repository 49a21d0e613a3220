"""Completion snapshots: how far each plan year's tasks had got on a given day, per province,
unit, directive and CCHC area. Computed in SQL (one grouped aggregate over the status annotation
as of that day, at the finest grain, summed up to each scope) and upserted by (scope, key, year,
day), so a second run for the same day rewrites the same rows instead of adding new ones."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from reporting.models import CompletionSnapshot, SnapshotScope
from tasks.models import Assignment
from tasks.status import DONE, EXCLUDED, OPEN, Status

_DONE = [s.value for s in DONE]
_EXCLUDED = [s.value for s in EXCLUDED]
_OPEN_WITHIN = [s.value for s in OPEN if s != Status.OVERDUE]

# scope -> the column its rows are grouped by (None: one row per year for the province)
SCOPE_COLUMNS = {
    SnapshotScope.PROVINCE: None,
    SnapshotScope.UNIT: "unit_id",
    SnapshotScope.DIRECTIVE: "task__directive_id",
    SnapshotScope.AREA: "task__area_id",
}


def status_counts() -> dict:
    """The counts every completion figure is made of, as aggregates over `with_status`."""
    return {
        "total": Count("pk", filter=~Q(status__in=_EXCLUDED)),
        "done": Count("pk", filter=Q(status__in=_DONE)),
        "done_on_time": Count("pk", filter=Q(status=Status.DONE_ON_TIME)),
        "done_late": Count("pk", filter=Q(status=Status.DONE_LATE)),
        "in_progress": Count("pk", filter=Q(status__in=_OPEN_WITHIN)),
        "overdue": Count("pk", filter=Q(status=Status.OVERDUE)),
    }


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole in percent, one decimal, half up (28/40 -> 70.0); None when whole is 0."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


_COUNTS = tuple(status_counts())
_FINEST = ["task__directive__year", *(column for column in SCOPE_COLUMNS.values() if column)]


def _finest_groups(assignments: QuerySet, day: datetime.date) -> list[dict]:
    """One grouped aggregate at the finest grain (year, unit, directive, area): every scope's
    counts are sums of these, so a day costs one statement instead of one per scope."""
    return list(
        assignments.with_status(day).values(*_FINEST).annotate(**status_counts()).order_by()
    )


@transaction.atomic
def snapshots_compute(*, day: datetime.date, assignments: QuerySet | None = None) -> int:
    """Write the snapshots of every plan year and scope as of `day`. Returns rows written."""
    assignments = assignments if assignments is not None else Assignment.objects.all()
    totals: dict[tuple, dict[str, int]] = {}
    for group in _finest_groups(assignments, day):
        for scope, column in SCOPE_COLUMNS.items():
            key = group[column] if column else 0
            if key is None:  # tasks with no CCHC area have no area snapshot
                continue
            sums = totals.setdefault(
                (scope, key, group["task__directive__year"]), dict.fromkeys(_COUNTS, 0)
            )
            for name in _COUNTS:
                sums[name] += group[name]
    rows = [
        CompletionSnapshot(
            day=day,
            scope=scope,
            key=key,
            year=year,
            **counts,
            completion_rate=rate(counts["done"], counts["total"]),
        )
        # in key order: two workers writing the same day lock the rows in the same order
        for (scope, key, year), counts in sorted(totals.items())
    ]
    CompletionSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["scope", "key", "year", "day"],
        update_fields=[
            "total",
            "done",
            "done_on_time",
            "done_late",
            "in_progress",
            "overdue",
            "completion_rate",
            "computed_at",
        ],
    )
    return len(rows)


def snapshots_backfill(*, end: datetime.date, weeks: int) -> int:
    """Weekly snapshots for the `weeks` weeks up to `end`, each computed as of its own day."""
    written = 0
    for back in range(weeks, -1, -1):
        written += snapshots_compute(day=end - datetime.timedelta(weeks=back))
    return written
