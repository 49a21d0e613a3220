"""Excel writing in the house layout: Times New Roman, typed cells, safe text, print setup.

Every sheet the portal produces goes through here, so formula injection, fonts, number formats
and the official header block are handled once. Lists use write-only workbooks (bounded memory:
rows are streamed); official reports with merged header blocks use normal workbooks, which is
fine at their size (hundreds of rows).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "Times New Roman"
FONT = Font(name=FONT_NAME, size=12)
BOLD = Font(name=FONT_NAME, size=12, bold=True)
TITLE = Font(name=FONT_NAME, size=14, bold=True)
ITALIC = Font(name=FONT_NAME, size=12, italic=True)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"

# Excel, LibreOffice and Google Sheets treat these first characters as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A sheet holds at most 1,048,576 rows; the header takes one.
MAX_DATA_ROWS_PER_SHEET = 1_048_575

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Column:
    """One column of a list or report: drives the HTML table and the Excel sheet alike."""

    key: str
    label: str
    value: Callable[[Any], Any] | None = None  # defaults to getattr(row, key)
    kind: str = "text"  # text, int, decimal, percent (a 0..1 fraction), date, datetime
    width: int = 18
    link: Callable[[Any], str] | None = None  # the HTML table links the cell there
    # The HTML table shows this (safe) markup instead of the plain text, e.g. a status badge;
    # the sheet always gets the plain value.
    html: Callable[[Any], str] | None = None
    # The list's sort key (its FilterSet's `?sort=`): the HTML header sorts by it when clicked.
    sort: str = ""
    # A reference read as one word (a document's number, "2718/UBND-NC"): the HTML table does not
    # break it at its hyphens and slashes.
    nowrap: bool = False

    def get(self, row: Any) -> Any:
        if self.value is not None:
            return self.value(row)
        value = row.get(self.key) if isinstance(row, dict) else getattr(row, self.key, None)
        if callable(value):
            value = value()
        return value


NUMBER_FORMATS = {
    "int": INTEGER_FORMAT,
    "decimal": DECIMAL_FORMAT,
    "percent": PERCENT_FORMAT,
    "date": DATE_FORMAT,
    "datetime": DATETIME_FORMAT,
}


def _number_format(kind: str) -> str | None:
    return NUMBER_FORMATS.get(kind)


def excel_value(value: Any) -> Any:
    """A value openpyxl stores as its own type: numbers and dates typed, the rest as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write the Vietnam wall-clock time the user sees on screen.
        if value.tzinfo is not None:
            from django.utils import timezone

            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    return str(value)


def _style_array(sheet: Worksheet, font: Font, number_format: str | None, border) -> StyleArray:
    """The style ids of (font, number format, border) in this workbook, registered once.

    Assigning a Font to a cell makes openpyxl hash it into the workbook's style table, every
    cell (about half the time of a 60,000-row export); the ids are computed here once per
    combination and each cell gets a copy of the small array instead. The cache holds the
    font and border objects themselves, so their ids cannot be reused while it lives.
    """
    cache = sheet.parent.__dict__.setdefault("_cchc_style_arrays", {})
    key = (id(font), number_format, id(border))
    entry = cache.get(key)
    if entry is None or entry[0] is not font or entry[1] is not border:
        probe = Cell(sheet, row=1, column=1)
        probe.font = font
        if number_format:
            probe.number_format = number_format
        if border:
            probe.border = border
        entry = cache[key] = (font, border, probe._style)
    return entry[2]


def cell(sheet: Worksheet, value: Any, *, kind: str = "text", font: Font = FONT, border=None):
    """A write-only cell, typed, with user text never turned into a formula."""
    value = excel_value(value)
    is_text = isinstance(value, str)
    number_format = None if is_text else _number_format(kind)
    style = _style_array(sheet, font, number_format, border)
    result = Cell(sheet, row=1, column=1, value=value, style_array=style)
    if is_text:
        # openpyxl makes any string starting with "=" a formula; force the string type so a
        # unit name like "=HYPERLINK(...)" stays text.
        result.data_type = "s"
    return result


def set_cell(sheet: Worksheet, row: int, column: int, value: Any, *, kind: str = "text", **style):
    """Write one cell of a normal (not write-only) sheet, with the same typing and safety."""
    value = excel_value(value)
    target = sheet.cell(row=row, column=column)
    target.value = value
    if isinstance(value, str):
        target.data_type = "s"
    number_format = _number_format(kind)
    if number_format and not isinstance(value, str):
        target.number_format = number_format
    target.font = style.get("font", FONT)
    if "alignment" in style:
        target.alignment = style["alignment"]
    if style.get("border"):
        target.border = style["border"]
    return target


def setup_print(sheet: Worksheet, *, title_rows: str | None = None) -> None:
    """A4 landscape, fit to the page width, header rows repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    if title_rows:
        sheet.print_title_rows = title_rows


def _use_house_font(workbook) -> bool:
    """Make the house font the workbook's default (style 0), so a plain text value appended to
    a write-only sheet is already in Times New Roman and needs no styled cell of its own (a
    styled cell costs openpyxl a failed conversion and a style lookup each). Only on a workbook
    no cell has been styled in yet; True when the default is the house font."""
    fonts = workbook._fonts
    if len(fonts) == 1 and fonts[0] != FONT:
        workbook._fonts = IndexedList([FONT])
    return workbook._fonts[0] == FONT


def _list_row(sheet: Worksheet, columns: list[Column], row: Any, plain_text: bool) -> list[Any]:
    values = []
    for column in columns:
        value = column.get(row)
        if value is None:
            values.append(None)
        elif (
            plain_text
            and type(value) is str
            and column.kind == "text"
            and not value.startswith(FORMULA_STARTS)
        ):
            values.append(value)  # the default style is the house font; text stays text
        else:
            values.append(cell(sheet, value, kind=column.kind))
    return values


def write_list_sheet(workbook, title: str, columns: list[Column], rows: Iterable[Any]) -> int:
    """Stream rows into write-only sheets (a new sheet past Excel's row limit). Returns rows."""
    plain_text = _use_house_font(workbook)
    written = 0
    sheet = None
    part = 0
    for row in rows:
        if sheet is None or written % MAX_DATA_ROWS_PER_SHEET == 0 and written:
            part += 1
            sheet = _new_list_sheet(workbook, title if part == 1 else f"{title} ({part})", columns)
        sheet.append(_list_row(sheet, columns, row, plain_text))
        written += 1
    if sheet is None:
        _new_list_sheet(workbook, title, columns)
    return written


def _new_list_sheet(workbook, title: str, columns: list[Column]):
    sheet = workbook.create_sheet(title=title[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    setup_print(sheet, title_rows="1:1")
    sheet.append([cell(sheet, str(column.label), font=BOLD, border=BOX) for column in columns])
    return sheet


def write_official_header(
    sheet: Worksheet,
    *,
    issuer_parent: str,
    issuer: str,
    title: str,
    subtitle: str = "",
    place_date: str = "",
    width: int,
) -> int:
    """The header block of a Vietnamese administrative report (Decree 30/2020 layout):
    issuing body top left, national name and motto top right, place and date, then the title.
    Returns the next free row."""
    left = max(2, width // 3)
    for row, (left_text, right_text, font) in enumerate(
        [
            (issuer_parent.upper(), NATIONAL_NAME, BOLD),
            (issuer.upper(), NATIONAL_MOTTO, BOLD),
        ],
        start=1,
    ):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=left)
        sheet.merge_cells(start_row=row, start_column=left + 1, end_row=row, end_column=width)
        set_cell(sheet, row, 1, left_text, font=font, alignment=CENTER)
        set_cell(sheet, row, left + 1, right_text, font=font, alignment=CENTER)
    if place_date:
        sheet.merge_cells(start_row=3, start_column=left + 1, end_row=3, end_column=width)
        set_cell(sheet, 3, left + 1, place_date, font=ITALIC, alignment=CENTER)
    next_row = 5
    for text, font in ((title, TITLE), (subtitle, ITALIC)):
        if text:
            sheet.merge_cells(
                start_row=next_row, start_column=1, end_row=next_row, end_column=width
            )
            set_cell(sheet, next_row, 1, text, font=font, alignment=CENTER)
            next_row += 1
    return next_row + 1


def keep_text(workbook) -> None:
    """Turn every cell openpyxl took for a formula back into text, just before saving.

    openpyxl makes any string starting with "=" a formula. The portal writes no formula cells
    (drop-down lists use data validations, not cells), so a unit or criterion name such as
    '=HYPERLINK("http://…")' must reach the sheet as the text it is. For normal (not write-only)
    workbooks; write-only sheets get the same through `cell`.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for target in row:
                if target.data_type == "f" and isinstance(target.value, str):
                    target.data_type = "s"


def csv_cell(value: Any) -> str:
    """A value for a CSV file, which has no cell types: text a spreadsheet would run as a
    formula gets a leading apostrophe (OWASP's advice for CSV injection)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


# --- Import templates: the sheet a user fills in and uploads --------------------------------


def import_template_sheet(title: str, columns: dict[str, tuple[str, ...]]):
    """A normal workbook whose first sheet (`title`) has the import's headers in bold (each
    field's first, the template's, spelling) and frozen below them: (workbook, sheet)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append([spellings[0] for spellings in columns.values()])
    for header in sheet[1]:
        header.font = Font(name=FONT_NAME, bold=True)
    sheet.freeze_panes = "A2"
    return workbook, sheet


def date_columns(sheet: Worksheet, letters: Iterable[str], *, rows: int = 2000) -> None:
    """Show the first `rows` data cells of these columns as dd/mm/yyyy, ready to be typed in."""
    for letter in letters:
        for row in range(2, rows + 1):
            sheet[f"{letter}{row}"].number_format = "DD/MM/YYYY"


def workbook_bytes(workbook) -> bytes:
    """The workbook as .xlsx bytes, every text cell kept as text (keep_text)."""
    from io import BytesIO

    buffer = BytesIO()
    keep_text(workbook)
    workbook.save(buffer)
    return buffer.getvalue()
