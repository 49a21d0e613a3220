"""The downloadable XLSX template for dossier imports: the headers and one example row."""

import datetime

from core.excel import import_template_sheet, workbook_bytes
from dossiers.services import DOSSIER_COLUMNS

EXAMPLE = {
    "code": "000.00.01.H01-260316-0001",
    "procedure": "1.012001",
    "unit": "X-DONGSON",
    "channel": "Trực tuyến",
    # Excel cells hold wall-clock times without a zone: the import reads them as Vietnam time.
    "received_at": datetime.datetime(2026, 3, 16, 9, 30),  # noqa: DTZ001
    "due_at": None,
    "finished_at": datetime.datetime(2026, 3, 16, 15, 0),  # noqa: DTZ001
    "returned_at": datetime.datetime(2026, 3, 17, 8, 0),  # noqa: DTZ001
    "state": "Đã trả kết quả",
    "fee_required": "Không",
    "paid_online": "Không",
}


def dossier_import_template() -> bytes:
    workbook, sheet = import_template_sheet("Ho so", DOSSIER_COLUMNS)
    sheet.append([EXAMPLE[name] for name in DOSSIER_COLUMNS])
    for cell in sheet[2]:
        if isinstance(cell.value, datetime.datetime):
            cell.number_format = "DD/MM/YYYY HH:MM"
        else:
            cell.data_type = "s"  # text, never a formula
    return workbook_bytes(workbook)
