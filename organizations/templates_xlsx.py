"""The downloadable XLSX template for unit imports: headers, allowed values as drop-downs."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from core.excel import keep_text
from organizations.models import UnitKind, UnitLevel
from organizations.services import UNIT_COLUMNS


def unit_import_template() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Don vi"
    headers = [spellings[0] for spellings in UNIT_COLUMNS.values()]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(name="Times New Roman", bold=True)
    sheet.freeze_panes = "A2"
    lists = workbook.create_sheet("Gia tri")
    lists.append(["Loại", "Cấp"])
    kinds, levels = UnitKind.values, UnitLevel.values
    for index in range(max(len(kinds), len(levels))):
        lists.append(
            [
                kinds[index] if index < len(kinds) else None,
                levels[index] if index < len(levels) else None,
            ]
        )
    for column, values, letter in (("D", kinds, "A"), ("E", levels, "B")):
        validation = DataValidation(
            type="list", formula1=f"='Gia tri'!${letter}$2:${letter}${len(values) + 1}"
        )
        validation.add(f"{column}2:{column}2000")
        sheet.add_data_validation(validation)
    for column in ("G", "H"):
        for row in range(2, 2001):
            sheet[f"{column}{row}"].number_format = "DD/MM/YYYY"
    buffer = BytesIO()
    keep_text(workbook)
    workbook.save(buffer)
    return buffer.getvalue()
