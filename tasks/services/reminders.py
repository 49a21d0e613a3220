"""The daily deadline scan: remind units of work due soon and tell them of work newly overdue.

Each reminder is a notification to the unit's head and staff (notifications.notify_units), keyed
"kind:object:day", so running the scan twice on one Vietnam day inserts nothing the second time.

- Due soon: open work (not started, in progress, returned) whose effective deadline is exactly
  7, 3 or 1 days after the scan day. The key's day is the scan day.
- Newly overdue: work whose status is overdue on the scan day and whose effective deadline
  passed at most OVERDUE_CATCH_UP_DAYS ago. The key's day is the first overdue day (the day
  after the deadline), not the scan day, so an item is notified once however many scans see it
  in the window; a scan missed by a stopped beat is caught up the next day; an extension that
  runs out in turn is a new fact with a new key; and long-overdue work is not announced again
  when the portal is first deployed. Overdue is an immediate kind: notifications mails it at
  once to those who kept "immediate mail" on (its preference), the others get it in the digest.

Statuses come from the status annotation (tasks.status) in SQL. One-off assignments are read
as rows; a recurring assignment is reminded per reporting period, each with its own deadline.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.events import emit_many
from notifications.models import NotificationKind
from notifications.services import UnitNotice, notify_units
from tasks.models import Assignment, AssignmentPeriod
from tasks.status import Status, WorkflowState

# Days before the effective deadline on which a unit is reminded.
REMINDER_DAYS = (7, 3, 1)
# How far back the scan looks for work that became overdue and was not notified yet.
OVERDUE_CATCH_UP_DAYS = 7
OPEN_WITHIN_DEADLINE = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.RETURNED)


@dataclass(frozen=True)
class ScanResult:
    due_soon: int
    overdue: int

    @property
    def total(self) -> int:
        return self.due_soon + self.overdue


def _one_off(day: datetime.date) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(task__recurrence="")
        .with_status(day)
        .select_related("task__directive", "unit")
    )


def _periods(day: datetime.date) -> QuerySet[AssignmentPeriod]:
    return (
        AssignmentPeriod.objects.filter(period_start__lte=day)
        .exclude(assignment__state__in=[WorkflowState.CANCELLED, WorkflowState.SUSPENDED])
        .with_status(day)
        .select_related("assignment__task__directive", "assignment__unit")
    )


def _due_soon_rows(day: datetime.date) -> list[Assignment | AssignmentPeriod]:
    deadlines = [day + datetime.timedelta(days=n) for n in REMINDER_DAYS]
    statuses = [str(s) for s in OPEN_WITHIN_DEADLINE]
    rows: list[Assignment | AssignmentPeriod] = []
    for queryset in (_one_off(day), _periods(day)):
        rows.extend(queryset.filter(status__in=statuses, eff_deadline__in=deadlines).order_by("pk"))
    return rows


def _overdue_rows(day: datetime.date) -> list[Assignment | AssignmentPeriod]:
    since = day - datetime.timedelta(days=OVERDUE_CATCH_UP_DAYS)
    rows: list[Assignment | AssignmentPeriod] = []
    for queryset in (_one_off(day), _periods(day)):
        rows.extend(queryset.filter(status=Status.OVERDUE, eff_deadline__gte=since).order_by("pk"))
    return rows


def _assignment(row: Assignment | AssignmentPeriod) -> Assignment:
    return row.assignment if isinstance(row, AssignmentPeriod) else row


def _label(row: Assignment | AssignmentPeriod) -> str:
    assignment = _assignment(row)
    task = assignment.task
    label = f"{task.directive.number} · {task.item_number}. {task.title}"
    if isinstance(row, AssignmentPeriod):
        label += " " + _("(period %(start)s–%(end)s)") % {
            "start": dateformat.format(row.period_start, "d/m/Y"),
            "end": dateformat.format(row.period_end, "d/m/Y"),
        }
    return label


def _notice(row, kind: str, message: str) -> UnitNotice:
    assignment = _assignment(row)
    return UnitNotice(
        unit_id=assignment.unit_id,
        kind=kind,
        obj=row,
        message=message,
        link=reverse("tasks:assignment_detail", args=[assignment.pk]),
    )


def _due_soon_message(row, day: datetime.date) -> str:
    days = (row.eff_deadline - day).days
    return ngettext(
        "Due in %(days)d day (%(deadline)s): %(task)s",
        "Due in %(days)d days (%(deadline)s): %(task)s",
        days,
    ) % {
        "days": days,
        "deadline": dateformat.format(row.eff_deadline, "d/m/Y"),
        "task": _label(row),
    }


def _overdue_message(row) -> str:
    return _("Overdue since %(deadline)s: %(task)s") % {
        "deadline": dateformat.format(row.eff_deadline, "d/m/Y"),
        "task": _label(row),
    }


@transaction.atomic
def assignments_remind_deadlines(*, day: datetime.date | None = None) -> ScanResult:
    """The deadline scan for `day` (default: today in Vietnam time). Returns how many
    notifications were new; a second run on the same day returns zeros."""
    day = day or timezone.localdate()
    # Messages are stored, so they are written in the portal's language, not the caller's.
    with translation.override(settings.LANGUAGE_CODE):
        due_soon = notify_units(
            notices=[
                _notice(row, NotificationKind.DUE_SOON, _due_soon_message(row, day))
                for row in _due_soon_rows(day)
            ],
            day=day,
        )
        # The overdue key's day is the first overdue day: one notify_units call per such day.
        by_first_day: dict[datetime.date, list[UnitNotice]] = defaultdict(list)
        newly_overdue: list[tuple[AssignmentPeriod | Assignment, str]] = []
        for row in _overdue_rows(day):
            first_day = row.eff_deadline + datetime.timedelta(days=1)
            by_first_day[first_day].append(
                _notice(row, NotificationKind.OVERDUE, _overdue_message(row))
            )
            # For listeners (outbound webhooks); keyed by the first overdue day like the
            # notice, so the scans that see it again in the catch-up window add nothing.
            newly_overdue.append((row, first_day.isoformat()))
        overdue = sum(
            notify_units(notices=notices, day=first_day)
            for first_day, notices in sorted(by_first_day.items())
        )
    emit_many("assignment.overdue", actor=None, items=newly_overdue)
    return ScanResult(due_soon=due_soon, overdue=overdue)
