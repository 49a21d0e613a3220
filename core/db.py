"""Reads that may go to a PostgreSQL read replica.

With DATABASE_REPLICA_URL set, settings add a "replica" database and `ReplicaRouter`. Nothing
reads from it by default: a page or a job opts in for a block of pure reads with
`replica_reads()` (or a view with `@reads_from_replica`), because a replica lags the primary
by a moment and a page that has just written must read its own write. Dashboards and the rows
of an export opt in; every write, any read inside a transaction, and any read outside such a
block go to the primary.
"""

from __future__ import annotations

import contextlib
import functools
from contextvars import ContextVar

from django.db import connections

REPLICA = "replica"

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.databases


@contextlib.contextmanager
def replica_reads():
    """Send the reads made inside this block to the replica, when one is configured."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def reads_from_replica(view):
    """View decorator: the whole view (its rendering included) reads from the replica."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Reads inside `replica_reads()` go to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        if not (_reading_from_replica.get() and replica_configured()):
            return None
        # A transaction on the primary reads its own state: a write's validation (a foreign
        # key's existence check) must not look at a replica that has not replayed it yet.
        if connections["default"].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both databases hold the same rows (physical replication).
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
