"""Importing aggregate report lines (one row per unit, period and field) from CSV or XLSX.

The files are small (a few hundred lines a period), so they are read at once, checked whole,
and written all-or-nothing in the request. An unbalanced line is not an error: it is saved and
flagged by aggregate_row_save.
"""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.tabular import RowError, TableError, cell_text, parse_date, read_rows
from dossiers.models import AggregateRow, ProcedureField
from dossiers.services.dossiers import AGGREGATE_COUNT_FIELDS, aggregate_row_save
from organizations.models import OrgUnit

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
def aggregate_rows_import(*, fileobj: IO[bytes]) -> tuple[list[AggregateRow], list[RowError]]:
    """Save every line, or none when any line has an error (then the errors are returned)."""
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    fields = {field.code: field for field in ProcedureField.objects.all()}
    parsed: list[dict[str, Any]] = []
    errors: list[RowError] = []
    try:
        rows = list(read_rows(fileobj, AGGREGATE_COLUMNS, max_rows=MAX_AGGREGATE_ROWS))
    except TableError as exc:
        return [], [RowError(0, "", str(exc))]
    for number, raw in rows:
        values: dict[str, Any] = {}
        unit = units.get(cell_text(raw["unit"]))
        if unit is None:
            errors.append(
                RowError(number, "unit", _("Unknown unit code '%(code)s'.") % {"code": raw["unit"]})
            )
        values["unit"] = unit
        field_code = cell_text(raw["field"])
        values["field"] = fields.get(field_code) if field_code else None
        if field_code and values["field"] is None:
            errors.append(
                RowError(
                    number, "field", _("Unknown field code '%(code)s'.") % {"code": field_code}
                )
            )
        for name in ("period_start", "period_end"):
            try:
                values[name] = parse_date(raw[name])
            except ValueError as exc:
                errors.append(RowError(number, name, str(exc)))
                continue
            if values[name] is None:
                errors.append(RowError(number, name, _("This cell is required.")))
        start, end = values.get("period_start"), values.get("period_end")
        if start and end and end < start:
            errors.append(RowError(number, "period_end", _("The period ends before it starts.")))
        for name in AGGREGATE_COUNT_FIELDS:
            try:
                values[name] = _count(raw[name], optional=name.endswith("_total"))
            except ValueError as exc:
                errors.append(RowError(number, name, str(exc)))
        parsed.append(values)
    if errors:
        return [], errors
    saved = [aggregate_row_save(**values) for values in parsed]
    return saved, []
