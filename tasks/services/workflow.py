"""Workflow transitions of an assignment: reports, confirmation, extensions, transfers.

Each public function checks the actor and the state, then acts (a private `_..._mark` helper);
a refused transition raises PermissionDenied (wrong person) or ValidationError (wrong state),
both with a Vietnamese message, and writes nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role, has_role
from core.uploads import EVIDENCE_TYPES, check_upload
from organizations.models import OrgUnit, User
from tasks.models import (
    Assignment,
    AssignmentPeriod,
    AssignmentTransfer,
    DeadlineExtension,
    Evidence,
    ExtensionState,
    ProgressReport,
    ReportState,
    Review,
    ReviewDecision,
)
from tasks.services.status_hook import status_changed
from tasks.status import WorkflowState

# States in which a unit can still report or ask for more time.
_WORKING = (WorkflowState.OPEN, WorkflowState.RETURNED)


def _target(assignment: Assignment, period: AssignmentPeriod | None):
    """The row whose status changes: the period of a recurring task, else the assignment."""
    if assignment.task.recurrence:
        if period is None:
            raise ValidationError({"period": _("Choose the reporting period.")})
        if period.assignment_id != assignment.pk:
            raise ValidationError({"period": _("This period belongs to another assignment.")})
        return period
    return assignment


def _require_unit_member(actor: User, assignment: Assignment, *roles: str) -> None:
    if not has_role(actor, *roles) or actor.unit_id != assignment.unit_id:
        raise PermissionDenied(_("Only the assigned unit's own staff can do this."))


def _require_home_affairs(actor: User) -> None:
    if not has_role(actor, Role.HOME_AFFAIRS):
        raise PermissionDenied(_("Only Home Affairs can do this."))


def _save(row) -> None:
    row.full_clean()
    row.save()


# --- Progress reports ----------------------------------------------------------------------


@transaction.atomic
def report_draft(
    *,
    assignment: Assignment,
    author: User,
    percent: int,
    text: str,
    reports_done: bool = False,
    period: AssignmentPeriod | None = None,
    files=(),
) -> ProgressReport:
    """Unit staff (or the head) write a draft progress report, with evidence files."""
    _require_unit_member(author, assignment, Role.UNIT_HEAD, Role.UNIT_STAFF)
    target = _target(assignment, period)
    if assignment.state not in _WORKING or target.state not in _WORKING:
        raise ValidationError(_("This assignment is not open for reports."))
    if reports_done:
        percent = 100
    report = ProgressReport(
        assignment=assignment,
        period=period if assignment.task.recurrence else None,
        percent=percent,
        text=text,
        reports_done=reports_done,
        author=author,
    )
    _save(report)
    for upload in files:
        evidence_add(report=report, upload=upload, actor=author)
    return report


@transaction.atomic
def evidence_add(*, report: ProgressReport, upload, actor: User) -> Evidence:
    """Attach a file to a draft report; the file is checked by content and hashed."""
    _require_unit_member(actor, report.assignment, Role.UNIT_HEAD, Role.UNIT_STAFF)
    if report.state != ReportState.DRAFT:
        raise ValidationError(_("A submitted report cannot be changed."))
    checked = check_upload(upload, allowed=EVIDENCE_TYPES, max_bytes=settings.EVIDENCE_MAX_BYTES)
    evidence = Evidence(
        report=report,
        original_name=checked.name,
        sha256=checked.sha256,
        size=checked.size,
        content_type=checked.content_type,
        uploaded_by=actor,
    )
    evidence.file.save("evidence", upload, save=False)
    _save(evidence)
    return evidence


@transaction.atomic
def report_submit(
    *, report: ProgressReport, actor: User, on: datetime.date | None = None
) -> ProgressReport:
    """The unit head submits a draft. A "done" report puts the work awaiting confirmation with
    the report date as the completion date; a document output needs an evidence file."""
    assignment = report.assignment
    _require_unit_member(actor, assignment, Role.UNIT_HEAD)
    if report.state != ReportState.DRAFT:
        raise ValidationError(_("This report was already submitted."))
    target = report.period or assignment
    if assignment.state not in _WORKING or target.state not in _WORKING:
        raise ValidationError(_("This assignment is not open for reports."))
    if report.reports_done and assignment.task.needs_evidence and not report.evidence.exists():
        raise ValidationError(
            _("The expected output is a document: attach it as evidence before reporting done.")
        )
    day = on or timezone.localdate()
    _report_mark_submitted(report, target, actor, day)
    return report


def _report_mark_submitted(report, target, actor, day) -> None:
    report.state = ReportState.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.report_date = day
    _save(report)
    target.started_on = target.started_on or day
    target.progress_percent = report.percent
    if report.reports_done:
        target.state = WorkflowState.AWAITING_CONFIRMATION
        target.completed_on = day
    elif target.state == WorkflowState.RETURNED:
        target.state = WorkflowState.OPEN
    _save(target)
    if target is not report.assignment:
        assignment = report.assignment
        assignment.started_on = assignment.started_on or day
        assignment.progress_percent = report.percent
        _save(assignment)
    status_changed([report.assignment_id])


# --- Review by Home Affairs ------------------------------------------------------------------


def _awaiting_target(assignment: Assignment, period: AssignmentPeriod | None):
    target = _target(assignment, period)
    if target.state != WorkflowState.AWAITING_CONFIRMATION:
        raise ValidationError(_("Nothing is awaiting confirmation on this assignment."))
    return target


def _last_done_report(assignment, target):
    reports = assignment.reports.filter(state=ReportState.SUBMITTED, reports_done=True)
    if isinstance(target, AssignmentPeriod):
        reports = reports.filter(period=target)
    return reports.order_by("-submitted_at", "-id").first()


@transaction.atomic
def assignment_confirm(
    *, assignment: Assignment, actor: User, period: AssignmentPeriod | None = None
) -> Review:
    """Home Affairs confirms the unit's "done". The completion date stays the reported one."""
    _require_home_affairs(actor)
    target = _awaiting_target(assignment, period)
    review = Review(
        assignment=assignment,
        period=period if isinstance(target, AssignmentPeriod) else None,
        report=_last_done_report(assignment, target),
        decision=ReviewDecision.CONFIRMED,
        reviewer=actor,
    )
    _save(review)
    target.state = WorkflowState.CONFIRMED
    _save(target)
    status_changed([assignment.pk])
    return review


@transaction.atomic
def assignment_return(
    *, assignment: Assignment, actor: User, reason: str, period: AssignmentPeriod | None = None
) -> Review:
    """Home Affairs refuses the "done" with a reason; the unit works on and reports again."""
    _require_home_affairs(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for returning it.")})
    target = _awaiting_target(assignment, period)
    review = Review(
        assignment=assignment,
        period=period if isinstance(target, AssignmentPeriod) else None,
        report=_last_done_report(assignment, target),
        decision=ReviewDecision.RETURNED,
        reason=reason.strip(),
        reviewer=actor,
    )
    _save(review)
    target.state = WorkflowState.RETURNED
    target.completed_on = None
    target.return_reason = reason.strip()
    _save(target)
    status_changed([assignment.pk])
    return review


@transaction.atomic
def assignment_suspend(*, assignment: Assignment, actor: User) -> Assignment:
    _require_home_affairs(actor)
    if assignment.state in (WorkflowState.CONFIRMED, WorkflowState.CANCELLED):
        raise ValidationError(_("A finished or cancelled assignment cannot be suspended."))
    assignment.state = WorkflowState.SUSPENDED
    _save(assignment)
    status_changed([assignment.pk])
    return assignment


@transaction.atomic
def assignment_resume(*, assignment: Assignment, actor: User) -> Assignment:
    _require_home_affairs(actor)
    if assignment.state != WorkflowState.SUSPENDED:
        raise ValidationError(_("Only a suspended assignment can be resumed."))
    assignment.state = WorkflowState.OPEN
    _save(assignment)
    status_changed([assignment.pk])
    return assignment


@transaction.atomic
def assignment_cancel(*, assignment: Assignment, actor: User, reason: str) -> Assignment:
    """Home Affairs cancels, with a reason kept in the assignment's history (nothing is
    deleted: the row stays, cancelled, and the change history shows who, when and why)."""
    _require_home_affairs(actor)
    if assignment.state == WorkflowState.CONFIRMED:
        raise ValidationError(_("A confirmed assignment cannot be cancelled."))
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for cancelling."))
    assignment.state = WorkflowState.CANCELLED
    assignment._change_reason = reason.strip()[:100]
    _save(assignment)
    status_changed([assignment.pk])
    return assignment


# --- Deadline extensions ---------------------------------------------------------------------


@transaction.atomic
def extension_request(
    *,
    assignment: Assignment,
    actor: User,
    requested_deadline: datetime.date,
    reason: str,
    period: AssignmentPeriod | None = None,
) -> DeadlineExtension:
    """The unit asks for a later deadline, with a reason."""
    _require_unit_member(actor, assignment, Role.UNIT_HEAD, Role.UNIT_STAFF)
    target = _target(assignment, period)
    if target.state not in _WORKING or assignment.state not in _WORKING:
        raise ValidationError(_("This assignment is not open: no extension can be asked."))
    if target.effective_deadline is None:
        raise ValidationError(_("This assignment has no deadline to extend."))
    if requested_deadline <= target.effective_deadline:
        raise ValidationError(
            {"requested_deadline": _("The new deadline must be later than the current one.")}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    pending = assignment.extensions.filter(state=ExtensionState.PENDING)
    if pending.filter(period=period if assignment.task.recurrence else None).exists():
        raise ValidationError(_("An extension request is already waiting for a decision."))
    extension = DeadlineExtension(
        assignment=assignment,
        period=period if assignment.task.recurrence else None,
        requested_deadline=requested_deadline,
        reason=reason.strip(),
        requested_by=actor,
    )
    _save(extension)
    return extension


def _pending(extension: DeadlineExtension) -> None:
    if extension.state != ExtensionState.PENDING:
        raise ValidationError(_("This extension request was already decided."))


@transaction.atomic
def extension_approve(
    *, extension: DeadlineExtension, actor: User, note: str = ""
) -> DeadlineExtension:
    """Home Affairs approves: the effective deadline becomes the requested one."""
    _require_home_affairs(actor)
    _pending(extension)
    extension.state = ExtensionState.APPROVED
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    extension.decision_note = note
    _save(extension)
    target = extension.period or extension.assignment
    target.extended_deadline = extension.requested_deadline
    _save(target)
    status_changed([extension.assignment_id])
    return extension


@transaction.atomic
def extension_refuse(*, extension: DeadlineExtension, actor: User, note: str) -> DeadlineExtension:
    _require_home_affairs(actor)
    _pending(extension)
    if not (note or "").strip():
        raise ValidationError({"note": _("Give the reason for refusing.")})
    extension.state = ExtensionState.REFUSED
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    extension.decision_note = note.strip()
    _save(extension)
    return extension


# --- Transfer to a successor unit ------------------------------------------------------------

_TRANSFERABLE = (
    WorkflowState.OPEN,
    WorkflowState.RETURNED,
    WorkflowState.AWAITING_CONFIRMATION,
    WorkflowState.SUSPENDED,
)


@transaction.atomic
def assignment_transfer(
    *, assignment: Assignment, to_unit: OrgUnit, actor: User, note: str = ""
) -> AssignmentTransfer:
    """Move an open assignment of a merged-away unit to one of its successors, on record."""
    _require_home_affairs(actor)
    from_unit = assignment.unit
    if assignment.state not in _TRANSFERABLE:
        raise ValidationError(_("Only open assignments can be transferred."))
    if from_unit.valid_to is None:
        raise ValidationError(
            _("%(unit)s still exists: nothing to transfer.") % {"unit": from_unit}
        )
    if not from_unit.successors.filter(pk=to_unit.pk).exists():
        raise ValidationError(
            {
                "to_unit": _("%(unit)s is not a successor of %(old)s.")
                % {"unit": to_unit, "old": from_unit}
            }
        )
    if Assignment.objects.filter(task=assignment.task, unit=to_unit).exists():
        raise ValidationError({"to_unit": _("%(unit)s already has this task.") % {"unit": to_unit}})
    transfer = AssignmentTransfer(
        assignment=assignment, from_unit=from_unit, to_unit=to_unit, transferred_by=actor, note=note
    )
    _save(transfer)
    assignment.unit = to_unit
    _save(assignment)
    status_changed([assignment.pk])
    return transfer


@transaction.atomic
def unit_transfer_open_assignments(
    *, unit: OrgUnit, to_unit: OrgUnit, actor: User, note: str = ""
) -> list[AssignmentTransfer]:
    """Transfer every open assignment of `unit` to `to_unit` (all or nothing)."""
    return [
        assignment_transfer(assignment=a, to_unit=to_unit, actor=actor, note=note)
        for a in Assignment.objects.filter(unit=unit, state__in=_TRANSFERABLE).select_related(
            "unit", "task"
        )
    ]
