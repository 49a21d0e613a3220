"""The figures of a periodic report, computed for its window from the SAME selectors the
dashboards read (reporting.selectors for tasks, dossiers.metrics for dossiers, the PAR ranking
and the KPI board of indicators.selectors), so the report and the leader dashboard agree to the
digit for the same window. The result is plain JSON, stored on each saved version: an issued
report keeps the figures it was written from even after the data moves on."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from directives.models import CchcArea, Directive
from dossiers.metrics import DossierFigures, dossier_figures_parts
from dossiers.selectors import dossiers_late_without_apology, dossiers_visible_to
from dossiers.timeliness import late_filter
from indicators.models import AssessmentStage
from indicators.selectors import kpi_board
from organizations.models import OrgUnit, UnitLevel
from reporting import selectors as reporting
from reporting.dashboards.periods import ReportPeriod

OVERDUE_NAMED = 30  # the overdue tasks named in the report (the annex lists them all)


def report_period(kind_code: str, year: int, start: datetime.date, end: datetime.date):
    """The dashboard's period of the same window: the leader dashboard with this period (and
    the cut-off convention) shows the same figures."""
    return ReportPeriod(year, kind_code, "cutoff", start, end)


def _rate(part: int, whole: int) -> float | None:
    return None if not whole else round(part * 100 / whole, 1)


def task_figures(user, period: ReportPeriod, unit: OrgUnit | None) -> dict:
    assignments = reporting.dashboard_assignments(user, {}, period)
    if unit is not None:
        assignments = assignments.filter(unit=unit)
    totals = reporting.completion_totals(assignments)
    by_area = reporting.completion_by(assignments, "task__area_id", "task__area__code")
    areas = {row["task__area__code"]: row for row in by_area}
    area_rows = []
    for area in CchcArea.objects.order_by("code"):
        row = areas.get(area.code, {})
        area_rows.append(
            {
                "code": area.code,
                "name": area.name,
                **{
                    key: row.get(key, 0)
                    for key in ("total", "done", "done_on_time", "done_late", "in_progress")
                },
                "overdue": row.get("overdue", 0),
                "rate": row.get("rate"),
            }
        )
    if None in areas:
        row = areas[None]
        area_rows.append(
            {
                "code": None,
                "name": "Nhiệm vụ chưa phân lĩnh vực",
                **{
                    key: row.get(key, 0)
                    for key in (
                        "total",
                        "done",
                        "done_on_time",
                        "done_late",
                        "in_progress",
                        "overdue",
                    )
                },
                "rate": row.get("rate"),
            }
        )
    overdue = [
        {
            "title": assignment.task.title,
            "unit": assignment.unit.name,
            "directive": assignment.task.directive.number,
            "deadline": assignment.eff_deadline.isoformat(),
            "area": assignment.task.area.code if assignment.task.area_id else None,
        }
        for assignment in reporting.overdue_assignments(
            assignments.select_related("task__area"), limit=OVERDUE_NAMED
        )
    ]
    return {
        "totals": {
            key: totals[key]
            for key in ("total", "done", "done_on_time", "done_late", "in_progress", "overdue")
        }
        | {"rate": totals["rate"]},
        "by_area": area_rows,
        "overdue": overdue,
    }


def directive_figures(period: ReportPeriod, unit: OrgUnit | None) -> dict:
    directives = Directive.objects.filter(issue_date__gte=period.start, issue_date__lte=period.end)
    if unit is not None:
        directives = directives.filter(issuer=unit)
    by_type = Counter(dict(directives.values_list("doc_type").annotate(n=Count("pk"))))
    rows = [
        {"number": number, "date": day.isoformat(), "summary": summary[:200]}
        for number, day, summary in directives.order_by("issue_date", "pk").values_list(
            "number", "issue_date", "summary"
        )[:50]
    ]
    return {"total": sum(by_type.values()), "by_type": dict(by_type), "rows": rows}


def _dossier_line(figures: DossierFigures) -> dict:
    return {
        "received": figures.received,
        "received_new": figures.received_new,
        "received_online": figures.received_online,
        "carried_over": figures.carried_over,
        "finished": figures.finished,
        "early": figures.finished_early,
        "on_time": figures.finished_on_time,
        "late": figures.finished_late,
        "pending_within": figures.pending_within,
        "pending_overdue": figures.pending_overdue,
        "on_time_rate": figures.on_time_rate,
        "online_rate": figures.online_rate,
        "fee_required": figures.fee_required,
        "paid_online": figures.paid_online,
        "online_payment_rate": figures.online_payment_rate,
    }


def dossier_report_figures(user, period: ReportPeriod, unit: OrgUnit | None) -> dict:
    """The dossier panel's figures (reporting DossierPanel): rollup plus aggregate rows of the
    window, by level, and the late dossiers with and without an apology letter."""
    window = period.dossier_period
    unit_ids = None
    if unit is not None:
        unit_ids = OrgUnit.objects.descendants(unit.pk, include_self=True).values("pk")
    single, aggregate = dossier_figures_parts(window, unit_ids=unit_ids, group_by="level")
    total = sum(single.values(), DossierFigures()) + sum(aggregate.values(), DossierFigures())
    stock_day = min(window.end, timezone.localdate())
    late = dossiers_visible_to(user).filter(late_filter(stock_day), overdue_date__gte=window.start)
    without = dossiers_late_without_apology(user, as_of=stock_day).filter(
        overdue_date__gte=window.start
    )
    if unit_ids is not None:
        late = late.filter(unit_id__in=unit_ids)
        without = without.filter(unit_id__in=unit_ids)
    late_count = late.count()
    without_count = without.count()
    levels = []
    for value, label in UnitLevel.choices:
        line = single.get(value, DossierFigures()) + aggregate.get(value, DossierFigures())
        if line.received_new:
            levels.append({"level": value, "label": str(label), **_dossier_line(line)})
    return {
        "total": _dossier_line(total),
        "levels": levels,
        "late_dossiers": late_count,
        "apology_sent": late_count - without_count,
        "late_without_apology": without_count,
    }


def par_figures(user, period: ReportPeriod, unit: OrgUnit | None) -> dict:
    framework = reporting.ranking_framework(period.year)
    if unit is not None:
        assessment = reporting.unit_assessment(user, unit)
        if assessment is None:
            return {"framework": str(framework) if framework else "", "unit": None}
        return {
            "framework": str(assessment.framework),
            "unit": {
                "stage": assessment.stage,
                "stage_label": str(assessment.get_stage_display()),
                "percent": assessment.percent,
                "band": assessment.band or "",
            },
        }
    if framework is None:
        return {"framework": "", "ranking": [], "stages": {}}
    ranking = [
        {
            "rank": assessment.rank,
            "unit": assessment.unit.name,
            "stage_label": str(assessment.get_stage_display()),
            "percent": assessment.percent,
            "band": assessment.band or "",
        }
        for assessment in reporting.ranking_rows(user, framework, limit=200)
    ]
    stages = Counter(
        str(AssessmentStage(a.stage).label) for a in reporting.unranked_rows(user, framework)
    )
    for row in ranking:
        stages[row["stage_label"]] += 1
    return {"framework": str(framework), "ranking": ranking, "stages": dict(stages)}


def kpi_figures(user, year: int, kpi_period: str, unit: OrgUnit | None) -> list[dict]:
    """KPI targets against results: a unit's own values, or per target and level the units
    measured, reaching the target, and the average value."""
    board = kpi_board(user, year=year).filter(period=kpi_period)
    if unit is not None:
        board = board.filter(unit=unit)
        return [
            {
                "name": m.kpi.name,
                "measure": m.kpi.measure,
                "level": str(UnitLevel(m.unit.level).label),
                "target": None if m.target is None else float(m.target),
                "value": float(m.value),
                "achieved": m.achieved,
                "units": 1,
                "units_achieved": 1 if m.achieved else 0,
            }
            for m in board
        ]
    groups: dict[tuple, list] = defaultdict(list)
    for m in board:
        groups[(m.kpi.name, m.kpi.measure, m.unit.level)].append(m)
    rows = []
    for (name, measure, level), items in sorted(groups.items()):
        target = items[0].target
        rows.append(
            {
                "name": name,
                "measure": measure,
                "level": str(UnitLevel(level).label),
                "target": None if target is None else float(target),
                "value": round(sum(float(m.value) for m in items) / len(items), 2),
                "achieved": None,
                "units": len(items),
                "units_achieved": sum(1 for m in items if m.achieved),
            }
        )
    return rows


def compute_figures(
    *,
    user,
    kind_code: str,
    kpi_period: str,
    year: int,
    start: datetime.date,
    end: datetime.date,
    unit: OrgUnit | None,
) -> dict:
    period = report_period(kind_code, year, start, end)
    figures = {
        "window": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "as_of": period.as_of.isoformat(),
            "year": year,
        },
        "tasks": task_figures(user, period, unit),
        "directives": directive_figures(period, unit),
        "dossiers": dossier_report_figures(user, period, unit),
        "par": par_figures(user, period, unit),
        "kpi": kpi_figures(user, year, kpi_period, unit),
        "computed_at": timezone.now().isoformat(),
    }
    figures = _plain(figures)
    figures["has_data"] = bool(
        figures["tasks"]["totals"]["total"]
        or figures["directives"]["total"]
        or figures["dossiers"]["total"]["received"]
        or figures["kpi"]
    )
    return figures


def _plain(value):
    """JSON-ready: Decimals (rates, percents) as floats, everything else as it is."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return float(value)
    return value
