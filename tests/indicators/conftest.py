from decimal import Decimal

import pytest

from indicators.sources import Figure, register_source, unregister_source
from tests.indicators.factories import TEST_SOURCE, build_framework


@pytest.fixture
def rate_source():
    """A computed-criterion source whose figures the test sets: rate_source["u"] = (28, 40)."""
    figures: dict[str, tuple[int, int]] = {}

    def compute(unit, year):
        if unit.code not in figures:
            return None, {"note": "no data"}
        done, total = figures[unit.code]
        return Decimal(done * 100) / Decimal(total), {"done": done, "total": total, "year": year}

    register_source(
        TEST_SOURCE,
        "Tỷ lệ thử nghiệm",
        compute,
        figures=[Figure("done", "Đã xong"), Figure("total", "Tổng số")],
        empty="Đơn vị chưa có số liệu thử nghiệm.",
    )
    yield figures
    unregister_source(TEST_SOURCE)


@pytest.fixture
def framework(db, rate_source):
    return build_framework()


@pytest.fixture
def opened(framework, home_affairs, unit_a, unit_b):
    """The framework opened for units A and B: {unit code: assessment}."""
    from indicators.services.assessments import assessments_open

    assessments = assessments_open(actor=home_affairs, framework=framework, units=[unit_a, unit_b])
    return {assessment.unit.code: assessment for assessment in assessments}
