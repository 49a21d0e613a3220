"""The demo province, built once for the tests in this package and walked as its users walk it.

Fixtures for tests on the demo (crawl, drill-down contract, accessibility, browser journeys):

- `demo_province`: `load_demo --dossiers DEMO_DOSSIERS` run ONCE for this package and COMMITTED
  in the test database; at the package's end every table is emptied and the database is put
  back exactly as the package found it, so the rest of the suite starts as it would have.
  Request it (directly or through the fixtures below) together with `db` in ordinary tests: the
  test runs in a transaction that is rolled back, so whatever the test writes disappears and
  the demo stays as built.
- `persona_client`: `persona_client("noivu")` is a Django test client logged in as that demo
  user; `PERSONAS` maps the six roles to their demo users.
- `demo_live_server`: a live server (for Playwright) that serves the committed demo. Use it
  INSTEAD OF pytest-django's `live_server`, and never with `transactional_db` or
  `django_db(transaction=True)`: those flush every table after the test, which would wipe the
  demo for every later test of the package (pytest-django requests `transactional_db` for any
  test that asks for `live_server`). It brings `db` along, so the test may read the database
  too. Beware: what a browser test writes through the
  server is committed by the server's own connection and stays until the package ends, so a
  journey that writes must create its own rows (a new plan, a new report) or leave the demo's
  figures as it found them.

`demo_cache_cleared` (autouse) empties the shared cache around every test here: panels keep
their figures in the cache, and an earlier test's figures must never show on the demo's pages.
"""

from __future__ import annotations

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from organizations.models import User

# A few thousand dossiers: every page and figure of the full demo exists, built in seconds.
DEMO_DOSSIERS = 3000

# The six roles of issue 14, each as the demo user README.md lists for it.
PERSONAS = {
    "home_affairs": "noivu",
    "leader": "lanhdao",
    "department_head": "truong.stp",
    "department_staff": "cv.stp",
    "commune_head": "truong.xdongson",
    "commune_staff": "cv.xdongson",
}


def _reseed_data_migrations() -> None:
    """Put back the rows migrations seed (the eight CCHC areas). An earlier transactional test of
    the suite flushed them, and a demo without them would hide every page that shows areas."""
    seeded = importlib.import_module("directives.migrations.0002_cchc_areas")
    seeded.seed(django_apps, None)


def _restore(snapshot: str) -> None:
    """Empty every table, then load the rows the package found (Django's serialized rollback),
    with the sequences set past them so later inserts do not collide."""
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(snapshot)
    statements = connection.ops.sequence_reset_sql(no_style(), django_apps.get_models())
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@pytest.fixture(scope="package")
def demo_province(django_db_setup, django_db_blocker):
    """The demo province at small scale, committed for the whole package (see the module doc)."""
    with django_db_blocker.unblock():
        snapshot = connection.creation.serialize_db_to_string()
        _reseed_data_migrations()
        call_command("load_demo", dossiers=DEMO_DOSSIERS, stdout=io.StringIO())
        cache.clear()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            _restore(snapshot)
            cache.clear()


@pytest.fixture(autouse=True)
def demo_cache_cleared():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def persona_client(db, demo_province, client):
    """persona_client("noivu") -> a test client logged in as that demo user. Asking for another
    user logs the same client in as them (one persona at a time per test)."""

    def log_in(username: str):
        client.logout()
        client.force_login(User.objects.get(username=username))
        return client

    return log_in


@pytest.fixture(scope="package")
def _demo_server(demo_province, django_db_blocker):
    from pytest_django.live_server_helper import LiveServer

    if connection.vendor == "sqlite":
        # SQLite's in-memory test database is one connection shared with the server thread;
        # the browser's sign-in cannot write through it while a test holds it. CI runs these
        # on PostgreSQL (and refuses SQLite); the test-client crawl and contract run here too.
        pytest.skip("the demo's browser tests need PostgreSQL (set DATABASE_URL), as in CI")

    with django_db_blocker.unblock():
        server = LiveServer("localhost")
    try:
        yield server
    finally:
        with django_db_blocker.unblock():
            server.stop()


@pytest.fixture
def demo_live_server(db, _demo_server):
    """A live server on the committed demo, for browser tests (see the module doc): its `.url`
    is the base URL. Not pytest-django's `live_server`, which would flush the demo away. It asks
    for `db` because the server thread may reach the database only while a test may."""
    _demo_server._live_server_modified_settings.enable()
    yield _demo_server
    _demo_server._live_server_modified_settings.disable()
