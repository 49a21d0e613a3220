from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core.tabular import ImportFailed
from indicators.models import CriterionMethod
from indicators.services.frameworks import (
    computed_bands_set,
    criterion_create,
    criterion_update,
    framework_check,
    framework_copy,
    framework_export,
    framework_import,
)
from tests.indicators.factories import build_framework


def _xlsx(rows) -> BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


HEADER = [
    "Mã",
    "Nội dung",
    "Điểm tối đa",
    "Phương pháp",
    "Tài liệu kiểm chứng",
    "Nguồn dữ liệu",
    "Ghi chú",
]


def test_sound_tree_has_no_breach(framework):
    assert framework_check(framework=framework) == []


def test_checker_lists_every_breach_not_only_the_first(framework):
    # given three faults: a sub-criterion off by 2, an area total off, a computed row too high
    criterion_update(criterion=framework.criteria.get(code="1.1.1"), max_points=Decimal("8"))
    criterion_update(criterion=framework.criteria.get(code="2"), max_points=Decimal("55"))
    node = framework.criteria.get(code="1.1.2")
    node.computed_bands.filter(min_percent=100).update(points=Decimal("12"))
    # when
    with translation.override("en"):
        breaches = framework_check(framework=framework)
    # then each one is reported, with its code
    codes = [breach.code for breach in breaches]
    assert "" in codes  # the areas add up to 95, not 100
    assert "1.1" in codes  # 8 + 10 != 20
    assert "2" in codes  # its child gives 60, not 55
    assert "1.1.2" in codes  # the band table row exceeds the maximum
    assert len(breaches) == 4


def test_computed_criterion_with_unknown_source_is_a_breach(db):
    framework = build_framework()  # no rate_source fixture: the source is not registered
    assert [breach.code for breach in framework_check(framework=framework)] == ["1.1.2"]


def test_criterion_needs_its_parent(framework):
    with pytest.raises(ValidationError):
        criterion_create(framework=framework, code="7.1", name="x", max_points=Decimal(1))


def test_locked_framework_refuses_changes(framework):
    framework.locked = True
    framework.save()
    with pytest.raises(ValidationError):
        criterion_update(criterion=framework.criteria.get(code="1.2"), name="Khác")


def test_band_table_points_cannot_exceed_maximum(framework):
    node = framework.criteria.get(code="1.1.2")
    with pytest.raises(ValidationError):
        computed_bands_set(criterion=node, rows=[(Decimal(100), Decimal(11))])


def test_copy_to_new_year_keeps_tree_bands_and_band_tables(framework):
    framework.locked = True
    framework.save()
    copy = framework_copy(framework=framework, year=2026)
    assert copy.year == 2026 and not copy.locked and copy.copied_from == framework
    assert list(copy.criteria.values_list("code", "max_points")) == list(
        framework.criteria.values_list("code", "max_points")
    )
    assert copy.bands.count() == 4
    assert copy.criteria.get(code="1.1.2").computed_bands.count() == 3
    assert copy.criteria.get(code="1.1.2").parent.code == "1.1"


def test_export_then_import_round_trips_the_tree(framework, rate_source):
    # given an exported framework and an empty one
    data = framework_export(framework=framework)
    target = build_framework(tree=[], year=2026)
    # when
    count = framework_import(framework=target, fileobj=BytesIO(data))
    # then
    assert count == 9
    assert list(target.criteria.values_list("code", "max_points", "method")) == list(
        framework.criteria.values_list("code", "max_points", "method")
    )
    assert target.criteria.get(code="1.1.1").evidence_required


def test_import_reports_every_row_error_in_vietnamese_and_writes_nothing(db):
    target = build_framework(tree=[], year=2026)
    upload = _xlsx(
        [
            HEADER,
            ["1", "Chỉ đạo", "20", "Tự chấm"],
            ["1.1", "", "abc", "Tự chấm"],
            ["1.x", "Sai mã", "2", "Tự chấm"],
            ["2.1", "Không có cha", "2", "Bí ẩn"],
            ["1", "Trùng", "1", ""],
        ]
    )
    with translation.override("vi"), pytest.raises(ImportFailed) as failure:
        framework_import(framework=target, fileobj=upload)
    found = {(error.row, error.column) for error in failure.value.errors}
    assert {(3, "Nội dung"), (3, "Điểm tối đa"), (4, "Mã"), (5, "Phương pháp"), (6, "Mã")} <= found
    messages = " ".join(str(error.message) for error in failure.value.errors)
    assert "Ô này là bắt buộc." in messages
    assert "'abc' không phải là số." in messages
    assert target.criteria.count() == 0


def test_import_flags_missing_parent(db):
    target = build_framework(tree=[], year=2026)
    upload = _xlsx([HEADER, ["1", "A", 100, ""], ["2.1", "B", 5, ""]])
    with pytest.raises(ImportFailed) as failure:
        framework_import(framework=target, fileobj=upload)
    assert [(error.row, error.column) for error in failure.value.errors] == [(3, "Mã")]


def test_exported_names_starting_with_equals_stay_text(framework):
    criterion_update(criterion=framework.criteria.get(code="1.2"), name="=SUM(A1:A2)")
    sheet = load_workbook(BytesIO(framework_export(framework=framework))).active
    cell = next(row[1] for row in sheet.iter_rows(min_row=2) if row[0].value == "1.2")
    assert cell.value == "=SUM(A1:A2)" and cell.data_type == "s"


def test_method_words_accept_vietnamese_without_accents(db):
    target = build_framework(tree=[], year=2026)
    upload = _xlsx([HEADER, ["1", "A", 95, "tu cham"], ["2", "B", 5, "diem thuong"]])
    framework_import(framework=target, fileobj=upload)
    assert target.criteria.get(code="2").method == CriterionMethod.BONUS


def test_bands_lock_with_the_framework(framework):
    from indicators.services.frameworks import framework_set_bands

    framework.locked = True
    framework.save()
    with pytest.raises(ValidationError):
        framework_set_bands(framework=framework, bands=[("A", Decimal(90))])
    assert framework.bands.count() == 4
