"""Xếp hạng đơn vị: each unit's task completion rate as of a day next to its PAR score, percent,
band and rank in a locked framework (the same figures as the indicators ranking page)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.excel import BOLD, BOX, WRAP, set_cell, write_official_header
from core.forms import BootstrapFormMixin
from indicators.models import Framework
from indicators.selectors import assessment_ranking
from organizations.models import OrgUnit
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
from tasks.models import AssignmentRole
from tasks.selectors import assignments_visible_to, completion_summary

WIDTHS = [6, 45, 12, 12, 12, 12, 12, 12, 14, 10]
WIDTH = len(WIDTHS)


class RankingReportForm(BootstrapFormMixin, forms.Form):
    framework = forms.ModelChoiceField(
        label=_("Indicator framework"),
        queryset=Framework.objects.filter(locked=True).order_by("-year", "pk"),
        required=False,
        help_text=_("The latest locked framework when left empty."),
    )
    as_of = forms.DateField(
        widget=DATE_WIDGET,
        label=_("Task status as of"),
        required=False,
        help_text=_("Today when left empty."),
    )


def ranking_lines(user, data: dict) -> tuple[Framework | None, list[dict]]:
    """One line per unit: ranked units first (by the framework's rank), then units that only
    have tasks, by code."""
    as_of = data.get("as_of") or timezone.localdate()
    framework = data.get("framework") or (
        Framework.objects.filter(locked=True).order_by("-year", "population", "pk").first()
    )
    ranked = list(assessment_ranking(user=user, framework=framework)) if framework else []
    lead = assignments_visible_to(user).filter(role=AssignmentRole.LEAD)
    unit_ids = [assessment.unit_id for assessment in ranked]
    others = (
        OrgUnit.objects.filter(pk__in=lead.values("unit_id"))
        .exclude(pk__in=unit_ids)
        .order_by("code")
    )
    lines = []
    for assessment in ranked:
        lines.append(
            {
                "unit": assessment.unit,
                "total": assessment.total,
                "percent": assessment.percent,
                "band": assessment.band or "",
                "rank": assessment.rank,
            }
        )
    lines.extend(
        {"unit": unit, "total": None, "percent": None, "band": "", "rank": None} for unit in others
    )
    for line in lines:
        line["tasks"] = completion_summary(lead.filter(unit=line["unit"]), as_of)
    return framework, lines


def build(user, data: dict) -> tuple[bytes, str]:
    as_of = data.get("as_of") or timezone.localdate()
    framework, lines = ranking_lines(user, data)
    workbook, sheet = new_sheet("Xep hang")
    parent, issuer = issuer_lines(user)
    subtitle = f"Tình trạng nhiệm vụ tính đến ngày {vn_date(as_of)}"
    if framework:
        subtitle = f"Bộ chỉ số: {framework}; {subtitle[0].lower()}{subtitle[1:]}"
    row = write_official_header(
        sheet,
        issuer_parent=parent,
        issuer=issuer,
        title="KẾT QUẢ XẾP HẠNG CẢI CÁCH HÀNH CHÍNH CÁC ĐƠN VỊ",
        subtitle=subtitle,
        place_date=place_date(timezone.localdate()),
        width=WIDTH,
    )
    row = write_header_rows(
        sheet,
        row,
        [
            ("STT", None),
            ("Đơn vị", None),
            (
                "Thực hiện nhiệm vụ",
                ["Tổng số", "Đã hoàn thành", "Quá hạn", "Tỷ lệ hoàn thành"],
            ),
            ("Chỉ số CCHC", ["Điểm", "Tỷ lệ điểm", "Xếp loại", "Xếp hạng"]),
        ],
        WIDTHS,
    )
    for number, line in enumerate(lines, start=1):
        tasks = line["tasks"]
        percent = line["percent"]
        values = [
            (number, "int"),
            (line["unit"].name, "text"),
            (tasks.total, "int"),
            (tasks.done, "int"),
            (tasks.overdue, "int"),
            (rate_fraction(tasks.completion_rate), "percent"),
            (line["total"], "decimal"),
            (None if percent is None else float(percent) / 100, "percent"),
            (line["band"], "text"),
            (line["rank"], "int"),
        ]
        for column, (value, kind) in enumerate(values, start=1):
            set_cell(sheet, row, column, value, kind=kind, border=BOX, alignment=WRAP)
        row += 1
    if not lines:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=WIDTH)
        set_cell(sheet, row, 1, "Chưa có đơn vị nào để xếp hạng.", border=BOX, font=BOLD)
    stem = framework.year if framework else f"{as_of:%Y%m%d}"
    return workbook_bytes(workbook), f"xep-hang-don-vi-{stem}.xlsx"


REPORT = Report(
    key="xep-hang",
    title=_("Unit ranking"),
    description=_(
        "Each unit's task completion rate next to its PAR score, percent, band and rank. "
        "For Home Affairs and leaders."
    ),
    form=RankingReportForm,
    build=build,
    allowed=policy.report_allowed(policy.REPORT_RANKING),
)
