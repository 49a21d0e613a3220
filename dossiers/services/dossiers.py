"""Writes to dossiers one at a time: create, finish, apology; and the derived dates and checks
the bulk upsert of imports and pushes (services/upserts.py) shares with them."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import policy
from dossiers.models import (
    EXCLUDED_STATES,
    OPEN_STATES,
    Dossier,
    DossierState,
    Procedure,
    RollupDirtyKey,
)
from dossiers.services.procedures import due_moment, version_at
from organizations.models import OrgUnit
from organizations.selectors import unit_not_existing_message

ONE_DAY = datetime.timedelta(days=1)

# --- Dossiers ------------------------------------------------------------------------------


def derive_dates(
    *,
    received_at: datetime.datetime,
    due_at: datetime.datetime,
    finished_at: datetime.datetime | None,
    state: str,
    tz: datetime.tzinfo | None = None,
) -> tuple[datetime.date, datetime.date, datetime.date | None, datetime.date | None]:
    """(received_date, due_date, finished_date, overdue_date): the local dates the reports
    group by. overdue_date is the day after the due date for a dossier not finished by then.

    `tz` is the current time zone, passed by bulk callers that fetched it once (looking it up
    per call costs more than the conversion); the moments are aware either way."""
    if tz is None:  # timezone.localdate also refuses a naive moment
        received_date = timezone.localdate(received_at)
        due_date = timezone.localdate(due_at)
        finished_date = timezone.localdate(finished_at) if finished_at else None
    else:
        received_date = received_at.astimezone(tz).date()
        due_date = due_at.astimezone(tz).date()
        finished_date = finished_at.astimezone(tz).date() if finished_at else None
    not_done_in_time = finished_date is None or finished_date > due_date
    overdue_date = due_date + ONE_DAY if not_done_in_time and state not in EXCLUDED_STATES else None
    return received_date, due_date, finished_date, overdue_date


def dossier_derive_dates(dossier: Dossier, *, tz: datetime.tzinfo | None = None) -> None:
    """Write the derived local dates on a dossier (a model or a DossierRow); the one place that
    sets them."""
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
        tz=tz,
    )


def dossier_errors(
    *,
    received_at: datetime.datetime,
    finished_at: datetime.datetime | None,
    returned_at: datetime.datetime | None,
    fee_required: bool,
    paid_online: bool,
    unit: OrgUnit | None = None,
) -> dict[str, str]:
    """The rules between a dossier's values, as column -> message (empty when it is sound)."""
    errors = {}
    # most units have no end date: only those with one pay for the receipt day's conversion
    if unit is not None and (unit.valid_from or unit.valid_to):
        received_on = timezone.localdate(received_at)
        if not unit.is_valid_on(received_on):
            errors["unit"] = unit_not_existing_message(
                unit,
                _("it cannot have received a dossier on %(date)s")
                % {"date": f"{received_on:%d/%m/%Y}"},
            )
    if finished_at and finished_at < received_at:
        errors["finished_at"] = _("The finish time is before the receipt.")
    if returned_at and returned_at < received_at:
        errors["returned_at"] = _("The return time is before the receipt.")
    if paid_online and not fee_required:
        errors["paid_online"] = _("A dossier without a fee cannot be paid online.")
    return errors


def _check_dossier(dossier: Dossier) -> None:
    errors = dossier_errors(
        received_at=dossier.received_at,
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
        fee_required=dossier.fee_required,
        paid_online=dossier.paid_online,
        unit=dossier.unit,
    )
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


def mark_dirty(keys: set[tuple[int, datetime.date]]) -> None:
    if keys:
        RollupDirtyKey.objects.bulk_create(
            [RollupDirtyKey(unit_id_value=unit_id, day=day) for unit_id, day in keys],
            ignore_conflicts=True,
        )


def event_keys(unit_id: int, *days: datetime.date | None) -> set[tuple[int, datetime.date]]:
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
    old = event_keys(dossier.unit_id, dossier.overdue_date)
    dossier.finished_at = finished_at
    dossier.state = state
    dossier_derive_dates(dossier)
    _check_dossier(dossier)
    dossier.full_clean()
    dossier.save()
    mark_dirty(old - event_keys(dossier.unit_id, dossier.overdue_date))
    return dossier


@transaction.atomic
def dossier_register_apology(
    *, dossier: Dossier, actor, new_due_date: datetime.date, note: str = ""
) -> Dossier:
    """The receiving unit records its apology letter and the new appointment date
    (dossiers/policy.py: who, and only once for a late dossier)."""
    policy.require(actor, policy.DOSSIER_APOLOGY, dossier=dossier)
    today = timezone.localdate()
    if new_due_date < today and dossier.finished_at is None:
        raise ValidationError({"new_due_date": _("The new appointment date is in the past.")})
    dossier.apology_registered_at = timezone.now()
    dossier.apology_new_due_at = new_due_date
    dossier.apology_note = note
    dossier.full_clean()
    dossier.save()
    return dossier
