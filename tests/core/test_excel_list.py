"""Lists written to write-only sheets: every cell in the house font, numbers and dates typed and
formatted, text that looks like a formula kept as text, with the styles prepared once."""

import datetime
import io

from openpyxl import Workbook, load_workbook

from core.excel import Column, write_list_sheet

COLUMNS = [
    Column("name", "Tên"),
    Column("count", "Số lượng", kind="int"),
    Column("day", "Ngày", kind="date"),
]


def _written(rows):
    workbook = Workbook(write_only=True)
    assert write_list_sheet(workbook, "Danh sách", COLUMNS, rows) == len(rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return load_workbook(buffer).active


def test_every_cell_is_in_the_house_font_and_typed():
    sheet = _written(
        [
            {"name": "Sở Tài chính", "count": 1200, "day": datetime.date(2026, 3, 16)},
            {"name": '=HYPERLINK("http://x")', "count": None, "day": None},
        ]
    )
    header, first, second = list(sheet.iter_rows())
    assert [c.value for c in header] == ["Tên", "Số lượng", "Ngày"]
    assert header[0].font.b
    for target in (*first, second[0]):
        assert target.font.name == "Times New Roman"
        assert target.font.sz == 12
    assert first[1].value == 1200 and first[1].number_format == "#,##0"
    assert (
        first[2].value == datetime.datetime(2026, 3, 16) and first[2].number_format == "dd/mm/yyyy"
    )
    # text that starts like a formula stays the text it is
    assert second[0].data_type == "s"
    assert second[0].value == '=HYPERLINK("http://x")'


def test_styles_are_registered_once_however_many_rows():
    workbook = Workbook(write_only=True)
    rows = [
        {"name": f"Đơn vị {n}", "count": n, "day": datetime.date(2026, 1, 1)} for n in range(500)
    ]
    write_list_sheet(workbook, "Danh sách", COLUMNS, rows)
    workbook.save(io.BytesIO())
    # the house font (default) and the bold header; one style per number format and the header
    assert len(workbook._fonts) == 2
    assert len(workbook._cell_styles) <= 4
