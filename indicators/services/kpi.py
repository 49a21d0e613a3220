"""KPI targets (chỉ tiêu) with a value per unit level, and the units' measurements.

A measurement is entered (by Home Affairs or the unit), imported from a file, or computed from
the portal's data when its target is bound to a KPI source (indicators.sources). A bound target
takes no entered or imported value: its figure comes from the dossiers, and a wrong figure is
corrected in the dossier data (or its aggregate report lines), not over it. Should a bound
target still hold an entered row (bound after values were entered), the computation keeps that
row and counts it, never overwriting it.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.tabular import ImportFailed, RowCheck, check_rows, read_table
from core.text import fold
from indicators import policy
from indicators.models import (
    KpiLevelTarget,
    KpiMeasurement,
    KpiPeriod,
    KpiTarget,
    MeasurementSource,
)
from indicators.services.common import save
from indicators.services.frameworks import parse_points
from indicators.sources import KpiSource, get_kpi_source
from organizations.models import OrgUnit

MEASUREMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "unit": ("Mã đơn vị", "unit"),
    "period": ("Kỳ", "period"),
    "value": ("Giá trị", "value"),
    "note": ("Ghi chú", "note"),
}


@transaction.atomic
def kpi_target_create(
    *,
    actor,
    name: str,
    measure: str,
    year: int,
    direction: str = "higher",
    source_directive: str = "",
    source_key: str = "",
    levels: dict[str, Decimal] | None = None,
) -> KpiTarget:
    """A target and its value per level, e.g. {"province": 90, "district": 80, "commune": 60};
    with `source_key`, bound to a portal figure its values are computed from."""
    policy.require(actor, policy.KPI_MANAGE)
    if source_key:
        _check_bindable(source_key, measure)
    kpi = KpiTarget(
        name=name,
        measure=measure,
        year=year,
        direction=direction,
        source_directive=source_directive,
        source_key=source_key,
    )
    save(kpi, actor)
    kpi_set_levels(actor=actor, kpi=kpi, levels=levels or {})
    return kpi


@transaction.atomic
def kpi_set_levels(*, actor, kpi: KpiTarget, levels: dict[str, Decimal]) -> None:
    policy.require(actor, policy.KPI_MANAGE)
    kpi.levels.all().delete()
    for level, target in levels.items():
        save(KpiLevelTarget(kpi=kpi, level=level, target=Decimal(target)))


def _check_bindable(source_key: str, measure: str) -> None:
    if get_kpi_source(source_key) is None:
        raise ValidationError(
            _("The data source '%(key)s' is not available.") % {"key": source_key}
        )
    if measure.strip() != "%":
        raise ValidationError(
            _("A target computed from portal data is a percentage: its measure must be %.")
        )


def _refuse_if_computed(kpi: KpiTarget) -> None:
    if kpi.source_key:
        raise ValidationError(
            _(
                "The values of “%(name)s” are computed from dossier data; they cannot be entered "
                "or imported. Correct the dossier data instead."
            )
            % {"name": kpi.name}
        )


@transaction.atomic
def measurement_record(
    *,
    actor,
    kpi: KpiTarget,
    unit: OrgUnit,
    value: Decimal,
    period: str = KpiPeriod.YEAR,
    source: str = MeasurementSource.ENTERED,
    note: str = "",
) -> KpiMeasurement:
    """Enter (or correct) a unit's value for a period: one row per KPI, unit and period.
    Refused on a target computed from portal data (see kpi_compute_measurements)."""
    policy.require(actor, policy.MEASUREMENT_RECORD, unit=unit)
    _refuse_if_computed(kpi)
    measurement = KpiMeasurement.objects.filter(kpi=kpi, unit=unit, period=period).first()
    measurement = measurement or KpiMeasurement(kpi=kpi, unit=unit, period=period)
    measurement.value = value
    measurement.source = source
    measurement.note = note
    save(measurement, actor)
    return measurement


def _period_value(raw: str) -> str | None:
    folded = fold(raw) or "year"
    aliases = {"nam": "year", "ca nam": "year", "quy 1": "q1", "6 thang": "h1", "9 thang": "m9"}
    if folded in aliases:
        return aliases[folded]
    for value, label in KpiPeriod.choices:
        if folded in (fold(value), fold(str(label))):
            return value
    return None


@transaction.atomic
def measurements_import(*, actor, kpi: KpiTarget, fileobj: IO[bytes]) -> int:
    """Import a KPI's values from CSV/XLSX (unit code, period, value, note), all or nothing."""
    policy.require(actor, policy.KPI_MANAGE)
    try:
        _refuse_if_computed(kpi)
    except ValidationError as exc:
        raise ImportFailed(exc.messages[0]) from exc
    rows = read_table(fileobj, MEASUREMENT_COLUMNS, max_rows=10_000)
    units = {unit.code: unit for unit in OrgUnit.objects.all()}

    def check(row: RowCheck) -> dict[str, Any] | None:
        code = row.text("unit")
        unit = units.get(code)
        if unit is None:
            row.error("unit", _("Unknown unit code %(code)s.") % {"code": code})
        period = _period_value(row.text("period"))
        if period is None:
            row.error(
                "period", _("'%(value)s' is not a known period.") % {"value": row.text("period")}
            )
        value = row.parsed("value", parse_points)
        return {"unit": unit, "period": period, "value": value, "note": row.text("note")}

    clean, errors = check_rows(rows, MEASUREMENT_COLUMNS, check)
    if errors:
        raise ImportFailed(errors)
    for row in clean:
        measurement_record(actor=actor, kpi=kpi, source=MeasurementSource.IMPORTED, **row)
    return len(clean)


# --- Measurements computed from portal data ------------------------------------------------

# The last month of each period; every period starts on 1 January of the KPI's year.
PERIOD_LAST_MONTH = {
    KpiPeriod.Q1: 3,
    KpiPeriod.H1: 6,
    KpiPeriod.NINE_MONTHS: 9,
    KpiPeriod.YEAR: 12,
}
CENT = Decimal("0.01")


def kpi_period_dates(year: int, period: str) -> tuple[datetime.date, datetime.date]:
    """q1 -> 1/1-31/3, h1 -> 1/1-30/6, m9 -> 1/1-30/9, year -> 1/1-31/12 of `year`."""
    month = PERIOD_LAST_MONTH[period]
    return datetime.date(year, 1, 1), datetime.date(
        year, month, calendar.monthrange(year, month)[1]
    )


@dataclass
class KpiComputeResult:
    """What one computation did: rows created or changed, rows already right, computed rows
    removed (their unit has nothing left to measure), entered or imported rows left as they are."""

    written: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: int = 0

    def __add__(self, other: KpiComputeResult) -> KpiComputeResult:
        return KpiComputeResult(
            self.written + other.written,
            self.unchanged + other.unchanged,
            self.removed + other.removed,
            self.kept + other.kept,
        )

    @property
    def changed(self) -> int:
        return self.written + self.removed


def _share_percent(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def _figures_note(
    source: KpiSource, part: int, whole: int, end: datetime.date, running: bool
) -> str:
    """ "1.234/1.500 hồ sơ tiếp nhận trực tuyến", and the as-of day while the period runs,
    in the portal's language whatever the request's (the note is stored)."""
    with translation.override(settings.LANGUAGE_CODE):
        note = str(source.figures) % {
            "part": number_format(part, use_l10n=True, force_grouping=True),
            "whole": number_format(whole, use_l10n=True, force_grouping=True),
        }
        if running:
            note = _("%(figures)s, as of %(day)s") % {
                "figures": note,
                "day": date_format(end, "SHORT_DATE_FORMAT"),
            }
    return note[: KpiMeasurement._meta.get_field("note").max_length]


@transaction.atomic
def kpi_compute_measurements(
    *, kpi: KpiTarget, period: str, as_of: datetime.date | None = None
) -> KpiComputeResult:
    """Compute a bound target's value of `period` for every unit at the target's levels.

    The period runs from 1 January of the target's year to the end of the quarter, half, nine
    months or year, cut at `as_of` (today) while it runs; a period not begun yet is left alone.
    The figures come from the source in one grouped query for all units. Each unit with
    something to measure (a whole above 0) gets one row, source computed, value the share in
    percent, note the counts. A unit with nothing to measure gets no row (never a made-up 0),
    and a computed row it had is removed. An entered or imported row is kept, not overwritten.

    Idempotent: rows already right are not written again, so a second run changes nothing,
    not even the history. Two runs for the same target queue on its row lock.
    """
    as_of = as_of or timezone.localdate()
    result = KpiComputeResult()
    # The lock orders concurrent runs for the target (a button press during the nightly job).
    kpi = KpiTarget.objects.select_for_update().get(pk=kpi.pk)
    source = get_kpi_source(kpi.source_key)
    if source is None:
        raise ValidationError(
            _("The data source '%(key)s' is not available.") % {"key": kpi.source_key}
        )
    start, end = kpi_period_dates(kpi.year, period)
    if start > as_of:
        return result
    running = end > as_of
    end = min(end, as_of)
    levels = kpi.levels.values("level")
    unit_ids = OrgUnit.objects.filter(level__in=levels).values_list("pk", flat=True)
    shares = source.compute(unit_ids, start, end)
    existing = {row.unit_id: row for row in KpiMeasurement.objects.filter(kpi=kpi, period=period)}
    created: list[KpiMeasurement] = []
    updated: list[KpiMeasurement] = []
    for unit_id, (part, whole) in sorted(shares.items()):
        if not whole:
            continue
        value = _share_percent(part, whole)
        note = _figures_note(source, part, whole, end, running)
        row = existing.pop(unit_id, None)
        if row is None:
            created.append(
                KpiMeasurement(
                    kpi=kpi,
                    unit_id=unit_id,
                    period=period,
                    value=value,
                    source=MeasurementSource.COMPUTED,
                    note=note,
                )
            )
        elif row.source != MeasurementSource.COMPUTED:
            result.kept += 1
        elif row.value == value and row.note == note:
            result.unchanged += 1
        else:
            row.value, row.note = value, note
            updated.append(row)
    stale = [row.pk for row in existing.values() if row.source == MeasurementSource.COMPUTED]
    result.kept += len(existing) - len(stale)
    if created:
        bulk_create_with_history(created, KpiMeasurement)
    if updated:
        bulk_update_with_history(updated, KpiMeasurement, ["value", "note"])
    if stale:
        # a per-row delete signal records each removal in the history
        KpiMeasurement.objects.filter(pk__in=stale).delete()
    result.written = len(created) + len(updated)
    result.removed = len(stale)
    return result


def kpis_compute(
    *, kpi_ids: list[int] | None = None, as_of: datetime.date | None = None
) -> KpiComputeResult:
    """Compute every period begun by `as_of` of every bound target (or of the given ones) whose
    source is registered. Each period is its own transaction."""
    as_of = as_of or timezone.localdate()
    kpis = KpiTarget.objects.exclude(source_key="").filter(year__lte=as_of.year).order_by("pk")
    if kpi_ids is not None:
        kpis = kpis.filter(pk__in=kpi_ids)
    total = KpiComputeResult()
    for kpi in kpis:
        if get_kpi_source(kpi.source_key) is None:
            continue
        for period in PERIOD_LAST_MONTH:
            total += kpi_compute_measurements(kpi=kpi, period=period, as_of=as_of)
    return total
