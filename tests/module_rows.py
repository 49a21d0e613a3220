"""Rows built once for a whole test module and rolled back at its end.

A module-scoped fixture builds its rows inside `rolled_back_at_module_end`, a transaction held
open for the module; each test's own `db` transaction nests inside it (a savepoint), so a test's
writes still vanish after it, and the module's rows after its last test (see `world_once` in
tests/security/test_permission_matrix.py). Name such a fixture `..._once`: tests/conftest.py
keeps its module on one xdist worker, so the rows are built once (a module split over workers
would build them again). Only for modules whose tests use `db`, never `transactional_db` or
`live_server`. Tests that read the demo province share the one tests/demo builds instead."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

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
