"""Writes to dossiers: create, finish, apology, and the bulk upsert behind imports and push."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role, has_role, sees_whole_province
from core.tabular import RowError, cell_text
from core.text import fold
from dossiers.models import (
    EXCLUDED_STATES,
    OPEN_STATES,
    Channel,
    Dossier,
    DossierState,
    Procedure,
    ProcedureVersion,
    RollupDirtyKey,
    TimeLimitKind,
)
from dossiers.services.procedures import due_moment, version_at
from organizations.models import OrgUnit

# --- Dossiers ------------------------------------------------------------------------------


def derive_dates(
    *,
    received_at: datetime.datetime,
    due_at: datetime.datetime,
    finished_at: datetime.datetime | None,
    state: str,
) -> tuple[datetime.date, datetime.date, datetime.date | None, datetime.date | None]:
    """(received_date, due_date, finished_date, overdue_date): the local dates the reports
    group by. overdue_date is the day after the due date for a dossier not finished by then."""
    received_date = timezone.localdate(received_at)
    due_date = timezone.localdate(due_at)
    finished_date = timezone.localdate(finished_at) if finished_at else None
    not_done_in_time = finished_date is None or finished_date > due_date
    overdue_date = (
        due_date + datetime.timedelta(days=1)
        if not_done_in_time and state not in EXCLUDED_STATES
        else None
    )
    return received_date, due_date, finished_date, overdue_date


def dossier_derive_dates(dossier: Dossier) -> None:
    """Write the derived local dates on a dossier; the one place that sets them."""
    (
        dossier.received_date,
        dossier.due_date,
        dossier.finished_date,
        dossier.overdue_date,
    ) = derive_dates(
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        finished_at=dossier.finished_at,
        state=dossier.state,
    )


def _check_dossier(dossier: Dossier) -> None:
    errors = {}
    if dossier.finished_at and dossier.finished_at < dossier.received_at:
        errors["finished_at"] = _("The finish time is before the receipt.")
    if dossier.returned_at and dossier.returned_at < dossier.received_at:
        errors["returned_at"] = _("The return time is before the receipt.")
    if dossier.paid_online and not dossier.fee_required:
        errors["paid_online"] = _("A dossier without a fee cannot be paid online.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def dossier_create(
    *,
    code: str,
    procedure: Procedure,
    unit: OrgUnit,
    channel: str,
    received_at: datetime.datetime,
    source: str = "motcua",
    due_at: datetime.datetime | None = None,
    finished_at: datetime.datetime | None = None,
    returned_at: datetime.datetime | None = None,
    state: str | None = None,
    fee_required: bool | None = None,
    paid_online: bool = False,
) -> Dossier:
    versions = list(procedure.versions.order_by("valid_from", "number"))
    version = version_at(versions, received_at)
    dossier = Dossier(
        source=source,
        code=code,
        procedure=procedure,
        procedure_version=version,
        field_id=procedure.field_id,
        unit=unit,
        level=unit.level,
        channel=channel,
        received_at=received_at,
        due_at=due_at or due_moment(version, received_at),
        finished_at=finished_at,
        returned_at=returned_at,
        state=state or (DossierState.FINISHED if finished_at else DossierState.RECEIVED),
        fee_required=version.has_fee if fee_required is None else fee_required,
        paid_online=paid_online,
    )
    dossier_derive_dates(dossier)
    dossier.full_clean()
    _check_dossier(dossier)
    dossier.save()
    return dossier


def _mark_dirty(keys: set[tuple[int, datetime.date]]) -> None:
    if keys:
        RollupDirtyKey.objects.bulk_create(
            [RollupDirtyKey(unit_id_value=unit_id, day=day) for unit_id, day in keys],
            ignore_conflicts=True,
        )


def _event_keys(unit_id: int, *days: datetime.date | None) -> set[tuple[int, datetime.date]]:
    return {(unit_id, day) for day in days if day is not None}


@transaction.atomic
def dossier_finish(
    *, dossier: Dossier, finished_at: datetime.datetime, state: str = DossierState.FINISHED
) -> Dossier:
    """Record the end of processing (finished, rejected, withdrawn or stopped)."""
    if not dossier.is_open:
        raise ValidationError(_("This dossier is already closed."))
    if state in OPEN_STATES:
        raise ValidationError(_("Choose a closing state."))
    old = _event_keys(dossier.unit_id, dossier.overdue_date)
    dossier.finished_at = finished_at
    dossier.state = state
    dossier_derive_dates(dossier)
    _check_dossier(dossier)
    dossier.full_clean()
    dossier.save()
    _mark_dirty(old - _event_keys(dossier.unit_id, dossier.overdue_date))
    return dossier


def can_register_apology(user, dossier: Dossier) -> bool:
    if sees_whole_province(user):
        return False  # the receiving unit apologises, not Home Affairs
    return has_role(user, Role.UNIT_HEAD, Role.UNIT_STAFF) and user.unit_id == dossier.unit_id


@transaction.atomic
def dossier_register_apology(
    *, dossier: Dossier, actor, new_due_date: datetime.date, note: str = ""
) -> Dossier:
    """The receiving unit records its apology letter and the new appointment date."""
    if not can_register_apology(actor, dossier):
        raise ValidationError(_("Only the receiving unit can register an apology."))
    today = timezone.localdate()
    if dossier.apology_registered_at is not None:
        raise ValidationError(_("An apology is already registered for this dossier."))
    is_late = (dossier.finished_date or today) > dossier.due_date
    if not is_late:
        raise ValidationError(_("This dossier is not late; no apology is needed."))
    if new_due_date < today and dossier.finished_at is None:
        raise ValidationError({"new_due_date": _("The new appointment date is in the past.")})
    dossier.apology_registered_at = timezone.now()
    dossier.apology_new_due_at = new_due_date
    dossier.apology_note = note
    dossier.full_clean()
    dossier.save()
    return dossier


# --- Bulk upsert (import and push) ---------------------------------------------------------

CHANNEL_WORDS = {
    "online": Channel.ONLINE,
    "truc tuyen": Channel.ONLINE,
    "in_person": Channel.IN_PERSON,
    "truc tiep": Channel.IN_PERSON,
    "postal": Channel.POSTAL,
    "buu chinh": Channel.POSTAL,
    "buu chinh cong ich": Channel.POSTAL,
}
STATE_WORDS = {fold(value): value for value in DossierState.values} | {
    "da tiep nhan": DossierState.RECEIVED,
    "dang xu ly": DossierState.PROCESSING,
    "yeu cau bo sung": DossierState.SUPPLEMENT_REQUESTED,
    "cho nop phi": DossierState.WAITING_FEES,
    "da giai quyet": DossierState.FINISHED,
    "hoan thanh": DossierState.FINISHED,
    "da tra ket qua": DossierState.RETURNED,
    "tu choi": DossierState.REJECTED,
    "rut ho so": DossierState.WITHDRAWN,
    "dung xu ly": DossierState.STOPPED,
}
TRUE_WORDS = {"1", "x", "true", "yes", "co", "c"}
FALSE_WORDS = {"", "0", "false", "no", "khong", "k"}
VN_MOMENT = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?")
DATETIME_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
)
UPSERT_FIELDS = (
    "procedure",
    "procedure_version",
    "field",
    "unit",
    "level",
    "channel",
    "state",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "fee_required",
    "paid_online",
    "received_date",
    "due_date",
    "finished_date",
    "overdue_date",
    "updated_at",
)


def _adapter(field: models.Field):
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return None


# Every column but the id, with the backend's adapter for dates and times.
_INSERT_COLUMNS = [
    (field.column, field.attname, field)
    for field in Dossier._meta.concrete_fields
    if not field.primary_key
]
_ROWS_PER_STATEMENT = 500  # ~26 columns: under SQLite's 32,766 parameters


def _upsert_rows(dossiers: list[Dossier], *, now: datetime.datetime) -> None:
    """INSERT ... ON CONFLICT (source, code) DO UPDATE, many rows a statement.

    Hand-written because the ORM's bulk_create prepares every value through its field, which
    costs most of an import's time; PostgreSQL and SQLite share this syntax.
    """
    adapters = [(attname, _adapter(field)) for _column, attname, field in _INSERT_COLUMNS]
    columns = ", ".join(column for column, _attname, _field in _INSERT_COLUMNS)
    updates = ", ".join(
        f"{Dossier._meta.get_field(name).column} = excluded.{Dossier._meta.get_field(name).column}"
        for name in UPSERT_FIELDS
    )
    row_marks = "(" + ", ".join(["%s"] * len(adapters)) + ")"
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(dossiers), _ROWS_PER_STATEMENT):
            chunk = dossiers[start : start + _ROWS_PER_STATEMENT]
            params: list[Any] = []
            for dossier in chunk:
                dossier.created_at = dossier.created_at or now
                dossier.updated_at = now
                for attname, adapt in adapters:
                    value = getattr(dossier, attname)
                    params.append(adapt(value) if adapt and value is not None else value)
            # Table and column names come from the model's own metadata; values are parameters.
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "  # nosec B608
                + ", ".join([row_marks] * len(chunk))
                + f" ON CONFLICT (source, code) DO UPDATE SET {updates}",  # nosec B608
                params,
            )


def parse_moment(value: Any) -> datetime.datetime | None:
    """A moment from an Excel cell or text (dd/mm/yyyy [hh:mm[:ss]] or ISO 8601); naive values
    are Vietnam time. Blank -> None; anything else unreadable -> ValueError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time(0, 0))
    elif match := VN_MOMENT.fullmatch(str(value).strip()):
        # The common Vietnamese form, read without strptime (a million-row import reads it
        # twice per cell).
        day, month, year, hour, minute, second = match.groups()
        try:
            moment = datetime.datetime(  # noqa: DTZ001 - made aware below
                int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
            )
        except ValueError as exc:
            raise ValueError(
                _("'%(value)s' is not a date and time in dd/mm/yyyy hh:mm form.") % {"value": value}
            ) from exc
    else:
        text = str(value).strip().replace("Z", "+0000")
        for pattern in DATETIME_FORMATS:
            try:
                moment = datetime.datetime.strptime(text, pattern)  # noqa: DTZ007 - made aware below
                break
            except ValueError:
                continue
        else:
            raise ValueError(
                _("'%(value)s' is not a date and time in dd/mm/yyyy hh:mm form.") % {"value": text}
            )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = fold(cell_text(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_("'%(value)s' is not yes or no.") % {"value": cell_text(value)})


@dataclass
class Lookups:
    """Units and procedures by code, loaded once for a whole import or push."""

    units: dict[str, OrgUnit] = field(default_factory=dict)
    procedures: dict[str, tuple[Procedure, list[ProcedureVersion]]] = field(default_factory=dict)
    due_dates: dict[tuple, datetime.datetime] = field(default_factory=dict)

    def due(self, version: ProcedureVersion, received_at: datetime.datetime) -> datetime.datetime:
        """due_moment, remembered per version, receipt day and side of the cut-off: an import
        of a million rows computes each deadline once, not once per row."""
        if version.time_limit_kind == TimeLimitKind.HOURS:
            return due_moment(version, received_at)
        local = timezone.localtime(received_at)
        after_cutoff = version.cutoff_hour is not None and local.hour >= version.cutoff_hour
        key = (version.pk, local.date(), after_cutoff)
        if key not in self.due_dates:
            self.due_dates[key] = due_moment(version, received_at)
        return self.due_dates[key]

    @classmethod
    def load(cls) -> Lookups:
        lookups = cls()
        lookups.units = {unit.code: unit for unit in OrgUnit.objects.all()}
        versions: dict[int, list[ProcedureVersion]] = {}
        for version in ProcedureVersion.objects.order_by("valid_from", "number"):
            versions.setdefault(version.procedure_id, []).append(version)
        lookups.procedures = {
            procedure.code: (procedure, versions.get(procedure.pk, []))
            for procedure in Procedure.objects.all()
        }
        return lookups


def dossier_parse_row(
    raw: dict[str, Any], *, row: int, lookups: Lookups, source: str
) -> tuple[Dossier | None, list[RowError]]:
    """Turn one row of an import or push into an unsaved Dossier, or its errors (all of them)."""
    errors: list[RowError] = []

    def error(column: str, message: str) -> None:
        errors.append(RowError(row, column, message))

    code = cell_text(raw.get("code"))
    if not code:
        error("code", _("The dossier code is required."))
    elif len(code) > 64:
        error("code", _("The dossier code is longer than 64 characters."))
    procedure_code = cell_text(raw.get("procedure"))
    procedure_entry = lookups.procedures.get(procedure_code)
    if procedure_entry is None or not procedure_entry[1]:
        error("procedure", _("Unknown procedure code '%(code)s'.") % {"code": procedure_code})
    unit = lookups.units.get(cell_text(raw.get("unit")))
    if unit is None:
        error("unit", _("Unknown unit code '%(code)s'.") % {"code": cell_text(raw.get("unit"))})
    channel = CHANNEL_WORDS.get(fold(cell_text(raw.get("channel"))))
    if channel is None:
        error("channel", _("The channel must be online, in person or postal."))
    moments: dict[str, datetime.datetime | None] = {}
    for name in ("received_at", "due_at", "finished_at", "returned_at"):
        try:
            moments[name] = parse_moment(raw.get(name))
        except ValueError as exc:
            error(name, str(exc))
            moments[name] = None
    if moments.get("received_at") is None and not any(e.column == "received_at" for e in errors):
        error("received_at", _("The receipt time is required."))
    state_text = fold(cell_text(raw.get("state")))
    state = STATE_WORDS.get(state_text) if state_text else None
    if state_text and state is None:
        error("state", _("Unknown state '%(value)s'.") % {"value": cell_text(raw.get("state"))})
    flags: dict[str, bool | None] = {}
    for name in ("fee_required", "paid_online"):
        value = raw.get(name)
        if value is None or cell_text(value) == "":
            flags[name] = None
            continue
        try:
            flags[name] = _parse_bool(value)
        except ValueError as exc:
            error(name, str(exc))
    if errors:
        return None, errors
    procedure, versions = procedure_entry
    received_at = moments["received_at"]
    version = version_at(versions, received_at)
    finished_at = moments["finished_at"]
    if state is None:
        state = DossierState.FINISHED if finished_at else DossierState.RECEIVED
    if finished_at is None and state not in OPEN_STATES and state not in EXCLUDED_STATES:
        error("finished_at", _("A closed dossier needs its finish time."))
        return None, errors
    fee_required = version.has_fee if flags["fee_required"] is None else flags["fee_required"]
    dossier = Dossier(
        source=source,
        code=code,
        procedure=procedure,
        procedure_version=version,
        field_id=procedure.field_id,
        unit=unit,
        level=unit.level,
        channel=channel,
        state=state,
        received_at=received_at,
        due_at=moments["due_at"] or lookups.due(version, received_at),
        finished_at=finished_at,
        returned_at=moments["returned_at"],
        fee_required=fee_required,
        paid_online=bool(flags["paid_online"]),
    )
    dossier_derive_dates(dossier)
    try:
        _check_dossier(dossier)
    except ValidationError as exc:
        for column, messages in exc.message_dict.items():
            for message in messages:
                error(column, message)
        return None, errors
    return dossier, []


@transaction.atomic
def dossiers_upsert(*, dossiers: list[Dossier], source: str) -> dict[str, str]:
    """Insert or update a batch by (source, code) in one statement; returns code -> created /
    updated. The same batch twice leaves one copy of each dossier."""
    by_code = {dossier.code: dossier for dossier in dossiers}  # the last row of a code wins
    existing = {
        row["code"]: row
        for row in Dossier.objects.filter(source=source, code__in=list(by_code)).values(
            "code", "unit_id", "received_date", "finished_date", "overdue_date"
        )
    }
    dirty: set[tuple[int, datetime.date]] = set()
    now = timezone.now()
    for code, dossier in by_code.items():
        dossier.updated_at = now
        old = existing.get(code)
        if old:
            dirty |= _event_keys(
                old["unit_id"], old["received_date"], old["finished_date"], old["overdue_date"]
            ) - _event_keys(
                dossier.unit_id, dossier.received_date, dossier.finished_date, dossier.overdue_date
            )
    _upsert_rows(list(by_code.values()), now=now)
    _mark_dirty(dirty)
    return {code: ("updated" if code in existing else "created") for code in by_code}
