"""Assignment status as data: AssignmentStatusRow (one row per assignment and kept day) and
AssignmentStatusCount (the rows counted per plan year, unit, CCHC area, deadline half-month
and status; no directive: the directive's figures read the rows), both computed by the ONE
live derivation, tasks.status.with_status.

Kept days (StatusAsOf): today (every assignment) and every past period end of each plan year
(the calendar and cut-off quarter ends; the half-year, nine months and year end are among
them) for that plan year's assignments. A dashboard period reads its statuses on
min(period end, today), so every period of every year is one of these days.

Writers, all serialised by one advisory lock (any worker, any number of times):
- `refresh(ids)`: the rows of a few assignments on every kept day, and the counts of the
  units they left or joined; run on commit after a workflow service (`on_status_changed`).
- `catch_up()`: every minute: a new day (today's rows for every assignment), the period
  ends that passed (frozen: written once, then changed only by a refresh of their assignments),
  and the assignments whose refresh on commit failed (StatusDirty).
- `rebuild()`: everything from scratch; `check()`: every kept row and count against the live
  derivation.
"""

from __future__ import annotations

import datetime
import logging
import zlib

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, DateField, ExpressionWrapper, F, IntegerField, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from reporting.models import (
    AnalyticsState,
    AssignmentStatusCount,
    AssignmentStatusRow,
    StatusAsOf,
    StatusDirty,
)
from tasks.models import Assignment

logger = logging.getLogger(__name__)

STATE_NAME = "assignment-status"
LOCK_KEY = zlib.crc32(b"reporting.analytics.status")
ROWS = AssignmentStatusRow._meta.db_table
COUNTS = AssignmentStatusCount._meta.db_table
ROW_COLUMNS = (
    "as_of",
    "assignment_id",
    "year",
    "unit_id",
    "directive_id",
    "area_id",
    "eff_deadline",
    "deadline_half",
    "status",
)
ALIASES = "x_as_of, x_assignment, x_year, x_unit, x_directive, x_area, x_eff, x_half, x_status"
GROUP_COLUMNS = ("as_of", "year", "unit_id", "area_id", "deadline_half", "status")


# --- Half-months and period ends ----------------------------------------------------------------


def split_day() -> int:
    """The day the second half of a month starts: the cut-off day (15), so half-months run
    both conventions' periods (1-14 and 15-end; 15/2-14/3 is two of them)."""
    return settings.DOSSIER_REPORT_CUTOFF_DAY


def half_index(day: datetime.date) -> int:
    """year * 24 + (month - 1) * 2 + (0 before the cut-off day, 1 from it)."""
    return day.year * 24 + (day.month - 1) * 2 + (1 if day.day >= split_day() else 0)


def half_expression(field: str):
    """half_index in SQL, for a date column (NULL stays NULL)."""
    return ExpressionWrapper(
        ExtractYear(field) * Value(24)
        + (ExtractMonth(field) - Value(1)) * Value(2)
        + Case(
            When(**{f"{field}__day__gte": split_day()}, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        output_field=IntegerField(),
    )


def is_half_start(day: datetime.date) -> bool:
    return day.day in (1, split_day())


def is_half_end(day: datetime.date) -> bool:
    return (day + datetime.timedelta(days=1)).day in (1, split_day())


def period_ends(year: int) -> set[datetime.date]:
    """The last days of every dashboard period of a plan year, in both conventions."""
    ends = set()
    for month in (3, 6, 9, 12):
        following = datetime.date(year + (month == 12), month % 12 + 1, 1)
        ends.add(following - datetime.timedelta(days=1))  # calendar
        ends.add(datetime.date(year, month, split_day()) - datetime.timedelta(days=1))  # cut-off
    return ends


# --- Writing ------------------------------------------------------------------------------------


def _lock() -> None:
    """One writer at a time on any worker (released at the transaction's end)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _source(as_of: datetime.date, assignments=None):
    """The live derivation of the rows of one day, as a SELECT with the rows' columns."""
    qs = assignments if assignments is not None else Assignment.objects.all()
    return (
        qs.with_status(as_of)
        .annotate(
            x_as_of=Value(as_of, output_field=DateField()),
            x_assignment=F("pk"),
            x_year=F("task__directive__year"),
            x_unit=F("unit_id"),
            x_directive=F("task__directive_id"),
            x_area=F("task__area_id"),
            x_eff=F("eff_deadline"),
            x_half=half_expression("eff_deadline"),
            x_status=F("status"),
        )
        .values(
            "x_as_of",
            "x_assignment",
            "x_year",
            "x_unit",
            "x_directive",
            "x_area",
            "x_eff",
            "x_half",
            "x_status",
        )
        .order_by()
    )


def _insert_rows(as_of: datetime.date, assignments=None) -> int:
    sql, params = _source(as_of, assignments).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ROWS} ({', '.join(ROW_COLUMNS)}) SELECT {ALIASES} FROM ({sql}) s",  # nosec B608 - constant names only
            params,
        )
        return cursor.rowcount


def _insert_rows_of_days(days: list[tuple], assignments) -> int:
    """_insert_rows for several days in one statement (the refresh of a few assignments)."""
    if not days:
        return 0
    selects, params = [], []
    for as_of, is_today in days:
        sql, day_params = _source(
            as_of, _for_day((as_of, is_today), assignments)
        ).query.sql_with_params()
        selects.append(f"SELECT {ALIASES} FROM ({sql}) s")  # nosec B608 - constant names only
        params += day_params
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ROWS} ({', '.join(ROW_COLUMNS)}) " + " UNION ALL ".join(selects),  # nosec B608 - constant names only
            params,
        )
        return cursor.rowcount


def _for_day(day: StatusAsOf | tuple, assignments=None):
    """The assignments a kept day holds: all of them today, the plan year's on a period end."""
    as_of, is_today = (day.as_of, day.is_today) if isinstance(day, StatusAsOf) else day
    qs = assignments if assignments is not None else Assignment.objects.all()
    return qs if is_today else qs.filter(task__directive__year=as_of.year)


def _where(filters: dict) -> tuple[str, list]:
    """WHERE clause of `column IN (...)` filters (a None value: no filter)."""
    clauses, params = [], []
    for column, values in filters.items():
        if values is None:
            continue
        values = list(values)
        if not values:
            return "1 = 0", []
        clauses.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
        params += values
    return (" AND ".join(clauses) or "1 = 1"), params


def _recount(*, days, units=None) -> None:
    """Recompute the counts of the given days (and units) from the rows."""
    where, params = _where({"as_of": days, "unit_id": units})
    columns = ", ".join(GROUP_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {COUNTS} WHERE {where}", params)  # nosec B608 - constant names only
        # written in the order the dashboards read them (a day and plan year together): the rows
        # of one day sit on a few pages instead of being spread over the whole table
        cursor.execute(
            f"INSERT INTO {COUNTS} ({columns}, n) SELECT {columns}, COUNT(*) FROM {ROWS}"  # nosec B608 - constant names only
            f" WHERE {where} GROUP BY {columns} ORDER BY as_of, year, unit_id",
            params,
        )


def _touch(*, bump: bool = True) -> None:
    state, _created = AnalyticsState.objects.get_or_create(name=STATE_NAME)
    state.checked_at = timezone.now()
    if bump:
        state.version += 1
    state.save(update_fields=["checked_at", "version"])


REFRESH_CHUNK = 500  # ids per statement: a large import stays under the parameter limit


@transaction.atomic
def refresh(assignment_ids) -> int:
    """Recompute the rows of these assignments on every kept day, and the counts of the groups
    they were and are in. Returns the number of rows written. Missing ids (a deleted
    assignment) lose their rows."""
    ids = sorted({int(pk) for pk in assignment_ids})
    if not ids:
        return 0
    _lock()
    if len(ids) > REFRESH_CHUNK:
        return sum(
            refresh(ids[start : start + REFRESH_CHUNK])
            for start in range(0, len(ids), REFRESH_CHUNK)
        )
    days = list(StatusAsOf.objects.values_list("as_of", "is_today"))
    last_dirty = StatusDirty.objects.filter(assignment_id__in=ids).order_by("-pk").first()
    if not days:  # the tables were never built: the rebuild (or catch-up) will
        return 0
    units = set(
        AssignmentStatusRow.objects.filter(assignment_id__in=ids).values_list("unit_id", flat=True)
    )
    AssignmentStatusRow.objects.filter(assignment_id__in=ids).delete()
    assignments = Assignment.objects.filter(pk__in=ids)
    years = set(assignments.values_list("task__directive__year", flat=True))
    written = _insert_rows_of_days(
        [day for day in days if day[1] or day[0].year in years], assignments
    )
    units |= set(
        AssignmentStatusRow.objects.filter(assignment_id__in=ids).values_list("unit_id", flat=True)
    )
    if units:
        _recount(days=[as_of for as_of, _is_today in days], units=units)
    if last_dirty is not None:
        StatusDirty.objects.filter(assignment_id__in=ids, pk__lte=last_dirty.pk).delete()
    _touch()
    return written


def _add_day(as_of: datetime.date, *, is_today: bool) -> int:
    written = _insert_rows(as_of, _for_day((as_of, is_today)))
    _recount(days=[as_of])
    StatusAsOf.objects.update_or_create(
        as_of=as_of, defaults={"is_today": is_today, "computed_at": timezone.now()}
    )
    return written


def _drop_day(as_of: datetime.date) -> None:
    AssignmentStatusRow.objects.filter(as_of=as_of).delete()
    AssignmentStatusCount.objects.filter(as_of=as_of).delete()
    StatusAsOf.objects.filter(as_of=as_of).delete()


def _plan_years() -> list[int]:
    return sorted(
        set(Assignment.objects.values_list("task__directive__year", flat=True).distinct())
    )


@transaction.atomic
def catch_up(*, today: datetime.date | None = None) -> dict:
    """Every minute (and nightly): move the running day to today, freeze the period ends that
    passed, refresh what a failed on-commit refresh left. Safe anywhere and twice."""
    today = today or timezone.localdate()
    _lock()
    done = {"today": 0, "period_ends": 0, "refreshed": 0}
    if not StatusAsOf.objects.exists():
        done["today"] = rebuild_in_lock(today=today)
        return done
    running = StatusAsOf.objects.filter(is_today=True).first()
    if running is None or running.as_of != today:
        if running is not None:
            if running.as_of < today and running.as_of in period_ends(running.as_of.year):
                # yesterday was a period end: it stays, for its own plan year only
                AssignmentStatusRow.objects.filter(as_of=running.as_of).exclude(
                    year=running.as_of.year
                ).delete()
                _recount(days=[running.as_of])
                StatusAsOf.objects.filter(pk=running.pk).update(is_today=False)
            else:
                _drop_day(running.as_of)
        _drop_day(today)  # a period end re-read as the running day
        done["today"] = _add_day(today, is_today=True)
    kept = set(StatusAsOf.objects.values_list("as_of", flat=True))
    for year in _plan_years():
        for end in sorted(period_ends(year)):
            if end < today and end not in kept:
                done["period_ends"] += _add_day(end, is_today=False)
    dirty = list(StatusDirty.objects.values_list("assignment_id", flat=True).distinct()[:5000])
    if dirty:
        done["refreshed"] = refresh(dirty)
    _touch(bump=bool(done["today"] or done["period_ends"] or done["refreshed"]))
    return done


@transaction.atomic
def nightly(*, today: datetime.date | None = None) -> dict:
    """Nightly: the catch-up, then the check against the live derivation; on any difference
    (something wrote around the services: a bulk update, a directive's year changed) the
    tables are rebuilt and the difference is logged."""
    today = today or timezone.localdate()
    _lock()
    done = catch_up(today=today)
    problems = check(limit=5)
    done["differences"] = len(problems)
    if problems:
        logger.warning("analytics tables differed from the live derivation: %s", problems)
        done["rebuilt"] = rebuild_in_lock(today=today)
    return done


@transaction.atomic
def rebuild(*, today: datetime.date | None = None) -> int:
    """Everything from scratch. Safe twice and on any worker (the advisory lock makes a second
    run wait for the first). Returns the number of rows written."""
    _lock()
    return rebuild_in_lock(today=today or timezone.localdate())


def rebuild_in_lock(*, today: datetime.date) -> int:
    last_dirty = StatusDirty.objects.order_by("-pk").values_list("pk", flat=True).first()
    days = [(today, True)] + [
        (end, False) for year in _plan_years() for end in sorted(period_ends(year)) if end < today
    ]
    with connection.cursor() as cursor:
        for table in (ROWS, COUNTS, StatusAsOf._meta.db_table):
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {table}")  # nosec B608 - constant names only
            else:
                cursor.execute(f"DELETE FROM {table}")  # nosec B608 - constant names only
    written = 0
    with _indexes_dropped():
        for as_of, is_today in days:
            written += _insert_rows(as_of, _for_day((as_of, is_today)))
    _recount(days=None)  # every day at once: one GROUP BY over the rows just written
    now = timezone.now()
    StatusAsOf.objects.bulk_create(
        [StatusAsOf(as_of=as_of, is_today=is_today, computed_at=now) for as_of, is_today in days]
    )
    if last_dirty is not None:
        StatusDirty.objects.filter(pk__lte=last_dirty).delete()
    _touch()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (ROWS, COUNTS):
                cursor.execute(f"ANALYZE {table}")  # nosec B608 - constant names only
    return written


def _indexes_dropped():
    """On PostgreSQL the rows' indexes are built once after the rebuild's inserts."""
    import contextlib

    if connection.vendor != "postgresql":
        return contextlib.nullcontext()
    from core.bulkload import indexes_dropped

    return indexes_dropped(ROWS, unique_constraints=True)


# --- The hook the workflow services call (through tasks.signals) ---------------------------------


def on_status_changed(sender=None, assignment_ids=(), **kwargs) -> None:
    """Receiver of tasks.signals.assignment_status_changed, called inside the service's
    transaction: the ids are written down in that transaction (a rollback forgets them) and
    refreshed right after its commit; if that refresh fails, the catch-up job takes them a
    minute later."""
    ids = sorted({int(pk) for pk in assignment_ids if pk})
    if not ids:
        return
    StatusDirty.objects.bulk_create([StatusDirty(assignment_id=pk) for pk in ids])

    def run() -> None:
        try:
            refresh(ids)
        except Exception:  # the rows stay in StatusDirty for the catch-up job
            logger.exception("analytics refresh of %s failed; the catch-up job will retry", ids)

    transaction.on_commit(run)


# --- The check --------------------------------------------------------------------------------


def check(*, limit: int = 20) -> list[str]:
    """Every kept day's rows and counts against the live derivation; the differences, or []."""
    problems: list[str] = []
    for day in StatusAsOf.objects.order_by("as_of"):
        live = {
            row["x_assignment"]: (
                row["x_year"],
                row["x_unit"],
                row["x_directive"],
                row["x_area"],
                row["x_eff"],
                row["x_half"],
                row["x_status"],
            )
            for row in _source(day.as_of, _for_day(day))
        }
        kept = {
            row[0]: row[1:]
            for row in AssignmentStatusRow.objects.filter(as_of=day.as_of).values_list(
                "assignment_id",
                "year",
                "unit_id",
                "directive_id",
                "area_id",
                "eff_deadline",
                "deadline_half",
                "status",
            )
        }
        for pk in sorted(live.keys() | kept.keys()):
            if live.get(pk) != kept.get(pk):
                problems.append(
                    f"{day.as_of:%d/%m/%Y} assignment {pk}: table {kept.get(pk)} "
                    f"live {live.get(pk)}"
                )
        expected: dict[tuple, int] = {}
        for year, unit, _directive, area, _eff, half, status in live.values():
            key = (year, unit, area, half, status)
            expected[key] = expected.get(key, 0) + 1
        counted: dict[tuple, int] = {}
        for row in AssignmentStatusCount.objects.filter(as_of=day.as_of).values_list(
            "year", "unit_id", "area_id", "deadline_half", "status", "n"
        ):
            counted[row[:-1]] = counted.get(row[:-1], 0) + row[-1]
        for key in sorted(expected.keys() | counted.keys(), key=repr):
            if expected.get(key, 0) != counted.get(key, 0):
                problems.append(
                    f"{day.as_of:%d/%m/%Y} count {key}: table {counted.get(key, 0)} "
                    f"live {expected.get(key, 0)}"
                )
        if limit and len(problems) >= limit:
            break
    today = timezone.localdate()
    if not StatusAsOf.objects.filter(as_of=today, is_today=True).exists():
        problems.append(f"the running day is not {today:%d/%m/%Y} (run the catch-up)")
    missing = [
        end
        for year in _plan_years()
        for end in sorted(period_ends(year))
        if end < today and not StatusAsOf.objects.filter(as_of=end).exists()
    ]
    if missing:
        problems.append(f"period ends not kept: {', '.join(f'{d:%d/%m/%Y}' for d in missing)}")
    return problems[:limit] if limit else problems
