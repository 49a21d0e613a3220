"""Demo dossiers for the demo province: the procedure catalogue and two years of dossiers.

Deterministic (a seeded random generator over a window ending today) and fast: dossiers are
built in memory with the calendar's dates cached and written with bulk inserts, then the daily
rollup is rebuilt in SQL. Idempotent: procedures are looked up by code, and the dossiers are
skipped when demo dossiers exist. Shares follow the seeds: about 99% finished early or on
time, about half filed online (fewer at province level), few paid online.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.utils import timezone

from core.roles import Role
from dossiers import rollups, services
from dossiers.demo_catalogue import FIELD_UNITS, FIELDS, PROCEDURES
from dossiers.models import Channel, Dossier, DossierState, Procedure
from organizations.models import OrgUnit, UnitLevel, User
from organizations.services import user_create

DEMO_SOURCE = "demo"
SERVICE_ACCOUNT = "motcua"
DEMO_COUNT = 200_000
DAYS = 730
SEED = 20260630
BATCH = 5000
ROWS_PER_STATEMENT = 400  # 24 columns: under SQLite's 32,766 parameters
TWO_LEVEL_START = datetime.date(2025, 7, 1)
# Online share by the receiving unit's level (seed 001: tỉnh 43%, huyện 59%, xã 57%).
ONLINE_SHARE = {UnitLevel.PROVINCE: 0.43, UnitLevel.DISTRICT: 0.59, UnitLevel.COMMUNE: 0.57}
AGGREGATE_ONLY = ("BHXH", "CAT")  # see load_aggregate_rows


def load_catalogue() -> int:
    created = 0
    fields = {}
    for code, name in FIELDS:
        fields[code] = services.procedure_field_get_or_create(code=code, name=name)
    existing = set(Procedure.objects.values_list("code", flat=True))
    for code, name, field, level, limit, kind, online, legacy, fee, cutoff in PROCEDURES:
        if code in existing:
            continue
        services.procedure_create(
            code=code,
            name=name,
            field=fields[field],
            level=level,
            time_limit=limit,
            time_limit_kind=kind,
            online_level=online,
            legacy_level=legacy,
            has_fee=fee,
            cutoff_hour=cutoff,
        )
        created += 1
    return created


def _unit_pools() -> dict[str, list[OrgUnit]]:
    # The central agencies (police, social insurance) report aggregate figures only.
    units = list(
        OrgUnit.objects.exclude(kind__in=["provincial_committee", "central_agency"]).exclude(
            code__in=AGGREGATE_ONLY
        )
    )
    return {
        "province": [u for u in units if u.level == UnitLevel.PROVINCE],
        "district": [u for u in units if u.level == UnitLevel.DISTRICT],
        "commune": [u for u in units if u.level == UnitLevel.COMMUNE],
    }


def _handlers(
    procedures: list[Procedure], province_units: list[OrgUnit]
) -> dict[int, list[OrgUnit]]:
    """The provincial units that receive each province-level procedure: those FIELD_UNITS names
    for its field. A province without those bodies (the benchmarks' generated one) falls back
    to every provincial unit, so the generator still runs there."""
    by_code = {unit.code: unit for unit in province_units}
    handlers = {}
    for procedure in procedures:
        named = [by_code[c] for c in FIELD_UNITS.get(procedure.field.code, ()) if c in by_code]
        handlers[procedure.pk] = named or province_units
    return handlers


def local_levels(received_day: datetime.date) -> tuple[str, tuple[str, ...]]:
    """The local level receiving dossiers on a day, and the procedure levels it handles: the
    districts their own procedures before 1/7/2025, the communes theirs and the districts'
    after (the demo has no commune before the two-level government)."""
    if received_day < TWO_LEVEL_START:
        return "district", ("district",)
    return "commune", ("district", "commune")


COLUMNS = (
    "source",
    "code",
    "procedure_id",
    "procedure_version_id",
    "field_id",
    "unit_id",
    "level",
    "channel",
    "state",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "fee_required",
    "paid_online",
    "apology_registered_at",
    "apology_new_due_at",
    "apology_note",
    "received_date",
    "due_date",
    "finished_date",
    "overdue_date",
    "created_at",
    "updated_at",
)


def _insert(rows: list[tuple]) -> None:
    # Multi-row INSERTs: the ORM's per-field preparation would take most of a minute here, and
    # one row per statement is a network round trip each on PostgreSQL.
    table = Dossier._meta.db_table
    row_marks = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[start : start + ROWS_PER_STATEMENT]
            # Table and column names are module constants, never user input.
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES "  # nosec B608
                + ", ".join([row_marks] * len(chunk)),
                [value for row in chunk for value in row],
            )


def generate(
    *,
    count: int = DEMO_COUNT,
    end: datetime.date | None = None,
    seed: int = SEED,
    days: int = DAYS,
    source: str = DEMO_SOURCE,
    write: Callable[[list[tuple]], None] = _insert,
    written_at: datetime.datetime | None = None,
) -> int:
    """Write `count` demo dossiers received over the `days` before `end`. Returns the count.

    `source` keeps a second batch apart from the first (codes restart at 0); `write` takes a batch
    of rows in COLUMNS order (the benchmarks pass a COPY writer for millions of rows).
    """
    rng = random.Random(seed)
    end = end or timezone.localdate()
    start = end - datetime.timedelta(days=days)
    pools = _unit_pools()
    procedures = list(Procedure.objects.select_related("current_version", "field").order_by("code"))
    by_level = {
        level: [p for p in procedures if p.level == level]
        for level in ("province", "district", "commune")
    }
    handlers = _handlers(by_level["province"], pools["province"])
    local_procedures = {
        kinds: [p for kind in kinds for p in by_level[kind]]
        for kinds in (local_levels(start)[1], local_levels(TWO_LEVEL_START)[1])
    }
    due_cache: dict[tuple, datetime.datetime] = {}
    tz = timezone.get_current_timezone()
    ops = connection.ops
    moment = ops.adapt_datetimefield_value
    day_value = ops.adapt_datefield_value
    now = timezone.now()
    # Stamped before the rebuild's watermark (and its overlap) unless told otherwise, so the
    # first incremental run after the demo does not recompute every key again.
    # Nothing is received after the load, nor (for the demo's own stamp) after its rows' stamp.
    latest = now if written_at else now - datetime.timedelta(hours=1)
    written_at = written_at or now - datetime.timedelta(hours=1)
    batch: list[tuple] = []
    written = 0
    for number in range(count):
        received_day = start + datetime.timedelta(days=rng.randrange(days + 1))
        if received_day.weekday() >= 5 and rng.random() < 0.8:
            received_day -= datetime.timedelta(days=received_day.weekday() - 4)
        received_time = datetime.time(rng.randint(7, 16), rng.randrange(60))
        if datetime.datetime.combine(received_day, received_time, tzinfo=tz) > latest:
            # Today's office hours not reached yet when the demo loads: the day before.
            received_day -= datetime.timedelta(days=1)
        local_level, local_kinds = local_levels(received_day)
        if rng.random() < 0.4 or not pools[local_level]:
            procedure = rng.choice(by_level["province"])
            unit = rng.choice(handlers[procedure.pk])
        else:
            unit = rng.choice(pools[local_level])
            procedure = rng.choice(local_procedures[local_kinds])
        version = procedure.current_version
        received_at = datetime.datetime.combine(received_day, received_time, tzinfo=tz)
        key = (version.pk, received_day, received_at.hour >= (version.cutoff_hour or 24))
        due_at = due_cache.get(key)
        if due_at is None:
            due_at = due_cache[key] = services.due_moment(version, received_at)
        due_day = due_at.astimezone(tz).date()
        online = version.online_level != "none" and rng.random() < ONLINE_SHARE[unit.level]
        if online:
            channel = Channel.ONLINE
        else:
            channel = Channel.POSTAL if rng.random() < 0.05 else Channel.IN_PERSON
        roll = rng.random()
        span = max((due_day - received_day).days, 0)
        if roll < 0.643:
            finished_day = received_day + datetime.timedelta(days=rng.randint(0, max(span - 1, 0)))
            finished_day = min(finished_day, due_day)  # a same-day procedure cannot be early
        elif roll < 0.994:
            finished_day = due_day
        else:
            finished_day = due_day + datetime.timedelta(days=rng.randint(1, 6))
        finished_at = datetime.datetime.combine(
            finished_day, datetime.time(rng.randint(8, 17), rng.randrange(60)), tzinfo=tz
        )
        finished_at = max(finished_at, received_at + datetime.timedelta(minutes=30))
        state = DossierState.RETURNED
        if finished_at > latest:
            finished_at = None
            state = rng.choice([DossierState.PROCESSING, DossierState.RECEIVED])
        elif rng.random() < 0.002:
            state = DossierState.WITHDRAWN
        received_date, due_date, finished_date, overdue_date = services.derive_dates(
            received_at=received_at, due_at=due_at, finished_at=finished_at, state=state
        )
        apology = finished_date is not None and finished_date > due_date and rng.random() < 0.7
        batch.append(
            (
                source,
                f"DEMO-{number:07d}",
                procedure.pk,
                version.pk,
                procedure.field_id,
                unit.pk,
                unit.level,
                channel,
                state,
                moment(received_at),
                moment(due_at),
                moment(finished_at),
                moment(finished_at),
                version.has_fee,
                version.has_fee and online and rng.random() < 0.1,
                moment(finished_at) if apology else None,
                day_value(finished_date) if apology else None,
                "",
                day_value(received_date),
                day_value(due_date),
                day_value(finished_date),
                day_value(overdue_date),
                moment(written_at),
                moment(written_at),
            )
        )
        if len(batch) >= BATCH:
            write(batch)
            written += len(batch)
            batch = []
    if batch:
        write(batch)
        written += len(batch)
    return written


def load_aggregate_rows() -> int:
    """Two units that report figures only, one of them with the seed's unbalanced line."""
    created = 0
    for code, received_total in (("BHXH", 1390), ("CAT", 1380)):
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            continue
        # The last first half-year already over: this year's from July, last year's before.
        today = timezone.localdate()
        start = datetime.date(today.year if today.month > 6 else today.year - 1, 1, 1)
        services.aggregate_row_save(
            unit=unit,
            period_start=start,
            period_end=datetime.date(start.year, 6, 30),
            received_online=513,
            received_offline=877,
            received_total=received_total,
            finished_early=880,
            finished_on_time=500,
            finished_late=10,
            fee_required=300,
            paid_online=14,
        )
        created += 1
    return created


def load_service_account() -> bool:
    """The one-stop system's account: may push dossiers through the API, sees only its unit.

    Its API token is made by an administrator: `manage.py drf_create_token motcua`.
    """
    if User.objects.filter(username=SERVICE_ACCOUNT).exists():
        return False
    unit = OrgUnit.objects.filter(code="TTPVHCC").first()
    if unit is None:
        return False
    user = user_create(
        username=SERVICE_ACCOUNT,
        password=settings.DEMO_PASSWORD,
        role=Role.UNIT_STAFF,
        unit=unit,
        full_name="Hệ thống một cửa điện tử",
        position="Tài khoản dịch vụ",
    )
    user.user_permissions.add(Permission.objects.get(codename="push_dossiers"))
    return True


def load(count: int = DEMO_COUNT) -> str:
    procedures = load_catalogue()
    load_service_account()
    if Dossier.objects.filter(source=DEMO_SOURCE).exists():
        return f"{procedures} procedures added; demo dossiers already present"
    dossiers = generate(count=count)
    rows = load_aggregate_rows()
    rollup_rows = rollups.rollup_rebuild()
    return (
        f"{procedures} procedures, {dossiers} dossiers, {rows} aggregate rows, "
        f"{rollup_rows} rollup rows"
    )
