"""Rows built once for a whole test module and rolled back at its end.

`built_once_per_module(build)` returns a module-scoped fixture that runs `build()` inside a
transaction held open for the module; each test's own `db` transaction nests inside it (a
savepoint), so a test's writes still vanish after it, and the module's rows after the last
test. Name the fixture `..._once`: tests/conftest.py keeps such a module on one xdist worker,
in one run, so the rows are built once (a module split over workers would build them again).
Only for modules whose tests use `db`, never `transactional_db` or `live_server`."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction


def built_once_per_module(build: Callable[[], object]):
    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                build()
                yield
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    return fixture
