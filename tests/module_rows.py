"""Rows built once for a whole test module and rolled back at its end.

`built_once_per_module(build)` returns a module-scoped fixture that runs `build()` inside a
transaction held open for the module and gives what `build` returns; each test's own `db`
transaction nests inside it (a savepoint), so a test's writes still vanish after it, and the
module's rows after its last test. `rolled_back_at_module_end` is the same for a fixture that
needs other fixtures. Name such a fixture `..._once`: tests/conftest.py keeps its module on one
xdist worker, so the rows are built once (a module split over workers would build them again).
Only for modules whose tests use `db`, never `transactional_db` or `live_server`."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import pytest
from django.db import transaction


@contextlib.contextmanager
def rolled_back_at_module_end(django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def built_once_per_module(build: Callable[[], object]):
    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        with rolled_back_at_module_end(django_db_blocker):
            yield build()

    return fixture
