import datetime

import pytest

from organizations.models import UnitKind, UnitLevel
from periodic_reports import services
from periodic_reports.models import ReportKind
from tests.factories import OrgUnitFactory

# Inside the Q3 window of 2026 (15/06-14/09) and after it: the tests run on a fixed day.
DAY = datetime.date(2026, 10, 1)


@pytest.fixture
def kinds(db):
    """The four kinds (a transactional test earlier in the suite may have flushed the seed)."""
    services.report_kinds_seed()
    return {kind.code: kind for kind in ReportKind.objects.all()}


@pytest.fixture
def commune(province):
    return OrgUnitFactory(
        code="X-A",
        name="Xã An Phú",
        kind=UnitKind.COMMUNE,
        level=UnitLevel.COMMUNE,
        parent=province,
        valid_from=datetime.date(2025, 7, 1),
    )


@pytest.fixture
def q3_round(kinds, home_affairs, unit_a, unit_b, commune):
    return services.round_open(actor=home_affairs, kind=kinds["q3"], year=2026, day=DAY)


@pytest.fixture
def report_a(q3_round, unit_a):
    return q3_round.reports.get(unit=unit_a)
