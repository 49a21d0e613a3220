"""The computed-criterion sources read from the portal's own data (see indicators.sources):

- "task_completion": the unit's completion rate of the year's tasks, from the tasks app;
- "dossier_on_time": the unit's on-time rate of dossiers for the year, from the dossiers app.

and the KPI sources, each a share per unit over a date range, from the dossiers' daily rollup
and aggregate report lines (dossiers.metrics.dossier_figures, one grouped query):

- "dossiers_online": received online / received in the range (tỷ lệ hồ sơ trực tuyến);
- "dossiers_on_time": finished early or on time / finished in the range (đúng hạn);
- "dossiers_paid_online": paid online / received with a fee (thanh toán trực tuyến).

Registered from IndicatorsConfig.ready(). The tasks and dossiers modules are imported inside the
functions, at call time, so loading indicators never loads them (and the app registry is ready).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from indicators.sources import (
    DOSSIER_ON_TIME,
    DOSSIERS_ON_TIME,
    DOSSIERS_ONLINE,
    DOSSIERS_PAID_ONLINE,
    TASK_COMPLETION,
    Figure,
    KpiShares,
    SourceResult,
    register_kpi_source,
    register_source,
)


def task_completion_for_unit(unit, year: int) -> SourceResult:
    """The unit's completion rate for `year`: completed / total of its work due that year.

    Its work due that year is every assignment of the unit (lead or cooperating) whose effective
    deadline (the approved extension, else the deadline) falls in the year, and, for recurring
    tasks, every reporting period due in the year instead of the assignment. Completed means
    confirmed done (on time, late or without deadline) as of today; suspended and cancelled work
    is left out of both counts. 28 done of 40 -> 70.0.
    """
    from tasks.models import Assignment, AssignmentPeriod
    from tasks.selectors import completion_summary
    from tasks.status import WorkflowState

    in_year = Q(eff_deadline__year=year)
    today = timezone.localdate()
    one_off = (
        Assignment.objects.filter(unit=unit, task__recurrence="").with_status(today).filter(in_year)
    )
    periods = (
        AssignmentPeriod.objects.filter(assignment__unit=unit)
        .exclude(assignment__state__in=[WorkflowState.CANCELLED, WorkflowState.SUSPENDED])
        .with_status(today)
        .filter(in_year)
    )
    summaries = [completion_summary(one_off, as_of=today), completion_summary(periods, as_of=today)]
    done = sum(s.done for s in summaries)
    total = sum(s.total for s in summaries)
    figures: dict[str, Any] = {
        "done": done,
        "total": total,
        "done_on_time": sum(s.done_on_time + s.done_no_deadline for s in summaries),
        "done_late": sum(s.done_late for s in summaries),
        "overdue": sum(s.overdue for s in summaries),
        "as_of": today.isoformat(),
    }
    if not total:
        return None, figures
    return Decimal(100) * done / total, figures


def dossier_on_time_for_unit(unit, year: int) -> SourceResult:
    """The unit's report on-time rate for `year`: (finished early + on time) / finished, over the
    reporting year (from the cut-off day of December of the year before, dossiers.metrics)."""
    from dossiers.metrics import cutoff_period, dossier_figures_total

    period = cutoff_period(year)
    data = dossier_figures_total(period, unit_ids=[unit.pk])
    figures: dict[str, Any] = {
        "finished": data.finished,
        "finished_early": data.finished_early,
        "finished_on_time": data.finished_on_time,
        "finished_late": data.finished_late,
        "received": data.received,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
    }
    if not data.finished:
        return None, figures
    on_time = data.finished_early + data.finished_on_time
    return Decimal(100) * on_time / data.finished, figures


def _dossier_shares(
    share: Callable[[Any], tuple[int, int]],
) -> Callable[[Iterable[int], datetime.date, datetime.date], KpiShares]:
    """A KPI source reading one share of the dossier figures of each unit over a date range."""

    def compute(unit_ids: Iterable[int], start: datetime.date, end: datetime.date) -> KpiShares:
        from dossiers.metrics import Period, dossier_figures

        by_unit = dossier_figures(Period(start, end), unit_ids=unit_ids, group_by="unit")
        return {unit_id: share(figures) for unit_id, figures in by_unit.items()}

    return compute


# Each share as DossierFigures defines its rate (dossiers.metrics), as (part, whole).
dossiers_online_shares = _dossier_shares(lambda f: (f.received_online, f.received_new))
dossiers_on_time_shares = _dossier_shares(
    lambda f: (f.finished_early + f.finished_on_time, f.finished)
)
dossiers_paid_online_shares = _dossier_shares(lambda f: (f.paid_online, f.fee_required))


# The figures' labels have a context of their own ("computed figure"): short words
# ("Completed") must not share a translation with the same English word elsewhere.


def register() -> None:
    register_source(
        TASK_COMPLETION,
        _("Task completion rate"),
        task_completion_for_unit,
        figures=[
            Figure("total", pgettext_lazy("computed figure", "Tasks due in the year")),
            Figure("done", pgettext_lazy("computed figure", "Completed")),
            Figure("done_on_time", pgettext_lazy("computed figure", "Completed on time")),
            Figure("done_late", pgettext_lazy("computed figure", "Completed late")),
            Figure("overdue", pgettext_lazy("computed figure", "In progress overdue")),
            Figure("as_of", pgettext_lazy("computed figure", "Figures as of"), "date"),
        ],
        empty=_("The unit has no task due this year."),
    )
    register_source(
        DOSSIER_ON_TIME,
        _("Dossiers settled on time"),
        dossier_on_time_for_unit,
        figures=[
            Figure("received", pgettext_lazy("computed figure", "Dossiers received")),
            Figure("finished", pgettext_lazy("computed figure", "Dossiers settled")),
            Figure("finished_early", pgettext_lazy("computed figure", "Settled early")),
            Figure("finished_on_time", pgettext_lazy("computed figure", "Settled on time")),
            Figure("finished_late", pgettext_lazy("computed figure", "Settled late")),
            Figure(
                "period_start",
                pgettext_lazy("computed figure", "Reporting period"),
                "period",
                end_key="period_end",
            ),
        ],
        empty=_("The unit settled no dossier in the reporting year."),
    )
    register_kpi_source(
        DOSSIERS_ONLINE,
        _("Share of dossiers received online"),
        _("%(part)s/%(whole)s dossiers received online"),
        dossiers_online_shares,
    )
    register_kpi_source(
        DOSSIERS_ON_TIME,
        _("Share of finished dossiers settled on time"),
        _("%(part)s/%(whole)s finished dossiers settled early or on time"),
        dossiers_on_time_shares,
    )
    register_kpi_source(
        DOSSIERS_PAID_ONLINE,
        _("Share of fee-bearing dossiers paid online"),
        _("%(part)s/%(whole)s fee-bearing dossiers paid online"),
        dossiers_paid_online_shares,
    )
