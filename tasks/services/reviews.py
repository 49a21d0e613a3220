"""Home Affairs decides several reported completions at once, from the review queue. Each row
goes through the one service of its action (assignment_confirm / assignment_return, the same as
the assignment page and the API); the batch is one transaction: one refused row, nothing done."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organizations.models import User
from tasks import policy
from tasks.models import Assignment, AssignmentPeriod, Review
from tasks.services.workflow import assignment_confirm, assignment_return

MAX_BATCH = 100


@dataclass(frozen=True)
class ReviewTarget:
    """One row of the queue: an assignment, or one period of a recurring one."""

    assignment_id: int
    period_id: int | None = None

    @classmethod
    def parse(cls, raw: str) -> ReviewTarget:
        """ "12" or "12:345" (assignment:period), as the queue's checkboxes send them."""
        head, _sep, tail = str(raw).partition(":")
        try:
            return cls(int(head), int(tail) if tail else None)
        except ValueError as exc:
            raise ValidationError(_("The selection is not valid: reload the page.")) from exc


def _load(targets: list[ReviewTarget]) -> list[tuple[Assignment, AssignmentPeriod | None]]:
    if not targets:
        raise ValidationError(_("Select at least one assignment."))
    if len(targets) > MAX_BATCH:
        raise ValidationError(
            _("Select at most %(count)s assignments at once.") % {"count": MAX_BATCH}
        )
    # Locked, and read after the lock: a colleague deciding the same row meanwhile is seen.
    assignments = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("task__directive", "unit")
        .in_bulk({t.assignment_id for t in targets})
    )
    period_ids = {t.period_id for t in targets if t.period_id}
    periods = AssignmentPeriod.objects.select_for_update().in_bulk(period_ids)
    rows = []
    for target in dict.fromkeys(targets):
        assignment = assignments.get(target.assignment_id)
        period = periods.get(target.period_id) if target.period_id else None
        if assignment is None or (target.period_id and period is None):
            raise ValidationError(_("An assignment of the selection no longer exists."))
        rows.append((assignment, period))
    return rows


def _named(exc: ValidationError, assignment: Assignment) -> ValidationError:
    """The row's refusal, naming the task and the unit, so the officer knows which one."""
    label = f"{assignment.task.item_number}. {assignment.task.title} ({assignment.unit.name})"
    return ValidationError([f"{label}: {message}" for message in exc.messages])


@transaction.atomic
def assignments_bulk_confirm(*, targets: list[ReviewTarget], actor: User) -> list[Review]:
    """Confirm every selected completion, or none."""
    policy.require_person(actor, policy.REVIEW)
    reviews = []
    for assignment, period in _load(targets):
        try:
            reviews.append(assignment_confirm(assignment=assignment, actor=actor, period=period))
        except ValidationError as exc:
            raise _named(exc, assignment) from exc
    return reviews


@transaction.atomic
def assignments_bulk_return(
    *, targets: list[ReviewTarget], actor: User, reason: str
) -> list[Review]:
    """Return every selected completion to its unit with the same reason, or none."""
    policy.require_person(actor, policy.REVIEW)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for returning it.")})
    reviews = []
    for assignment, period in _load(targets):
        try:
            reviews.append(
                assignment_return(assignment=assignment, actor=actor, reason=reason, period=period)
            )
        except ValidationError as exc:
            raise _named(exc, assignment) from exc
    return reviews
