"""Helpers shared by the generator and the runner: Django set-up, the PostgreSQL guard, ids.
(COPY lives in core.pgcopy, which the dossier import uses too.)"""

from __future__ import annotations

import os
import sys


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
    import django

    django.setup()


def refuse_sqlite() -> None:
    """The figures mean nothing on SQLite; stop with a clear message instead of measuring it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.stderr.write(
            "The benchmarks run on PostgreSQL only (this database is "
            f"{connection.vendor}). Set DATABASE_URL, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench\n"
        )
        raise SystemExit(2)


def next_id(model) -> int:
    """The first free id of a table: the generator numbers rows itself so children can point at
    their parents without reading ids back; `sync_sequence` then moves the identity on."""
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def sync_sequence(model) -> None:
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"GREATEST((SELECT MAX(id) FROM {table}), 1))"
        )


def vacuum_analyze(*tables: str) -> None:
    """VACUUM ANALYZE the tables (all of them when none is named): after the generator's bulk
    load and after the bench's own bulk deletes, so no figure pays for dead rows or stale
    planner statistics (seen: a count went from 236 ms to 1 ms). VACUUM cannot run inside a
    transaction: there (the generator under a test's rollback) only ANALYZE runs."""
    from django.db import connection

    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        if not tables:
            cursor.execute(command)
        for table in tables:
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")
