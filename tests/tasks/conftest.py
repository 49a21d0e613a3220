import datetime

import pytest

from tasks import services
from tasks.models import OutputKind
from tests.tasks.factories import DirectiveFactory


@pytest.fixture
def directive(province):
    return DirectiveFactory(number="5580/KH-UBND", issue_date=datetime.date(2026, 1, 10))


@pytest.fixture
def task_a(directive, unit_a):
    """A one-off task led by unit A, with a report (a document) expected by 15/9/2026."""
    return services.task_create(
        directive=directive,
        item_number="1",
        title="Xây dựng kế hoạch rà soát thủ tục hành chính",
        lead_unit=unit_a,
        deadline=datetime.date(2026, 9, 15),
        output_kind=OutputKind.REPORT,
        expected_output="Báo cáo kết quả rà soát",
    )


@pytest.fixture
def assignment_a(task_a, unit_a):
    return task_a.assignments.get(unit=unit_a)


@pytest.fixture
def task_b(directive, unit_b):
    return services.task_create(
        directive=directive,
        item_number="2",
        title="Tuyên truyền cải cách hành chính",
        lead_unit=unit_b,
        deadline=datetime.date(2026, 10, 1),
        output_kind=OutputKind.ACTIVITY,
        expected_output="Các buổi tuyên truyền",
    )


@pytest.fixture
def assignment_b(task_b, unit_b):
    return task_b.assignments.get(unit=unit_b)


@pytest.fixture
def pdf_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(name="bao-cao.pdf"):
        return SimpleUploadedFile(name, b"%PDF-1.4\n% test evidence\n%%EOF\n", "application/pdf")

    return make
