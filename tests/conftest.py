"""Personas on two sibling units (A and B under one province) and the shared fixtures."""

import os

import pytest
from django.conf import settings

from core.roles import Role
from organizations.models import UnitKind, UnitLevel
from tests.factories import OrgUnitFactory, UserFactory

PASSWORD = "pw-for-tests-1"


def pytest_sessionstart(session):
    # In CI the suite must run on the real services; a silent fall-back to SQLite hides bugs.
    if os.environ.get("CI") == "true":
        engine = settings.DATABASES["default"]["ENGINE"]
        problems = []
        if "postgresql" not in engine:
            problems.append(f"database engine is {engine}, not PostgreSQL (set DATABASE_URL)")
        if not settings.REDIS_URL:
            problems.append("REDIS_URL is not set")
        if problems:
            pytest.exit("CI=true but " + "; ".join(problems), returncode=3)


@pytest.fixture
def province(db):
    return OrgUnitFactory(
        code="UBND",
        name="Ủy ban nhân dân tỉnh",
        kind=UnitKind.PROVINCIAL_COMMITTEE,
        level=UnitLevel.PROVINCE,
    )


@pytest.fixture
def home_affairs_unit(province):
    return OrgUnitFactory(code="SNV", name="Sở Nội vụ", short_name="SNV", parent=province)


@pytest.fixture
def unit_a(province):
    return OrgUnitFactory(code="STC", name="Sở Tài chính", short_name="STC", parent=province)


@pytest.fixture
def unit_b(province):
    return OrgUnitFactory(code="STP", name="Sở Tư pháp", short_name="STP", parent=province)


@pytest.fixture
def home_affairs(home_affairs_unit):
    return UserFactory(username="home_affairs", role=Role.HOME_AFFAIRS, unit=home_affairs_unit)


@pytest.fixture
def leader(province):
    return UserFactory(username="leader", role=Role.LEADER, unit=province)


@pytest.fixture
def head_a(unit_a):
    return UserFactory(username="head_a", role=Role.UNIT_HEAD, unit=unit_a)


@pytest.fixture
def staff_a(unit_a):
    return UserFactory(username="staff_a", role=Role.UNIT_STAFF, unit=unit_a)


@pytest.fixture
def head_b(unit_b):
    return UserFactory(username="head_b", role=Role.UNIT_HEAD, unit=unit_b)


@pytest.fixture
def client_for(client):
    """Log a persona in: client_for(head_a).get(...)."""

    def login(user):
        client.force_login(user)
        return client

    return login
