"""The Monday leadership summary: the province's task figures, the units with most overdue work,
and what changed since last week, mailed to leadership and Home Affairs.

There is no snapshot table yet, so both weeks are computed with the status annotation: the
figures as of the summary day, and the same figures as of seven days before (`with_status(as_of)`
replays the statuses from the stored dates).

One mail per recipient per week: each recipient is claimed by inserting a notification keyed
"leadership_summary:-:<Monday>" (unique per recipient) in the transaction that sends the mail,
so a retry, a second beat or `run_job` sends nobody a second copy, and a mail that fails rolls
its claim back for the retry.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from core.roles import Role
from notifications.models import Notification, NotificationKind
from notifications.services import notification_send
from organizations.models import OrgUnit
from tasks.models import Assignment
from tasks.selectors import CompletionSummary, completion_summary
from tasks.status import Status

TOP_UNITS = 5
RECIPIENT_ROLES = (Role.LEADER, Role.HOME_AFFAIRS)


@dataclass(frozen=True)
class UnitOverdue:
    unit: OrgUnit
    overdue: int


@dataclass(frozen=True)
class Figures:
    """The six figures of the summary, as of one day."""

    summary: CompletionSummary

    @property
    def total(self) -> int:
        return self.summary.total

    @property
    def done_on_time(self) -> int:
        # Work done with no deadline cannot be late: it counts as on time here.
        return self.summary.done_on_time + self.summary.done_no_deadline

    @property
    def done_late(self) -> int:
        return self.summary.done_late

    @property
    def overdue(self) -> int:
        return self.summary.overdue

    @property
    def in_progress(self) -> int:
        """Open work not overdue: not started, in progress, awaiting confirmation, returned."""
        return self.total - self.summary.done - self.overdue

    @property
    def completion_rate(self) -> Decimal | None:
        return self.summary.completion_rate


@dataclass(frozen=True)
class LeadershipSummary:
    day: datetime.date
    this_week: Figures
    last_week: Figures
    top_overdue: list[UnitOverdue]

    @property
    def week_start(self) -> datetime.date:
        return week_start(self.day)

    def change(self, name: str) -> int | Decimal | None:
        now, before = getattr(self.this_week, name), getattr(self.last_week, name)
        if now is None or before is None:
            return None
        return now - before

    @property
    def changes(self) -> dict[str, int | Decimal | None]:
        names = ("total", "done_on_time", "done_late", "in_progress", "overdue", "completion_rate")
        return {name: self.change(name) for name in names}


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def units_most_overdue(day: datetime.date, limit: int = TOP_UNITS) -> list[UnitOverdue]:
    """The units with most overdue assignments on `day`, most first (one grouped query)."""
    rows = list(
        Assignment.objects.with_status(day)
        .filter(status=Status.OVERDUE)
        .values("unit_id")
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "unit_id")[:limit]
    )
    units = OrgUnit.objects.in_bulk([row["unit_id"] for row in rows])
    return [UnitOverdue(unit=units[row["unit_id"]], overdue=row["overdue"]) for row in rows]


def leadership_summary(*, day: datetime.date | None = None) -> LeadershipSummary:
    """The province's figures on `day` and seven days before, and the units most overdue."""
    day = day or timezone.localdate()
    everything = Assignment.objects.all()
    return LeadershipSummary(
        day=day,
        this_week=Figures(completion_summary(everything, as_of=day)),
        last_week=Figures(completion_summary(everything, as_of=day - datetime.timedelta(days=7))),
        top_overdue=units_most_overdue(day),
    )


def summary_recipients():
    """Active leadership and Home Affairs users with an e-mail address."""
    return (
        get_user_model()
        .objects.filter(role__in=list(RECIPIENT_ROLES), is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def summary_dedupe_key(day: datetime.date) -> str:
    return f"leadership_summary:-:{week_start(day).isoformat()}"


def leadership_summaries_send(*, day: datetime.date | None = None) -> int:
    """Mail the summary of `day` (default: today in Vietnam time) to every recipient who has not
    had this week's yet. Returns the number of mails sent."""
    day = day or timezone.localdate()
    summary = leadership_summary(day=day)
    return sum(_summary_send_one(recipient=user, summary=summary) for user in summary_recipients())


@transaction.atomic
def _summary_send_one(*, recipient, summary: LeadershipSummary) -> bool:
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Weekly summary of task results, week of %(monday)s") % {
            "monday": dateformat.format(summary.week_start, "d/m/Y")
        }
    claim = notification_send(
        recipient=recipient,
        kind=NotificationKind.INFO,
        message=message,
        link=reverse("tasks:assignment_list"),
        dedupe_key=summary_dedupe_key(summary.day),
    )
    if claim is None:
        return False  # this week's summary already went to this person
    # Mailed here, so the digest does not repeat it.
    Notification.objects.filter(pk=claim.pk).update(emailed_at=timezone.now())
    _mail_summary(recipient=recipient, summary=summary)
    return True


def _mail_summary(*, recipient, summary: LeadershipSummary) -> None:
    context = {
        "portal_url": settings.PORTAL_BASE_URL.rstrip("/"),
        "user": recipient,
        "summary": summary,
        "now": summary.this_week,
        "before": summary.last_week,
        "changes": summary.changes,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("tasks/email/leadership_summary_subject.txt", context)
        text = render_to_string("tasks/email/leadership_summary_body.txt", context)
        html = render_to_string("tasks/email/leadership_summary_body.html", context)
    mail = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    mail.attach_alternative(html, "text/html")
    mail.send()
