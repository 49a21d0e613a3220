"""KPI targets (chỉ tiêu) with a value per unit level, and the units' measurements."""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.roles import Role, has_role
from core.tabular import RowError, TableError, cell_text, read_rows
from core.text import fold
from indicators.models import (
    KpiLevelTarget,
    KpiMeasurement,
    KpiPeriod,
    KpiTarget,
    MeasurementSource,
)
from indicators.services.common import require, save
from indicators.services.frameworks import parse_points
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
    levels: dict[str, Decimal] | None = None,
) -> KpiTarget:
    """A target and its value per level, e.g. {"province": 90, "district": 80, "commune": 60}."""
    require(has_role(actor, Role.HOME_AFFAIRS))
    kpi = KpiTarget(
        name=name,
        measure=measure,
        year=year,
        direction=direction,
        source_directive=source_directive,
    )
    save(kpi, actor)
    kpi_set_levels(actor=actor, kpi=kpi, levels=levels or {})
    return kpi


@transaction.atomic
def kpi_set_levels(*, actor, kpi: KpiTarget, levels: dict[str, Decimal]) -> None:
    require(has_role(actor, Role.HOME_AFFAIRS))
    kpi.levels.all().delete()
    for level, target in levels.items():
        save(KpiLevelTarget(kpi=kpi, level=level, target=Decimal(target)))


def _may_measure(actor, unit: OrgUnit) -> bool:
    return has_role(actor, Role.HOME_AFFAIRS) or (
        has_role(actor, Role.UNIT_HEAD, Role.UNIT_STAFF) and actor.unit_id == unit.pk
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
    """Enter (or correct) a unit's value for a period: one row per KPI, unit and period."""
    require(_may_measure(actor, unit))
    measurement = KpiMeasurement.objects.filter(kpi=kpi, unit=unit, period=period).first()
    measurement = measurement or KpiMeasurement(kpi=kpi, unit=unit, period=period)
    measurement.value = value
    measurement.source = source
    measurement.note = note
    save(measurement, actor)
    return measurement


class MeasurementImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


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
    require(has_role(actor, Role.HOME_AFFAIRS))
    try:
        rows = list(read_rows(fileobj, MEASUREMENT_COLUMNS, max_rows=10_000))
    except TableError as exc:
        raise MeasurementImportFailed([RowError(0, "", str(exc))]) from exc
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    headers = {name: spellings[0] for name, spellings in MEASUREMENT_COLUMNS.items()}
    clean: list[dict[str, Any]] = []
    errors: list[RowError] = []
    for number, raw in rows:
        code = cell_text(raw.get("unit"))
        unit = units.get(code)
        if unit is None:
            errors.append(
                RowError(number, headers["unit"], _("Unknown unit code %(code)s.") % {"code": code})
            )
        period = _period_value(cell_text(raw.get("period")))
        if period is None:
            errors.append(
                RowError(
                    number,
                    headers["period"],
                    _("'%(value)s' is not a known period.")
                    % {"value": cell_text(raw.get("period"))},
                )
            )
        try:
            value = parse_points(raw.get("value"))
        except ValueError as exc:
            errors.append(RowError(number, headers["value"], str(exc)))
            continue
        if unit and period:
            clean.append(
                {"unit": unit, "period": period, "value": value, "note": cell_text(raw.get("note"))}
            )
    if errors:
        raise MeasurementImportFailed(errors)
    for row in clean:
        measurement_record(actor=actor, kpi=kpi, source=MeasurementSource.IMPORTED, **row)
    return len(clean)
