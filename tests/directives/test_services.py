import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from directives.models import CchcArea
from directives.services import directive_create, directive_update

D = datetime.date


def test_number_is_parsed_into_the_row(province):
    directive = directive_create(
        number="22/2020/QĐ-UBND", issue_date=D(2020, 6, 1), summary="Quy định", issuer=province
    )
    assert (directive.serial, directive.doc_type, directive.year) == (22, "QĐ", 2020)
    assert directive.shape == "normative"


def test_duplicate_number_same_issuer_year_type_is_refused_in_vietnamese(province):
    directive_create(number="5580/KH-UBND", issue_date=D(2020, 12, 1), summary="a", issuer=province)
    with pytest.raises(ValidationError) as caught:
        directive_create(
            number="5580/KH-UBND", issue_date=D(2020, 12, 20), summary="b", issuer=province
        )
    assert "đã ban hành văn bản số 5580" in str(caught.value)


def test_same_number_next_year_or_other_type_is_fine(province):
    directive_create(number="5580/KH-UBND", issue_date=D(2020, 12, 1), summary="a", issuer=province)
    directive_create(number="5580/KH-UBND", issue_date=D(2021, 1, 5), summary="b", issuer=province)
    directive_create(number="5580/QĐ-UBND", issue_date=D(2020, 12, 5), summary="c", issuer=province)


def test_outside_issuer_by_name_and_lineage(province):
    resolution = directive_create(
        number="76/NQ-CP", issue_date=D(2021, 7, 15), summary="Chương trình tổng thể CCHC",
        issuer_name="Chính phủ",
    )  # fmt: skip
    plan = directive_create(
        number="985/KH-UBND", issue_date=D(2021, 8, 20), summary="Kế hoạch thực hiện",
        issuer=province, implements=[resolution], areas=CchcArea.objects.filter(code__in=[1, 3]),
    )  # fmt: skip
    assert list(resolution.implemented_by.all()) == [plan]
    assert plan.areas.count() == 2
    with pytest.raises(ValidationError):
        directive_create(number="76/NQ-CP", issue_date=D(2021, 8, 1), summary="x",
                         issuer_name="chính phủ")  # fmt: skip


def test_year_in_number_must_match_issue_date(province):
    with pytest.raises(ValidationError):
        directive_create(
            number="22/2020/QĐ-UBND", issue_date=D(2021, 1, 1), summary="x", issuer=province
        )


def test_attached_file_is_checked_by_content(province, settings):
    fake = SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError):
        directive_create(number="1/KH-UBND", issue_date=D(2026, 1, 1), summary="x",
                         issuer=province, file=fake)  # fmt: skip
    settings.DIRECTIVE_FILE_MAX_BYTES = 10
    big = SimpleUploadedFile("a.pdf", b"%PDF-1.4" + b"x" * 100)
    with pytest.raises(ValidationError):
        directive_create(number="1/KH-UBND", issue_date=D(2026, 1, 1), summary="x",
                         issuer=province, file=big)  # fmt: skip
    settings.DIRECTIVE_FILE_MAX_BYTES = 1000
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4 ok")
    good = directive_create(
        number="1/KH-UBND", issue_date=D(2026, 1, 1), summary="x", issuer=province, file=upload
    )
    assert good.file


def test_update_changes_number_and_keeps_history(province):
    directive = directive_create(
        number="1/KH-UBND", issue_date=D(2026, 1, 1), summary="x", issuer=province
    )
    directive_update(directive=directive, number="2/KH-UBND", summary="y")
    directive.refresh_from_db()
    assert directive.serial == 2
    assert directive.history.count() == 2
