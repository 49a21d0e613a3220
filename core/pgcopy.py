"""PostgreSQL COPY FROM STDIN in text format: the fast way to load many rows.

Used by the benchmark generator and by the dossier import's temporary table. PostgreSQL only:
callers keep another path for SQLite.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence

NULL = "\\N"


def copy_text(value) -> str:
    """One value in COPY text format: \\N is NULL; backslash, tab and line breaks escaped."""
    if value is None:
        return NULL
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


def copy_lines(table: str, columns: Sequence[str], buffer: io.StringIO, *, using=None) -> None:
    """COPY the lines already written to `buffer` (one row a line, tab-separated, in the text
    format of copy_text) into `table`, in one round trip."""
    from django.db import connection as default_connection

    connection = using or default_connection
    buffer.seek(0)
    with connection.cursor() as cursor:
        # Table and column names come from the caller's code (model metadata), never from input.
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write rows with COPY FROM STDIN (one round trip per call). Returns the row count."""
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(copy_text(value) for value in row))
        buffer.write("\n")
        count += 1
    if count:
        copy_lines(table, columns, buffer)
    return count
