"""Excel import of a plan's tasks: template, row checks, preview, all-or-nothing creation.

The upload is kept under MEDIA_ROOT/imports/tasks/<directive>/<user>/<token> between the preview
and the confirmation; confirming reads it again and re-checks every row, so what is created is
exactly what was checked, in one transaction.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.worksheet.datavalidation import DataValidation

from core.excel import date_columns, import_template_sheet, workbook_bytes
from core.tabular import ImportFailed, RowCheck, check_rows, parse_date, read_table
from core.text import fold, fold_join, natural_key
from core.uploads import check_table
from directives.models import CchcArea, Directive
from notifications.events import emit_many
from organizations.models import OrgUnit, User
from tasks.models import (
    Assignment,
    AssignmentPeriod,
    AssignmentRole,
    OutputKind,
    Task,
    TaskRecurrence,
)
from tasks.services.plans import _not_on_plan_date, _task_periods
from tasks.services.status_hook import status_changed

# Field -> header spellings (the first is the template's).
TASK_COLUMNS: dict[str, tuple[str, ...]] = {
    "item_number": ("STT", "Số thứ tự", "item_number"),
    "title": ("Tên nhiệm vụ", "Nhiệm vụ", "title"),
    "content": ("Nội dung", "content"),
    "lead_unit": ("Đơn vị chủ trì", "lead_unit"),
    "cooperating_units": ("Đơn vị phối hợp", "cooperating_units"),
    "deadline": ("Thời hạn", "deadline"),
    "recurrence": ("Định kỳ", "recurrence"),
    "output_kind": ("Loại sản phẩm", "output_kind"),
    "expected_output": ("Sản phẩm", "expected_output"),
    "area": ("Lĩnh vực CCHC", "area"),
    "is_key": ("Trọng tâm", "is_key"),
}
HEADERS = {name: spellings[0] for name, spellings in TASK_COLUMNS.items()}
MAX_ROWS = 20_000
PREVIEW_ROWS = 200
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
_YES = {"x", "co", "yes", "1", "true"}


@dataclass
class TaskRow:
    row: int
    item_number: str
    title: str
    content: str
    lead_unit: OrgUnit | None
    cooperating_units: list[OrgUnit]
    deadline: datetime.date | None
    recurrence: str
    output_kind: str
    expected_output: str
    area: CchcArea | None
    is_key: bool


# The TaskRow attributes that are Task fields of the same name.
TASK_FIELDS = (
    "item_number",
    "title",
    "content",
    "lead_unit",
    "deadline",
    "recurrence",
    "output_kind",
    "expected_output",
    "area",
    "is_key",
)


@dataclass
class ImportPreview:
    token: str
    rows: list[TaskRow] = field(default_factory=list)
    count: int = 0


def _choice(raw: str, choices) -> str | None:
    folded = fold(raw)
    for value, label in choices.choices:
        if folded in (fold(value), fold(str(label))):
            return value
    return None


@dataclass
class _Known:
    """What every row of one file is checked against, loaded once."""

    directive: Directive
    units: dict[str, OrgUnit]
    areas: dict[str, CchcArea]
    existing: set[str]
    seen: dict[str, int] = field(default_factory=dict)


def _check_task_row(row: RowCheck, known: _Known) -> TaskRow:
    directive, units = known.directive, known.units
    values: dict[str, Any] = {name: row.text(name) for name in TASK_COLUMNS}
    item = values["item_number"]
    if not item:
        row.error("item_number", _("This cell is required."))
    elif item in known.seen:
        row.error(
            "item_number",
            _("Number %(number)s already appears on row %(row)s.")
            % {"number": item, "row": known.seen[item]},
        )
    elif item in known.existing:
        row.error("item_number", _("The directive already has a task numbered %(number)s.")
            % {"number": item})  # fmt: skip
    else:
        known.seen[item] = row.number
    if not values["title"]:
        row.error("title", _("The task has no content."))
    lead = None
    if values["lead_unit"]:
        lead = units.get(values["lead_unit"].upper())
        if lead is None:
            row.error("lead_unit", _("Unknown unit code %(code)s.") % {"code": values["lead_unit"]})
        elif message := _not_on_plan_date(lead, directive):
            row.error("lead_unit", message)
    cooperating = []
    for code in re.split(r"[,;\s]+", values["cooperating_units"]):
        if not code:
            continue
        unit = units.get(code.upper())
        if unit is None:
            row.error("cooperating_units", _("Unknown unit code %(code)s.") % {"code": code})
        elif message := _not_on_plan_date(unit, directive):
            row.error("cooperating_units", message)
        elif unit != lead and unit not in cooperating:
            cooperating.append(unit)
    try:
        deadline = parse_date(row.raw.get("deadline"))
    except ValueError:
        deadline = None
        row.error(
            "deadline",
            _("“%(value)s” is not a real date (dd/mm/yyyy).") % {"value": values["deadline"]},
        )
    recurrence = ""
    if values["recurrence"]:
        recurrence = _choice(values["recurrence"], TaskRecurrence)
        if recurrence is None:
            row.error("recurrence", _("Unknown recurrence “%(value)s”.")
                % {"value": values["recurrence"]})  # fmt: skip
            recurrence = ""
    if recurrence and deadline:
        row.error("deadline", _("A recurring task has a deadline per period, not one date."))
    output_kind = OutputKind.REPORT
    if values["output_kind"]:
        output_kind = _choice(values["output_kind"], OutputKind)
        if output_kind is None:
            row.error("output_kind", _("Unknown kind of output “%(value)s”.")
                % {"value": values["output_kind"]})  # fmt: skip
    area = None
    if values["area"]:
        area = known.areas.get(values["area"].split(".")[0].strip())
        if area is None:
            row.error("area", _("The CCHC area is a number from 1 to 8."))
    return TaskRow(
        row=row.number,
        item_number=item[:20],
        title=values["title"][:300],
        content=values["content"],
        lead_unit=lead,
        cooperating_units=cooperating,
        deadline=deadline,
        recurrence=recurrence,
        output_kind=output_kind,
        expected_output=values["expected_output"][:300],
        area=area,
        is_key=fold(values["is_key"]) in _YES,
    )


def _check_rows(directive: Directive, fileobj) -> list[TaskRow]:
    known = _Known(
        directive=directive,
        units={unit.code.upper(): unit for unit in OrgUnit.objects.all()},
        areas={str(area.code): area for area in CchcArea.objects.all()},
        existing=set(directive.tasks.values_list("item_number", flat=True)),
    )
    rows = read_table(fileobj, TASK_COLUMNS, max_rows=MAX_ROWS)
    clean, errors = check_rows(rows, TASK_COLUMNS, lambda row: _check_task_row(row, known))
    if errors:
        raise ImportFailed(errors)
    if not clean:
        raise ImportFailed(_("The file has no task rows."))
    return clean


def _path(directive: Directive, actor: User, token: str) -> str:
    return f"imports/tasks/{directive.pk}/{actor.pk}/{token}"


def task_import_preview(*, directive: Directive, upload, actor: User) -> ImportPreview:
    """Check every row; keep the file for the confirmation when all are good."""
    try:
        check_table(upload)  # size cap, XLSX or UTF-8 CSV by content, zip bomb
    except ValidationError as exc:
        raise ImportFailed(exc.messages[0]) from exc
    rows = _check_rows(directive, upload)
    token = uuid.uuid4().hex
    upload.seek(0)
    default_storage.save(_path(directive, actor, token), upload)
    return ImportPreview(token=token, rows=rows[:PREVIEW_ROWS], count=len(rows))


@transaction.atomic
def task_import_confirm(*, directive: Directive, token: str, actor: User) -> int:
    """Create every task of the checked file, or none."""
    if not _TOKEN_RE.match(token or ""):
        raise ImportFailed(_("The import has expired; upload the file again."))
    path = _path(directive, actor, token)
    if not default_storage.exists(path):
        raise ImportFailed(_("The import has expired; upload the file again."))
    with default_storage.open(path, "rb") as handle:
        rows = _check_rows(directive, BytesIO(handle.read()))
    created = _bulk_create(directive, rows, actor=actor)
    transaction.on_commit(lambda: default_storage.delete(path))
    return created


def _bulk_create(directive: Directive, rows: list[TaskRow], actor: User | None = None) -> int:
    """Rows were validated by _check_rows; thousands of tasks go in a few bulk inserts."""
    tasks = Task.objects.bulk_create(
        Task(
            directive=directive,
            **{name: getattr(row, name) for name in TASK_FIELDS},
            search_text=fold_join(row.item_number, row.title, row.content, row.expected_output),
            item_order=natural_key(row.item_number),
        )
        for row in rows
    )
    # SQLite >= 3.35 and PostgreSQL return the new ids from bulk_create.
    through = Task.cooperating_units.through
    through.objects.bulk_create(
        through(task_id=task.pk, orgunit_id=unit.pk)
        for task, row in zip(tasks, rows, strict=True)
        for unit in row.cooperating_units
    )
    assignments = []
    for task, row in zip(tasks, rows, strict=True):
        if row.lead_unit:
            assignments.append(
                Assignment(
                    task=task, unit=row.lead_unit, role=AssignmentRole.LEAD, deadline=task.deadline
                )
            )
        assignments.extend(
            Assignment(
                task=task, unit=unit, role=AssignmentRole.COOPERATING, deadline=task.deadline
            )
            for unit in row.cooperating_units
        )
    Assignment.objects.bulk_create(assignments, batch_size=1000)
    recurring = [a for a in assignments if a.task.recurrence]
    if recurring:
        AssignmentPeriod.objects.bulk_create(
            (
                AssignmentPeriod(
                    assignment=assignment,
                    period_start=start,
                    period_end=end,
                    deadline=end + datetime.timedelta(days=assignment.task.period_offset_days),
                )
                for assignment in recurring
                for start, end in _task_periods(assignment.task)
            ),
            batch_size=1000,
        )
    if actor is not None:
        # Each unit given a task hears of it (one notification per person and assignment).
        emit_many(
            "assignment.assigned",
            actor=actor,
            items=[(assignment, "created") for assignment in assignments],
        )
    status_changed(assignment.pk for assignment in assignments)
    return len(tasks)


def template_workbook() -> bytes:
    """The .xlsx to fill in: headers, a sheet of unit codes and names, drop-down lists."""
    workbook, sheet = import_template_sheet("Nhiem vu", TASK_COLUMNS)
    units = workbook.create_sheet("Don vi")
    units.append(["Mã đơn vị", "Tên đơn vị"])
    unit_rows = list(OrgUnit.objects.order_by("code").values_list("code", "name"))
    for code, name in unit_rows:
        units.append([code, name])
    lists = workbook.create_sheet("Gia tri")
    lists.append(["Định kỳ", "Loại sản phẩm", "Lĩnh vực CCHC"])
    recurrences = [str(label) for value, label in TaskRecurrence.choices if value]
    outputs = [str(label) for _value, label in OutputKind.choices]
    areas = [f"{a.code}. {a.name}" for a in CchcArea.objects.all()]
    for index in range(max(len(recurrences), len(outputs), len(areas))):
        lists.append(
            [
                recurrences[index] if index < len(recurrences) else None,
                outputs[index] if index < len(outputs) else None,
                areas[index] if index < len(areas) else None,
            ]
        )
    columns = list(HEADERS)
    letter = {name: chr(ord("A") + index) for index, name in enumerate(columns)}
    validations = [
        ("lead_unit", f"='Don vi'!$A$2:$A${max(len(unit_rows), 1) + 1}"),
        ("recurrence", f"='Gia tri'!$A$2:$A${len(recurrences) + 1}"),
        ("output_kind", f"='Gia tri'!$B$2:$B${len(outputs) + 1}"),
        ("area", f"='Gia tri'!$C$2:$C${len(areas) + 1}"),
    ]
    for name, formula in validations:
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.add(f"{letter[name]}2:{letter[name]}2000")
        sheet.add_data_validation(validation)
    date_columns(sheet, (letter["deadline"],))
    return workbook_bytes(workbook)
