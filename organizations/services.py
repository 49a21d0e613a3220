"""Every write to units, users and unit imports."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import background
from core.dispatch import send_on_commit
from core.models import JobStatus
from core.tabular import ImportFailed, RowCheck, RowError, check_rows, read_table
from core.text import fold, fold_join
from core.uploads import check_table, generated_name
from organizations import policy
from organizations.models import (
    OrgUnit,
    UnitImport,
    UnitKind,
    UnitLevel,
    User,
)

# Field -> header spellings accepted in an import file (the first is the template's).
UNIT_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã đơn vị", "code"),
    "name": ("Tên đơn vị", "name"),
    "short_name": ("Tên viết tắt", "short_name"),
    "kind": ("Loại", "kind"),
    "level": ("Cấp", "level"),
    "parent": ("Mã đơn vị cấp trên", "parent"),
    "valid_from": ("Hiệu lực từ", "valid_from"),
    "valid_to": ("Hiệu lực đến", "valid_to"),
    "successors": ("Mã đơn vị kế thừa", "successors"),
    "email": ("Email", "email"),
}
REQUIRED_UNIT_FIELDS = ("code", "name", "kind", "level")


def _unit_refresh_search_text(unit: OrgUnit) -> None:
    unit.search_text = fold_join(unit.code, unit.name, unit.short_name)


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    level: str,
    short_name: str = "",
    parent: OrgUnit | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    email: str = "",
) -> OrgUnit:
    unit = OrgUnit(
        code=code,
        name=name,
        kind=kind,
        level=level,
        short_name=short_name,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        email=email,
    )
    unit_save(unit=unit)
    return unit


@transaction.atomic
def unit_save(*, unit: OrgUnit) -> OrgUnit:
    """Validate and save a unit (new or changed), keeping its search text in step."""
    _unit_refresh_search_text(unit)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_set_successors(*, unit: OrgUnit, successors: Iterable[OrgUnit]) -> None:
    unit.successors.set(list(successors))


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    unit: OrgUnit | None = None,
    full_name: str = "",
    position: str = "",
    email: str = "",
) -> User:
    user = User(
        username=username,
        role=role,
        unit=unit,
        full_name=full_name,
        position=position,
        email=email,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


# --- Import -------------------------------------------------------------------------------


@dataclass
class UnitImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def _choice_value(raw: str, choices: type) -> str | None:
    """Accept a choice by its code ("department") or its Vietnamese label ("Sở, ban, ngành")."""
    folded = fold(raw)
    for value, label in choices.choices:
        spellings = {fold(value)}
        for language in ("vi", "en"):
            with translation.override(language):
                spellings.add(fold(str(label)))
        if folded in spellings:
            return value
    return None


def _check_unit_row(row: RowCheck, seen: dict[str, int]) -> tuple[int, dict[str, Any]]:
    values: dict[str, Any] = {name: row.text(name) for name in UNIT_COLUMNS}
    for name in REQUIRED_UNIT_FIELDS:
        row.required(name)
    code = values["code"]
    if code and code in seen:
        row.error(
            "code",
            _("Code %(code)s already appears on row %(row)s.") % {"code": code, "row": seen[code]},
        )
    elif code:
        seen[code] = row.number
    for name, choices in (("kind", UnitKind), ("level", UnitLevel)):
        if values[name]:
            value = _choice_value(values[name], choices)
            if value is None:
                row.error(name, _("'%(value)s' is not a known value.") % {"value": values[name]})
            values[name] = value
    values["valid_from"] = row.date("valid_from")
    values["valid_to"] = row.date("valid_to")
    if values["valid_from"] and values["valid_to"] and values["valid_to"] < values["valid_from"]:
        row.error("valid_to", _("The end date is before the start date."))
    values["successors"] = [
        part.strip() for part in values["successors"].replace(";", ",").split(",") if part.strip()
    ]
    return row.number, values


def _validate_unit_rows(
    rows: Iterable[tuple[int, dict[str, Any]]],
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    seen: dict[str, int] = {}
    return check_rows(rows, UNIT_COLUMNS, lambda row: _check_unit_row(row, seen))


def _check_references(
    rows: list[tuple[int, dict[str, Any]]], existing_codes: set[str]
) -> list[RowError]:
    known = existing_codes | {values["code"] for _, values in rows}
    errors = []
    for number, values in rows:
        if values["parent"] and values["parent"] not in known:
            errors.append(
                RowError(
                    number,
                    UNIT_COLUMNS["parent"][0],
                    _("Unknown unit code %(code)s.") % {"code": values["parent"]},
                )
            )
        if values["parent"] == values["code"]:
            errors.append(
                RowError(number, UNIT_COLUMNS["parent"][0], _("A unit cannot be its own parent."))
            )
        for code in values["successors"]:
            if code not in known:
                errors.append(
                    RowError(
                        number,
                        UNIT_COLUMNS["successors"][0],
                        _("Unknown unit code %(code)s.") % {"code": code},
                    )
                )
    return errors


def units_import(*, fileobj: IO[bytes]) -> UnitImportResult:
    """Import units from an XLSX or CSV file, all or nothing.

    Every row is checked first; any error raises ImportFailed with all of them and nothing is
    written. Units are matched by code: new codes are created, known ones updated.
    """
    rows = read_table(fileobj, UNIT_COLUMNS, required=REQUIRED_UNIT_FIELDS, max_rows=10_000)
    clean, errors = _validate_unit_rows(rows)
    existing = {unit.code: unit for unit in OrgUnit.objects.all()}
    errors += _check_references(clean, set(existing))
    if errors:
        raise ImportFailed(errors)
    if not clean:
        raise ImportFailed(_("The file holds no unit rows."))
    return _units_write(clean, existing)


_TEXT_FIELDS = ("short_name", "email")
_PLAIN_FIELDS = ("name", "short_name", "kind", "level", "valid_from", "valid_to", "email")


def _import_value(values: dict[str, Any], name: str) -> Any:
    value = values[name]
    if value is None and name in _TEXT_FIELDS:
        return ""
    return value


@transaction.atomic
def _units_write(
    rows: list[tuple[int, dict[str, Any]]], existing: dict[str, OrgUnit]
) -> UnitImportResult:
    result = UnitImportResult()
    # Parents may come later in the file: save every unit first, link parents after.
    by_code: dict[str, OrgUnit] = dict(existing)
    for number, values in rows:
        unit = existing.get(values["code"]) or OrgUnit(code=values["code"])
        is_new = unit.pk is None
        changed = is_new or any(
            getattr(unit, name) != _import_value(values, name) for name in _PLAIN_FIELDS
        )
        if changed:
            for name in _PLAIN_FIELDS:
                setattr(unit, name, _import_value(values, name))
            try:
                unit_save(unit=unit)
            except ValidationError as exc:
                raise ImportFailed([RowError(number, "", "; ".join(exc.messages))]) from exc
            if is_new:
                result.created += 1
            else:
                result.updated += 1
        by_code[unit.code] = unit
    for number, values in rows:
        unit = by_code[values["code"]]
        parent = by_code.get(values["parent"]) if values["parent"] else None
        if unit.parent_id != (parent.pk if parent else None):
            unit.parent = parent
            try:
                unit_save(unit=unit)
            except ValidationError as exc:  # tree-queries refuses a unit below itself
                raise ImportFailed(
                    [RowError(number, UNIT_COLUMNS["parent"][0], "; ".join(exc.messages))]
                ) from exc
        wanted = {by_code[code].pk for code in values["successors"]}
        if wanted != set(unit.successors.values_list("pk", flat=True)):
            unit.successors.set(wanted)
    return result


@transaction.atomic
def unit_import_start(*, uploaded: UploadedFile, user: User) -> UnitImport:
    """Store the upload and queue its import job once the row is committed."""
    from organizations.jobs import run_unit_import_task

    policy.require(user, policy.UNIT_IMPORT)  # before the file is read
    checked = check_table(uploaded)  # size cap, XLSX or UTF-8 CSV by content, zip bomb
    record = UnitImport(original_name=checked.name, created_by=user)
    record.file.save(generated_name(checked), uploaded, save=False)
    record.full_clean()
    record.save()
    send_on_commit(run_unit_import_task, record.pk)
    return record


def unit_import_run(*, import_id: int) -> UnitImport | None:
    """Run one queued import (or take over one whose worker died). Safe to run twice: the row
    is claimed through core.background, and the import itself is all-or-nothing."""
    record = background.claim(UnitImport, import_id)
    if record is None:
        return None
    try:
        with background.leased(record), record.file.open("rb") as fileobj:
            result = units_import(fileobj=fileobj)
    except ImportFailed as exc:
        background.fail(
            record,
            error=_("The file has errors; nothing was imported."),
            fields={"errors": [error.as_dict() for error in exc.errors]},
        )
    else:
        background.succeed(
            record,
            fields={
                "rows_created": result.created,
                "rows_updated": result.updated,
                "errors": [],
            },
        )
    return record


def unit_imports_purge(*, older_than_days: int) -> int:
    """Delete the stored files (and rows) of imports older than the retention period."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    purged = 0
    for record in UnitImport.objects.filter(created_at__lt=cutoff).exclude(
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ):
        record.file.delete(save=False)
        record.delete()
        purged += 1
    return purged
