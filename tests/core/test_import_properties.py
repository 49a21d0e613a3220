"""Bad input, by property: the importers and the upload guard answer any bytes or text with their
own refusal (TableError, ValueError, ValidationError), never a crash.

The document-number parser and the working-day calendar have their own properties in
tests/directives/test_numbering.py and tests/core/test_workdays.py.
"""

from __future__ import annotations

import datetime
import io
import unicodedata

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.excel import FORMULA_STARTS, csv_cell
from core.tabular import TableError, parse_date, read_rows
from core.uploads import EVIDENCE_TYPES, TABLE_TYPES, check_upload, safe_filename

COLUMNS = {"code": ("Mã", "ma don vi"), "name": ("Tên", "ten")}
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read_all(data: bytes) -> list:
    return list(read_rows(io.BytesIO(data), COLUMNS, required=("code",), max_rows=50))


@FAST
@given(st.binary(max_size=2048))
def test_any_bytes_give_rows_or_a_table_error(data):
    try:
        rows = _read_all(data)
    except (TableError, ValueError):
        return
    assert all(isinstance(number, int) for number, _row in rows)


@FAST
@given(st.text(max_size=500))
def test_any_text_as_csv_gives_rows_or_a_table_error(text):
    try:
        rows = _read_all(("Mã;Tên\n" + text).encode("utf-8"))
    except (TableError, ValueError):
        return
    assert all(set(row) <= set(COLUMNS) for _number, row in rows)


@FAST
@given(st.binary(max_size=64))
def test_bytes_after_a_zip_header_never_crash_the_xlsx_reader(tail):
    try:
        _read_all(b"PK\x03\x04" + tail)
    except (TableError, ValueError):
        return


@FAST
@given(st.binary(min_size=0, max_size=2048), st.sampled_from([EVIDENCE_TYPES, TABLE_TYPES]))
def test_the_upload_guard_refuses_or_accepts_but_never_crashes(data, allowed):
    upload = io.BytesIO(data)
    upload.name = "tep.bin"
    try:
        checked = check_upload(upload, allowed=allowed, max_bytes=4096)
    except ValidationError:
        return
    assert checked.content_type in allowed
    assert checked.size == len(data)


@FAST
@given(st.text(max_size=400))
def test_sanitised_names_have_no_path_or_control_characters(name):
    clean = safe_filename(name)
    assert clean
    assert "/" not in clean and "\\" not in clean
    assert not any(unicodedata.category(ch).startswith("C") for ch in clean)
    assert len(clean) <= 120
    assert not clean.startswith(".")
    assert safe_filename(clean) == clean


@FAST
@given(st.text(max_size=40))
def test_any_text_is_a_date_none_or_a_value_error(text):
    try:
        value = parse_date(text)
    except ValueError:
        return
    assert value is None or isinstance(value, datetime.date)


@FAST
@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(9999, 12, 31)))
def test_dates_round_trip_through_every_accepted_form(day):
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        assert parse_date(day.strftime(pattern)) == day
    assert parse_date(f"  {day:%d/%m/%Y}  ") == day
    assert parse_date(day) == day
    assert parse_date(datetime.datetime.combine(day, datetime.time(8, 30))) == day


@FAST
@given(st.text(max_size=60))
def test_csv_cells_never_start_like_a_formula_unless_quoted(text):
    cell = csv_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell in (text, "'" + text)
