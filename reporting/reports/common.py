"""Shared parts of the official reports: the issuing body, the place-and-date line, the
two-level table header and saving."""

from __future__ import annotations

import datetime
from io import BytesIO

from django import forms
from django.conf import settings
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.excel import BOLD, BOX, CENTER, set_cell, setup_print
from core.roles import sees_whole_province

# A date picker; the browser sends ISO dates, which the Vietnamese input formats accept.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def issuer_lines(user) -> tuple[str, str]:
    """Top left of the header: the province's Department of Home Affairs for the province-wide
    reports, the unit and its parent for a unit's own report."""
    if sees_whole_province(user) or not getattr(user, "unit_id", None):
        return settings.REPORT_ISSUER_PARENT, settings.REPORT_ISSUER
    unit = user.unit
    parent = unit.parent.name if unit.parent_id else settings.REPORT_ISSUER_PARENT
    return parent, unit.name


def place_date(day: datetime.date) -> str:
    """'An Hòa, ngày 05 tháng 01 năm 2027' (days and months below 10 with a leading zero)."""
    return f"{settings.REPORT_PLACE}, ngày {day:%d} tháng {day:%m} năm {day.year}"


def vn_date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def write_header_rows(
    sheet: Worksheet, row: int, groups: list[tuple[str, list[str] | None]], widths: list[int]
) -> int:
    """A two-row table header: a group with sub-columns is merged across them on the first row;
    a single column is merged down both rows. Returns the first data row."""
    column = 1
    for label, children in groups:
        if children:
            end = column + len(children) - 1
            sheet.merge_cells(start_row=row, start_column=column, end_row=row, end_column=end)
            set_cell(sheet, row, column, label, font=BOLD, alignment=CENTER, border=BOX)
            for offset, child in enumerate(children):
                set_cell(
                    sheet, row + 1, column + offset, child, font=BOLD, alignment=CENTER, border=BOX
                )
            for index in range(column + 1, end + 1):
                sheet.cell(row=row, column=index).border = BOX
            column = end + 1
        else:
            sheet.merge_cells(
                start_row=row, start_column=column, end_row=row + 1, end_column=column
            )
            set_cell(sheet, row, column, label, font=BOLD, alignment=CENTER, border=BOX)
            sheet.cell(row=row + 1, column=column).border = BOX
            column += 1
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=row + 2, column=1)
    setup_print(sheet, title_rows=f"{row}:{row + 1}")
    return row + 2


def new_sheet(title: str) -> tuple[Workbook, Worksheet]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    return workbook, sheet


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rate_fraction(value) -> float | None:
    """A percentage (70.0) as the fraction Excel's 0.0% format expects (0.7)."""
    return None if value is None else float(value) / 100
