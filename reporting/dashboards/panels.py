"""Dashboard panels: each is a small class with a template, a cache key and a `compute` that
reads figures from the reporting selectors (SQL aggregates, rollups, snapshots). A panel's data
is plain values (numbers, labels, links), kept on the shared cache for a short time under a key
made of the panel, the user's scope, the filters and the language."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.roles import sees_whole_province
from dossiers.metrics import dossier_figures
from dossiers.models import Channel
from dossiers.selectors import dossiers_late_without_apology, visible_unit_ids
from dossiers.timeliness import Timeliness
from indicators.bands import band_tone_of
from organizations.models import OrgUnit, UnitLevel
from reporting import selectors
from reporting.dashboards.periods import ReportPeriod
from tasks.status import DONE, EXCLUDED, OPEN, Status, WorkflowState

CACHE_VERSION = 1

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

    @property
    def scope_token(self) -> str:
        if sees_whole_province(self.user):
            return "province"
        return f"unit{getattr(self.user, 'unit_id', None)}"


def assignment_list_url(ctx: DashboardContext, period: ReportPeriod, group: str, **extra) -> str:
    """The task list showing exactly the rows behind a figure."""
    params: list[tuple[str, object]] = [("year", period.year)]
    for name in ("unit_kind", "unit_level", "area", "directive"):
        if ctx.values.get(name):
            params.append((name, ctx.values[name]))
    if not period.whole_year:
        params += [("deadline_from", period.start), ("deadline_to", period.end)]
    if period.as_of < timezone.localdate():
        params.append(("as_of", period.as_of))
    params += [(name, value) for name, value in extra.items() if value is not None]
    params += [("status", str(status)) for status in STATUS_GROUPS[group]]
    return f"{reverse('tasks:assignment_list')}?{urlencode(params)}"


def dossier_list_url(**params) -> str:
    clean = {name: value for name, value in params.items() if value not in (None, "")}
    return f"{reverse('dossiers:dossier_list')}?{urlencode(clean)}"


class Panel:
    name = ""
    template = ""
    title = ""

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
        if not timeout:
            return self.compute()
        return cache.get_or_set(self.cache_key(), self.compute, timeout)


# --- Leadership panels ---------------------------------------------------------------------


class TilesPanel(Panel):
    """Tasks total, done, done on time, overdue and the completion rate, each beside the
    previous period's figure."""

    name = "tiles"
    template = "reporting/includes/panel_tiles.html"

    def compute(self) -> dict:
        ctx = self.ctx
        current_period, previous_period = ctx.period, ctx.period.previous()
        now = selectors.completion_totals(
            selectors.dashboard_assignments(ctx.user, ctx.values, current_period)
        )
        before = selectors.completion_totals(
            selectors.dashboard_assignments(ctx.user, ctx.values, previous_period)
        )
        tiles = []
        for key, label in (
            ("total", _("Tasks")),
            ("done", _("Done")),
            ("done_on_time", _("Done on time")),
            ("overdue", _("Overdue")),
        ):
            tiles.append(
                {
                    "key": key,
                    "label": label,
                    "value": now[key],
                    "previous": before[key],
                    "delta": now[key] - before[key],
                    "url": assignment_list_url(ctx, current_period, key),
                    "previous_url": assignment_list_url(ctx, previous_period, key),
                }
            )
        delta = None
        if now["rate"] is not None and before["rate"] is not None:
            delta = now["rate"] - before["rate"]
        return {
            "tiles": tiles,
            "rate": now["rate"],
            "rate_previous": before["rate"],
            "rate_delta": delta,
            "rate_band": band(now["rate"])[1],
            "done": now["done"],
            "total": now["total"],
            "done_url": assignment_list_url(ctx, current_period, "done"),
            "total_url": assignment_list_url(ctx, current_period, "total"),
            "previous_label": previous_period.label,
            "as_of": current_period.as_of,
        }


class _GroupPanel(Panel):
    columns: tuple[str, ...] = ()
    link_param = ""
    limit = 40

    def label(self, row: dict) -> str:
        raise NotImplementedError

    def compute(self) -> dict:
        ctx = self.ctx
        assignments = selectors.dashboard_assignments(ctx.user, ctx.values, ctx.period)
        rows = []
        for position, row in enumerate(selectors.completion_by(assignments, *self.columns), 1):
            if position > self.limit:
                break
            key = row[self.columns[0]]
            css, colour = band(row["rate"])
            rows.append(
                {
                    "position": position,
                    "key": key,
                    "label": self.label(row),
                    "total": row["total"],
                    "done": row["done"],
                    "overdue": row["overdue"],
                    "rate": row["rate"],
                    "band": css,
                    "colour": colour,
                    "total_url": assignment_list_url(
                        ctx, ctx.period, "total", **{self.link_param: key}
                    ),
                    "done_url": assignment_list_url(
                        ctx, ctx.period, "done", **{self.link_param: key}
                    ),
                    "overdue_url": assignment_list_url(
                        ctx, ctx.period, "overdue", **{self.link_param: key}
                    ),
                }
            )
        return {"rows": rows}


class ByUnitPanel(_GroupPanel):
    name = "by_unit"
    template = "reporting/includes/panel_by_unit.html"
    columns = ("unit_id", "unit__name")
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
            return _("No CCHC area")
        return f"{row['task__area__code']}. {row['task__area__name']}"


class OverduePanel(Panel):
    name = "overdue"
    template = "reporting/includes/panel_overdue.html"

    def compute(self) -> dict:
        ctx = self.ctx
        assignments = selectors.dashboard_assignments(ctx.user, ctx.values, ctx.period)
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
            for assignment in selectors.overdue_assignments(assignments)
        ]
        return {"rows": rows, "all_url": assignment_list_url(ctx, ctx.period, "overdue")}


class TrendPanel(Panel):
    name = "trend"
    template = "reporting/includes/panel_trend.html"

    def compute(self) -> dict:
        scope, key = selectors.trend_scope(self.ctx.values)
        points = selectors.completion_trend(scope=scope, key=key, year=self.ctx.period.year)
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
        }


class DossierPanel(Panel):
    """Service quality of dossiers from the daily rollup and the aggregate rows."""

    name = "dossiers"
    template = "reporting/includes/panel_dossiers.html"

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
        unit_ids = self._unit_ids()
        total = dossier_figures(period, unit_ids=unit_ids, level=level)[None]
        by_level = dossier_figures(period, unit_ids=unit_ids, level=level, group_by="level")
        dates = {"received_from": period.start, "received_to": period.end}
        late = dossiers_late_without_apology(ctx.user, as_of=ctx.period.as_of)
        if level:
            late = late.filter(level=level)
        if ctx.values.get("unit_kind"):
            late = late.filter(unit__kind=ctx.values["unit_kind"])
        levels = []
        for value, label in UnitLevel.choices:
            figures = by_level.get(value)
            if figures is None or not figures.received_new:
                continue
            levels.append(
                {
                    "label": str(label),
                    "rate": figures.online_rate,
                    "url": dossier_list_url(level=value, channel=Channel.ONLINE, **dates),
                }
            )
        return {
            "period": period,
            "received": total.received_new,
            "finished": total.finished,
            "on_time_rate": total.on_time_rate,
            "online_rate": total.online_rate,
            "online_payment_rate": total.online_payment_rate,
            "pending_overdue": total.pending_overdue,
            "late_without_apology": late.count(),
            "levels": levels,
            "received_url": dossier_list_url(level=level, **dates),
            "online_url": dossier_list_url(level=level, channel=Channel.ONLINE, **dates),
            "paid_url": dossier_list_url(level=level, paid_online="true", **dates),
            "early_url": dossier_list_url(level=level, timeliness=Timeliness.EARLY, **dates),
            "pending_overdue_url": dossier_list_url(
                level=level, timeliness=Timeliness.PENDING_OVERDUE
            ),
            "late_url": dossier_list_url(level=level, late_without_apology="true"),
        }


class ParPanel(Panel):
    name = "par"
    template = "reporting/includes/panel_par.html"

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
            "framework": str(framework) if framework else "",
            "ranking_url": (
                f"{reverse('indicators:ranking')}?framework={framework.pk}" if framework else ""
            ),
            "rows": rows,
            "unranked": unranked,
            "trend": trend,
            "trend_url": reverse("indicators:index_trend"),
            "chart": {
                "labels": [str(point["year"]) for point in trend],
                "values": [float(point["value"]) for point in trend],
                "label": _("PAR INDEX of the province (%)"),
            },
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


def panels_fragment_key(ctx: DashboardContext) -> str:
    """The cache key of the rendered panels ({% cache %} in dashboard_panels.html)."""
    from django.core.cache.utils import make_template_fragment_key

    return make_template_fragment_key(
        "dashboard_panels",
        [get_language(), ctx.scope_token, ctx.filter_token, f"{timezone.localdate():%Y%m%d}"],
    )


def warm_leadership_panels(user) -> int:
    """Compute the leadership panels for the default filters (this year, every unit) and put
    them on the cache, fresh. Every province-wide user shares these keys, so the first leader
    of the morning finds the page ready instead of waiting for every panel (about 1.4 s at
    province scale). Returns the number of panels written."""
    from reporting.dashboards.forms import DashboardFilterForm

    timeout = settings.DASHBOARD_CACHE_SECONDS
    if not timeout or not sees_whole_province(user):
        return 0
    form = DashboardFilterForm({})
    ctx = DashboardContext(
        user=user, values=form.values, period=form.report_period(), filter_token=form.cache_token()
    )
    for panel in (panel_class(ctx) for panel_class in LEADERSHIP_PANELS):
        cache.set(panel.cache_key(), panel.compute(), timeout)
    cache.delete(panels_fragment_key(ctx))  # rendered again from the fresh figures
    return len(LEADERSHIP_PANELS)


# --- Unit dashboard ------------------------------------------------------------------------


class UnitPanel(Panel):
    """Everything a unit's head and staff watch: their overdue and due-soon work, their
    completion beside the province's, their assessment, their dossiers."""

    name = "unit"
    template = "reporting/includes/panel_unit.html"

    def __init__(self, ctx: DashboardContext, unit: OrgUnit):
        super().__init__(ctx)
        self.unit = unit

    def cache_key(self) -> str:
        return f"{super().cache_key()}:u{self.unit.pk}"

    def compute(self) -> dict:
        from tasks.models import Assignment

        ctx, unit = self.ctx, self.unit
        today = timezone.localdate()
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
        completion = selectors.unit_completion(unit, ctx.period.year, ctx.period.as_of)
        assessment = selectors.unit_assessment(ctx.user, unit)
        units = OrgUnit.objects.descendants(unit.pk, include_self=True).values("pk")
        figures = dossier_figures(ctx.period.dossier_period, unit_ids=units)[None]
        list_name = "tasks:assignment_list" if sees_whole_province(ctx.user) else "tasks:inbox"
        base = reverse(list_name)
        unit_param = f"&unit={unit.pk}" if sees_whole_province(ctx.user) else ""

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
            "overdue_url": f"{base}?status=overdue{unit_param}",
            "completion": completion,
            "unit_band": band(completion["unit_rate"])[1],
            "done_url": (
                f"{base}?year={ctx.period.year}{unit_param}&"
                + urlencode([("status", str(s)) for s in STATUS_GROUPS["done"]])
            ),
            "assessment": (
                {
                    "framework": str(assessment.framework),
                    "stage": assessment.get_stage_display(),
                    "deadline": assessment.framework.self_scoring_deadline,
                    "percent": assessment.percent,
                    "band": assessment.band or "",
                    "band_tone": band_tone_of(assessment),
                    "url": reverse("indicators:assessment_detail", args=[assessment.pk]),
                }
                if assessment
                else None
            ),
            "dossiers": {
                "received": figures.received_new,
                "on_time_rate": figures.on_time_rate,
                "online_rate": figures.online_rate,
                "online_payment_rate": figures.online_payment_rate,
                "pending_overdue": figures.pending_overdue,
                "url": dossier_list_url(received_from=ctx.period.start, received_to=ctx.period.end),
            },
            "today": today,
        }


def unit_context(user, year: int | None = None) -> DashboardContext:
    from reporting.dashboards.periods import report_period

    period = report_period(year or timezone.localdate().year)
    return DashboardContext(user=user, values={}, period=period, filter_token=str(period.year))
