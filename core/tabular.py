"""Reading uploaded tables (CSV or XLSX) row by row, with the guards every import needs.

Imports report errors by row number as the user sees it in Excel (header = row 1), so rows are
yielded with that number. Files are streamed: openpyxl in read-only mode, csv line by line.

This is the one import pipeline every importer (units, dossiers, a plan's tasks, frameworks,
KPI values, indices, self-scores) is built on:
- read_rows / read_table: the file, the size and type guards, and the one header matcher
  (`columns` maps a field to its accepted header spellings, the template's first);
- check_rows with a RowCheck per row: each row's values read and its errors collected by the
  column's header, so every importer reports the same (row, column, message) triples;
- ImportFailed: the one error an import raises when it refuses the file as a whole (nothing
  written), carrying every RowError found.
"""

from __future__ import annotations

import csv
import datetime
import io
import operator
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from django.utils.translation import gettext as _

from core.text import fold

XLSX_MAGIC = b"PK\x03\x04"
# Guard against zip bombs: a real import sheet compresses about 5-10x.
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


class TableError(ValueError):
    """The file as a whole cannot be read (wrong type, broken, too big, no header)."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


class ImportFailed(Exception):
    """An import refused as a whole, with nothing written: every error found, by row and column.

    A message for the whole file (a wrong type, no rows, an expired preview) is row 0.
    """

    def __init__(self, errors: Iterable[RowError] | str):
        errors = [RowError(0, "", str(errors))] if isinstance(errors, str) else list(errors)
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


SNIFF_BYTES = 4096
# The first bytes of an Excel 97-2003 (.xls) or Word 97-2003 file (OLE compound document).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def old_excel_message() -> str:
    # Offices still keep many lists in Excel 97-2003 files: say how to convert one.
    return _(
        "This is an Excel 97-2003 workbook (.xls), which is not read: open it in "
        "Excel and save it as an Excel Workbook (.xlsx)."
    )


def detect_kind(head: bytes) -> str:
    """'xlsx' or 'csv' judged by the file's first bytes, never by its name.

    A CSV must be UTF-8 text: a picture, a PDF or an old .xls renamed to .csv is refused here
    instead of failing later with a confusing row error.
    """
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise TableError(old_excel_message())
    if b"\x00" in head:
        raise TableError(_("The file is neither an Excel (.xlsx) nor a CSV file."))
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character may be cut at the end of the sample; anything else is binary.
        if exc.start < len(head) - 3:
            raise TableError(_("The file is neither an Excel (.xlsx) nor a CSV file.")) from exc
    return "csv"


def _check_zip(fileobj: IO[bytes]) -> None:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise TableError(_("The Excel file is damaged and cannot be opened.")) from exc
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise TableError(_("The Excel file unpacks to an unreasonable size and was refused."))
    fileobj.seek(0)


def normalise_header(value: Any) -> str:
    return fold(str(value)) if value is not None else ""


def iter_table(fileobj: IO[bytes], *, max_rows: int = 1_000_000) -> Iterator[tuple[int, list[Any]]]:
    """Yield (row number, cell values) for every non-empty row, header row included."""
    from django.conf import settings

    # Importers that read the upload directly (no stored copy) are capped here as well.
    fileobj.seek(0, io.SEEK_END)
    size, limit = fileobj.tell(), settings.IMPORT_MAX_BYTES
    if size > limit:
        raise TableError(
            _("The file is %(size)s MB; the limit is %(max)s MB.")
            % {"size": round(size / 1048576, 1), "max": round(limit / 1048576, 1)}
        )
    fileobj.seek(0)
    kind = detect_kind(fileobj.read(SNIFF_BYTES))
    fileobj.seek(0)
    if kind == "xlsx":
        yield from _iter_xlsx(fileobj, max_rows)
    else:
        yield from _iter_csv(fileobj, max_rows)


def _iter_xlsx(fileobj: IO[bytes], max_rows: int) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    _check_zip(fileobj)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise TableError(_("The Excel file is damaged and cannot be opened.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > max_rows + 1:
                raise TableError(_("The file has more than %(max)s rows.") % {"max": max_rows})
            cells = list(values)
            if any(cell not in (None, "") for cell in cells):
                yield number, cells
    finally:
        workbook.close()


def _iter_csv(fileobj: IO[bytes], max_rows: int) -> Iterator[tuple[int, list[Any]]]:
    text = io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="")
    try:
        sample = text.read(4096)
        text.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        for number, cells in enumerate(csv.reader(text, dialect), start=1):
            if number > max_rows + 1:
                raise TableError(_("The file has more than %(max)s rows.") % {"max": max_rows})
            stripped = [cell.strip() for cell in cells]
            if any(stripped):
                yield number, stripped
    except UnicodeDecodeError as exc:
        raise TableError(_("The CSV file is not UTF-8 text.")) from exc
    finally:
        text.detach()


def header_names(columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Field -> the header its errors are reported under (the template's spelling)."""
    return {name: spellings[0] for name, spellings in columns.items()}


def read_rows(
    fileobj: IO[bytes],
    columns: dict[str, tuple[str, ...]],
    *,
    required: tuple[str, ...] | None = None,
    max_rows: int = 1_000_000,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (row number, {field: value}) after matching the header row to `columns`.

    `columns` maps a field to the header spellings accepted for it (compared folded, so
    "Mã đơn vị" and "ma don vi" both match). A missing required header is a TableError.
    Streamed: a million-row dossier file is never held whole.
    """
    rows = iter_table(fileobj, max_rows=max_rows)
    try:
        yield from match_header(rows, columns, tuple(columns) if required is None else required)
    finally:
        rows.close()  # close the reader before its file, even when the header is refused


def read_table(
    fileobj: IO[bytes],
    columns: dict[str, tuple[str, ...]],
    *,
    required: tuple[str, ...] | None = None,
    max_rows: int,
) -> list[tuple[int, dict[str, Any]]]:
    """read_rows into a list, for the small imports that check every row before writing any;
    a file that cannot be read is an ImportFailed with its one message."""
    try:
        return list(read_rows(fileobj, columns, required=required, max_rows=max_rows))
    except TableError as exc:
        raise ImportFailed(str(exc)) from exc


def match_header(
    rows: Iterator[tuple[int, list[Any]]],
    columns: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The header matcher: the first row names the columns, the rest become {field: value}."""
    try:
        _header_row, header = next(rows)
    except StopIteration as exc:
        raise TableError(_("The file is empty.")) from exc
    folded = [normalise_header(cell) for cell in header]
    positions: dict[str, int] = {}
    for name, spellings in columns.items():
        for spelling in spellings:
            if fold(spelling) in folded:
                positions[name] = folded.index(fold(spelling))
                break
    missing = [columns[name][0] for name in required if name not in positions]
    if missing:
        raise TableError(
            _("The header row lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if not positions:
        for number, _cells in rows:
            yield number, {}
        return
    # One itemgetter call a row (the dossier import reads a million rows through here).
    names, indexes = list(positions), list(positions.values())
    pick, width = operator.itemgetter(*indexes), max(indexes) + 1
    single = len(indexes) == 1
    for number, cells in rows:
        if len(cells) >= width:
            picked = pick(cells)
            yield number, dict(zip(names, (picked,) if single else picked, strict=True))
        else:  # a short row: the missing cells are blank
            yield (
                number,
                {name: (cells[i] if i < len(cells) else None) for name, i in positions.items()},
            )


Checked = TypeVar("Checked")


class RowCheck:
    """One row being checked: its number, its cells by field, and the errors found so far,
    each under the column's header as the template spells it."""

    __slots__ = ("errors", "headers", "number", "raw")

    def __init__(self, number: int, raw: dict[str, Any], headers: dict[str, str]):
        self.number = number
        self.raw = raw
        self.headers = headers
        self.errors: list[RowError] = []

    def error(self, name: str, message: str) -> None:
        self.errors.append(RowError(self.number, self.headers.get(name, name), message))

    def text(self, name: str) -> str:
        return cell_text(self.raw.get(name))

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            self.error(name, _("This cell is required."))
        return value

    def date(self, name: str) -> datetime.date | None:
        try:
            return parse_date(self.raw.get(name))
        except ValueError as exc:
            self.error(name, str(exc))
            return None

    def parsed(self, name: str, parse: Callable[[Any], Any]) -> Any:
        """parse(cell); a ValueError becomes this cell's error and the value None."""
        try:
            return parse(self.raw.get(name))
        except ValueError as exc:
            self.error(name, str(exc))
            return None


def check_rows(
    rows: Iterable[tuple[int, dict[str, Any]]],
    columns: dict[str, tuple[str, ...]],
    check: Callable[[RowCheck], Checked | None],
    *,
    by_field: bool = False,
) -> tuple[list[Checked], list[RowError]]:
    """Run `check` over every row: the clean values of the rows without errors (a None from
    `check` is a row to skip), and every error of the others, in file order. Errors name the
    column by its header, or by its field with `by_field` (where the field names are the
    importer's published error shape)."""
    headers = {name: name for name in columns} if by_field else header_names(columns)
    clean: list[Checked] = []
    errors: list[RowError] = []
    for number, raw in rows:
        row = RowCheck(number, raw, headers)
        value = check(row)
        if row.errors:
            errors.extend(row.errors)
        elif value is not None:
            clean.append(value)
    return clean, errors


def parse_date(value: Any) -> datetime.date | None:
    """A real Excel date, or text in dd/mm/yyyy (also dd-mm-yyyy, yyyy-mm-dd). Blank -> None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    raise ValueError(_("'%(value)s' is not a date in dd/mm/yyyy form.") % {"value": text})


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
