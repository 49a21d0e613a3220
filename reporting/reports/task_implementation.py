"""Báo cáo kết quả thực hiện nhiệm vụ CCHC: the tasks of a directive, a plan or a period,
grouped by CCHC area, with each lead assignment's status as of the report date, subtotals per
area and the summary rows (the same counts as tasks.selectors.completion_summary)."""

from __future__ import annotations

from itertools import groupby

from django import forms
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.excel import BOLD, BOX, CENTER, FONT, WRAP, set_cell, write_official_header
from core.forms import BootstrapFormMixin
from directives.models import Directive
from reporting import policy
from reporting.reports import Report
from reporting.reports.common import (
    DATE_WIDGET,
    issuer_lines,
    new_sheet,
    place_date,
    rate_fraction,
    vn_date,
    workbook_bytes,
    write_header_rows,
)
from tasks.models import AssignmentRole, ProgressReport, ReportState
from tasks.selectors import CompletionSummary, assignments_visible_to, completion_summary
from tasks.status import Status

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
WIDTHS = [6, 50, 16, 24, 28, 12, 24, 13, 40]
WIDTH = len(WIDTHS)


class TaskReportForm(BootstrapFormMixin, forms.Form):
    directive = forms.ModelChoiceField(
        label=_("Directive or plan"),
        queryset=Directive.objects.order_by("-issue_date", "-serial"),
        required=False,
        help_text=_("Leave empty to report on every task of the period."),
    )
    period_from = forms.DateField(widget=DATE_WIDGET, label=_("Deadline from"), required=False)
    period_to = forms.DateField(widget=DATE_WIDGET, label=_("Deadline until"), required=False)
    as_of = forms.DateField(
        widget=DATE_WIDGET,
        label=_("Status as of"),
        required=False,
        help_text=_("Today when left empty."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The period must start before it ends."))
        return data


def report_assignments(user, data: dict) -> QuerySet:
    """The lead assignments the report covers, scoped like the pages (a unit: its own)."""
    rows = assignments_visible_to(user).filter(role=AssignmentRole.LEAD)
    if data.get("directive"):
        rows = rows.filter(task__directive=data["directive"])
    start, end = data.get("period_from"), data.get("period_to")
    # The effective deadline: the approved extension when there is one, else the deadline.
    if start:
        rows = rows.filter(
            Q(extended_deadline__gte=start) | Q(extended_deadline__isnull=True, deadline__gte=start)
        )
    if end:
        rows = rows.filter(
            Q(extended_deadline__lte=end) | Q(extended_deadline__isnull=True, deadline__lte=end)
        )
    return rows


def _result(assignment) -> str:
    reports = list(assignment.submitted_reports)
    if not reports:
        return ""
    latest = reports[0]
    files = [evidence.original_name for evidence in latest.evidence.all()]
    text = latest.text
    if files:
        text = f"{text} (Minh chứng: {', '.join(files)})"
    return text


def _status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return ""


def _summary_values(summary: CompletionSummary) -> list:
    return [
        summary.total,
        summary.done,
        summary.done_on_time,
        summary.done_late,
        summary.in_progress,
        summary.overdue,
        rate_fraction(summary.completion_rate),
    ]


SUMMARY_HEADERS = [
    "Tổng số nhiệm vụ",
    "Đã hoàn thành",
    "Đã hoàn thành đúng hạn",
    "Đã hoàn thành quá hạn",
    "Đang thực hiện",
    "Quá hạn",
    "Tỷ lệ hoàn thành",
]


def build(user, data: dict) -> tuple[bytes, str]:
    as_of = data.get("as_of") or timezone.localdate()
    base = report_assignments(user, data)
    rows = list(
        base.with_status(as_of)
        .select_related("task__directive", "task__area", "unit")
        .prefetch_related(
            "task__cooperating_units",
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.filter(state=ReportState.SUBMITTED)
                .order_by("-submitted_at", "-pk")
                .prefetch_related("evidence"),
                to_attr="submitted_reports",
            ),
        )
        .order_by("task__area__code", "task__directive__issue_date", "task__item_order", "pk")
    )
    workbook, sheet = new_sheet("Bao cao")
    parent, issuer = issuer_lines(user)
    directive = data.get("directive")
    subtitle = (
        [f"(Kèm theo {directive.get_doc_type_display()} số {directive.number})"]
        if directive
        else []
    )
    start, end = data.get("period_from"), data.get("period_to")
    if start or end:
        subtitle.append(f"Kỳ báo cáo: từ {vn_date(start) or '...'} đến {vn_date(end) or '...'}")
    subtitle.append(f"Tình trạng tính đến ngày {vn_date(as_of)}")
    row = write_official_header(
        sheet,
        issuer_parent=parent,
        issuer=issuer,
        title="BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
        subtitle="; ".join(subtitle),
        place_date=place_date(timezone.localdate()),
        width=WIDTH,
    )
    row = write_header_rows(
        sheet,
        row,
        [
            ("STT", None),
            ("Nhiệm vụ", None),
            ("Văn bản", None),
            ("Đơn vị chủ trì", None),
            ("Đơn vị phối hợp", None),
            ("Thời hạn", None),
            ("Kết quả thực hiện", ["Tình trạng", "Ngày hoàn thành", "Kết quả, minh chứng"]),
        ],
        WIDTHS,
    )
    area_summaries = []
    for index, (area, items) in enumerate(groupby(rows, key=lambda a: a.task.area)):
        items = list(items)
        label = f"{ROMAN[index] if index < len(ROMAN) else index + 1}. "
        label += area.name if area else "Nhiệm vụ chưa xếp lĩnh vực"
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=WIDTH)
        set_cell(sheet, row, 1, label, font=BOLD, border=BOX)
        row += 1
        for number, assignment in enumerate(items, start=1):
            task = assignment.task
            values = [
                (number, "int"),
                (f"{task.item_number}. {task.title}", "text"),
                (task.directive.number, "text"),
                (assignment.unit.name, "text"),
                (", ".join(unit.name for unit in task.cooperating_units.all()), "text"),
                (assignment.eff_deadline, "date"),
                (_status_label(assignment.status), "text"),
                (assignment.completed_on, "date"),
                (_result(assignment), "text"),
            ]
            for column, (value, kind) in enumerate(values, start=1):
                set_cell(sheet, row, column, value, kind=kind, border=BOX, alignment=WRAP)
            row += 1
        area_filter = Q(task__area=area) if area else Q(task__area__isnull=True)
        summary = completion_summary(base.filter(area_filter), as_of)
        area_summaries.append((label, summary))
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=WIDTH)
        set_cell(
            sheet,
            row,
            1,
            f"Cộng: {summary.total} nhiệm vụ; đã hoàn thành {summary.done} "
            f"(đúng hạn {summary.done_on_time}, quá hạn {summary.done_late}); "
            f"quá hạn {summary.overdue}",
            font=BOLD,
            border=BOX,
        )
        row += 1
    if not rows:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=WIDTH)
        set_cell(sheet, row, 1, "Không có nhiệm vụ trong phạm vi báo cáo.", border=BOX)
        row += 1
    row = _write_summary(sheet, row + 1, area_summaries, completion_summary(base, as_of))
    stem = directive.number.replace("/", "-") if directive else f"{as_of:%Y%m%d}"
    return workbook_bytes(workbook), f"bao-cao-nhiem-vu-{stem}.xlsx"


def _write_summary(sheet, row: int, area_summaries, total: CompletionSummary) -> int:
    """The summary table: one subtotal row per area, then the total (same as the dashboard)."""
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=WIDTH)
    set_cell(sheet, row, 1, "TỔNG HỢP KẾT QUẢ", font=BOLD, alignment=CENTER)
    row += 1
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    set_cell(sheet, row, 1, "Lĩnh vực", font=BOLD, alignment=CENTER, border=BOX)
    for column, header in enumerate(SUMMARY_HEADERS, start=3):
        set_cell(sheet, row, column, header, font=BOLD, alignment=CENTER, border=BOX)
    row += 1
    for label, summary, font in [
        *((name, figures, FONT) for name, figures in area_summaries),
        ("Tổng cộng", total, BOLD),
    ]:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        set_cell(sheet, row, 1, label, font=font, border=BOX, alignment=WRAP)
        values = _summary_values(summary)
        for column, value in enumerate(values, start=3):
            kind = "percent" if column == WIDTH else "int"
            set_cell(sheet, row, column, value, kind=kind, font=font, border=BOX)
        row += 1
    return row


REPORT = Report(
    key="nhiem-vu",
    title=_("Task implementation report"),
    description=_(
        "Tasks of a directive, a plan or a period by CCHC area, with lead and cooperating units, "
        "deadline, status, completion date and result; subtotals and summary. A unit gets its "
        "own tasks."
    ),
    form=TaskReportForm,
    build=build,
    allowed=policy.report_allowed(policy.REPORT_TASKS),
)
