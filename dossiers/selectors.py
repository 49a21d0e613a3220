"""Every read of dossiers beyond one line; `dossiers_visible_to` is the only scope."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.drilldown import Figure
from core.roles import sees_whole_province
from dossiers.metrics import (
    DossierFigures,
    Period,
    combine,
    dossier_figures_parts,
    late_without_apology_count,
    monthly_trend,
    regroup,
)
from dossiers.models import AggregateRow, Dossier, DossierImport, Procedure, ProcedureField
from dossiers.timeliness import late_filter, timeliness_expression
from organizations.models import OrgUnit, UnitLevel, User
from organizations.selectors import units_visible_to


def visible_unit_ids(user: User) -> QuerySet | None:
    """None for the whole province, else a subquery of the unit ids the user may see."""
    if sees_whole_province(user):
        return None
    return units_visible_to(user).values("pk")


def dossiers_visible_to(user: User) -> QuerySet[Dossier]:
    """Every dossier for Home Affairs and leadership; a unit's own (and its sub-units') else."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    unit_ids = visible_unit_ids(user)
    if unit_ids is None:
        return Dossier.objects.all()
    return Dossier.objects.filter(unit_id__in=unit_ids)


def aggregate_rows_visible_to(user: User) -> QuerySet[AggregateRow]:
    if not user.is_authenticated:
        return AggregateRow.objects.none()
    unit_ids = visible_unit_ids(user)
    rows = AggregateRow.objects.select_related("unit", "field")
    return rows if unit_ids is None else rows.filter(unit_id__in=unit_ids)


def dossier_list(user: User, *, as_of: datetime.date | None = None) -> QuerySet[Dossier]:
    """The list's rows, newest receipt first, each with its timeliness class today."""
    return (
        dossiers_visible_to(user)
        .select_related("unit", "procedure")
        .annotate(timeliness=timeliness_expression(as_of or timezone.localdate()))
        .order_by("-received_at", "-id")
    )


# The orders the dossier list pages through: a sort key of DossierFilter -> the model field
# its keyset cursor holds. Newest receipt first is the default (the list's own index).
KEYSET_FIELDS = {"received": "received_at", "due": "due_at"}


def keyset_page(
    queryset: QuerySet[Dossier],
    *,
    after: tuple[datetime.datetime, int] | None,
    size: int,
    sort: str = "-received",
) -> tuple[list[Dossier], tuple[datetime.datetime, int] | None]:
    """One page after the (<sort field>, id) cursor, without COUNT(*): fetch size + 1 rows to
    know whether a next page exists. `sort` is a DossierFilter sort value ("-received", "due")."""
    descending = sort.startswith("-")
    key = KEYSET_FIELDS.get(sort.lstrip("-"), "received_at")
    if after is not None:
        value, pk = after
        # The redundant `key <= x` lets PostgreSQL start the index scan at the cursor;
        # the OR alone cannot be an index condition and scanned every earlier page's rows.
        if descending:
            queryset = queryset.filter(**{f"{key}__lte": value}).filter(
                Q(**{f"{key}__lt": value}) | Q(**{key: value, "id__lt": pk})
            )
        else:
            queryset = queryset.filter(**{f"{key}__gte": value}).filter(
                Q(**{f"{key}__gt": value}) | Q(**{key: value, "id__gt": pk})
            )
    order = (f"-{key}", "-id") if descending else (key, "id")
    rows = list(queryset.order_by(*order)[: size + 1])
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        return rows, (getattr(last, key), last.pk)
    return rows, None


def dossier_detail(user: User) -> QuerySet[Dossier]:
    return dossiers_visible_to(user).select_related(
        "unit", "procedure", "procedure_version", "field"
    )


def dossiers_late_without_apology(
    user: User, *, as_of: datetime.date | None = None
) -> QuerySet[Dossier]:
    """Late dossiers (finished late, or open past the due date) with no apology registered."""
    day = as_of or timezone.localdate()
    return (
        dossiers_visible_to(user)
        .filter(late_filter(day), apology_registered_at__isnull=True)
        .select_related("unit", "procedure")
        .order_by("overdue_date", "id")
    )


def procedure_list() -> QuerySet[Procedure]:
    return Procedure.objects.select_related("field", "current_version").order_by("code")


def dossier_imports_recent() -> QuerySet[DossierImport]:
    return DossierImport.objects.select_related("created_by").order_by("-created_at")


def units_for_dashboard(user: User) -> QuerySet[OrgUnit]:
    return units_visible_to(user).order_by("level", "code")


def dossier_dashboard(
    user: User,
    *,
    period: Period,
    level: str | None = None,
    unit: OrgUnit | None = None,
) -> dict:
    """Everything the dossier dashboard shows, in a fixed number of queries.

    Province-wide users get figures by unit, or one `unit`'s figures by field; a unit's users
    get their own units' figures by field. The rollup is read once, grouped by (unit or
    field, level), and the total and both sides are sums of that. Each line comes with its
    drill-down figures (dossiers.links): the single dossiers' part links the list, the
    aggregate report lines' part is named beside it.
    """
    from dossiers.links import DossierLinks, figure_links

    unit_ids = visible_unit_ids(user)
    group = "unit" if unit_ids is None else "field"
    if unit is not None:
        unit_ids, group = [unit.pk], "field"
    from dossiers.rollups import half_month_ready

    ready = half_month_ready()  # asked once for the page's three reads
    single, aggregate = dossier_figures_parts(
        period, unit_ids=unit_ids, level=level, group_by=(group, "level"), ready=ready
    )
    fine = combine(single, aggregate)
    grouped = regroup(fine, 0)
    by_level = regroup(fine, 1)
    base = [("level", level), ("unit", unit.pk if unit else None)]
    group_param = "unit" if group == "unit" else "field"

    regrouped: dict = {}  # each source regrouped once per position, not once per line

    def by(source: str, position: int | None) -> dict:
        if (source, position) not in regrouped:
            figures = single if source == "single" else aggregate
            regrouped[(source, position)] = regroup(figures, position)
        return regrouped[(source, position)]

    def links_of(position: int | None, key, scope) -> dict:
        part = by("single", position).get(key, DossierFigures())
        other = by("aggregate", position).get(key, DossierFigures())
        return figure_links(part, other, DossierLinks(period, scope))

    if group == "unit":
        names = dict(units_for_dashboard(user).values_list("pk", "name"))
    else:
        names = dict(ProcedureField.objects.values_list("pk", "name"))
    rows = sorted(
        (
            (
                names.get(key, "—"),
                figures,
                # a line of aggregate rows without a field has no list of its own
                links_of(0, key, [*base, (group_param, key)]) if key is not None else None,
            )
            for key, figures in grouped.items()
        ),
        key=lambda item: item[0],
    )
    levels = [
        (
            label,
            by_level.get(value),
            links_of(1, value, [("level", value), base[1]]) if value in by_level else None,
        )
        for value, label in UnitLevel.choices
        if not level or value == level
    ]
    links = DossierLinks(period, base)
    late = dossiers_late_without_apology(user, as_of=links.stock_day).filter(
        overdue_date__gte=period.start
    )
    if unit is not None:
        late = late.filter(unit=unit)
    if level:
        late = late.filter(level=level)
    late_count = late_without_apology_count(period, unit_ids=unit_ids, level=level, ready=ready)
    if late_count is None:  # the half-month rollup not built: counted live
        late_count = late.count()
    trend = monthly_trend(
        end=min(period.end, timezone.localdate()), unit_ids=unit_ids, level=level, ready=ready
    )
    chart = {
        "labels": [str(name) for name, _figures, _links in rows],
        "on_time": [figures.on_time_rate for _name, figures, _links in rows],
        "progress": [figures.progress_rate for _name, figures, _links in rows],
        "online": [figures.online_rate for _name, figures, _links in rows],
        "level_labels": [str(label) for label, _figures, _links in levels],
        "level_online": [
            figures.online_rate if figures else None for _label, figures, _links in levels
        ],
        "trend_labels": [point["month"] for point in trend],
        "trend_online": [point["online_rate"] for point in trend],
        "trend_on_time": [point["on_time_rate"] for point in trend],
    }
    return {
        "period": period,
        "total": regroup(fine, None)[None],
        "total_links": links_of(None, None, base),
        "levels": levels,
        "rows": rows,
        "group": group,
        "late": late[:20],
        "late_figure": Figure(rows=late_count, url=links.late_without_apology()),
        "chart": chart,
    }


def rollup_data_up_to() -> datetime.datetime | None:
    """The moment up to which dossier changes are in the rollup (its watermark): the dossier
    figures' "data up to" label. None before the first run."""
    from dossiers.models import RollupWatermark
    from dossiers.rollups import WATERMARK_NAME

    return (
        RollupWatermark.objects.filter(name=WATERMARK_NAME)
        .values_list("watermark", flat=True)
        .first()
    )
