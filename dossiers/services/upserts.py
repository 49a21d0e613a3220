"""The bulk write behind imports and the push: rows parsed without models, upserted by
(source, code).

A row is parsed into a DossierRow: column values and foreign-key ids, no Django model (building
one per row cost more than all the rest of the parse). DossierWriter writes the rows inside the
caller's transaction. On PostgreSQL each batch is COPYed into a staging table and written from
it in SQL: an anti-join checks its references, one INSERT ... ON CONFLICT DO NOTHING writes the
new codes, and only when some code was already there are the rollup keys the updated dossiers
leave recorded and the rest upserted (ON CONFLICT DO UPDATE). The import overlaps this with the
parse of the next batch (a writer thread). Elsewhere (SQLite: development and tests) each batch
is one multi-VALUES upsert. Either way the last row of a code wins.
"""

from __future__ import annotations

import datetime
import functools
import io
import itertools
import operator
import queue
import re
import threading
from dataclasses import dataclass, field, fields
from typing import Any

from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    connection,
    connections,
    models,
    transaction,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pgcopy import NULL, copy_lines, copy_text
from core.tabular import ImportFailed, RowError, cell_text
from core.text import fold
from dossiers.models import (
    EXCLUDED_STATES,
    OPEN_STATES,
    Channel,
    Dossier,
    DossierState,
    Procedure,
    ProcedureField,
    ProcedureVersion,
    RollupDirtyKey,
    TimeLimitKind,
)
from dossiers.services.dossiers import derive_dates, dossier_errors, event_keys, mark_dirty
from dossiers.services.procedures import due_moment, version_at
from organizations.models import OrgUnit

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
# ISO 8601 with a time and an optional offset, as the one-stop system's push sends it: the
# "%Y-%m-%dT%H:%M:%S%z" form below, read without strptime (~65 µs a value).
ISO_MOMENT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:([+-])(\d{2}):?(\d{2}))?"
)
DATETIME_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
)
MOMENT_NAMES = ("received_at", "due_at", "finished_at", "returned_at")
FLAG_NAMES = ("fee_required", "paid_online")
# Columns an upsert changes on an existing dossier (not its code, creation or alert marks).
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
# The few words of the channel, state and yes/no columns repeat on every row: fold each once.
_fold = functools.lru_cache(maxsize=1024)(fold)


# --- Parsing -------------------------------------------------------------------------------


@dataclass(slots=True)
class DossierRow:
    """One dossier of an import or push, ready to write: its columns, by attribute name."""

    code: str
    procedure_id: int
    procedure_version_id: int
    field_id: int
    unit_id: int
    level: str
    channel: str
    state: str
    received_at: datetime.datetime
    due_at: datetime.datetime
    finished_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    fee_required: bool
    paid_online: bool
    received_date: datetime.date
    due_date: datetime.date
    finished_date: datetime.date | None
    overdue_date: datetime.date | None

    @classmethod
    def from_dossier(cls, dossier: Dossier) -> DossierRow:
        """The row of an unsaved dossier built elsewhere (its dates already derived)."""
        return cls(**{name: getattr(dossier, name) for name in ROW_FIELDS})


ROW_FIELDS = tuple(row_field.name for row_field in fields(DossierRow))
_row_values = operator.attrgetter(*ROW_FIELDS)


def parse_moment(value: Any, tz: datetime.tzinfo | None = None) -> datetime.datetime | None:
    """A moment from an Excel cell or text (dd/mm/yyyy [hh:mm[:ss]] or ISO 8601); naive values
    are Vietnam time (the current time zone, or `tz` when the caller fetched it once). Blank ->
    None; anything else unreadable -> ValueError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time(0, 0))
    elif match := VN_MOMENT.fullmatch(value.strip() if type(value) is str else str(value).strip()):
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
        moment = _iso_moment(text)
        for pattern in DATETIME_FORMATS if moment is None else ():
            try:
                moment = datetime.datetime.strptime(text, pattern)  # noqa: DTZ007 - made aware below
                break
            except ValueError:
                continue
        if moment is None:
            raise ValueError(
                _("'%(value)s' is not a date and time in dd/mm/yyyy hh:mm form.") % {"value": text}
            )
    if moment.utcoffset() is not None:
        return moment
    # What timezone.make_aware does with a zoneinfo zone, without its per-call zone lookup.
    return moment.replace(tzinfo=tz or timezone.get_current_timezone())


@functools.lru_cache(maxsize=64)
def _offset(sign: str, hours: str, minutes: str) -> datetime.timezone:
    delta = datetime.timedelta(hours=int(hours), minutes=int(minutes))
    return datetime.timezone(-delta if sign == "-" else delta)


def _iso_moment(text: str) -> datetime.datetime | None:
    """The moment strptime("%Y-%m-%dT%H:%M:%S%z" or "%Y-%m-%dT%H:%M:%S") reads in `text`, or
    None to leave it to strptime (another form, or a value out of range)."""
    match = ISO_MOMENT.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, sign, off_hours, off_minutes = match.groups()
    try:
        return datetime.datetime(  # noqa: DTZ001 - naive only when the text has no offset
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=_offset(sign, off_hours, off_minutes) if sign else None,
        )
    except ValueError:
        return None


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = _fold(cell_text(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_("'%(value)s' is not yes or no.") % {"value": cell_text(value)})


@dataclass
class Lookups:
    """Units, procedures and the time zone, loaded once for a whole import or push."""

    units: dict[str, OrgUnit] = field(default_factory=dict)
    procedures: dict[str, tuple[Procedure, list[ProcedureVersion]]] = field(default_factory=dict)
    due_dates: dict[tuple, datetime.datetime] = field(default_factory=dict)
    tz: datetime.tzinfo = field(default_factory=timezone.get_current_timezone)

    def due(self, version: ProcedureVersion, received_at: datetime.datetime) -> datetime.datetime:
        """due_moment, remembered per version, receipt day and side of the cut-off: an import
        of a million rows computes each deadline once, not once per row."""
        if version.time_limit_kind == TimeLimitKind.HOURS:
            return due_moment(version, received_at)
        local = received_at.astimezone(self.tz)
        after_cutoff = version.cutoff_hour is not None and local.hour >= version.cutoff_hour
        key = (version.id, local.date(), after_cutoff)
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
    raw: dict[str, Any], *, row: int, lookups: Lookups
) -> tuple[DossierRow | None, list[RowError]]:
    """Turn one row of an import or push into a DossierRow, or its errors (all of them)."""
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
    unit_code = cell_text(raw.get("unit"))
    unit = lookups.units.get(unit_code)
    if unit is None:
        error("unit", _("Unknown unit code '%(code)s'.") % {"code": unit_code})
    channel = CHANNEL_WORDS.get(_fold(cell_text(raw.get("channel"))))
    if channel is None:
        error("channel", _("The channel must be online, in person or postal."))
    tz = lookups.tz
    moments: dict[str, datetime.datetime | None] = {}
    for name in MOMENT_NAMES:
        try:
            moments[name] = parse_moment(raw.get(name), tz)
        except ValueError as exc:
            error(name, str(exc))
            moments[name] = None
    received_at = moments["received_at"]
    if received_at is None and not any(e.column == "received_at" for e in errors):
        error("received_at", _("The receipt time is required."))
    state_text = _fold(cell_text(raw.get("state")))
    state = STATE_WORDS.get(state_text) if state_text else None
    if state_text and state is None:
        error("state", _("Unknown state '%(value)s'.") % {"value": cell_text(raw.get("state"))})
    flags: dict[str, bool | None] = {"fee_required": None, "paid_online": None}
    for name in FLAG_NAMES:
        value = raw.get(name)
        if value is None or cell_text(value) == "":
            continue
        try:
            flags[name] = _parse_bool(value)
        except ValueError as exc:
            error(name, str(exc))
    if errors:
        return None, errors
    procedure, versions = procedure_entry
    version = version_at(versions, received_at)
    finished_at = moments["finished_at"]
    if state is None:
        state = DossierState.FINISHED if finished_at else DossierState.RECEIVED
    if finished_at is None and state not in OPEN_STATES and state not in EXCLUDED_STATES:
        error("finished_at", _("A closed dossier needs its finish time."))
        return None, errors
    fee_required = version.has_fee if flags["fee_required"] is None else flags["fee_required"]
    paid_online = bool(flags["paid_online"])
    returned_at = moments["returned_at"]
    for column, message in dossier_errors(
        received_at=received_at,
        finished_at=finished_at,
        returned_at=returned_at,
        fee_required=fee_required,
        paid_online=paid_online,
        unit=unit,
    ).items():
        error(column, message)
    if errors:
        return None, errors
    due_at = moments["due_at"] or lookups.due(version, received_at)
    received_date, due_date, finished_date, overdue_date = derive_dates(
        received_at=received_at, due_at=due_at, finished_at=finished_at, state=state, tz=tz
    )
    return DossierRow(
        code,
        procedure.id,  # .id, not .pk: the property costs a call per row
        version.id,
        procedure.field_id,
        unit.id,
        unit.level,
        channel,
        state,
        received_at,
        due_at,
        finished_at,
        returned_at,
        fee_required,
        paid_online,
        received_date,
        due_date,
        finished_date,
        overdue_date,
    ), []


# --- Writing -------------------------------------------------------------------------------

TABLE = Dossier._meta.db_table
DIRTY_TABLE = RollupDirtyKey._meta.db_table
_COLUMN_OF = {column.attname: column.column for column in Dossier._meta.concrete_fields}
ROW_COLUMNS = tuple(_COLUMN_OF[name] for name in ROW_FIELDS)
# The columns an import never sets (apology, alert marks): their defaults on insert.
_DEFAULTED = [
    model_field
    for model_field in Dossier._meta.concrete_fields
    if not model_field.primary_key
    and model_field.attname not in ROW_FIELDS
    and model_field.attname not in ("source", "created_at", "updated_at")
]
INSERT_COLUMNS = (
    "source",
    *ROW_COLUMNS,
    *(model_field.column for model_field in _DEFAULTED),
    "created_at",
    "updated_at",
)
_UPDATES = ", ".join(
    f"{Dossier._meta.get_field(name).column} = excluded.{Dossier._meta.get_field(name).column}"
    for name in UPSERT_FIELDS
)
# The dossier table has no foreign-key constraints (see Dossier): what each reference must
# find, checked by one anti-join over the rows about to be written.
# (the row's attribute, the model it names, the column its error is reported under)
REFERENCES = (
    ("unit_id", OrgUnit, "unit"),
    ("procedure_id", Procedure, "procedure"),
    ("procedure_version_id", ProcedureVersion, "procedure"),
    ("field_id", ProcedureField, "procedure"),
)
MAX_NAMED_ORPHANS = 50
_ROWS_PER_STATEMENT = 500  # ~26 columns: under SQLite's 32,766 parameters
_temp_names = itertools.count(1)


def _copy_line(seq: int, row: DossierRow) -> str:
    """seq and the row in COPY text format, in ROW_COLUMNS order: written out rather than
    looped over copy_text, the import's hottest line after the parse. Ids are ints and the
    channel and state our own words; the code and level are escaped."""
    return (
        f"{seq}\t{copy_text(row.code)}\t{row.procedure_id}\t{row.procedure_version_id}\t"
        f"{row.field_id}\t{row.unit_id}\t{copy_text(row.level)}\t{row.channel}\t{row.state}\t"
        f"{row.received_at.isoformat()}\t{row.due_at.isoformat()}\t"
        f"{row.finished_at.isoformat() if row.finished_at else NULL}\t"
        f"{row.returned_at.isoformat() if row.returned_at else NULL}\t"
        f"{'t' if row.fee_required else 'f'}\t{'t' if row.paid_online else 'f'}\t"
        f"{row.received_date.isoformat()}\t{row.due_date.isoformat()}\t"
        f"{row.finished_date.isoformat() if row.finished_date else NULL}\t"
        f"{row.overdue_date.isoformat() if row.overdue_date else NULL}\n"
    )


def _orphan_errors(orphans: list[tuple[str, str]]) -> ImportFailed:
    """The refusal of a write whose rows point at a unit or procedure no longer there (deleted
    while the import ran: the rows were checked against them when it started)."""
    messages = {
        "unit": _("Dossier %(code)s: its receiving unit no longer exists; nothing was written."),
        "procedure": _("Dossier %(code)s: its procedure no longer exists; nothing was written."),
    }
    return ImportFailed(
        RowError(0, column, messages[column] % {"code": code}) for code, column in orphans
    )


@dataclass
class WriteResult:
    # Dossiers inserted or updated: a code given twice in one batch counts once.
    written: int
    existing: set[str]  # codes that were already there (when the writer was asked for them)


class DossierWriter:
    """Upsert DossierRows by (source, code) inside the caller's transaction.

    add() takes rows one at a time and keeps at most one batch in memory; finish() writes the
    rest and returns the counts. Rollup keys that an updated dossier leaves (its old unit or
    dates) are recorded, so the incremental rollup recomputes them.

    On PostgreSQL each batch is COPYed into a staging table and upserted on its own, batches in
    order (so the last row of a code wins across batches too). With `overlap` (the import) a
    writer thread does that on the caller's connection, in the caller's transaction, while the
    caller parses the next batch: the parse (Python) and the upsert (PostgreSQL) run on two
    cores at once instead of one after the other. psycopg2 serialises the connection's use by
    the two threads (the parse may read the workday calendar). Use the writer as a context
    manager: leaving the block stops the thread before the transaction commits or rolls back.
    """

    def __init__(
        self,
        *,
        source: str,
        batch_size: int = 5000,
        existing_codes: bool = False,
        overlap: bool = False,
    ):
        if not connection.in_atomic_block:
            raise RuntimeError("DossierWriter runs inside a transaction")
        self.source = source
        self.batch_size = max(1, batch_size)
        self.postgres = connection.vendor == "postgresql"
        self.overlap = overlap
        self._db = connections[DEFAULT_DB_ALIAS]  # this thread's connection, for the writer's
        self._batch: list[DossierRow] = []
        self._copied = 0
        self._result = WriteResult(written=0, existing=set())
        self._existing_codes = existing_codes
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self._abandoned = False

    def __enter__(self) -> DossierWriter:
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        self.close()
        if self._failure is None or exc is self._failure:
            return
        # A refusal finish() did not collect is raised on leaving the block (the transaction
        # must not commit half the batches); and when the caller's query failed because the
        # writer's had aborted the transaction ("current transaction is aborted"), the writer's
        # error is the cause worth reporting.
        if exc is None or isinstance(exc, DatabaseError):
            raise self._failure from exc

    def add(self, row: DossierRow) -> None:
        self._batch.append(row)
        if len(self._batch) >= self.batch_size:
            self._flush()

    def finish(self) -> WriteResult:
        self._flush()
        if self._thread is not None:
            self._stop()
        if self._failure is not None:
            raise self._failure
        return self._result

    def close(self) -> None:
        """Stop the writer thread, dropping the batches it has not started (the caller's
        transaction is being undone). Safe to call twice, and after finish()."""
        self._abandoned = True
        if self._thread is not None:
            self._stop()

    def _flush(self) -> None:
        batch, self._batch = self._batch, []
        if not batch:
            return
        if not self.postgres:
            self._upsert_values(batch)
            return
        # The COPY text is made here (it is part of the parse's CPU), the rest by the writer.
        buffer = io.StringIO()
        write = buffer.write
        seq = self._copied
        for row in batch:
            seq += 1
            write(_copy_line(seq, row))
        self._copied = seq
        codes = len({row.code for row in batch})
        if not self.overlap:
            self._write(buffer, codes)
            return
        if self._failure is not None:
            raise self._failure
        if self._thread is None:
            self._queue = queue.Queue(maxsize=2)  # at most ~3 batches of text in memory
            self._db.inc_thread_sharing()
            self._thread = threading.Thread(target=self._work, name="dossier-writer", daemon=True)
            self._thread.start()
        self._queue.put((buffer, codes))

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._failure is None and not self._abandoned:
                try:
                    self._write(*item)
                except BaseException as exc:  # raised in the caller's thread by finish()/add()
                    self._failure = exc

    def _stop(self) -> None:
        self._queue.put(None)
        self._thread.join()
        self._thread = None
        self._db.dec_thread_sharing()

    # PostgreSQL: each batch COPYed into a staging table, then upserted from it.

    def _write(self, buffer: io.StringIO, codes: int) -> None:
        temp = f"dossier_rows_{next(_temp_names)}"
        with self._db.cursor() as cursor:
            # Same types as the dossier table, no defaults or constraints; seq orders the rows
            # of one code so the last wins. Names are ours; no value is interpolated.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS "  # nosec B608
                f"SELECT 0::bigint AS seq, {', '.join(ROW_COLUMNS)} FROM {TABLE} WITH NO DATA"
            )
        copy_lines(temp, ("seq", *ROW_COLUMNS), buffer, using=self._db)
        self._upsert_copied(temp, codes)

    def _upsert_copied(self, temp: str, codes: int) -> None:
        source = self.source
        # The last row of each code (the one that wins), used by every statement below.
        last = f"(SELECT DISTINCT ON (code) * FROM {temp} ORDER BY code, seq DESC) t"  # nosec B608
        now = timezone.now()
        defaults = [model_field.get_default() for model_field in _DEFAULTED]
        selected = ", ".join(
            ["%s", *(f"t.{column}" for column in ROW_COLUMNS), *(["%s"] * len(defaults))]
            + ["%s", "%s"]
        )
        # Sorted by code, the rows reach the (source, code) index in its order.
        insert = (
            f"INSERT INTO {TABLE} ({', '.join(INSERT_COLUMNS)}) "  # nosec B608
            f"SELECT {selected} FROM {last} ORDER BY t.code "
        )
        params = [source, *defaults, now, now]
        with self._db.cursor() as cursor:
            # Integrity, in place of four foreign-key checks at commit: one anti-join of the
            # staging table against the referenced tables (a few hundred rows each).
            joins = " ".join(
                f"LEFT JOIN {model._meta.db_table} r{n} ON r{n}.id = s.{column}"
                for n, (column, model, _name) in enumerate(REFERENCES)
            )
            missing = " OR ".join(f"r{n}.id IS NULL" for n in range(len(REFERENCES)))
            which = " ".join(
                f"WHEN r{n}.id IS NULL THEN '{name}'" for n, (_c, _t, name) in enumerate(REFERENCES)
            )
            cursor.execute(
                f"SELECT s.code, CASE {which} END FROM {temp} s {joins} "  # nosec B608
                f"WHERE {missing} ORDER BY s.seq LIMIT {MAX_NAMED_ORPHANS}"
            )
            if orphans := cursor.fetchall():
                raise _orphan_errors(orphans)
            # New dossiers first, in one pass over the indexes: the usual import or push brings
            # codes never seen, and then nothing else is needed (no old values to probe, no
            # existing code to name). A savepoint is not needed: DO NOTHING cannot fail on a
            # conflict, and any other error undoes the caller's whole transaction.
            cursor.execute(insert + "ON CONFLICT (source, code) DO NOTHING", params)
            inserted = cursor.rowcount
            if inserted == codes:
                self._result.written += inserted
                cursor.execute(f"DROP TABLE {temp}")
                return
            # Some codes were there already. Those just inserted now read as their own old
            # values below: no dirty key, not "existing", rewritten with the same values.
            if self._existing_codes:
                cursor.execute(
                    f"SELECT t.code FROM {last} CROSS JOIN LATERAL "  # nosec B608
                    f"(SELECT created_at FROM {TABLE} WHERE source = %s AND code = t.code "
                    "LIMIT 1) d WHERE d.created_at <> %s",
                    [source, now],
                )
                self._result.existing |= {code for (code,) in cursor.fetchall()}
            # Keys an existing dossier leaves: each of its old (unit, day) events that is not
            # among the new row's. Computed before the upsert overwrites the old values. LIMIT 1
            # keeps the lookup a probe of the (source, code) index per row: as a join, the
            # planner can walk every dossier of the source (seen: a merge join over them).
            cursor.execute(
                f"""INSERT INTO {DIRTY_TABLE} (unit_id_value, day)
                SELECT DISTINCT d.unit_id, old.day FROM {last}
                CROSS JOIN LATERAL (
                    SELECT unit_id, received_date, finished_date, overdue_date FROM {TABLE}
                    WHERE source = %s AND code = t.code LIMIT 1
                ) d
                CROSS JOIN LATERAL (VALUES (d.received_date), (d.finished_date), (d.overdue_date))
                    AS old(day)
                WHERE old.day IS NOT NULL AND (
                    d.unit_id <> t.unit_id
                    OR (old.day <> t.received_date
                        AND old.day IS DISTINCT FROM t.finished_date
                        AND old.day IS DISTINCT FROM t.overdue_date))
                ON CONFLICT (unit_id_value, day) DO NOTHING""",  # nosec B608
                [source],
            )
            cursor.execute(
                insert + f"ON CONFLICT (source, code) DO UPDATE SET {_UPDATES}",  # nosec B608 - constant names only
                params,
            )
            self._result.written += cursor.rowcount
            cursor.execute(f"DROP TABLE {temp}")

    # Elsewhere: one multi-VALUES upsert a batch.

    def _upsert_values(self, batch: list[DossierRow]) -> None:
        by_code = {row.code: row for row in batch}  # the last row of a code wins
        _check_references(by_code.values())
        existing = {
            values["code"]: values
            for values in Dossier.objects.filter(source=self.source, code__in=list(by_code)).values(
                "code", "unit_id", "received_date", "finished_date", "overdue_date"
            )
        }
        dirty: set[tuple[int, datetime.date]] = set()
        for code, old in existing.items():
            new = by_code[code]
            dirty |= event_keys(
                old["unit_id"], old["received_date"], old["finished_date"], old["overdue_date"]
            ) - event_keys(new.unit_id, new.received_date, new.finished_date, new.overdue_date)
        _insert_values(list(by_code.values()), source=self.source, now=timezone.now())
        mark_dirty(dirty)
        self._result.written += len(by_code)
        if self._existing_codes:
            self._result.existing |= set(existing)


def _check_references(rows) -> None:
    """The anti-join's check where there is no staging table (SQLite): one query a table."""
    rows = list(rows)
    orphans: list[tuple[str, str]] = []
    for column, model, name in REFERENCES:  # one query a referenced table
        wanted = {getattr(row, column) for row in rows}
        found = set(model.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        orphans += [(row.code, name) for row in rows if getattr(row, column) not in found]
    if orphans:
        raise _orphan_errors(orphans[:MAX_NAMED_ORPHANS])


def _adapter(model_field: models.Field):
    ops = connection.ops
    if isinstance(model_field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(model_field, models.DateField):
        return ops.adapt_datefield_value
    return None


def _insert_values(rows: list[DossierRow], *, source: str, now: datetime.datetime) -> None:
    """INSERT ... ON CONFLICT (source, code) DO UPDATE, many rows a statement (PostgreSQL and
    SQLite share this syntax; the ORM's bulk_create would prepare every value through its
    field)."""
    adapters = [_adapter(Dossier._meta.get_field(name)) for name in ROW_FIELDS]
    tail = [model_field.get_default() for model_field in _DEFAULTED]
    tail += [_adapter(Dossier._meta.get_field("created_at"))(now)] * 2
    row_marks = "(" + ", ".join(["%s"] * len(INSERT_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS_PER_STATEMENT):
            chunk = rows[start : start + _ROWS_PER_STATEMENT]
            params: list[Any] = []
            for row in chunk:
                params.append(source)
                for value, adapt in zip(_row_values(row), adapters, strict=True):
                    params.append(adapt(value) if adapt and value is not None else value)
                params.extend(tail)
            # Table and column names come from the model's own metadata; values are parameters.
            cursor.execute(
                f"INSERT INTO {TABLE} ({', '.join(INSERT_COLUMNS)}) VALUES "  # nosec B608
                + ", ".join([row_marks] * len(chunk))
                + f" ON CONFLICT (source, code) DO UPDATE SET {_UPDATES}",  # nosec B608
                params,
            )


@transaction.atomic
def dossiers_upsert(*, dossiers: list[DossierRow | Dossier], source: str) -> dict[str, str]:
    """Insert or update a batch by (source, code); returns code -> created / updated. The same
    batch twice leaves one copy of each dossier; the last row of a code wins."""
    writer = DossierWriter(source=source, batch_size=len(dossiers), existing_codes=True)
    codes = []
    for dossier in dossiers:
        row = dossier if isinstance(dossier, DossierRow) else DossierRow.from_dossier(dossier)
        writer.add(row)
        codes.append(row.code)
    existing = writer.finish().existing
    return {code: ("updated" if code in existing else "created") for code in codes}
