import pytest

from core import workdays
from tests.dossiers.factories import make_field, make_procedure


@pytest.fixture(autouse=True)
def _fresh_calendar(db):
    workdays.invalidate()


@pytest.fixture
def land(db):
    return make_field("DD", "Đất đai")


@pytest.fixture
def procedure(land):
    # 3 working days, no cut-off, fee
    return make_procedure("1.001", field=land, time_limit=3, has_fee=True)
