"""Writes to procedures and their versions, and the deadline a version gives a receipt."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import workdays
from core.text import fold_join
from dossiers.models import Procedure, ProcedureField, ProcedureVersion, TimeLimitKind

# The appointment time on the due date: the end of office hours.
DUE_TIME = datetime.time(17, 0)
VERSION_RULE_FIELDS = (
    "time_limit",
    "time_limit_kind",
    "cutoff_hour",
    "online_level",
    "legacy_level",
    "has_fee",
)


@transaction.atomic
def procedure_field_get_or_create(*, code: str, name: str) -> ProcedureField:
    existing = ProcedureField.objects.filter(code=code).first()
    if existing:
        return existing
    row = ProcedureField(code=code, name=name)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def procedure_create(
    *,
    code: str,
    name: str,
    field: ProcedureField,
    level: str,
    time_limit: int,
    time_limit_kind: str = TimeLimitKind.WORKING_DAYS,
    cutoff_hour: int | None = None,
    online_level: str = "none",
    legacy_level: int | None = None,
    has_fee: bool = False,
    valid_from: datetime.datetime | None = None,
) -> Procedure:
    procedure = Procedure(code=code, name=name, field=field, level=level)
    procedure.search_text = fold_join(code, name)
    procedure.full_clean()
    procedure.save()
    version = ProcedureVersion(
        procedure=procedure,
        number=1,
        # The first version also covers dossiers received before the procedure was entered.
        valid_from=valid_from or datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
        time_limit=time_limit,
        time_limit_kind=time_limit_kind,
        cutoff_hour=cutoff_hour,
        online_level=online_level,
        legacy_level=legacy_level,
        has_fee=has_fee,
    )
    version.full_clean()
    version.save()
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    return procedure


@transaction.atomic
def procedure_change_rules(
    *, procedure: Procedure, valid_from: datetime.datetime | None = None, **rules: Any
) -> ProcedureVersion:
    """Add a version with changed deadline rules; dossiers already received keep theirs."""
    unknown = set(rules) - set(VERSION_RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown rule fields: {sorted(unknown)}")
    current = procedure.current_version
    values = {name: getattr(current, name) for name in VERSION_RULE_FIELDS}
    values.update(rules)
    version = ProcedureVersion(
        procedure=procedure,
        number=(current.number + 1) if current else 1,
        valid_from=valid_from or timezone.now(),
        **values,
    )
    version.full_clean()
    version.save()
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    return version


def version_at(versions: list[ProcedureVersion], moment: datetime.datetime) -> ProcedureVersion:
    """The version in force at `moment` (versions sorted by valid_from); else the first one."""
    chosen = versions[0]
    for version in versions:
        if version.valid_from <= moment:
            chosen = version
    return chosen


def due_moment(version: ProcedureVersion, received_at: datetime.datetime) -> datetime.datetime:
    """The appointment moment the calendar gives for a dossier received at `received_at`."""
    if version.time_limit_kind == TimeLimitKind.HOURS:
        moment = received_at + datetime.timedelta(hours=version.time_limit)
        day = timezone.localdate(moment)
        if workdays.is_working_day(day):
            return moment
        return timezone.make_aware(
            datetime.datetime.combine(workdays.next_working_day(day), datetime.time(8, 0))
        )
    if version.time_limit_kind == TimeLimitKind.CALENDAR_DAYS:
        day = workdays.add_calendar_days(
            received_at, version.time_limit, cutoff_hour=version.cutoff_hour
        )
    else:
        day = workdays.add_working_days(
            received_at, version.time_limit, cutoff_hour=version.cutoff_hour
        )
    return timezone.make_aware(datetime.datetime.combine(day, DUE_TIME))
