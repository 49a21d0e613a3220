"""The daily rollup of dossiers, written in SQL: INSERT ... SELECT ... GROUP BY with an upsert.

Each dossier contributes up to three events, each on its own day: received (received_date),
finished early / on time / late (finished_date) and went overdue (overdue_date). The full
rebuild recomputes every key; the incremental run recomputes only the (unit, day) keys touched by
dossiers changed since the watermark, plus the keys they left (RollupDirtyKey, written by the
services that move a dossier's dates or unit). Both run the same statement, so they agree row for
row (tested).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.bulkload import indexes_dropped
from dossiers.models import (
    EXCLUDED_STATES,
    Dossier,
    DossierDailyRollup,
    DossierHalfMonthRollup,
    RollupDirtyKey,
    RollupWatermark,
)

WATERMARK_NAME = "dossier-daily-rollup"
# Present once a rebuild has filled the half-month table (and late_unapologized): readers use
# the half-month table only then (a database migrated but not rebuilt reads the daily rows).
HALF_MONTH_READY = "dossier-half-month-rollup"
# Rows written by a transaction that began before a run but committed after it carry an older
# updated_at; re-reading this much before the watermark catches them (recomputing is harmless).
OVERLAP = datetime.timedelta(minutes=10)

D = Dossier._meta.db_table
R = DossierDailyRollup._meta.db_table
K = RollupDirtyKey._meta.db_table
H = DossierHalfMonthRollup._meta.db_table
COUNTS = (
    "received",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "went_overdue",
    "fee_required",
    "paid_online",
    "late_unapologized",
)
HALF_COUNTS = (*COUNTS, "received_online")
KEY = ("day", "unit_id", "field_id", "level", "channel")


def _dirty_filter(day_column: str, scoped: bool) -> str:
    # Every SQL string here is built from table and column names defined in code (no user
    # value is ever interpolated; values go as parameters), hence the B608 nosec marks.
    if not scoped:
        return ""
    return (
        f" AND EXISTS (SELECT 1 FROM {K} k WHERE k.unit_id_value = d.unit_id"  # nosec B608 - constant names only
        f" AND k.day = d.{day_column})"
    )


def _insert_sql(scoped: bool, upsert: bool = True) -> str:
    base = "d.unit_id, d.field_id, d.level, d.channel"
    # Withdrawn and stopped dossiers leave the statistics (overdue_date is already empty).
    live = "d.state NOT IN ({})".format(", ".join(f"'{state}'" for state in EXCLUDED_STATES))
    events = f"""
        SELECT d.received_date AS day, {base}, 1 AS received, 0 AS finished_early,
               0 AS finished_on_time, 0 AS finished_late, 0 AS went_overdue,
               CASE WHEN d.fee_required THEN 1 ELSE 0 END AS fee_required,
               CASE WHEN d.paid_online THEN 1 ELSE 0 END AS paid_online,
               0 AS late_unapologized
        FROM {D} d WHERE {live}{_dirty_filter("received_date", scoped)}
        UNION ALL
        SELECT d.finished_date, {base}, 0,
               CASE WHEN d.finished_date < d.due_date THEN 1 ELSE 0 END,
               CASE WHEN d.finished_date = d.due_date THEN 1 ELSE 0 END,
               CASE WHEN d.finished_date > d.due_date THEN 1 ELSE 0 END,
               0, 0, 0, 0
        FROM {D} d
        WHERE d.finished_date IS NOT NULL AND {live}{_dirty_filter("finished_date", scoped)}
        UNION ALL
        SELECT d.overdue_date, {base}, 0, 0, 0, 0, 1, 0, 0,
               CASE WHEN d.apology_registered_at IS NULL THEN 1 ELSE 0 END
        FROM {D} d WHERE d.overdue_date IS NOT NULL{_dirty_filter("overdue_date", scoped)}
    """  # nosec B608 - constant names only
    sums = ", ".join(f"SUM(e.{name})" for name in COUNTS)
    updates = ", ".join(f"{name} = excluded.{name}" for name in COUNTS)
    conflict = f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {updates}" if upsert else ""  # nosec B608 - constant names only
    # WHERE 1 = 1 before GROUP BY: SQLite needs a WHERE in an INSERT ... SELECT with ON CONFLICT.
    return f"""
        INSERT INTO {R} ({", ".join(KEY)}, {", ".join(COUNTS)})
        SELECT e.day, e.unit_id, e.field_id, e.level, e.channel, {sums}
        FROM ({events}) e
        WHERE 1 = 1
        GROUP BY e.day, e.unit_id, e.field_id, e.level, e.channel
        {"" if upsert else "ORDER BY e.day, e.unit_id"}
        {conflict}
    """  # nosec B608 - constant names only


def rollup_check(*, limit: int = 50) -> list[str]:
    """The daily rollup against its rows computed again from the dossiers, and the half-month
    rollup against the daily one: the differing keys (none when both are up to date)."""
    insert = _insert_sql(scoped=False, upsert=False)
    fresh = insert[insert.index("SELECT e.day") :]
    columns = ", ".join((*KEY, *COUNTS))
    problems: list[str] = []
    with connection.cursor() as cursor:
        for label, left, right in (
            ("missing from the daily rollup", fresh, f"SELECT {columns} FROM {R}"),  # nosec B608 - constant names only
            ("in the daily rollup, not in the dossiers", f"SELECT {columns} FROM {R}", fresh),  # nosec B608 - constant names only
        ):
            cursor.execute(f"SELECT * FROM ({left}) a EXCEPT SELECT * FROM ({right}) b")  # nosec B608 - constant names only
            problems += [f"dossier rollup, {label}: {row}" for row in cursor.fetchmany(limit)]
        if half_month_ready():
            half = ", ".join(("half_start", "unit_id", "level", *COUNTS, "received_online"))
            summed = _half_insert_sql("")
            summed = summed[summed.index("SELECT") :]
            for label, left, right in (
                ("missing from the half-month rollup", summed, f"SELECT {half} FROM {H}"),  # nosec B608 - constant names only
                ("in the half-month rollup, not in the daily", f"SELECT {half} FROM {H}", summed),  # nosec B608 - constant names only
            ):
                cursor.execute(f"SELECT * FROM ({left}) a EXCEPT SELECT * FROM ({right}) b")  # nosec B608 - constant names only
                problems += [f"dossier rollup, {label}: {row}" for row in cursor.fetchmany(limit)]
    return problems[:limit]


@transaction.atomic
def rollup_rebuild() -> int:
    """Recompute the whole table. Returns the number of rollup rows.

    On PostgreSQL the table is truncated and refilled with its indexes built once at the end:
    deleting a million rows and inserting them again made every insert step over a dead twin
    in the unique index (49 s for 3 million dossiers, against 7 s for the bare GROUP BY). The
    truncate holds the table exclusively until the commit, so dashboards reading the rollup
    wait for the rebuild (seconds; the hourly path is rollup_incremental, which never blocks
    readers).
    """
    started = timezone.now()
    _lock_watermark()  # one rebuild or incremental run at a time, on any worker
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {R}")  # nosec B608 - constant names only
            with indexes_dropped(R, unique_constraints=True):
                cursor.execute(_insert_sql(scoped=False, upsert=False))
            cursor.execute(f"TRUNCATE {H}")  # nosec B608 - constant names only
        else:
            cursor.execute(f"DELETE FROM {R}")  # nosec B608 - constant names only
            cursor.execute(_insert_sql(scoped=False, upsert=False))
            cursor.execute(f"DELETE FROM {H}")  # nosec B608 - constant names only
        cursor.execute(_half_insert_sql(""), [])
        cursor.execute(f"DELETE FROM {K}")  # nosec B608 - constant names only
    _set_watermark(started)
    RollupWatermark.objects.update_or_create(
        name=HALF_MONTH_READY, defaults={"watermark": timezone.now()}
    )
    return DossierDailyRollup.objects.count()


@transaction.atomic
def rollup_incremental(*, now: datetime.datetime | None = None) -> int:
    """Recompute the keys touched since the watermark. Returns the number of keys recomputed."""
    started = now or timezone.now()
    mark = _lock_watermark()
    since = (mark.watermark - OVERLAP) if mark.watermark else None
    changed = "d.updated_at > %s" if since else "1 = 1"
    params = [since] if since else []
    with connection.cursor() as cursor:
        for column in ("received_date", "finished_date", "overdue_date"):
            cursor.execute(
                f"""INSERT INTO {K} (unit_id_value, day)
                    SELECT DISTINCT d.unit_id, d.{column} FROM {D} d
                    WHERE d.{column} IS NOT NULL AND {changed}
                    ON CONFLICT (unit_id_value, day) DO NOTHING""",  # nosec B608 - constant names only
                params,
            )
        keys = RollupDirtyKey.objects.count()
        if connection.vendor == "postgresql":
            # Fresh statistics for the key table just filled: without them the planner guesses
            # ~20,000 keys and scans all dossiers three times (2.2 s at 3 million) instead of
            # reading the keys' days through the date indexes.
            cursor.execute(f"ANALYZE {K}")  # nosec B608 - constant names only
        if connection.vendor == "postgresql":
            _refresh_keys_in_place(cursor)
        else:
            cursor.execute(
                f"""DELETE FROM {R} WHERE EXISTS (SELECT 1 FROM {K} k
                    WHERE k.unit_id_value = {R}.unit_id AND k.day = {R}.day)"""  # nosec B608 - constant names only
            )
            cursor.execute(_insert_sql(scoped=True))
        if half_month_ready():
            _half_refresh(cursor)
        cursor.execute(f"DELETE FROM {K}")  # nosec B608 - constant names only
    _set_watermark(started)
    return keys


def _refresh_keys_in_place(cursor) -> None:
    """Bring the dirty keys' daily rows to their fresh values, writing only what changed.

    The fresh rows are computed once into a temporary table (the same statement as the
    rebuild's); then a row gone from them is deleted, a row whose counts differ is updated in
    place and a new row inserted. Counts are not indexed, so an update is a HOT one that touches
    no index: deleting every row of the keys and inserting them again wrote each into the
    table's four indexes and left a dead twin behind (about a third of the incremental run at
    3,000,000 dossiers).
    """
    insert = _insert_sql(scoped=True, upsert=False)
    fresh = insert[insert.index("SELECT e.day") :]
    same_key = " AND ".join(f"f.{column} = r.{column}" for column in KEY)
    counts = ", ".join(COUNTS)
    cursor.execute(
        f"CREATE TEMPORARY TABLE rollup_fresh ({', '.join(KEY)}, {counts}) "  # nosec B608 - constant names only
        f"ON COMMIT DROP AS {fresh}"
    )
    cursor.execute("ANALYZE rollup_fresh")
    cursor.execute(
        f"""DELETE FROM {R} r USING {K} k
            WHERE r.unit_id = k.unit_id_value AND r.day = k.day
            AND NOT EXISTS (SELECT 1 FROM rollup_fresh f WHERE {same_key})"""  # nosec B608 - constant names only
    )
    cursor.execute(
        # Through the key table: the planner reads the keys' rows by the rollup's index (joined
        # to the fresh rows alone, it hashed the whole daily table: 3.6 s at full scale).
        f"""UPDATE {R} r SET {", ".join(f"{name} = f.{name}" for name in COUNTS)}
            FROM {K} k, rollup_fresh f
            WHERE r.unit_id = k.unit_id_value AND r.day = k.day AND {same_key}
            AND ({", ".join(f"r.{name}" for name in COUNTS)})
                IS DISTINCT FROM ({", ".join(f"f.{name}" for name in COUNTS)})"""  # nosec B608 - constant names only
    )
    cursor.execute(
        f"""INSERT INTO {R} ({", ".join(KEY)}, {counts})
            SELECT {", ".join(f"f.{column}" for column in (*KEY, *COUNTS))} FROM rollup_fresh f
            WHERE NOT EXISTS (SELECT 1 FROM {R} r WHERE {same_key})
            ORDER BY f.day, f.unit_id"""  # nosec B608 - constant names only
    )
    cursor.execute("DROP TABLE rollup_fresh")


# --- Half-months -------------------------------------------------------------------------------


def half_month_ready() -> bool:
    return RollupWatermark.objects.filter(name=HALF_MONTH_READY).exists()


def half_start(day: datetime.date) -> datetime.date:
    """The first day of the half-month holding `day` (the 1st, or the cut-off day)."""
    split = settings.DOSSIER_REPORT_CUTOFF_DAY
    return day.replace(day=1 if day.day < split else split)


def half_end(day: datetime.date) -> datetime.date:
    """The last day of the half-month holding `day`."""
    split = settings.DOSSIER_REPORT_CUTOFF_DAY
    if day.day < split:
        return day.replace(day=split) - datetime.timedelta(days=1)
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def _half_start_sql(column: str) -> str:
    split = int(settings.DOSSIER_REPORT_CUTOFF_DAY)
    if connection.vendor == "postgresql":
        return (
            f"(CASE WHEN EXTRACT(DAY FROM {column}) < {split}"
            f" THEN date_trunc('month', {column})::date"
            f" ELSE (date_trunc('month', {column})::date + {split - 1}) END)"
        )
    return (
        f"(CASE WHEN CAST(strftime('%d', {column}) AS INTEGER) < {split}"
        f" THEN date({column}, 'start of month')"
        f" ELSE date({column}, 'start of month', '+{split - 1} days') END)"
    )


def _half_insert_sql(where: str) -> str:
    """INSERT the half-month rows summed from the daily ones (optionally only some)."""
    half = _half_start_sql("r.day")
    sums = ", ".join(f"SUM(r.{name})" for name in COUNTS)
    columns = ", ".join(COUNTS)
    return f"""
        INSERT INTO {H} (half_start, unit_id, level, {columns}, received_online)
        SELECT {half}, r.unit_id, r.level, {sums},
               SUM(CASE WHEN r.channel = 'online' THEN r.received ELSE 0 END)
        FROM {R} r {where}
        GROUP BY {half}, r.unit_id, r.level
        ORDER BY 1, 2
    """  # nosec B608 - constant names only


def _half_refresh(cursor) -> None:
    """Recompute the half-months holding the dirty (unit, day) keys, from the daily rows."""
    cursor.execute(f"SELECT DISTINCT unit_id_value, day FROM {K}")  # nosec B608 - constant names only
    halves = sorted({(unit, half_start(day), half_end(day)) for unit, day in cursor.fetchall()})
    for start in range(0, len(halves), 500):
        chunk = halves[start : start + 500]
        values = ", ".join(["(%s, %s, %s)"] * len(chunk))
        params = [value for half in chunk for value in half]
        cast = "::date" if connection.vendor == "postgresql" else ""
        cursor.execute(
            f"WITH t(unit_id, first_day, last_day) AS (VALUES {values}) DELETE FROM {H}"  # nosec B608 - constant names only
            f" WHERE EXISTS (SELECT 1 FROM t WHERE t.unit_id = {H}.unit_id"
            f" AND t.first_day{cast} = {H}.half_start)",
            params,
        )
        if connection.vendor == "postgresql":
            # Each half-month's daily rows read through the (unit, day) index: as a plain join
            # the planner scanned the whole daily table and hashed it by unit (2.8 s for 400
            # halves at 3,000,000 dossiers; ~0.05 s this way). OFFSET 0 keeps the subquery a
            # lateral one the planner cannot flatten back into that join.
            sums = ", ".join(f"SUM(r.{name})" for name in COUNTS)
            cursor.execute(
                f"""WITH t(unit_id, first_day, last_day) AS (VALUES {values})
                INSERT INTO {H} (half_start, unit_id, level, {", ".join(COUNTS)}, received_online)
                SELECT t.first_day::date, t.unit_id, r.level, {sums},
                       SUM(CASE WHEN r.channel = 'online' THEN r.received ELSE 0 END)
                FROM t CROSS JOIN LATERAL (
                    SELECT * FROM {R} r WHERE r.unit_id = t.unit_id
                    AND r.day BETWEEN t.first_day::date AND t.last_day::date OFFSET 0
                ) r
                GROUP BY t.first_day, t.unit_id, r.level
                ORDER BY 1, 2""",  # nosec B608 - constant names only
                params,
            )
        else:
            cursor.execute(
                f"WITH t(unit_id, first_day, last_day) AS (VALUES {values}) "
                + _half_insert_sql(
                    f"JOIN t ON r.unit_id = t.unit_id AND r.day BETWEEN t.first_day{cast}"
                    f" AND t.last_day{cast}"
                ),
                params,
            )


def _lock_watermark() -> RollupWatermark:
    """The watermark row, locked until the commit: rebuilds and incremental runs on several
    workers take turns instead of writing the same keys at once."""
    RollupWatermark.objects.get_or_create(name=WATERMARK_NAME, defaults={"watermark": None})
    return RollupWatermark.objects.select_for_update().get(name=WATERMARK_NAME)


def _set_watermark(moment: datetime.datetime) -> None:
    RollupWatermark.objects.update_or_create(name=WATERMARK_NAME, defaults={"watermark": moment})
