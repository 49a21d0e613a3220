"""Excel files of the indicators app: a unit's scoring sheet (and its self-score import back)
and the ranking of all units. Columns are defined once here and drive the HTML tables too."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from core.excel import keep_text, set_cell
from core.tabular import ImportFailed, RowCheck, check_rows, read_table
from indicators import policy
from indicators.bands import band_tone_of
from indicators.models import Assessment
from indicators.selectors import criteria_with_totals, score_lines
from indicators.services.assessments import SELF_SCORED, scoreline_self_score
from indicators.services.frameworks import parse_points

FONT = "Times New Roman"
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
AREA_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 14
    numeric: bool = False


# The scoring sheet: one row per node of the tree; the import reads "Mã" and "Tự chấm" back.
SHEET_COLUMNS = (
    Column("code", "Mã", 8),
    Column("name", "Nội dung", 60),
    Column("max_points", "Điểm tối đa", 11, True),
    Column("self", "Tự chấm", 11, True),
    Column("appraisal_1", "Thẩm định lần 1", 13, True),
    Column("explanation", "Giải trình", 30),
    Column("appraisal_2", "Thẩm định lần 2", 13, True),
    Column("total", "Điểm hiện tại", 12, True),
    Column("unit_note", "Ghi chú của đơn vị", 30),
    Column("appraiser_note", "Ý kiến thẩm định", 30),
)
SELF_IMPORT_COLUMNS = {"code": ("Mã", "code"), "self": ("Tự chấm", "self_score")}

# The ranking: the page and the Excel file show these columns.
RANKING_COLUMNS = (
    Column("rank", "Xếp hạng", 9, True),
    Column("unit", "Đơn vị", 45),
    Column("stage", "Giai đoạn", 24),
    Column("self_total", "Điểm tự chấm", 13, True),
    Column("total", "Điểm", 10, True),
    Column("percent", "Tỷ lệ (%)", 10, True),
    Column("band", "Xếp loại", 12),
)


def ranking_rows(assessments: Iterable[Assessment]) -> list[dict[str, Any]]:
    return [
        {
            "pk": a.pk,
            "unit_id": a.unit_id,
            "rank": getattr(a, "rank", None),  # unranked: drafts, sheets not yet appraised
            "unit": a.unit.name,
            "stage": str(a.get_stage_display()),
            "self_total": a.self_total,
            "total": a.total,
            "percent": Decimal(str(a.percent)) if a.percent is not None else None,
            "band": a.band or "",
            "band_tone": band_tone_of(a),
        }
        for a in assessments
    ]


def sheet_rows(assessment: Assessment) -> list[dict[str, Any]]:
    """Every node of the tree with its line (for leaves) and its rolled-up totals."""
    lines = {line.criterion_id: line for line in score_lines(assessment)}
    rows = []
    for node in criteria_with_totals(assessment):
        line = lines.get(node.pk)
        rows.append(
            {
                "node": node,
                "line": line,
                "code": node.code,
                "name": node.name,
                "depth": node.depth,
                "max_points": node.max_points,
                "self": node.self_total,
                "appraisal_1": line.appraisal_1 if line else None,
                "explanation": line.explanation if line else "",
                "appraisal_2": line.appraisal_2 if line else None,
                "total": node.total,
                "unit_note": line.unit_note if line else "",
                "appraiser_note": line.appraiser_note if line else "",
            }
        )
    return rows


def _write_table(sheet, columns, rows, *, area_of=None) -> None:
    """Header and rows through core.excel.set_cell (typed cells, text kept as text), with the
    sheet's own look: grey borders, area rows filled, points as 0.00."""
    header_font = Font(name=FONT, bold=True)
    header_alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for index, column in enumerate(columns, start=1):
        set_cell(
            sheet, 1, index, column.header, font=header_font, alignment=header_alignment,
            border=BORDER,
        )  # fmt: skip
    for number, row in enumerate(rows, start=2):
        is_area = bool(area_of and area_of(row))
        for index, column in enumerate(columns, start=1):
            value = row.get(column.key)
            if column.numeric and value is not None and value != "":
                value = Decimal(value)
            style = {"font": Font(name=FONT, bold=is_area), "border": BORDER}
            if not column.numeric:
                style["alignment"] = Alignment(wrap_text=True, vertical="top")
            cell = set_cell(sheet, number, index, value if value != "" else "", **style)
            if column.numeric:
                cell.number_format = "0.00"
            if is_area:
                cell.fill = AREA_FILL
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = column.width
    sheet.freeze_panes = "C2"


def assessment_sheet_xlsx(assessment: Assessment) -> bytes:
    """The unit's full scoring sheet: the tree, area rows merged across code and name."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bang diem"
    rows = sheet_rows(assessment)
    _write_table(sheet, SHEET_COLUMNS, rows, area_of=lambda row: row["depth"] == 1)
    for offset, row in enumerate(rows, start=2):
        if row["depth"] == 1:
            # Area rows read as a heading, "1. Công tác chỉ đạo", across the code and name
            # cells; the import reads the code back from the start of the text.
            sheet.merge_cells(start_row=offset, start_column=1, end_row=offset, end_column=2)
            sheet.cell(offset, 1).value = f"{row['code']}. {row['name']}"
            sheet.cell(offset, 1).data_type = "s"
    info = workbook.create_sheet("Thong tin")
    for label, value in (
        ("Đơn vị", assessment.unit.name),
        ("Bộ chỉ số", assessment.framework.name),
        ("Năm", assessment.framework.year),
        ("Giai đoạn", str(assessment.get_stage_display())),
        ("Hướng dẫn", "Điền cột 'Tự chấm' rồi nhập lại tệp trên trang chấm điểm."),
    ):
        info.append([label, value])
    for row in info.iter_rows():
        for cell in row:
            cell.font = Font(name=FONT)
    buffer = BytesIO()
    keep_text(workbook)
    workbook.save(buffer)
    return buffer.getvalue()


def ranking_xlsx(rows: list[dict[str, Any]], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Xep hang"
    _write_table(sheet, RANKING_COLUMNS, rows)
    info = workbook.create_sheet("Thong tin")
    info.append(["Bộ chỉ số", title])
    buffer = BytesIO()
    keep_text(workbook)
    workbook.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def self_scores_import(*, actor, assessment: Assessment, fileobj: IO[bytes]) -> int:
    """Read the 'Tự chấm' column of an exported sheet back into a draft, all or nothing.

    Area rows (merged "1. Name" cells) and inner nodes are skipped; a blank cell leaves the
    line as it is. Each score goes through scoreline_self_score, so the actor, stage and range
    checks are the same as on the page.
    """
    policy.require(actor, policy.SELF_SCORE, assessment=assessment)  # before the file is read
    rows = read_table(fileobj, SELF_IMPORT_COLUMNS, max_rows=2_000)
    lines = {line.criterion.code: line for line in score_lines(assessment)}

    def check(row: RowCheck) -> tuple[Any, Decimal] | None:
        line = lines.get(row.text("code").split(" ")[0].rstrip("."))
        if line is None or not row.text("self"):
            return None  # an inner node, an area heading or a blank cell
        score = row.parsed("self", parse_points)
        if score is None:
            return None
        if line.criterion.method not in SELF_SCORED:
            # The export shows survey and computed results in this column; only a change is
            # an error.
            shown = line.computed_score or line.survey_score or Decimal(0)
            if score != shown:
                row.error("self", _("This line is not scored by the unit."))
            return None
        if not Decimal(0) <= score <= line.max_points:
            row.error(
                "self", _("The score must be between 0 and %(max)s.") % {"max": line.max_points}
            )
        return line, score

    updates, errors = check_rows(rows, SELF_IMPORT_COLUMNS, check)
    if errors:
        raise ImportFailed(errors)
    for line, score in updates:
        scoreline_self_score(actor=actor, line=line, score=score)
    return len(updates)
