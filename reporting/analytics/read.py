"""Dashboard figures read from the analytics tables, with the live selectors' shapes
(reporting.selectors.completion_totals / completion_by / unit_completion) and figures.

Each reader returns None when the tables cannot answer (the day was never kept: the tables not
built yet, or the running day not moved yet after midnight; a period whose bounds are not
half-months): the caller then derives live, so a figure is never wrong, only slower.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from core.roles import Role, has_role, sees_whole_province
from organizations.models import OrgUnit
from reporting.analytics.status import STATE_NAME, half_index, is_half_end, is_half_start
from reporting.dashboards.periods import ReportPeriod
from reporting.models import (
    AnalyticsState,
    AssignmentStatusCount,
    AssignmentStatusRow,
    StatusAsOf,
    StatusDirty,
)
from reporting.snapshots import _DONE, _EXCLUDED, _OPEN_WITHIN, rate
from tasks.status import Status


@dataclass(frozen=True)
class TablesState:
    """What one request needs to know about the tables, read once (two small queries)."""

    kept: dict  # as_of -> is_today
    up_to: datetime.datetime | None
    version: int


def tables_state() -> TablesState:
    kept = dict(StatusAsOf.objects.values_list("as_of", "is_today"))
    oldest_waiting = StatusDirty.objects.order_by("created_at").values("created_at")[:1]
    state = (
        AnalyticsState.objects.filter(name=STATE_NAME)
        .annotate(waiting=Subquery(oldest_waiting))
        .values("checked_at", "version", "waiting")
        .first()
    ) or {"checked_at": None, "version": 0, "waiting": None}
    return TablesState(kept, state["waiting"] or state["checked_at"], state["version"])


def _state(state: TablesState | None) -> TablesState:
    return state if state is not None else tables_state()


def is_kept(as_of: datetime.date, state: TablesState | None = None) -> bool:
    if state is not None:
        return as_of in state.kept
    return StatusAsOf.objects.filter(as_of=as_of).exists()


def data_up_to(state: TablesState | None = None) -> datetime.datetime | None:
    """The moment up to which every committed change is in the tables: the oldest change
    still waiting for its refresh, else the last time the tables were brought up to date."""
    return _state(state).up_to


def version() -> int:
    """Changes with every write to the tables: part of the dashboards' cache keys."""
    return (
        AnalyticsState.objects.filter(name=STATE_NAME).values_list("version", flat=True).first()
        or 0
    )


def _units(user, values: dict) -> Q:
    """assignments_visible_to's scope and the unit kind and level filters, on unit_id."""
    q = Q()
    if not sees_whole_province(user):
        if has_role(user, Role.UNIT_HEAD, Role.UNIT_STAFF) and user.unit_id:
            q &= Q(unit_id=user.unit_id)
        else:
            return Q(pk__in=[])
    units = {}
    if values.get("unit_kind"):
        units["kind"] = values["unit_kind"]
    if values.get("unit_level"):
        units["level"] = values["unit_level"]
    if units:
        q &= Q(unit_id__in=OrgUnit.objects.filter(**units).values("pk"))
    return q


def _filtered(model, user, values: dict, period: ReportPeriod, state=None) -> QuerySet | None:
    """The table's rows of the dashboard's filters (dashboard_assignments' filters), or None."""
    as_of = period.as_of
    if not period.whole_year and not (is_half_start(period.start) and is_half_end(period.end)):
        return None
    if not is_kept(as_of, state):
        return None
    qs = model.objects.filter(as_of=as_of, year=period.year).filter(_units(user, values))
    if values.get("area"):
        qs = qs.filter(area_id=values["area"])
    if values.get("directive"):
        qs = qs.filter(directive_id=values["directive"])
    if not period.whole_year:
        qs = qs.filter(
            deadline_half__gte=half_index(period.start), deadline_half__lte=half_index(period.end)
        )
    return qs


def _counted(
    user, values: dict, period: ReportPeriod, state=None, *, by_directive: bool = False
) -> tuple[QuerySet, bool] | None:
    """The rows whose sums are the figures of the dashboard's filters, and whether each row is
    one assignment: the count table (`n` assignments a row) unless a directive is chosen or the
    figures are grouped by directive, when the status rows answer (the count table has no
    directive; a directive has a few hundred rows a day)."""
    if values.get("directive") or by_directive:
        rows = _filtered(AssignmentStatusRow, user, values, period, state)
        return None if rows is None else (rows, True)
    counts = _filtered(AssignmentStatusCount, user, values, period, state)
    return None if counts is None else (counts, False)


def _sums(single: bool = False) -> dict:
    def total(condition: Q):
        if single:  # status rows: one assignment each
            return Count("pk", filter=condition)
        return Coalesce(Sum("n", filter=condition), 0)

    return {
        "total": total(~Q(status__in=_EXCLUDED)),
        "done": total(Q(status__in=_DONE)),
        "done_on_time": total(Q(status=Status.DONE_ON_TIME)),
        "done_late": total(Q(status=Status.DONE_LATE)),
        "in_progress": total(Q(status__in=_OPEN_WITHIN)),
        "overdue": total(Q(status=Status.OVERDUE)),
    }


def completion_totals(user, values: dict, period: ReportPeriod, state=None) -> dict | None:
    """selectors.completion_totals(selectors.dashboard_assignments(...)), from the counts."""
    found = _counted(user, values, period, state)
    if found is None:
        return None
    counts, single = found
    result = counts.aggregate(**_sums(single))
    result["rate"] = rate(result["done"], result["total"])
    return result


def totals_of(grouped: list[dict]) -> dict:
    """completion_totals from completion_by's rows (every group with a task: the groups left
    out count only cancelled and suspended assignments, in none of the figures)."""
    result = {
        name: sum(row[name] for row in grouped)
        for name in ("total", "done", "done_on_time", "done_late", "in_progress", "overdue")
    }
    result["rate"] = rate(result["done"], result["total"])
    return result


GROUPS = {
    # dashboard panel columns -> the count table's column
    "task__directive_id": "directive_id",
    "task__area_id": "area_id",
    "unit_id": "unit_id",
}


def _labels(column: str) -> dict:
    """The group's names as subqueries of the grouped query (one query for the panel)."""
    from directives.models import CchcArea, Directive

    key = OuterRef(GROUPS[column])
    if column == "unit_id":
        units = OrgUnit.objects.filter(pk=key)
        return {"unit__name": Subquery(units.values("name")[:1])}
    if column == "task__directive_id":
        directives = Directive.objects.filter(pk=key)
        return {
            "task__directive__number": Subquery(directives.values("number")[:1]),
            "task__directive__summary": Subquery(directives.values("summary")[:1]),
        }
    areas = CchcArea.objects.filter(pk=key)
    return {
        "task__area__code": Subquery(areas.values("code")[:1]),
        "task__area__name": Subquery(areas.values("name")[:1]),
    }


def completion_by(
    user, values: dict, period: ReportPeriod, *columns: str, state=None
) -> list[dict] | None:
    """selectors.completion_by(dashboard_assignments(...), *columns): one row per group with
    the same keys, best completion rate first (ties by the group's id, no group last)."""
    column = columns[0]
    found = _counted(user, values, period, state, by_directive=column == "task__directive_id")
    if found is None:
        return None
    counts, single = found
    grouped = list(
        counts.values(GROUPS[column])
        .annotate(**_sums(single))
        .filter(total__gt=0)
        .annotate(**_labels(column))
        .order_by()
    )
    rows = []
    for group in grouped:
        key = group.pop(GROUPS[column])
        row = {column: key, **group}
        row["sort_rate"] = row["done"] * 100.0 / row["total"]
        row["rate"] = rate(row["done"], row["total"])
        rows.append(row)
    rows.sort(
        key=lambda row: (
            -row["sort_rate"],
            row[column] is None,
            row[column] or 0,
            *(str(row.get(name) or "") for name in columns[1:]),
        )
    )
    return rows


def overdue_rows(
    user, values: dict, period: ReportPeriod, limit: int = 15, state=None, total: int | None = None
):
    """(the oldest overdue assignments, how many are overdue), or None. `total`: the count
    when the caller has it already (the by-unit figures' sum)."""
    rows = _filtered(AssignmentStatusRow, user, values, period, state)
    if rows is None:
        return None
    if total is None:
        counts, single = _counted(user, values, period, state)
        total = counts.aggregate(overdue=_sums(single)["overdue"])["overdue"]
    oldest = list(
        rows.filter(status=Status.OVERDUE)
        .select_related("assignment__task__directive", "assignment__unit")
        .order_by("eff_deadline", "assignment_id")[:limit]
    )
    for row in oldest:
        row.assignment.eff_deadline = row.eff_deadline
    return [row.assignment for row in oldest], total


def unit_completion(unit: OrgUnit, year: int, as_of: datetime.date, state=None) -> dict | None:
    """selectors.unit_completion from the counts: the unit's and the province's."""
    if not is_kept(as_of, state):
        return None
    counts = AssignmentStatusCount.objects.filter(as_of=as_of, year=year)
    not_excluded = ~Q(status__in=_EXCLUDED)
    done = Q(status__in=_DONE)
    own = Q(unit_id=unit.pk)
    result = counts.aggregate(
        total=Coalesce(Sum("n", filter=not_excluded), 0),
        done=Coalesce(Sum("n", filter=done), 0),
        unit_total=Coalesce(Sum("n", filter=not_excluded & own), 0),
        unit_done=Coalesce(Sum("n", filter=done & own), 0),
    )
    result["rate"] = rate(result["done"], result["total"])
    result["unit_rate"] = rate(result["unit_done"], result["unit_total"])
    return result


def unit_work(unit: OrgUnit, today: datetime.date, days: int, limit: int = 15, state=None):
    """(overdue rows, due-soon rows, overdue count) of a unit today, or None."""
    if not _state(state).kept.get(today):
        return None
    rows = AssignmentStatusRow.objects.filter(as_of=today, unit_id=unit.pk).select_related(
        "assignment__task__directive"
    )
    overdue = rows.filter(status=Status.OVERDUE)
    soon = rows.filter(
        status__in=[Status.IN_PROGRESS, Status.NOT_STARTED, Status.RETURNED],
        eff_deadline__gte=today,
        eff_deadline__lte=today + datetime.timedelta(days=days),
    )

    def assignments(qs) -> list:
        found = list(qs.order_by("eff_deadline", "assignment_id")[:limit])
        for row in found:
            row.assignment.eff_deadline = row.eff_deadline
        return [row.assignment for row in found]

    return assignments(overdue), assignments(soon), overdue.count()
