"""Workflow transitions of an assignment: reports, confirmation, extensions, transfers.

Each public function asks tasks.policy whether the actor may do it in the row's state, then
acts (a private `_..._mark` helper); a refused transition raises PermissionDenied (wrong person)
or ValidationError (wrong state), both with a Vietnamese message, and writes nothing.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.events import emit
from organizations.models import OrgUnit, User
from tasks import policy
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


def _target(assignment: Assignment, period: AssignmentPeriod | None):
    """The row whose status changes: the period of a recurring task, else the assignment."""
    if assignment.task.recurrence:
        if period is None:
            raise ValidationError({"period": _("Choose the reporting period.")})
        if period.assignment_id != assignment.pk:
            raise ValidationError({"period": _("This period belongs to another assignment.")})
        return period
    return assignment


def _open_target(assignment: Assignment, period: AssignmentPeriod | None):
    """The row a report or an extension request is about. A recurring assignment whose every
    period is reported done has nothing left to report: say that, rather than ask for a
    period the form could not offer."""
    if (
        assignment.task.recurrence
        and not assignment.periods.filter(state__in=policy.WORKING).exists()
    ):
        raise ValidationError(all_periods_done_message(), code="state")
    return _target(assignment, period)


def all_periods_done_message() -> str:
    return _(
        "Every reporting period of this assignment is reported done: nothing is left to report."
    )


def _save(row) -> None:
    row.full_clean()
    row.save()


def _last_change(row) -> int:
    """The id of the history row the last save wrote: the occurrence of a state change that
    may happen more than once (suspended, resumed, suspended again)."""
    return row.history.values_list("history_id", flat=True).latest("history_date", "history_id")


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
    policy.require_person(author, policy.REPORT_DRAFT, assignment=assignment)
    target = _open_target(assignment, period)
    policy.require(author, policy.REPORT_DRAFT, assignment=assignment, target=target)
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
    policy.require_person(actor, policy.REPORT_DRAFT, assignment=report.assignment)
    if report.state != ReportState.DRAFT:
        raise ValidationError(_("A submitted report cannot be changed."))
    evidence = Evidence.from_upload(upload, uploaded_by=actor, report=report)
    _save(evidence)
    return evidence


@transaction.atomic
def report_submit(
    *, report: ProgressReport, actor: User, on: datetime.date | None = None
) -> ProgressReport:
    """The unit head submits a draft. A "done" report puts the work awaiting confirmation with
    the report date as the completion date; a document output needs an evidence file."""
    assignment = report.assignment
    target = report.period or assignment
    policy.require(actor, policy.REPORT_SUBMIT, report=report, assignment=assignment, target=target)
    if report.reports_done and assignment.task.needs_evidence and not report.evidence.exists():
        raise ValidationError(
            _("The expected output is a document: attach it as evidence before reporting done.")
        )
    day = on or timezone.localdate()
    _report_mark_submitted(report, target, actor, day)
    # A report is submitted once (append-only): its pk is the occurrence.
    emit("report.submitted", actor=actor, subject=report, occurrence=report.pk)
    return report


@transaction.atomic
def report_file(*, submit: bool = False, **draft) -> ProgressReport:
    """A progress report as the page's form and the API's POST write it: a draft with its
    evidence files (`draft` is report_draft's keyword arguments), submitted at once when
    `submit` (the head's "submit" button, the API's `submit=true`). One transaction: a refused
    submission leaves no draft behind."""
    report = report_draft(**draft)
    if submit:
        report_submit(report=report, actor=report.author)
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


def _awaiting_target(actor: User, assignment: Assignment, period: AssignmentPeriod | None):
    policy.require_person(actor, policy.REVIEW, assignment=assignment)
    target = _target(assignment, period)
    policy.require(actor, policy.REVIEW, assignment=assignment, target=target)
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
    target = _awaiting_target(actor, assignment, period)
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
    emit("report.confirmed", actor=actor, subject=review.report or assignment, occurrence=review.pk)
    status_changed([assignment.pk])
    return review


@transaction.atomic
def assignment_return(
    *, assignment: Assignment, actor: User, reason: str, period: AssignmentPeriod | None = None
) -> Review:
    """Home Affairs refuses the "done" with a reason; the unit works on and reports again."""
    policy.require_person(actor, policy.REVIEW, assignment=assignment)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for returning it.")})
    target = _awaiting_target(actor, assignment, period)
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
    emit(
        "report.returned",
        actor=actor,
        subject=review.report or assignment,
        occurrence=review.pk,
        reason=review.reason,
    )
    status_changed([assignment.pk])
    return review


def review_decide(
    *,
    assignment: Assignment,
    actor: User,
    decision: str,
    reason: str = "",
    period: AssignmentPeriod | None = None,
) -> Review:
    """Home Affairs' decision on a reported completion, as the assignment page and the API
    send it: confirmed, or returned with a reason."""
    if decision == ReviewDecision.CONFIRMED:
        return assignment_confirm(assignment=assignment, actor=actor, period=period)
    if decision == ReviewDecision.RETURNED:
        return assignment_return(assignment=assignment, actor=actor, reason=reason, period=period)
    raise ValidationError({"decision": _("Choose whether to confirm or to return it.")})


def _with_reason(row, actor: User, reason: str) -> None:
    """The history row this save writes names the actor and the reason (also where no request
    is around: a job, the API, a bulk action)."""
    row._history_user = actor
    row._change_reason = reason or None


def _state_before_suspension(assignment: Assignment) -> str:
    """The workflow state an assignment had before it was suspended, from its history: a
    resumed assignment that awaited confirmation awaits it again."""
    states = assignment.history.order_by("-history_date", "-history_id").values_list(
        "state", flat=True
    )
    for state in states:
        if state != WorkflowState.SUSPENDED:
            return state
    return WorkflowState.OPEN


@transaction.atomic
def assignment_suspend(*, assignment: Assignment, actor: User, reason: str = "") -> Assignment:
    policy.require(actor, policy.ASSIGNMENT_SUSPEND, assignment=assignment)
    assignment.state = WorkflowState.SUSPENDED
    _with_reason(assignment, actor, reason.strip())
    _save(assignment)
    emit(
        "assignment.suspended", actor=actor, subject=assignment, occurrence=_last_change(assignment)
    )
    status_changed([assignment.pk])
    return assignment


@transaction.atomic
def assignment_resume(*, assignment: Assignment, actor: User, reason: str = "") -> Assignment:
    """Back to the state it had before the suspension (open, returned, awaiting confirmation)."""
    policy.require(actor, policy.ASSIGNMENT_RESUME, assignment=assignment)
    assignment.state = _state_before_suspension(assignment)
    _with_reason(assignment, actor, reason.strip())
    _save(assignment)
    emit("assignment.resumed", actor=actor, subject=assignment, occurrence=_last_change(assignment))
    status_changed([assignment.pk])
    return assignment


@transaction.atomic
def assignment_cancel(*, assignment: Assignment, actor: User, reason: str) -> Assignment:
    """Home Affairs cancels, with a reason kept in the assignment's history (nothing is
    deleted: the row stays, cancelled, with its reports, and the change history shows who,
    when and why)."""
    policy.require(actor, policy.ASSIGNMENT_CANCEL, assignment=assignment)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    assignment.state = WorkflowState.CANCELLED
    _with_reason(assignment, actor, reason.strip())
    _save(assignment)
    emit(
        "assignment.cancelled",
        actor=actor,
        subject=assignment,
        occurrence=_last_change(assignment),
        reason=reason.strip(),
    )
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
    policy.require_person(actor, policy.EXTENSION_REQUEST, assignment=assignment)
    target = _open_target(assignment, period)
    policy.require(actor, policy.EXTENSION_REQUEST, assignment=assignment, target=target)
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
    emit("extension.requested", actor=actor, subject=extension, occurrence="requested")
    return extension


@transaction.atomic
def extension_approve(
    *, extension: DeadlineExtension, actor: User, note: str = ""
) -> DeadlineExtension:
    """Home Affairs approves: the effective deadline becomes the requested one."""
    policy.require(actor, policy.EXTENSION_DECIDE, extension=extension)
    extension.state = ExtensionState.APPROVED
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    extension.decision_note = note
    _save(extension)
    target = extension.period or extension.assignment
    target.extended_deadline = extension.requested_deadline
    _save(target)
    emit(
        "extension.decided",
        actor=actor,
        subject=extension,
        occurrence=extension.state,
        approved=True,
        note=note,
    )
    status_changed([extension.assignment_id])
    return extension


@transaction.atomic
def extension_refuse(*, extension: DeadlineExtension, actor: User, note: str) -> DeadlineExtension:
    policy.require(actor, policy.EXTENSION_DECIDE, extension=extension)
    if not (note or "").strip():
        raise ValidationError({"note": _("Give the reason for refusing.")})
    extension.state = ExtensionState.REFUSED
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    extension.decision_note = note.strip()
    _save(extension)
    emit(
        "extension.decided",
        actor=actor,
        subject=extension,
        occurrence=extension.state,
        approved=False,
        note=extension.decision_note,
    )
    return extension


def extension_decide(
    *, extension: DeadlineExtension, actor: User, approve: bool, note: str = ""
) -> DeadlineExtension:
    """Home Affairs approves or refuses a requested extension (a refusal needs the reason)."""
    if approve:
        return extension_approve(extension=extension, actor=actor, note=note)
    return extension_refuse(extension=extension, actor=actor, note=note)


# --- Transfer to a successor unit ------------------------------------------------------------


@transaction.atomic
def assignment_transfer(
    *, assignment: Assignment, to_unit: OrgUnit, actor: User, note: str = ""
) -> AssignmentTransfer:
    """Move an open assignment of a merged-away unit to one of its successors, on record."""
    policy.require(actor, policy.ASSIGNMENT_TRANSFER, assignment=assignment)
    from_unit = assignment.unit
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
    emit(
        "assignment.assigned",
        actor=actor,
        subject=assignment,
        occurrence=f"transfer-{transfer.pk}",
        from_unit=from_unit,
    )
    status_changed([assignment.pk])
    return transfer


@transaction.atomic
def unit_transfer_open_assignments(
    *, unit: OrgUnit, to_unit: OrgUnit, actor: User, note: str = ""
) -> list[AssignmentTransfer]:
    """Transfer every open assignment of `unit` to `to_unit` (all or nothing)."""
    return [
        assignment_transfer(assignment=a, to_unit=to_unit, actor=actor, note=note)
        for a in Assignment.objects.filter(unit=unit, state__in=policy.TRANSFERABLE).select_related(
            "unit", "task"
        )
    ]
