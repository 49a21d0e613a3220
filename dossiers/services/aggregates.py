"""Aggregate report lines: saving one with its balance check, and importing them from a file.

Import files are small (a few hundred lines a period), so they are read at once, checked
whole and written all-or-nothing in the request. An unbalanced line is not an error: it is
saved and flagged with the difference.
"""

from __future__ import annotations

import datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.tabular import (
    ImportFailed,
    RowCheck,
    RowError,
    cell_text,
    check_rows,
    parse_date,
    read_table,
)
from dossiers import policy
from dossiers.models import AggregateRow, ProcedureField
from organizations.models import OrgUnit
from organizations.selectors import unit_existed_during, unit_not_existing_message

AGGREGATE_COUNT_FIELDS = (
    "received_online",
    "received_offline",
    "carried_over",
    "received_total",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "finished_total",
    "pending_within",
    "pending_overdue",
    "pending_total",
    "fee_required",
    "paid_online",
)


def aggregate_row_imbalance(row: AggregateRow) -> list[dict[str, Any]]:
    """Every sum of the report layout that does not match, with reported, sum and difference."""
    problems = []
    received_sum = row.received_online + row.received_offline + row.carried_over
    finished_sum = row.finished_early + row.finished_on_time + row.finished_late
    pending_sum = row.pending_within + row.pending_overdue
    for check, reported, total in (
        ("received", row.received_total, received_sum),
        ("finished", row.finished_total, finished_sum),
        ("pending", row.pending_total, pending_sum),
    ):
        if reported is not None and reported != total:
            problems.append(
                {"check": check, "reported": reported, "sum": total, "difference": reported - total}
            )
    received = row.received_total if row.received_total is not None else received_sum
    finished = row.finished_total if row.finished_total is not None else finished_sum
    pending = row.pending_total if row.pending_total is not None else pending_sum
    if received != finished + pending:
        problems.append(
            {
                "check": "received = finished + pending",
                "reported": received,
                "sum": finished + pending,
                "difference": received - (finished + pending),
            }
        )
    if row.paid_online > row.fee_required:
        problems.append(
            {
                "check": "paid online <= with a fee",
                "reported": row.paid_online,
                "sum": row.fee_required,
                "difference": row.paid_online - row.fee_required,
            }
        )
    return problems


def aggregate_unit_error(
    unit: OrgUnit, period_start: datetime.date, period_end: datetime.date
) -> str | None:
    """The refusal for a unit that did not exist on any day of the period, else None."""
    if unit_existed_during(unit, period_start, period_end):
        return None
    return unit_not_existing_message(
        unit,
        _("it cannot report for the period %(start)s – %(end)s")
        % {"start": f"{period_start:%d/%m/%Y}", "end": f"{period_end:%d/%m/%Y}"},
    )


@transaction.atomic
def aggregate_row_save(
    *,
    unit: OrgUnit,
    period_start: datetime.date,
    period_end: datetime.date,
    field: ProcedureField | None = None,
    actor=None,
    **counts: int | None,
) -> AggregateRow:
    """Create or replace the row of (unit, period, field). An unbalanced row is kept and
    flagged with its differences, never corrected silently. `actor`: the person entering it
    (None: the system, a file import already checked, demo data)."""
    if actor is not None:
        policy.require(actor, policy.AGGREGATE_ENTER)
    unknown = set(counts) - set(AGGREGATE_COUNT_FIELDS)
    if unknown:
        raise TypeError(f"unknown count fields: {sorted(unknown)}")
    if message := aggregate_unit_error(unit, period_start, period_end):
        raise ValidationError({"unit": message})
    row = AggregateRow.objects.filter(
        unit=unit, period_start=period_start, period_end=period_end, field=field
    ).first() or AggregateRow(
        unit=unit, period_start=period_start, period_end=period_end, field=field
    )
    row.level = unit.level
    for name in AGGREGATE_COUNT_FIELDS:
        if name in counts:
            value = counts[name]
            setattr(row, name, value if value is not None or name.endswith("_total") else 0)
    row.imbalance = aggregate_row_imbalance(row)
    row.full_clean(validate_constraints=False)
    row.save()
    return row


MAX_AGGREGATE_ROWS = 10_000
AGGREGATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "unit": ("Mã đơn vị", "unit"),
    "period_start": ("Từ ngày", "period_start"),
    "period_end": ("Đến ngày", "period_end"),
    "field": ("Mã lĩnh vực", "field"),
    "received_online": ("Tiếp nhận trực tuyến", "received_online"),
    "received_offline": ("Tiếp nhận trực tiếp, bưu chính", "received_offline"),
    "carried_over": ("Kỳ trước chuyển sang", "carried_over"),
    "received_total": ("Tổng tiếp nhận", "received_total"),
    "finished_early": ("Giải quyết trước hạn", "finished_early"),
    "finished_on_time": ("Giải quyết đúng hạn", "finished_on_time"),
    "finished_late": ("Giải quyết quá hạn", "finished_late"),
    "finished_total": ("Tổng đã giải quyết", "finished_total"),
    "pending_within": ("Đang giải quyết trong hạn", "pending_within"),
    "pending_overdue": ("Đang giải quyết quá hạn", "pending_overdue"),
    "pending_total": ("Tổng đang giải quyết", "pending_total"),
    "fee_required": ("Hồ sơ có phí", "fee_required"),
    "paid_online": ("Thanh toán trực tuyến", "paid_online"),
}


def _count(value: Any, *, optional: bool) -> int | None:
    text = cell_text(value).replace(".", "").replace(",", "")
    if text == "":
        if optional:
            return None
        return 0
    if not text.isdigit():
        raise ValueError(_("'%(value)s' is not a whole number.") % {"value": cell_text(value)})
    return int(text)


@transaction.atomic
def aggregate_rows_import(
    *, fileobj: IO[bytes], actor=None
) -> tuple[list[AggregateRow], list[RowError]]:
    """Save every line, or none when any line has an error (then the errors are returned)."""
    if actor is not None:
        policy.require(actor, policy.AGGREGATE_ENTER)
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    fields = {field.code: field for field in ProcedureField.objects.all()}
    try:
        rows = read_table(fileobj, AGGREGATE_COLUMNS, max_rows=MAX_AGGREGATE_ROWS)
    except ImportFailed as exc:
        return [], exc.errors

    def check(row: RowCheck) -> dict[str, Any]:
        values: dict[str, Any] = {}
        unit = units.get(row.text("unit"))
        if unit is None:
            row.error("unit", _("Unknown unit code '%(code)s'.") % {"code": row.raw["unit"]})
        values["unit"] = unit
        field_code = row.text("field")
        values["field"] = fields.get(field_code) if field_code else None
        if field_code and values["field"] is None:
            row.error("field", _("Unknown field code '%(code)s'.") % {"code": field_code})
        for name in ("period_start", "period_end"):
            try:
                values[name] = parse_date(row.raw[name])
            except ValueError as exc:
                row.error(name, str(exc))
                continue
            if values[name] is None:
                row.error(name, _("This cell is required."))
        start, end = values.get("period_start"), values.get("period_end")
        if start and end and end < start:
            row.error("period_end", _("The period ends before it starts."))
        elif unit and start and end and (message := aggregate_unit_error(unit, start, end)):
            row.error("unit", message)
        for name in AGGREGATE_COUNT_FIELDS:
            try:
                values[name] = _count(row.raw[name], optional=name.endswith("_total"))
            except ValueError as exc:
                row.error(name, str(exc))
        return values

    parsed, errors = check_rows(rows, AGGREGATE_COLUMNS, check, by_field=True)
    if errors:
        return [], errors
    saved = [aggregate_row_save(**values) for values in parsed]
    return saved, []
