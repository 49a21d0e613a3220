"""Status of an assignment (or of one period of a recurring one), derived from dates, never typed.

This module is the ONE place the rules live, twice over: `derive_status` for a row in Python, and
`status_expression` for the same rules as a SQL CASE, used by `with_status(as_of=...)` on the
Assignment and AssignmentPeriod querysets so lists and dashboards filter and count in SQL.

The rules, for a day `as_of` (first match wins):
1. cancelled / suspended workflow states are shown as such;
2. confirmed by Home Affairs and reported done on or before `as_of`: done with no deadline,
   done on time (completion date <= effective deadline), or done late. The completion date is
   the day the unit reported done, not the day of confirmation;
3. reported done on or before `as_of`, not yet confirmed: awaiting confirmation;
4. returned by Home Affairs: returned;
5. otherwise not complete as of that day: overdue if the effective deadline is before `as_of`,
   not started if no report was submitted by then, in progress with no deadline, or in progress.
The effective deadline is the approved extension's date when there is one, else the deadline.

A recurring assignment takes the status of its first period (started by `as_of`) that is not
done; when every started period is done, done late if any was late, else done on time.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Days ahead within which an open assignment counts as "due soon".
DUE_SOON_DAYS = 7


class WorkflowState(models.TextChoices):
    """What people did to an assignment; stored. Status (below) is derived from it and dates."""

    # A state, not the button that opens a row ("Xem"): the same English word, two Vietnamese.
    OPEN = "open", pgettext_lazy("workflow state", "Open")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Reported done, awaiting confirmation")
    RETURNED = "returned", _("Returned")
    CONFIRMED = "confirmed", _("Confirmed done")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress, within deadline")
    OVERDUE = "overdue", _("In progress, overdue")
    NO_DEADLINE = "no_deadline", _("In progress, no deadline")
    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    DONE_NO_DEADLINE = "done_no_deadline", _("Done, no deadline")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting confirmation")
    RETURNED = "returned", _("Returned")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


DONE = frozenset({Status.DONE_ON_TIME, Status.DONE_LATE, Status.DONE_NO_DEADLINE})
# Open work: what a unit still has to do (counted in "not completed").
OPEN = frozenset(
    {
        Status.NOT_STARTED,
        Status.IN_PROGRESS,
        Status.OVERDUE,
        Status.NO_DEADLINE,
        Status.AWAITING_CONFIRMATION,
        Status.RETURNED,
    }
)
# Out of the count entirely: neither planned work to finish nor done.
EXCLUDED = frozenset({Status.SUSPENDED, Status.CANCELLED})
BADGE = {
    Status.NOT_STARTED: "secondary",
    Status.IN_PROGRESS: "primary",
    Status.OVERDUE: "danger",
    Status.NO_DEADLINE: "info",
    Status.DONE_ON_TIME: "success",
    Status.DONE_LATE: "warning",
    Status.DONE_NO_DEADLINE: "success",
    Status.AWAITING_CONFIRMATION: "info",
    Status.RETURNED: "warning",
    Status.SUSPENDED: "secondary",
    Status.CANCELLED: "dark",
}


def derive_status(
    *,
    state: str,
    deadline: datetime.date | None,
    extended_deadline: datetime.date | None,
    started_on: datetime.date | None,
    completed_on: datetime.date | None,
    as_of: datetime.date,
) -> Status:
    """The status of one row on `as_of` (see the module docstring for the rules)."""
    effective = extended_deadline or deadline
    if state == WorkflowState.CANCELLED:
        return Status.CANCELLED
    if state == WorkflowState.SUSPENDED:
        return Status.SUSPENDED
    done_by_then = completed_on is not None and completed_on <= as_of
    if state == WorkflowState.CONFIRMED and done_by_then:
        if effective is None:
            return Status.DONE_NO_DEADLINE
        return Status.DONE_ON_TIME if completed_on <= effective else Status.DONE_LATE
    if state == WorkflowState.AWAITING_CONFIRMATION and done_by_then:
        return Status.AWAITING_CONFIRMATION
    if state == WorkflowState.RETURNED:
        return Status.RETURNED
    if effective is not None and effective < as_of:
        return Status.OVERDUE
    if started_on is None or started_on > as_of:
        return Status.NOT_STARTED
    if effective is None:
        return Status.NO_DEADLINE
    return Status.IN_PROGRESS


def row_status(row, as_of: datetime.date | None = None) -> Status:
    """derive_status for an Assignment or AssignmentPeriod row's own fields."""
    return derive_status(
        state=row.state,
        deadline=row.deadline,
        extended_deadline=row.extended_deadline,
        started_on=row.started_on,
        completed_on=row.completed_on,
        as_of=as_of or timezone.localdate(),
    )


def assignment_status(assignment, as_of: datetime.date | None = None) -> Status:
    """Status of an assignment in Python; a recurring one reads its periods."""
    as_of = as_of or timezone.localdate()
    if not assignment.task.recurrence or assignment.state in (
        WorkflowState.CANCELLED,
        WorkflowState.SUSPENDED,
    ):
        return row_status(assignment, as_of)
    started = [p for p in assignment.periods.all() if p.period_start <= as_of]
    if not started:
        return Status.NOT_STARTED
    statuses = [(row_status(p, as_of), p.period_start) for p in started]
    pending = sorted((start, s) for s, start in statuses if s not in DONE)
    if pending:
        return pending[0][1]
    if any(s == Status.DONE_LATE for s, _start in statuses):
        return Status.DONE_LATE
    return min((start, s) for s, start in statuses)[1]


def status_expression(as_of: datetime.date) -> Case:
    """derive_status as a SQL CASE over the row's own columns (needs `eff_deadline`)."""
    done_by_then = Q(completed_on__isnull=False, completed_on__lte=as_of)
    return Case(
        When(state=WorkflowState.CANCELLED, then=Value(Status.CANCELLED)),
        When(state=WorkflowState.SUSPENDED, then=Value(Status.SUSPENDED)),
        When(
            Q(state=WorkflowState.CONFIRMED) & done_by_then & Q(eff_deadline__isnull=True),
            then=Value(Status.DONE_NO_DEADLINE),
        ),
        When(
            Q(state=WorkflowState.CONFIRMED)
            & done_by_then
            & Q(completed_on__lte=F("eff_deadline")),
            then=Value(Status.DONE_ON_TIME),
        ),
        When(Q(state=WorkflowState.CONFIRMED) & done_by_then, then=Value(Status.DONE_LATE)),
        When(
            Q(state=WorkflowState.AWAITING_CONFIRMATION) & done_by_then,
            then=Value(Status.AWAITING_CONFIRMATION),
        ),
        When(state=WorkflowState.RETURNED, then=Value(Status.RETURNED)),
        When(eff_deadline__lt=as_of, then=Value(Status.OVERDUE)),
        When(Q(started_on__isnull=True) | Q(started_on__gt=as_of), then=Value(Status.NOT_STARTED)),
        When(eff_deadline__isnull=True, then=Value(Status.NO_DEADLINE)),
        default=Value(Status.IN_PROGRESS),
        output_field=models.CharField(),
    )


class StatusQuerySet(models.QuerySet):
    def with_status(self, as_of: datetime.date | None = None) -> StatusQuerySet:
        """Annotate `eff_deadline` (the approved extension or the deadline) and `status` as of
        the given day (today by default)."""
        as_of = as_of or timezone.localdate()
        qs = self.annotate(eff_deadline=Coalesce("extended_deadline", "deadline"))
        if self.model._meta.model_name != "assignment":
            return qs.annotate(status=status_expression(as_of))
        # The period subquery sits in the CASE's default, so the database runs it only for
        # recurring assignments, not for every row of a large list.
        return qs.annotate(
            status=Case(
                When(
                    Q(task__recurrence="")
                    | Q(state__in=[WorkflowState.CANCELLED, WorkflowState.SUSPENDED]),
                    then=status_expression(as_of),
                ),
                default=Coalesce(
                    Subquery(_period_status_for_assignment(as_of)), Value(Status.NOT_STARTED)
                ),
                output_field=models.CharField(),
            )
        )

    def status_in(self, statuses, as_of: datetime.date | None = None) -> StatusQuerySet:
        return self.with_status(as_of).filter(status__in=[str(s) for s in statuses])

    def due_soon(self, as_of: datetime.date | None = None, days: int = DUE_SOON_DAYS):
        """Open work with an effective deadline within the next `days` days."""
        as_of = as_of or timezone.localdate()
        return self.with_status(as_of).filter(
            status__in=[Status.IN_PROGRESS, Status.NOT_STARTED, Status.RETURNED],
            eff_deadline__gte=as_of,
            eff_deadline__lte=as_of + datetime.timedelta(days=days),
        )


def _period_status_for_assignment(as_of: datetime.date):
    """The status of the recurring assignment's deciding period (see module docstring)."""
    from tasks.models import AssignmentPeriod

    # The ranks read the period's columns, not its status: a condition on `status` would write
    # the whole status CASE into the SQL again for each rank. A period is done (DONE_*) exactly
    # when it is confirmed and completed by `as_of`, and done late when completed after its
    # effective deadline (status_expression's order).
    done = Q(state=WorkflowState.CONFIRMED, completed_on__isnull=False, completed_on__lte=as_of)
    return (
        AssignmentPeriod.objects.filter(assignment=OuterRef("pk"), period_start__lte=as_of)
        .with_status(as_of)
        .annotate(
            done_rank=Case(
                When(done, then=Value(1)),
                default=Value(0),
                output_field=models.IntegerField(),
            ),
            late_rank=Case(
                When(done & Q(completed_on__gt=F("eff_deadline")), then=Value(0)),
                default=Value(1),
                output_field=models.IntegerField(),
            ),
        )
        .order_by("done_rank", "late_rank", "period_start")
        .values("status")[:1]
    )
