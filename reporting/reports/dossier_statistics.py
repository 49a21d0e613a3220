"""Thống kê tình hình giải quyết hồ sơ TTHC: per unit and period in the standard layout
(received: online, in person or by post, carried over; finished: early, on time, late; pending:
within the deadline, overdue; rates), from dossiers.metrics, the dashboard's own figures."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.excel import BOLD, BOX, WRAP, set_cell, write_official_header
from dossiers.forms import PeriodForm
from dossiers.metrics import DossierFigures, dossier_figures
from dossiers.selectors import units_for_dashboard, visible_unit_ids
from reporting import policy
from reporting.reports import Report
from reporting.reports.common import (
    issuer_lines,
    new_sheet,
    place_date,
    rate_fraction,
    vn_date,
    workbook_bytes,
    write_header_rows,
)

WIDTHS = [6, 40, 10, 10, 12, 11, 10, 10, 10, 10, 10, 10, 10, 11, 11]
WIDTH = len(WIDTHS)


def figure_values(figures: DossierFigures) -> list[tuple[object, str]]:
    """The standard line: received (total, online, in person/post, carried over), finished
    (total, early, on time, late), pending (total, within, overdue), on-time and online rates."""
    return [
        (figures.received, "int"),
        (figures.received_online, "int"),
        (figures.received_offline, "int"),
        (figures.carried_over, "int"),
        (figures.finished, "int"),
        (figures.finished_early, "int"),
        (figures.finished_on_time, "int"),
        (figures.finished_late, "int"),
        (figures.pending, "int"),
        (figures.pending_within, "int"),
        (figures.pending_overdue, "int"),
        (rate_fraction(figures.on_time_rate), "percent"),
        (rate_fraction(figures.online_rate), "percent"),
    ]


def build(user, data: dict) -> tuple[bytes, str]:
    # The dashboard's own period form reads the (already valid) parameters again.
    form = PeriodForm({name: value for name, value in data.items() if value not in (None, "")})
    period = form.period()
    level = form.selected_level()
    unit_ids = visible_unit_ids(user)
    by_unit = dossier_figures(period, unit_ids=unit_ids, level=level, group_by="unit")
    total = dossier_figures(period, unit_ids=unit_ids, level=level)[None]
    units = [unit for unit in units_for_dashboard(user) if unit.pk in by_unit]
    units.sort(key=lambda unit: (unit.level, unit.code))
    workbook, sheet = new_sheet("Thong ke ho so")
    parent, issuer = issuer_lines(user)
    row = write_official_header(
        sheet,
        issuer_parent=parent,
        issuer=issuer,
        title="THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH",
        subtitle=f"Kỳ báo cáo: từ ngày {vn_date(period.start)} đến ngày {vn_date(period.end)}",
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
                "Số hồ sơ tiếp nhận",
                ["Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Kỳ trước chuyển qua"],
            ),
            ("Số hồ sơ đã giải quyết", ["Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn"]),
            ("Số hồ sơ đang giải quyết", ["Tổng số", "Trong hạn", "Quá hạn"]),
            ("Tỷ lệ", ["Đúng hạn", "Trực tuyến"]),
        ],
        WIDTHS,
    )
    for number, unit in enumerate(units, start=1):
        set_cell(sheet, row, 1, number, kind="int", border=BOX)
        set_cell(sheet, row, 2, unit.name, border=BOX, alignment=WRAP)
        for column, (value, kind) in enumerate(figure_values(by_unit[unit.pk]), start=3):
            set_cell(sheet, row, column, value, kind=kind, border=BOX)
        row += 1
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    set_cell(sheet, row, 1, "Tổng cộng", font=BOLD, border=BOX)
    for column, (value, kind) in enumerate(figure_values(total), start=3):
        set_cell(sheet, row, column, value, kind=kind, font=BOLD, border=BOX)
    return workbook_bytes(
        workbook
    ), f"thong-ke-ho-so-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"


REPORT = Report(
    key="ho-so",
    title=_("Dossier statistics"),
    description=_(
        "Dossiers received, finished and pending per unit for a month, quarter or year, with "
        "on-time and online rates (the dashboard's figures). A unit gets its own units."
    ),
    form=PeriodForm,
    build=build,
    allowed=policy.report_allowed(policy.REPORT_DOSSIERS),
)
