"""Service-quality figures of dossiers by unit, level, field and period.

Single dossiers reach here through the daily rollup; aggregate rows are read as they are; both
become DossierFigures, so a unit reporting either way is measured by the same formulas:

- report on-time rate = (early + on time) / finished  ("99,4% = 64,3% early + 35,1% on time")
- progress (Decision 766) = (finished early or on time + pending within) / received, x 20 points
- online rate = received online / received in the period; online payment = paid online / with fee

Stocks (carried over, pending) come from running sums of the rollup: pending at the end of day A
= received up to A - finished up to A; pending overdue at A = went overdue up to A - finished
late up to A (a dossier "goes overdue" on the day after its due date when not finished by it).
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.conf import settings
from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import AggregateRow, Channel, DossierDailyRollup

# --- Periods -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str = ""


def calendar_period(year: int, *, month: int | None = None, quarter: int | None = None) -> Period:
    """A calendar month, quarter or year."""
    if month:
        last = calendar.monthrange(year, month)[1]
        return Period(
            datetime.date(year, month, 1), datetime.date(year, month, last), f"{month:02d}/{year}"
        )
    if quarter:
        first = 3 * (quarter - 1) + 1
        last = calendar.monthrange(year, first + 2)[1]
        return Period(
            datetime.date(year, first, 1),
            datetime.date(year, first + 2, last),
            _("Quarter %(q)s/%(y)s") % {"q": quarter, "y": year},
        )
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year))


def cutoff_period(year: int, *, month: int | None = None, cutoff_day: int | None = None) -> Period:
    """The reporting convention: from the cut-off day of the previous month to the day before
    it in this month (15/2-14/3 for March), a year from 15/12 to 14/12."""
    day = cutoff_day or settings.DOSSIER_REPORT_CUTOFF_DAY
    if month:
        prev_year, prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
        start = datetime.date(prev_year, prev_month, day)
        end = datetime.date(year, month, day) - datetime.timedelta(days=1)
        return Period(start, end, f"{month:02d}/{year}")
    start = datetime.date(year - 1, 12, day)
    end = datetime.date(year, 12, day) - datetime.timedelta(days=1)
    return Period(start, end, str(year))


# --- Figures -------------------------------------------------------------------------------


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


@dataclass
class DossierFigures:
    """The standard report line and the rates computed from it. Rates are percentages."""

    received_online: int = 0
    received_offline: int = 0
    carried_over: int = 0
    finished_early: int = 0
    finished_on_time: int = 0
    finished_late: int = 0
    pending_within: int = 0
    pending_overdue: int = 0
    fee_required: int = 0
    paid_online: int = 0

    def __add__(self, other: DossierFigures) -> DossierFigures:
        # Field by field, written out: a dashboard adds ~1,000 lines a page, and the generic
        # dataclasses.fields() loop was a tenth of its Python (tests/dossiers: every field).
        return DossierFigures(
            self.received_online + other.received_online,
            self.received_offline + other.received_offline,
            self.carried_over + other.carried_over,
            self.finished_early + other.finished_early,
            self.finished_on_time + other.finished_on_time,
            self.finished_late + other.finished_late,
            self.pending_within + other.pending_within,
            self.pending_overdue + other.pending_overdue,
            self.fee_required + other.fee_required,
            self.paid_online + other.paid_online,
        )

    @property
    def received_new(self) -> int:
        return self.received_online + self.received_offline

    @property
    def received(self) -> int:
        return self.received_new + self.carried_over

    @property
    def finished(self) -> int:
        return self.finished_early + self.finished_on_time + self.finished_late

    @property
    def pending(self) -> int:
        return self.pending_within + self.pending_overdue

    @property
    def balance_difference(self) -> int:
        """received - (finished + pending); 0 when the line balances."""
        return self.received - self.finished - self.pending

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.finished_early + self.finished_on_time, self.finished)

    @property
    def early_share(self) -> float | None:
        return _rate(self.finished_early, self.finished)

    @property
    def on_time_share(self) -> float | None:
        return _rate(self.finished_on_time, self.finished)

    @property
    def progress_rate(self) -> float | None:
        return _rate(
            self.finished_early + self.finished_on_time + self.pending_within, self.received
        )

    @property
    def progress_score(self) -> float | None:
        rate = self.progress_rate
        return None if rate is None else round(rate * 20 / 100, 2)

    @property
    def online_rate(self) -> float | None:
        return _rate(self.received_online, self.received_new)

    @property
    def online_payment_rate(self) -> float | None:
        return _rate(self.paid_online, self.fee_required)

    def as_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in (
            "received_new",
            "received",
            "finished",
            "pending",
            "balance_difference",
            "on_time_rate",
            "early_share",
            "on_time_share",
            "progress_rate",
            "progress_score",
            "online_rate",
            "online_payment_rate",
        ):
            data[name] = getattr(self, name)
        return data


GROUPS = {"unit": "unit_id", "level": "level", "field": "field_id"}
Grouping = str | tuple[str, ...] | None


def _columns(group_by: Grouping) -> tuple[str, ...]:
    """("unit", "level") -> ("unit_id", "level"); a single name or None work too."""
    if group_by is None:
        return ()
    names = (group_by,) if isinstance(group_by, str) else group_by
    return tuple(GROUPS[name] for name in names)


def _key(values: tuple, group_by: Grouping) -> object:
    # One grouping name keys by the bare value; several by a tuple; none by None.
    if group_by is None:
        return None
    return values[0] if isinstance(group_by, str) else values


def _stock_day(period: Period) -> datetime.date:
    # Pending "at the end" of a period still running is pending today.
    return min(period.end, timezone.localdate())


def figures_from_rollups(
    period: Period,
    *,
    rollups: QuerySet[DossierDailyRollup] | None = None,
    group_by: Grouping = None,
) -> dict[object, DossierFigures]:
    """One query over the daily rollup: group -> figures (group None -> key None)."""
    qs = rollups if rollups is not None else DossierDailyRollup.objects.all()
    stock_day = _stock_day(period)
    start, end = period.start, period.end
    finished = F("finished_early") + F("finished_on_time") + F("finished_late")
    in_period = Q(day__gte=start, day__lte=end)
    columns = _columns(group_by)
    qs = qs.filter(day__lte=max(end, stock_day))
    if columns:
        qs = qs.values(*columns).order_by(*columns)
    sums = {
        "s_received_before": Sum("received", filter=Q(day__lt=start)),
        "s_finished_before": Sum(finished, filter=Q(day__lt=start)),
        "s_received_online": Sum("received", filter=in_period & Q(channel=Channel.ONLINE)),
        "s_received_offline": Sum("received", filter=in_period & ~Q(channel=Channel.ONLINE)),
        "s_finished_early": Sum("finished_early", filter=in_period),
        "s_finished_on_time": Sum("finished_on_time", filter=in_period),
        "s_finished_late": Sum("finished_late", filter=in_period),
        "s_fee_required": Sum("fee_required", filter=in_period),
        "s_paid_online": Sum("paid_online", filter=in_period),
        "s_received_to_stock": Sum("received", filter=Q(day__lte=stock_day)),
        "s_finished_to_stock": Sum(finished, filter=Q(day__lte=stock_day)),
        "s_overdue_to_stock": Sum("went_overdue", filter=Q(day__lte=stock_day)),
        "s_late_to_stock": Sum("finished_late", filter=Q(day__lte=stock_day)),
    }
    rows = list(qs.annotate(**sums)) if columns else [qs.aggregate(**sums)]
    result: dict[object, DossierFigures] = {}
    for row in rows:
        value = {key[2:]: (number or 0) for key, number in row.items() if key.startswith("s_")}
        pending = value["received_to_stock"] - value["finished_to_stock"]
        overdue = value["overdue_to_stock"] - value["late_to_stock"]
        result[_key(tuple(row[c] for c in columns), group_by)] = DossierFigures(
            received_online=value["received_online"],
            received_offline=value["received_offline"],
            carried_over=value["received_before"] - value["finished_before"],
            finished_early=value["finished_early"],
            finished_on_time=value["finished_on_time"],
            finished_late=value["finished_late"],
            pending_within=pending - overdue,
            pending_overdue=overdue,
            fee_required=value["fee_required"],
            paid_online=value["paid_online"],
        )
    return result


def figures_from_aggregate_rows(
    period: Period,
    *,
    rows: Iterable[AggregateRow] | None = None,
    group_by: Grouping = None,
) -> dict[object, DossierFigures]:
    """Aggregate rows lying within the period: flows summed; carried over from each unit's and
    field's first row, pending from its last."""
    if rows is None:
        rows = AggregateRow.objects.all()
    if isinstance(rows, QuerySet):
        rows = rows.filter(period_start__gte=period.start, period_end__lte=period.end)
    series: dict[tuple, list[AggregateRow]] = defaultdict(list)
    for row in rows:
        series[(row.unit_id, row.field_id)].append(row)
    columns = _columns(group_by)
    result: dict[object, DossierFigures] = {}
    for group_rows in series.values():
        group_rows.sort(key=lambda row: row.period_start)
        first, last = group_rows[0], group_rows[-1]
        figures = DossierFigures(carried_over=first.carried_over)
        figures.pending_within = last.pending_within
        figures.pending_overdue = last.pending_overdue
        for row in group_rows:
            for name in (
                "received_online",
                "received_offline",
                "finished_early",
                "finished_on_time",
                "finished_late",
                "fee_required",
                "paid_online",
            ):
                setattr(figures, name, getattr(figures, name) + getattr(row, name))
        key = _key(tuple(getattr(first, c) for c in columns), group_by)
        result[key] = result.get(key, DossierFigures()) + figures
    return result


def _half_month_path(period: Period, group_by: Grouping, field_id, ready=None) -> bool:
    """The half-month rollup answers when the period's bounds are half-month bounds, no field
    is asked for (the half-months are by unit and level) and it has been built (`ready`, when
    the caller knows it already)."""
    from dossiers.rollups import half_end, half_month_ready, half_start

    if field_id or not set(_columns(group_by)) <= {"unit_id", "level"}:
        return False
    if half_start(period.start) != period.start or half_end(period.end) != period.end:
        return False
    return half_month_ready() if ready is None else ready


def _partial_days(stock_day: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The days of the half-month holding stock_day up to it, when it is not the half's end."""
    from dossiers.rollups import half_end, half_start

    if half_end(stock_day) == stock_day:
        return None
    return half_start(stock_day), stock_day


def figures_from_half_months(
    period: Period,
    *,
    unit_ids: Iterable[int] | QuerySet | None = None,
    level: str | None = None,
    group_by: Grouping = None,
) -> dict[object, DossierFigures]:
    """figures_from_rollups, from the half-month rollup: the history before the period, the
    period's flows and the stocks are sums of whole half-months; the stock day's unfinished
    half-month is added from the daily rollup (at most 14 days)."""
    from dossiers.models import DossierHalfMonthRollup

    stock_day = _stock_day(period)
    start, end = period.start, period.end
    partial = _partial_days(stock_day)
    stock_limit = Q(half_start__lt=partial[0]) if partial else Q(half_start__lte=stock_day)
    finished = F("finished_early") + F("finished_on_time") + F("finished_late")
    in_period = Q(half_start__gte=start, half_start__lte=end)
    columns = _columns(group_by)
    qs = DossierHalfMonthRollup.objects.all()
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if level:
        qs = qs.filter(level=level)
    qs = qs.filter(half_start__lte=max(end, stock_day))
    if columns:
        qs = qs.values(*columns).order_by(*columns)
    sums = {
        "s_received_before": Sum("received", filter=Q(half_start__lt=start)),
        "s_finished_before": Sum(finished, filter=Q(half_start__lt=start)),
        "s_received_online": Sum("received_online", filter=in_period),
        "s_received_all": Sum("received", filter=in_period),
        "s_finished_early": Sum("finished_early", filter=in_period),
        "s_finished_on_time": Sum("finished_on_time", filter=in_period),
        "s_finished_late": Sum("finished_late", filter=in_period),
        "s_fee_required": Sum("fee_required", filter=in_period),
        "s_paid_online": Sum("paid_online", filter=in_period),
        "s_received_to_stock": Sum("received", filter=stock_limit),
        "s_finished_to_stock": Sum(finished, filter=stock_limit),
        "s_overdue_to_stock": Sum("went_overdue", filter=stock_limit),
        "s_late_to_stock": Sum("finished_late", filter=stock_limit),
    }
    rows = list(qs.annotate(**sums)) if columns else [qs.aggregate(**sums)]
    values: dict[object, dict] = {}
    for row in rows:
        key = _key(tuple(row[c] for c in columns), group_by)
        values[key] = {k[2:]: (n or 0) for k, n in row.items() if k.startswith("s_")}
    if partial:
        daily = DossierDailyRollup.objects.filter(day__gte=partial[0], day__lte=partial[1])
        if unit_ids is not None:
            daily = daily.filter(unit_id__in=unit_ids)
        if level:
            daily = daily.filter(level=level)
        if columns:
            daily = daily.values(*columns).order_by(*columns)
        more = {
            "s_received_to_stock": Sum("received"),
            "s_finished_to_stock": Sum(finished),
            "s_overdue_to_stock": Sum("went_overdue"),
            "s_late_to_stock": Sum("finished_late"),
        }
        for row in list(daily.annotate(**more)) if columns else [daily.aggregate(**more)]:
            key = _key(tuple(row[c] for c in columns), group_by)
            target = values.setdefault(key, {k[2:]: 0 for k in sums})
            for name in more:
                target[name[2:]] += row[name] or 0
    result: dict[object, DossierFigures] = {}
    for key, value in values.items():
        pending = value["received_to_stock"] - value["finished_to_stock"]
        overdue = value["overdue_to_stock"] - value["late_to_stock"]
        result[key] = DossierFigures(
            received_online=value["received_online"],
            received_offline=value["received_all"] - value["received_online"],
            carried_over=value["received_before"] - value["finished_before"],
            finished_early=value["finished_early"],
            finished_on_time=value["finished_on_time"],
            finished_late=value["finished_late"],
            pending_within=pending - overdue,
            pending_overdue=overdue,
            fee_required=value["fee_required"],
            paid_online=value["paid_online"],
        )
    return result


def late_without_apology_count(
    period: Period,
    *,
    unit_ids: Iterable[int] | QuerySet | None = None,
    level: str | None = None,
    ready: bool | None = None,
) -> int | None:
    """Dossiers gone late from the period's start to its stock day with no apology registered
    (dossiers_late_without_apology(...).filter(overdue_date__gte=start).count()), as a running
    count of the rollups; None when the half-month rollup cannot answer."""
    from dossiers.models import DossierHalfMonthRollup

    if not _half_month_path(period, None, None, ready):
        return None
    stock_day = _stock_day(period)
    if stock_day < period.start:
        return 0
    partial = _partial_days(stock_day)
    halves = DossierHalfMonthRollup.objects.filter(half_start__gte=period.start)
    halves = (
        halves.filter(half_start__lt=partial[0])
        if partial
        else halves.filter(half_start__lte=stock_day)
    )
    parts = [halves]
    if partial:
        parts.append(
            DossierDailyRollup.objects.filter(
                day__gte=max(partial[0], period.start), day__lte=partial[1]
            )
        )
    total = 0
    for qs in parts:
        if unit_ids is not None:
            qs = qs.filter(unit_id__in=unit_ids)
        if level:
            qs = qs.filter(level=level)
        total += qs.aggregate(n=Sum("late_unapologized"))["n"] or 0
    return total


def dossier_figures_parts(
    period: Period,
    *,
    unit_ids: Iterable[int] | QuerySet | None = None,
    level: str | None = None,
    field_id: int | None = None,
    group_by: Grouping = None,
    ready: bool | None = None,
) -> tuple[dict[object, DossierFigures], dict[object, DossierFigures]]:
    """The two sources apart: (single dossiers from the rollup, aggregate rows). A figure's
    single-dossier part is what the dossier list can show row by row; the aggregate part
    comes from units reporting totals only (the dashboards name it beside the linked part)."""
    rollups = DossierDailyRollup.objects.all()
    rows = AggregateRow.objects.all()
    if unit_ids is not None:
        rollups = rollups.filter(unit_id__in=unit_ids)
        rows = rows.filter(unit_id__in=unit_ids)
    if level:
        rollups = rollups.filter(level=level)
        rows = rows.filter(level=level)
    if field_id:
        rollups = rollups.filter(field_id=field_id)
        rows = rows.filter(field_id=field_id)
    if _half_month_path(period, group_by, field_id, ready):
        single = figures_from_half_months(period, unit_ids=unit_ids, level=level, group_by=group_by)
    else:
        single = figures_from_rollups(period, rollups=rollups, group_by=group_by)
    aggregate = figures_from_aggregate_rows(period, rows=rows, group_by=group_by)
    if group_by is None:
        single.setdefault(None, DossierFigures())
        aggregate.setdefault(None, DossierFigures())
    return single, aggregate


def combine(*parts: dict[object, DossierFigures]) -> dict[object, DossierFigures]:
    """Figures of several sources summed key by key."""
    combined: dict[object, DossierFigures] = {}
    for part in parts:
        for key, figures in part.items():
            combined[key] = combined.get(key, DossierFigures()) + figures
    return combined


def dossier_figures(
    period: Period,
    *,
    unit_ids: Iterable[int] | QuerySet | None = None,
    level: str | None = None,
    field_id: int | None = None,
    group_by: Grouping = None,
) -> dict[object, DossierFigures]:
    """Single dossiers (rollup) plus aggregate rows, filtered and grouped the same way.

    `unit_ids` scopes to units (a queryset of ids or a list); None means every unit. group_by
    is None (one key, None), a name ("unit", "level", "field": keys are values) or a tuple of
    names (keys are tuples); `regroup` folds a fine grouping into coarser ones without another
    query.
    """
    return combine(
        *dossier_figures_parts(
            period, unit_ids=unit_ids, level=level, field_id=field_id, group_by=group_by
        )
    )


def dossier_figures_total(period: Period, **filters) -> DossierFigures:
    return dossier_figures(period, **filters)[None]


def regroup(figures: dict[tuple, DossierFigures], position: int | None) -> dict:
    """Sum figures keyed by tuples down to one component (position) or to a total (None)."""
    result: dict[object, DossierFigures] = {}
    for key, value in figures.items():
        target = None if position is None else key[position]
        result[target] = result.get(target, DossierFigures()) + value
    if position is None and None not in result:
        result[None] = DossierFigures()
    return result


def monthly_trend(
    *,
    end: datetime.date,
    months: int = 12,
    unit_ids: Iterable[int] | QuerySet | None = None,
    level: str | None = None,
    ready: bool | None = None,
) -> list[dict]:
    """Online and on-time rates by calendar month over the `months` ending with `end`'s month,
    from the rollup's flows in one query (aggregate rows are by period, not by month)."""
    first = datetime.date(end.year, end.month, 1)
    for _step in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    from dossiers.models import DossierHalfMonthRollup
    from dossiers.rollups import half_month_ready, half_start

    sums = {
        "s_received": Sum("received"),
        "s_online": Sum("received", filter=Q(channel=Channel.ONLINE)),
        "s_early": Sum("finished_early"),
        "s_on_time": Sum("finished_on_time"),
        "s_late": Sum("finished_late"),
    }
    parts = []
    daily_from = first
    if half_month_ready() if ready is None else ready:
        # whole half-months from the half-month rollup (~24 rows a unit and year), the days of
        # the unfinished one from the daily rollup
        daily_from = max(first, half_start(end))
        halves = DossierHalfMonthRollup.objects.filter(
            half_start__gte=first, half_start__lt=daily_from
        )
        parts.append(
            (
                halves.annotate(month=TruncMonth("half_start")),
                sums | {"s_online": Sum("received_online")},
            )
        )
    daily = DossierDailyRollup.objects.filter(day__gte=daily_from, day__lte=end)
    parts.append((daily.annotate(month=TruncMonth("day")), sums))
    by_month: dict = {}
    for qs, part_sums in parts:
        if unit_ids is not None:
            qs = qs.filter(unit_id__in=unit_ids)
        if level:
            qs = qs.filter(level=level)
        for row in qs.values("month").order_by("month").annotate(**part_sums):
            total = by_month.setdefault(row["month"], dict.fromkeys(sums, 0))
            for name in sums:
                total[name] += row[name] or 0
    rows = [{"month": month, **by_month[month]} for month in sorted(by_month)]
    trend = []
    for row in rows:
        month = row["month"]
        figures = DossierFigures(
            received_online=row["s_online"] or 0,
            received_offline=(row["s_received"] or 0) - (row["s_online"] or 0),
            finished_early=row["s_early"] or 0,
            finished_on_time=row["s_on_time"] or 0,
            finished_late=row["s_late"] or 0,
        )
        trend.append(
            {
                "month": f"{month.month:02d}/{month.year}",
                "received": figures.received_new,
                "online_rate": figures.online_rate,
                "on_time_rate": figures.on_time_rate,
            }
        )
    return trend
