"""Reads of the reporting app: the user's exports, and the dashboards' figures. Every figure is
an aggregate computed in SQL over the owning app's scoping selector (tasks, dossiers,
indicators) or over the completion snapshots; grouped results come back one row per group."""

from __future__ import annotations

import datetime

from django.db.models import ExpressionWrapper, F, FloatField, QuerySet, Value
from django.db.models.functions import Cast, NullIf

from indicators.models import Assessment, Framework, FrameworkPopulation, IndexKind
from indicators.selectors import (
    assessment_ranking,
    assessments_unranked,
    assessments_visible_to,
    with_totals,
)
from organizations.models import OrgUnit
from reporting.dashboards.periods import ReportPeriod
from reporting.models import CompletionSnapshot, Export, SnapshotScope
from reporting.snapshots import rate, status_counts
from tasks.models import Assignment
from tasks.selectors import assignments_visible_to
from tasks.status import Status


def exports_of(user) -> QuerySet[Export]:
    """A user sees only their own exports (another user's id is a 404)."""
    if not user.is_authenticated:
        return Export.objects.none()
    return Export.objects.filter(user=user).order_by("-created_at")


# --- Tasks ---------------------------------------------------------------------------------


def dashboard_assignments(user, values: dict, period: ReportPeriod) -> QuerySet[Assignment]:
    """The visible assignments of the period's plan year narrowed by the dashboard's filters,
    with their status as of the period's `as_of`; a part of the year keeps the work whose
    (effective) deadline falls within it."""
    assignments = assignments_visible_to(user).filter(task__directive__year=period.year)
    if values.get("unit_kind"):
        assignments = assignments.filter(unit__kind=values["unit_kind"])
    if values.get("unit_level"):
        assignments = assignments.filter(unit__level=values["unit_level"])
    if values.get("area"):
        assignments = assignments.filter(task__area_id=values["area"])
    if values.get("directive"):
        assignments = assignments.filter(task__directive_id=values["directive"])
    assignments = assignments.with_status(period.as_of)
    if not period.whole_year:
        assignments = assignments.filter(
            eff_deadline__gte=period.start, eff_deadline__lte=period.end
        )
    return assignments


def completion_totals(assignments: QuerySet[Assignment]) -> dict:
    """total, done, done_on_time, done_late, in_progress, overdue and rate: one query."""
    counts = assignments.aggregate(**status_counts())
    counts["rate"] = rate(counts["done"], counts["total"])
    return counts


def _rate_expression():
    total = NullIf(Cast(F("total"), FloatField()), Value(0.0))
    return ExpressionWrapper(
        Cast(F("done"), FloatField()) * Value(100.0) / total, output_field=FloatField()
    )


def completion_by(assignments: QuerySet[Assignment], *columns: str) -> list[dict]:
    """One row per group (the first column is its id), best completion rate first."""
    rows = (
        assignments.values(*columns)
        .annotate(**status_counts())
        .filter(total__gt=0)
        .annotate(sort_rate=_rate_expression())
        .order_by(F("sort_rate").desc(nulls_last=True), *columns)
    )
    result = []
    for row in rows:  # one row per unit / directive / area, never per assignment
        row["rate"] = rate(row["done"], row["total"])
        result.append(row)
    return result


def overdue_assignments(assignments: QuerySet[Assignment], limit: int = 15) -> list[Assignment]:
    """The oldest overdue work first, with its unit and directive."""
    return list(
        assignments.filter(status=Status.OVERDUE)
        .select_related("unit", "task__directive")
        .order_by("eff_deadline", "id")[:limit]
    )


def completion_trend(*, scope: str, key: int, year: int, limit: int = 60) -> list[dict]:
    """The latest snapshots of one scope and plan year, oldest first."""
    rows = list(
        CompletionSnapshot.objects.filter(scope=scope, key=key, year=year)
        .order_by("-day")
        .values("day", "completion_rate", "done", "total", "overdue", "computed_at")[:limit]
    )
    rows.reverse()
    return rows


def trend_scope(values: dict) -> tuple[str, int]:
    """The snapshot series matching the filters: a directive's, an area's, or the province's."""
    if values.get("directive"):
        return SnapshotScope.DIRECTIVE, values["directive"]
    if values.get("area"):
        return SnapshotScope.AREA, values["area"]
    return SnapshotScope.PROVINCE, 0


def unit_completion(unit: OrgUnit, year: int, as_of: datetime.date, state=None) -> dict:
    """The unit's completion of the year's plan beside the whole province's, in one query
    (from the analytics tables when they keep the day)."""
    from django.db.models import Count, Q

    from reporting.analytics import read as analytics
    from reporting.snapshots import _DONE, _EXCLUDED

    kept = analytics.unit_completion(unit, year, as_of, state=state)
    if kept is not None:
        return kept

    counts = (
        Assignment.objects.filter(task__directive__year=year)
        .with_status(as_of)
        .aggregate(
            total=Count("pk", filter=~Q(status__in=_EXCLUDED)),
            done=Count("pk", filter=Q(status__in=_DONE)),
            unit_total=Count("pk", filter=~Q(status__in=_EXCLUDED) & Q(unit_id=unit.pk)),
            unit_done=Count("pk", filter=Q(status__in=_DONE) & Q(unit_id=unit.pk)),
        )
    )
    counts["rate"] = rate(counts["done"], counts["total"])
    counts["unit_rate"] = rate(counts["unit_done"], counts["unit_total"])
    return counts


# --- PAR Index -----------------------------------------------------------------------------


def ranking_framework(year: int) -> Framework | None:
    """The latest opened framework up to the year, departments' first."""
    frameworks = Framework.objects.filter(locked=True, year__lte=year)
    return (
        frameworks.filter(population=FrameworkPopulation.DEPARTMENTS).order_by("-year").first()
        or frameworks.order_by("-year", "population", "pk").first()
    )


def ranking_rows(user, framework: Framework, limit: int = 15) -> list[Assessment]:
    return list(assessment_ranking(user=user, framework=framework)[:limit])


def unranked_rows(user, framework: Framework) -> list[Assessment]:
    """The framework's drafts and unappraised sheets, shown apart from the ranking."""
    return list(assessments_unranked(user=user, framework=framework))


def province_index_trend(kind: str = IndexKind.PAR) -> list[dict]:
    from indicators.models import ProvincialIndex

    return list(
        ProvincialIndex.objects.filter(kind=kind, subject="")
        .order_by("year")
        .values("year", "value", "rank", "rank_out_of")
    )


def unit_assessment(user, unit: OrgUnit) -> Assessment | None:
    """The unit's latest assessment with its totals, stage and framework deadline."""
    return (
        with_totals(assessments_visible_to(user).filter(unit=unit))
        .select_related("framework")
        .order_by("-framework__year", "-pk")
        .first()
    )
