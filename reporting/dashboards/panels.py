"""Dashboard panels: each is a small class with a template, a cache key and a `compute` that
reads figures from the reporting selectors (SQL aggregates, rollups, snapshots). A panel's data
is plain values (numbers, labels, links), kept on the shared cache for a short time under a key
made of the panel, the user's scope, the filters and the language."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.drilldown import Figure, list_url
from core.roles import sees_whole_province
from dossiers.links import DossierLinks, figure_links
from dossiers.metrics import (
    DossierFigures,
    dossier_figures_parts,
    late_without_apology_count,
)
from dossiers.rollups import half_month_ready
from dossiers.selectors import (
    dossiers_late_without_apology,
    rollup_data_up_to,
    visible_unit_ids,
)
from indicators.bands import band_tone_of
from organizations.models import OrgUnit, UnitLevel
from reporting import selectors
from reporting.analytics import read as analytics
from reporting.dashboards.periods import ReportPeriod
from tasks.status import DONE, DUE_SOON_DAYS, EXCLUDED, OPEN, Status, WorkflowState

CACHE_VERSION = 2  # 2: panels hold drill-down Figures

# Colour bands of a completion rate (percent): at least the bound gets the class.
BANDS = [
    (Decimal(90), "band-good", "success"),
    (Decimal(70), "band-fair", "primary"),
    (Decimal(50), "band-weak", "warning"),
    (Decimal(0), "band-poor", "danger"),
]

STATUS_GROUPS = {
    "total": [s for s in Status if s not in EXCLUDED],
    "done": sorted(DONE),
    "done_on_time": [Status.DONE_ON_TIME],
    "done_late": [Status.DONE_LATE],
    "overdue": [Status.OVERDUE],
    "in_progress": [s for s in OPEN if s != Status.OVERDUE],
}


def band(value: Decimal | float | None) -> tuple[str, str]:
    """(CSS class, Bootstrap colour) of a rate; grey when there is no rate."""
    if value is None:
        return "band-none", "secondary"
    for bound, css, colour in BANDS:
        if Decimal(str(value)) >= bound:
            return css, colour
    return BANDS[-1][1], BANDS[-1][2]


@dataclass(frozen=True)
class DashboardContext:
    user: object
    values: dict
    period: ReportPeriod
    filter_token: str
    # per request: what the analytics tables keep, read once for every panel (tables())
    memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def tables(self) -> analytics.TablesState:
        if "tables" not in self.memo:
            self.memo["tables"] = analytics.tables_state()
        return self.memo["tables"]

    def indicators_version(self) -> str:
        """indicators.selectors.data_version, read once for the page's key and the PAR panel."""
        if "indicators" not in self.memo:
            from indicators.selectors import data_version

            self.memo["indicators"] = data_version()
        return self.memo["indicators"]

    def dossiers_up_to(self):
        if "dossiers" not in self.memo:
            self.memo["dossiers"] = rollup_data_up_to()
        return self.memo["dossiers"]

    @property
    def scope_token(self) -> str:
        if sees_whole_province(self.user):
            return "province"
        return f"unit{getattr(self.user, 'unit_id', None)}"


def assignment_list_url(
    ctx: DashboardContext,
    period: ReportPeriod,
    group: str,
    route: str = "tasks:assignment_list",
    **extra,
) -> str:
    """The task list showing exactly the rows behind a figure: the dashboard's filters, the
    row's own unit, area or directive (`extra`, overriding the filter of the same name; area
    "null" is "no CCHC area"), the period's deadline window, its as-of day and the statuses.

    A panel makes hundreds of these (a row per unit, five figures a row): the list's path, the
    period's and statuses' part of the query string and each filter's encoded pair are worked
    out once per request, so a link is a few joins."""
    return _list_url(ctx, period, group, route, _list_head(ctx, period.year, extra))


def _list_url(ctx: DashboardContext, period: ReportPeriod, group: str, route: str, head: str):
    memo = ctx.memo.setdefault("list_urls", {})
    key = (route, period.year, period.kind, period.convention, group)
    if key not in memo:
        tail = []
        if not period.whole_year:
            tail += [("deadline_from", period.start), ("deadline_to", period.end)]
        if period.as_of < timezone.localdate():
            tail.append(("as_of", period.as_of))
        tail += [("status", str(status)) for status in STATUS_GROUPS[group]]
        memo[key] = (reverse(route), urlencode(tail))
    path, tail = memo[key]
    query = "&".join(part for part in (head, tail) if part)
    return f"{path}?{query}" if query else path


def _list_head(ctx: DashboardContext, year: int, extra: dict) -> str:
    """The filters' part of a list URL: year, the dashboard's filters in order (a row's own
    value replacing the filter of the same name), then the row's others; empty ones left out."""
    pairs = ctx.memo.setdefault("list_pairs", {})
    names = ("year", "unit_kind", "unit_level", "area", "directive")
    values = {**ctx.values, "year": year}
    params = [(name, extra[name] if name in extra else values.get(name)) for name in names]
    params += [(name, value) for name, value in extra.items() if name not in names]
    parts = []
    for pair in params:
        if pair[1] in (None, ""):
            continue
        if pair not in pairs:
            pairs[pair] = urlencode([pair])
        parts.append(pairs[pair])
    return "&".join(parts)


def task_figures(
    ctx: DashboardContext,
    period: ReportPeriod,
    counts: dict,
    route: str = "tasks:assignment_list",
    **extra,
) -> dict:
    """Figures of a completion count (completion_totals / completion_by): total, done,
    overdue, done on time as links, and the rate linking its numerator (done). The links'
    filters part is encoded once for the four."""
    head = _list_head(ctx, period.year, extra)

    def figure(group: str) -> Figure:
        return Figure(rows=counts[group], url=_list_url(ctx, period, group, route, head))

    groups = ("total", "done", "done_on_time", "overdue")
    figures = {group: figure(group) for group in groups if group in counts}
    figures["rate"] = Figure(
        rows=counts["done"],
        url=figures["done"].url,
        rate=counts["rate"],
        denominator=counts["total"],
        denominator_label=_("tasks"),
    )
    return figures


FILTER_LABELS = {
    "period": gettext_lazy("period"),
    "unit_kind": gettext_lazy("unit kind"),
    "unit_level": gettext_lazy("level"),
    "area": gettext_lazy("CCHC area"),
    "directive": gettext_lazy("directive"),
}


def ignored_filters(ctx: DashboardContext, names: tuple[str, ...]) -> str:
    """The note a panel's title carries when the user chose a filter it cannot follow:
    "(không theo bộ lọc: kỳ, cấp)"; empty when every active filter is followed."""
    defaults = {"period": "year"}  # the whole year is no narrowing
    active = [
        str(FILTER_LABELS[name])
        for name in names
        if ctx.values.get(name) and ctx.values.get(name) != defaults.get(name)
    ]
    if not active:
        return ""
    return _("(not following the filter: %(names)s)") % {"names": ", ".join(active)}


class Panel:
    name = ""
    template = ""
    title = ""
    # Panels whose figures come from the analytics tables are computed at every request (a
    # few indexed reads): cached, they would lag the tables. The others keep the cache.
    cached = True

    def __init__(self, ctx: DashboardContext):
        self.ctx = ctx

    def cache_key(self) -> str:
        ctx = self.ctx
        return (
            f"dashboard:{CACHE_VERSION}:{self.name}:{ctx.scope_token}:{ctx.filter_token}:"
            f"{get_language()}:{timezone.localdate():%Y%m%d}"
        )

    def compute(self) -> dict:
        raise NotImplementedError

    def data(self) -> dict:
        timeout = settings.DASHBOARD_CACHE_SECONDS
        if not timeout or not self.cached:
            return self.compute()
        return cache.get_or_set(self.cache_key(), self.compute, timeout)


def tasks_up_to(ctx: DashboardContext, used_tables: bool):
    """The "data up to" moment of task figures: the tables' when they answered, else now (the
    figures were derived live)."""
    return (ctx.tables().up_to if used_tables else None) or timezone.now()


UNIT_COLUMNS = ("unit_id", "unit__name")


def _grouped(ctx: DashboardContext, period: ReportPeriod, columns: tuple) -> list[dict] | None:
    """analytics.completion_by, read once per request: the by-unit rows also give the tiles'
    totals and the overdue count (their sums), so the page reads the counts fewer times."""
    key = ("completion_by", period, columns)
    if key not in ctx.memo:
        ctx.memo[key] = analytics.completion_by(
            ctx.user, ctx.values, period, *columns, state=ctx.tables()
        )
    return ctx.memo[key]


def _totals(ctx: DashboardContext, period: ReportPeriod) -> tuple[dict, bool]:
    if period == ctx.period:
        by_unit = _grouped(ctx, period, UNIT_COLUMNS)
        if by_unit is not None:
            return analytics.totals_of(by_unit), True
    counts = analytics.completion_totals(ctx.user, ctx.values, period, state=ctx.tables())
    if counts is not None:
        return counts, True
    return selectors.completion_totals(
        selectors.dashboard_assignments(ctx.user, ctx.values, period)
    ), False


# --- Leadership panels ---------------------------------------------------------------------


class TilesPanel(Panel):
    """Tasks total, done, done on time, overdue and the completion rate, each beside the
    previous period's figure."""

    name = "tiles"
    template = "reporting/includes/panel_tiles.html"
    cached = False

    def compute(self) -> dict:
        ctx = self.ctx
        current_period, previous_period = ctx.period, ctx.period.previous()
        now, from_tables = _totals(ctx, current_period)
        before, _before_tables = _totals(ctx, previous_period)
        figures = task_figures(ctx, current_period, now)
        previous = task_figures(ctx, previous_period, before)
        tiles = [
            {
                "key": key,
                "label": label,
                "figure": figures[key],
                "previous": previous[key],
                "delta": now[key] - before[key],
            }
            for key, label in (
                ("total", _("Tasks")),
                ("done", _("Done")),
                ("done_on_time", _("Done on time")),
                ("overdue", _("Overdue")),
            )
        ]
        delta = None
        if now["rate"] is not None and before["rate"] is not None:
            delta = now["rate"] - before["rate"]
        return {
            "tiles": tiles,
            "rate": figures["rate"],
            "rate_delta": delta,
            "rate_band": band(now["rate"])[1],
            "done": figures["done"],
            "total": figures["total"],
            "previous_label": previous_period.label,
            "as_of": current_period.as_of,
            "fresh": tasks_up_to(ctx, from_tables),
        }


class _GroupPanel(Panel):
    columns: tuple[str, ...] = ()
    link_param = ""
    limit = 40
    cached = False

    def label(self, row: dict) -> str:
        raise NotImplementedError

    def compute(self) -> dict:
        ctx = self.ctx
        grouped = _grouped(ctx, ctx.period, self.columns)
        from_tables = grouped is not None
        if grouped is None:
            assignments = selectors.dashboard_assignments(ctx.user, ctx.values, ctx.period)
            grouped = selectors.completion_by(assignments, *self.columns)
        rows = []
        for position, row in enumerate(grouped, 1):
            if position > self.limit:
                break
            key = row[self.columns[0]]
            css, colour = band(row["rate"])
            # The tasks without a CCHC area are listed by area=null.
            link = {self.link_param: "null" if key is None else key}
            rows.append(
                {
                    "position": position,
                    "key": key,
                    "label": self.label(row),
                    "band": css,
                    "colour": colour,
                    "rate": row["rate"],
                    **task_figures(ctx, ctx.period, row, **link),
                }
            )
        return {"rows": rows, "fresh": tasks_up_to(ctx, from_tables)}


class ByUnitPanel(_GroupPanel):
    name = "by_unit"
    template = "reporting/includes/panel_by_unit.html"
    columns = UNIT_COLUMNS
    link_param = "unit"
    limit = 200

    def label(self, row: dict) -> str:
        return row["unit__name"]


class ByDirectivePanel(_GroupPanel):
    name = "by_directive"
    template = "reporting/includes/panel_by_directive.html"
    columns = ("task__directive_id", "task__directive__number", "task__directive__summary")
    link_param = "directive"

    def label(self, row: dict) -> str:
        return f"{row['task__directive__number']}: {row['task__directive__summary'][:90]}"


class ByAreaPanel(_GroupPanel):
    name = "by_area"
    template = "reporting/includes/panel_by_area.html"
    columns = ("task__area_id", "task__area__code", "task__area__name")
    link_param = "area"

    def label(self, row: dict) -> str:
        if row["task__area_id"] is None:
            return _("Without a CCHC area")
        return f"{row['task__area__code']}. {row['task__area__name']}"


class OverduePanel(Panel):
    name = "overdue"
    template = "reporting/includes/panel_overdue.html"
    cached = False

    def compute(self) -> dict:
        ctx = self.ctx
        by_unit = _grouped(ctx, ctx.period, UNIT_COLUMNS)
        found = analytics.overdue_rows(
            ctx.user,
            ctx.values,
            ctx.period,
            state=ctx.tables(),
            total=None if by_unit is None else sum(row["overdue"] for row in by_unit),
        )
        from_tables = found is not None
        if found is None:
            assignments = selectors.dashboard_assignments(ctx.user, ctx.values, ctx.period)
            found = (
                selectors.overdue_assignments(assignments),
                assignments.filter(status=Status.OVERDUE).count(),
            )
        oldest, total = found
        rows = [
            {
                "url": reverse("tasks:assignment_detail", args=[assignment.pk]),
                "title": assignment.task.title,
                "directive": assignment.task.directive.number,
                "unit": assignment.unit.name,
                "unit_url": assignment_list_url(
                    ctx, ctx.period, "overdue", unit=assignment.unit_id
                ),
                "leader": assignment.task.leader_in_charge,
                "deadline": assignment.eff_deadline,
                "days": (ctx.period.as_of - assignment.eff_deadline).days,
            }
            for assignment in oldest
        ]
        return {
            "rows": rows,
            "all": Figure(rows=total, url=assignment_list_url(ctx, ctx.period, "overdue")),
            "fresh": tasks_up_to(ctx, from_tables),
        }


class TrendPanel(Panel):
    """The nightly snapshots of the plan year: the province's, a directive's or an area's
    series (selectors.trend_scope); the other filters have no series of their own."""

    name = "trend"
    template = "reporting/includes/panel_trend.html"

    def compute(self) -> dict:
        values = self.ctx.values
        scope, key = selectors.trend_scope(values)
        points = selectors.completion_trend(scope=scope, key=key, year=self.ctx.period.year)
        fresh = max((point["computed_at"] for point in points), default=None)
        # A directive's series is read when both a directive and an area are chosen.
        ignores = ("period", "unit_kind", "unit_level")
        if values.get("directive"):
            ignores += ("area",)
        return {
            "chart": {
                "labels": [point["day"].strftime("%d/%m/%Y") for point in points],
                "rate": [
                    None if point["completion_rate"] is None else float(point["completion_rate"])
                    for point in points
                ],
                "overdue": [point["overdue"] for point in points],
                "rate_label": _("Completion rate (%)"),
                "overdue_label": _("Overdue"),
            },
            "points": points,
            "ignored": ignored_filters(self.ctx, ignores),
            "fresh": fresh,
        }


class DossierPanel(Panel):
    """Service quality of dossiers from the daily rollup and the aggregate rows, in the
    period (its convention's window), level and unit kind; each figure links to its rows."""

    name = "dossiers"
    template = "reporting/includes/panel_dossiers.html"
    cached = False  # the half-month rollup answers in a few reads
    # Dossiers have no directive nor CCHC area: those filters do not apply to them.
    ignores = ("area", "directive")

    def _unit_ids(self):
        unit_ids = visible_unit_ids(self.ctx.user)
        kind = self.ctx.values.get("unit_kind")
        if kind:
            units = OrgUnit.objects.filter(kind=kind)
            if unit_ids is not None:
                units = units.filter(pk__in=unit_ids)
            return units.values("pk")
        return unit_ids

    def compute(self) -> dict:
        ctx = self.ctx
        period = ctx.period.dossier_period
        level = ctx.values.get("unit_level") or None
        kind = ctx.values.get("unit_kind") or None
        unit_ids = self._unit_ids()
        ready = half_month_ready()  # asked once for both reads
        single, aggregate = dossier_figures_parts(
            period, unit_ids=unit_ids, level=level, group_by="level", ready=ready
        )
        scope = [("level", level), ("unit_kind", kind)]
        links = DossierLinks(period, scope)
        total = figure_links(
            sum(single.values(), DossierFigures()), sum(aggregate.values(), DossierFigures()), links
        )
        late_count = late_without_apology_count(period, unit_ids=unit_ids, level=level, ready=ready)
        if late_count is None:
            late = dossiers_late_without_apology(ctx.user, as_of=links.stock_day).filter(
                overdue_date__gte=period.start
            )
            if level:
                late = late.filter(level=level)
            if kind:
                late = late.filter(unit__kind=kind)
            late_count = late.count()
        levels = []
        for value, label in UnitLevel.choices:
            level_single = single.get(value, DossierFigures())
            level_aggregate = aggregate.get(value, DossierFigures())
            if not (level_single + level_aggregate).received_new:
                continue
            level_links = DossierLinks(period, [("level", value), ("unit_kind", kind)])
            levels.append(
                {
                    "label": str(label),
                    "online": figure_links(level_single, level_aggregate, level_links)[
                        "online_rate"
                    ],
                }
            )
        return {
            "period": period,
            "figures": total,
            "late": Figure(rows=late_count, url=links.late_without_apology()),
            "levels": levels,
            "ignored": ignored_filters(ctx, self.ignores),
            "fresh": ctx.dossiers_up_to(),
        }


class ParPanel(Panel):
    """The PAR Index ranking of the latest framework and the province's index by year. The
    ranking sums every unit's score lines (a third of the page's work when computed), so it is
    kept on the cache under the indicators' data version (indicators.selectors.data_version:
    it changes with every assessment, score, framework, index or unit saved), whatever the
    dashboard cache says: a change shows at the next request, and the panel says when its
    figures were read. PAR_RANKING_CACHE_SECONDS bounds how long a write that went around the
    services (and so changed no version) can stay unseen."""

    name = "par"
    template = "reporting/includes/panel_par.html"
    ignores = ("period", "unit_kind", "unit_level", "area", "directive")

    def ranking_key(self) -> str:
        ctx = self.ctx
        return (
            f"dashboard:{CACHE_VERSION}:par:{ctx.scope_token}:{ctx.period.year}:"
            f"{get_language()}:{ctx.indicators_version()}"
        )

    def data(self) -> dict:
        timeout = settings.PAR_RANKING_CACHE_SECONDS
        found = cache.get_or_set(self.ranking_key(), self.compute, timeout) if timeout else None
        data = found or self.compute()
        # the note names the filters the user chose now, which the cached figures do not hold
        return {**data, "ignored": ignored_filters(self.ctx, self.ignores)}

    def compute(self) -> dict:
        framework = selectors.ranking_framework(self.ctx.period.year)
        rows, unranked = [], []
        if framework is not None:
            # ranked: appraised or final only; drafts and unappraised sheets listed apart.
            # The colour is the index band's (indicators.bands), not the task scale's.
            for assessment in selectors.ranking_rows(self.ctx.user, framework):
                rows.append(
                    {
                        "rank": assessment.rank,
                        "unit": assessment.unit.name,
                        "stage": assessment.get_stage_display(),
                        "percent": assessment.percent,
                        "band": assessment.band or "",
                        "colour": band_tone_of(assessment),
                        "url": reverse("indicators:assessment_detail", args=[assessment.pk]),
                    }
                )
            unranked = [
                {
                    "unit": assessment.unit.name,
                    "stage": assessment.get_stage_display(),
                    "url": reverse("indicators:assessment_detail", args=[assessment.pk]),
                }
                for assessment in selectors.unranked_rows(self.ctx.user, framework)
            ]
        trend = selectors.province_index_trend()
        return {
            # The ranking is the latest framework's up to the plan year, of its population.
            "ignored": ignored_filters(self.ctx, self.ignores),
            "framework": str(framework) if framework else "",
            "ranking_url": (
                f"{reverse('indicators:ranking')}?framework={framework.pk}" if framework else ""
            ),
            "rows": rows,
            "unranked": unranked,
            "trend": trend,
            "trend_url": reverse("indicators:index_trend"),
            "fresh": timezone.now(),  # read live when computed (kept on the cache)
            "chart": {
                "labels": [str(point["year"]) for point in trend],
                "values": [float(point["value"]) for point in trend],
                "label": _("PAR INDEX of the province (%)"),
            },
        }


class ReportingRatePanel(Panel):
    """The periodic CCHC reports of the plan year's latest round (DHIS2's reporting rate): units
    expected to report, submitted, submitted on time, each linking the list of those reports."""

    name = "reporting_rate"
    template = "reporting/includes/panel_reporting_rate.html"

    def compute(self) -> dict:
        from periodic_reports.links import rate_figures
        from periodic_reports.selectors import latest_round

        round_ = latest_round(year=self.ctx.period.year)
        return {
            "round": str(round_) if round_ else "",
            "round_url": (
                reverse("periodic_reports:round_detail", args=[round_.pk]) if round_ else ""
            ),
            "due": round_.unit_due_date if round_ else None,
            "figures": rate_figures(round_) if round_ else None,
            "ignored": ignored_filters(
                self.ctx, ("period", "unit_kind", "unit_level", "area", "directive")
            ),
        }


LEADERSHIP_PANELS = (
    TilesPanel,
    TrendPanel,
    ByUnitPanel,
    ByDirectivePanel,
    ByAreaPanel,
    OverduePanel,
    DossierPanel,
    ParPanel,
    ReportingRatePanel,
)


class LazyPanels(dict):
    """name -> panel data, each read (from the cache or computed) only when a template asks:
    a page whose rendered panels are on the cache reads none of them."""

    def __init__(self, ctx: DashboardContext, panel_classes=None):
        super().__init__()
        self._panels = {cls.name: cls(ctx) for cls in panel_classes or LEADERSHIP_PANELS}

    def __missing__(self, name: str) -> dict:
        self[name] = self._panels[name].data()
        return self[name]

    def __contains__(self, name: object) -> bool:
        return name in self._panels


def data_token(ctx: DashboardContext) -> str:
    """Changes whenever the analytics tables, the dossier rollup or the indicators (the PAR
    ranking) change: part of the rendered panels' cache key, so a page on the cache never shows
    figures older than the tables."""
    watermark = ctx.dossiers_up_to()
    return (
        f"{ctx.tables().version}-{watermark.timestamp() if watermark else 0}-"
        f"{ctx.indicators_version()}"
    )


def panels_fragment_key(ctx: DashboardContext, token: str) -> str:
    """The cache key of the rendered panels ({% cache %} in dashboard_panels.html)."""
    from django.core.cache.utils import make_template_fragment_key

    return make_template_fragment_key(
        "dashboard_panels",
        [
            get_language(),
            ctx.scope_token,
            ctx.filter_token,
            f"{timezone.localdate():%Y%m%d}",
            token,
        ],
    )


# --- Unit dashboard ------------------------------------------------------------------------


class UnitPanel(Panel):
    """Everything a unit's head and staff watch: their overdue and due-soon work, their
    completion beside the province's, their assessment, their dossiers."""

    name = "unit"
    template = "reporting/includes/panel_unit.html"
    cached = False  # its task figures come from the analytics tables

    def __init__(self, ctx: DashboardContext, unit: OrgUnit):
        super().__init__(ctx)
        self.unit = unit

    def cache_key(self) -> str:
        return f"{super().cache_key()}:u{self.unit.pk}"

    def compute(self) -> dict:
        from tasks.models import Assignment

        ctx, unit = self.ctx, self.unit
        today = timezone.localdate()
        work = analytics.unit_work(unit, today, DUE_SOON_DAYS, state=ctx.tables())
        if work is not None:
            overdue, due_soon, overdue_count = work
        else:
            own = Assignment.objects.filter(unit=unit).exclude(
                state__in=[WorkflowState.CANCELLED, WorkflowState.SUSPENDED]
            )
            overdue = list(
                own.with_status(today)
                .filter(status=Status.OVERDUE)
                .select_related("task__directive")
                .order_by("eff_deadline", "id")[:15]
            )
            due_soon = list(
                own.due_soon(today)
                .select_related("task__directive")
                .order_by("eff_deadline", "id")[:15]
            )
            overdue_count = own.with_status(today).filter(status=Status.OVERDUE).count()
        completion = selectors.unit_completion(
            unit, ctx.period.year, ctx.period.as_of, state=ctx.tables()
        )
        units = OrgUnit.objects.descendants(unit.pk, include_self=True).values("pk")
        period = ctx.period.dossier_period
        single, aggregate = dossier_figures_parts(period, unit_ids=units)
        dossiers = figure_links(
            single[None], aggregate[None], DossierLinks(period, [("unit_tree", unit.pk)])
        )
        province_wide = sees_whole_province(ctx.user)
        route = "tasks:assignment_list" if province_wide else "tasks:inbox"
        unit_counts = {
            "total": completion["unit_total"],
            "done": completion["unit_done"],
            "rate": completion["unit_rate"],
        }
        unit_figures = task_figures(ctx, ctx.period, unit_counts, route=route, unit=unit.pk)
        # The province's rows are listed only to those who see the whole province.
        province = task_figures(ctx, ctx.period, completion) if province_wide else None
        overdue_url = list_url(route, [("unit", unit.pk), ("status", Status.OVERDUE)])

        def row(assignment) -> dict:
            return {
                "url": reverse("tasks:assignment_detail", args=[assignment.pk]),
                "title": assignment.task.title,
                "directive": assignment.task.directive.number,
                "deadline": assignment.eff_deadline,
            }

        return {
            "overdue": [row(a) for a in overdue],
            "due_soon": [row(a) for a in due_soon],
            "overdue_all": Figure(rows=overdue_count, url=overdue_url),
            "completion": completion,
            "unit_band": band(completion["unit_rate"])[1],
            "unit_figures": unit_figures,
            "province_figures": province,
            "assessment": self.assessment(),
            "dossiers": dossiers,
            "today": today,
            "fresh": tasks_up_to(ctx, work is not None),
            "dossiers_fresh": rollup_data_up_to(),
        }

    def assessment_key(self) -> str:
        ctx = self.ctx
        return (
            f"dashboard:{CACHE_VERSION}:unit-assessment:{ctx.scope_token}:"
            f"{getattr(ctx.user, 'role', '')}:{self.unit.pk}:{get_language()}:"
            f"{ctx.indicators_version()}"
        )

    def assessment(self) -> dict | None:
        """The unit's latest assessment, kept like the PAR ranking (ParPanel) under the
        indicators' data version: its totals are the same sums over the score lines."""
        timeout = settings.PAR_RANKING_CACHE_SECONDS
        if not timeout:
            return self._assessment()
        return cache.get_or_set(
            self.assessment_key(), lambda: {"assessment": self._assessment()}, timeout
        )["assessment"]

    def _assessment(self) -> dict | None:
        assessment = selectors.unit_assessment(self.ctx.user, self.unit)
        if assessment is None:
            return None
        return {
            "framework": str(assessment.framework),
            "stage": assessment.get_stage_display(),
            "deadline": assessment.framework.self_scoring_deadline,
            "percent": assessment.percent,
            "band": assessment.band or "",
            "band_tone": band_tone_of(assessment),
            "url": reverse("indicators:assessment_detail", args=[assessment.pk]),
        }


def unit_context(user, year: int | None = None) -> DashboardContext:
    from reporting.dashboards.periods import report_period

    period = report_period(year or timezone.localdate().year)
    return DashboardContext(user=user, values={}, period=period, filter_token=str(period.year))
