"""Personas on two sibling units (A and B under one province) and the shared fixtures."""

import os
import shutil

import pytest
from celery import current_app
from django.conf import settings
from django.db import connections

from core.roles import Role
from tests.factories import (
    make_home_affairs_unit,
    make_province,
    make_sub_unit_a,
    make_unit_a,
    make_unit_b,
    make_user,
)

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


def _db_order(item) -> int:
    """pytest-django's order: database tests (0), transactional ones (1), the rest (2)."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in fixtures for name in ("transactional_db", "live_server")
    )
    if transactional:
        return 1
    return 0 if marker or "db" in fixtures else 2


def pytest_itemcollected(item):
    # Under pytest-xdist (`-n 2 --dist loadgroup`), tests that share something heavy run on one
    # worker: the demo province (built once per process for tests/demo) and a module's rows
    # built once (tests/module_rows.py). Markers added here, before xdist names the groups in
    # its own collection hook. A group is dispatched whole, before the single tests: a group
    # must hold no transactional test (its flush would empty the migrations' rows, the eight
    # CCHC areas, under the tests that follow it), which is why the real-worker tests are
    # not grouped (each process has its own database and Redis database anyway).
    path = str(item.path)
    if f"{os.sep}tests{os.sep}demo{os.sep}" in path:
        item.add_marker(pytest.mark.xdist_group("demo"))
    elif any(name.endswith("_once") for name in getattr(item, "fixturenames", ())):
        item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # pytest-django runs transactional tests after the others because they flush every table,
    # the rows migrations seed (the eight CCHC areas) included; pytest's grouping of tests by
    # fixture scope, applied after it, pulled the browser tests forward and the tests after
    # them lost the areas. Sorting again (stable) keeps each group's own order.
    items.sort(key=_db_order)
    _demo_writers_last(items)


def _demo_writers_last(items) -> None:
    """In tests/demo, the tests that commit to the shared demo (the journeys, marked
    `writes_demo`) run after every test that reads it, and the browser tests after the others
    (pytest moves the users of the package's live server next to the first of them, which
    pulled the journeys before later modules). The demo's tests keep their places in the list,
    so the package stays in one piece."""
    marker = f"{os.sep}tests{os.sep}demo{os.sep}"
    places = [index for index, item in enumerate(items) if marker in str(item.path)]
    demo_items = sorted(
        (items[index] for index in places),
        key=lambda item: (
            item.get_closest_marker("writes_demo") is not None,
            "demo_live_server" in getattr(item, "fixturenames", ()),
        ),
    )
    for index, item in zip(places, demo_items, strict=True):
        items[index] = item


# --- The two sibling units and their personas (built by tests.factories.make_*) -------------


@pytest.fixture
def province(db):
    return make_province()


@pytest.fixture
def home_affairs_unit(province):
    return make_home_affairs_unit(province)


@pytest.fixture
def unit_a(province):
    return make_unit_a(province)


@pytest.fixture
def unit_b(province):
    return make_unit_b(province)


@pytest.fixture
def home_affairs(home_affairs_unit):
    return make_user("home_affairs", Role.HOME_AFFAIRS, home_affairs_unit)


@pytest.fixture
def leader(province):
    return make_user("leader", Role.LEADER, province)


@pytest.fixture
def head_a(unit_a):
    return make_user("head_a", Role.UNIT_HEAD, unit_a)


@pytest.fixture
def staff_a(unit_a):
    return make_user("staff_a", Role.UNIT_STAFF, unit_a)


@pytest.fixture
def sub_unit_a(unit_a):
    return make_sub_unit_a(unit_a)


@pytest.fixture
def head_sub_a(sub_unit_a):
    return make_user("head_sub_a", Role.UNIT_HEAD, sub_unit_a)


@pytest.fixture
def head_b(unit_b):
    return make_user("head_b", Role.UNIT_HEAD, unit_b)


@pytest.fixture
def client_for(client):
    """Log a persona in: client_for(head_a).get(...)."""

    def login(user):
        client.force_login(user)
        return client

    return login


# --- Browser tests (tests/e2e, tests/demo) --------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright, one per test module; skipped outside CI when no
    chromium is installed (under CI=true a missing browser is a failure)."""
    executable = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not executable:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no chromium is installed")
        pytest.skip("chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are safe.
    # (Module-scoped, so os.environ by hand: monkeypatch is function-scoped.)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
            yield launched
            launched.close()
            # Code run while Playwright's loop is up may have opened its own database
            # connection (another context's); left open it keeps the test database from
            # being dropped at the end of the run.
            connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def people(home_affairs, leader, head_a, staff_a, head_sub_a, head_b):
    """The personas of the policy tables by name (tests/<app>/test_policy.py): one of each role,
    a parent unit's head (head_a) beside its sub-unit's (head_sub_a), and another unit's head."""
    return {
        "home_affairs": home_affairs,
        "leader": leader,
        "head_a": head_a,
        "staff_a": staff_a,
        "head_sub_a": head_sub_a,
        "head_b": head_b,
    }


# --- Redis stopped: the broker (the cache is tests/core/test_cache_down.py's redis_down) --------


@pytest.fixture
def broker_down():
    """Celery publishes to a Redis nobody listens on (jobs are no longer run inline). The app's
    connection and producer pools are dropped on both sides so no earlier connection is used."""
    app = current_app
    names = ("broker_url", "broker_write_url", "broker_transport_options", "task_always_eager")
    saved = {name: app.conf[name] for name in names}

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.update(
        broker_url="redis://127.0.0.1:1/0",
        broker_write_url=None,
        broker_transport_options={"socket_connect_timeout": 1},
        task_always_eager=False,
    )
    reset_pools()
    yield app
    app.conf.update(saved)
    reset_pools()
