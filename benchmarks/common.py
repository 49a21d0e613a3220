"""Helpers shared by the generator and the runner: Django set-up, the PostgreSQL guard, COPY."""

from __future__ import annotations

import datetime
import io
import os
import sys
from collections.abc import Iterable, Sequence


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


def _text(value) -> str:
    # PostgreSQL COPY text format: \N is NULL; backslash, tab and line breaks are escaped.
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.date):  # datetime is a date too
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write rows with COPY FROM STDIN (one round trip per call). Returns the row count."""
    from django.db import connection

    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(_text(value) for value in row))
        buffer.write("\n")
        count += 1
    if not count:
        return 0
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
    return count


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
