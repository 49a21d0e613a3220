"""The downloadable XLSX template for unit imports: headers, allowed values as drop-downs."""

from openpyxl.worksheet.datavalidation import DataValidation

from core.excel import date_columns, import_template_sheet, workbook_bytes
from organizations.models import UnitKind, UnitLevel
from organizations.services import UNIT_COLUMNS


def unit_import_template() -> bytes:
    workbook, sheet = import_template_sheet("Don vi", UNIT_COLUMNS)
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
    date_columns(sheet, ("G", "H"))
    return workbook_bytes(workbook)
