"""Every read of tasks and assignments that is more than one line. `assignments_visible_to` is
the only way views, the API, exports and dashboards see assignments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.expressions import Switch
from core.roles import Role, has_role, sees_whole_province
from directives.models import Directive
from organizations.models import User
from organizations.selectors import units_visible_to
from tasks.models import (
    Assignment,
    AssignmentPeriod,
    AssignmentPost,
    AssignmentRole,
    DeadlineExtension,
    Evidence,
    ExtensionState,
    ProgressReport,
    ReportState,
    Task,
)
from tasks.status import DONE, DUE_SOON_DAYS, EXCLUDED, Status, WorkflowState


def assignments_visible_to(user: User) -> QuerySet[Assignment]:
    """Home Affairs and leadership see every assignment; a unit's head and staff see their own
    unit's and, read only, those of the units below it (docs/domain.md, "Who sees which unit's
    work": acting stays with the unit itself, see tasks/policy.py); anyone else sees none."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    if sees_whole_province(user):
        return Assignment.objects.all()
    if has_role(user, Role.UNIT_HEAD, Role.UNIT_STAFF) and user.unit_id:
        return Assignment.objects.filter(unit__in=units_visible_to(user))
    return Assignment.objects.none()


def reports_visible_to(user: User) -> QuerySet[ProgressReport]:
    """Submitted reports of visible assignments; drafts only to the drafting unit's own people."""
    visible = ProgressReport.objects.filter(assignment__in=assignments_visible_to(user))
    if has_role(user, Role.UNIT_HEAD, Role.UNIT_STAFF) and user.unit_id:
        own_drafts = Q(state=ReportState.DRAFT, assignment__unit_id=user.unit_id)
        return visible.filter(Q(state=ReportState.SUBMITTED) | own_drafts)
    return visible.filter(state=ReportState.SUBMITTED)


def evidence_visible_to(user: User) -> QuerySet[Evidence]:
    """Files of the reports the user may read, and files of the messages of the threads the
    user may read: one scope for every download of task evidence."""
    return Evidence.objects.filter(
        Q(report__in=reports_visible_to(user)) | Q(post__in=posts_visible_to(user))
    )


def threads_visible_to(user: User) -> QuerySet[Assignment]:
    """The assignments whose conversation the user may read: every lead assignment for Home
    Affairs and leadership; for a unit's people, their own unit's lead assignments and the lead
    assignments of the tasks their unit cooperates on. A thread lives on a lead assignment only
    (a cooperating unit's contribution goes where the lead unit works); anything else is 404."""
    leads = Assignment.objects.filter(role=AssignmentRole.LEAD)
    if not user.is_authenticated:
        return leads.none()
    if sees_whole_province(user):
        return leads
    if has_role(user, Role.UNIT_HEAD, Role.UNIT_STAFF) and user.unit_id:
        cooperates = Assignment.objects.filter(
            task_id=OuterRef("task_id"), unit_id=user.unit_id, role=AssignmentRole.COOPERATING
        )
        return leads.filter(Q(unit_id=user.unit_id) | Exists(cooperates))
    return leads.none()


def posts_visible_to(user: User) -> QuerySet[AssignmentPost]:
    return AssignmentPost.objects.filter(assignment__in=threads_visible_to(user))


def thread_posts(thread: Assignment) -> list[AssignmentPost]:
    """A thread's messages, oldest first, with authors and attachments: two queries whatever
    the number of messages and files."""
    return list(
        thread.posts.select_related("author", "author_unit").prefetch_related(
            Prefetch("attachments", queryset=Evidence.objects.order_by("id"))
        )
    )


def threads_of(assignment: Assignment, user: User) -> list[Assignment]:
    """The thread(s) an assignment's page shows: its own when it is the lead unit's; for a
    cooperating unit's assignment, the task's lead assignment(s) (a task addressed to several
    units has one lead assignment, and one thread, per unit)."""
    if assignment.role == AssignmentRole.LEAD:
        return [assignment]
    return list(
        threads_visible_to(user)
        .filter(task_id=assignment.task_id)
        .select_related("unit")
        .order_by("unit__code", "id")
    )


def tasks_visible_to(user: User) -> QuerySet[Task]:
    if sees_whole_province(user):
        return Task.objects.all()
    return Task.objects.filter(Exists(assignments_visible_to(user).filter(task_id=OuterRef("pk"))))


def _urgency(soon: datetime.date) -> Switch:
    """Overdue 0, returned 1, open and due by `soon` 2, other open work 5, done or set aside 9.
    One simple CASE over the status: the status annotation is written into the SQL once."""
    due_soon = Case(
        When(eff_deadline__lte=soon, then=Value(2)), default=Value(5), output_field=IntegerField()
    )
    return Switch(
        F("status"),
        [
            (Status.OVERDUE.value, 0),
            (Status.RETURNED.value, 1),
            (Status.IN_PROGRESS.value, due_soon),
            (Status.NOT_STARTED.value, due_soon),
            *((status.value, 9) for status in DONE | EXCLUDED),
        ],
        default=5,
        output_field=IntegerField(),
    )


def assignment_list(user: User, as_of: datetime.date | None = None) -> QuerySet[Assignment]:
    """Visible assignments with status, most urgent first: overdue, then by deadline."""
    as_of = as_of or timezone.localdate()
    soon = as_of + datetime.timedelta(days=DUE_SOON_DAYS)
    return (
        assignments_visible_to(user)
        .with_status(as_of)
        .select_related("task__directive", "unit")
        .annotate(urgency=_urgency(soon))
        .order_by("urgency", F("eff_deadline").asc(nulls_last=True), "task__item_order", "id")
    )


def review_queue(as_of: datetime.date | None = None) -> QuerySet[Assignment]:
    """Assignments (or periods of them) a unit reported done and Home Affairs has not decided,
    longest waiting first, then most overdue. `waiting_since` is the day the unit reported done:
    the assignment's own, or its earliest period awaiting confirmation (`waiting_period_id`);
    `report_id` is the "done" report awaiting the decision (shown with its evidence)."""
    awaiting_period = AssignmentPeriod.objects.filter(
        assignment=OuterRef("pk"), state=WorkflowState.AWAITING_CONFIRMATION
    )
    first_awaiting_period = awaiting_period.order_by(
        F("completed_on").asc(nulls_last=True), "period_start"
    )
    done_reports = ProgressReport.objects.filter(
        assignment=OuterRef("pk"), state=ReportState.SUBMITTED, reports_done=True
    ).order_by("-submitted_at", "-id")
    return (
        Assignment.objects.filter(
            Q(state=WorkflowState.AWAITING_CONFIRMATION) | Exists(awaiting_period)
        )
        .with_status(as_of)
        .select_related("task__directive", "unit")
        .annotate(
            waiting_since=Coalesce(
                Case(
                    When(state=WorkflowState.AWAITING_CONFIRMATION, then=F("completed_on")),
                    output_field=DateField(),
                ),
                Subquery(
                    first_awaiting_period.values("completed_on")[:1], output_field=DateField()
                ),
            ),
            waiting_period_id=Case(
                When(state=WorkflowState.AWAITING_CONFIRMATION, then=Value(None)),
                default=Subquery(first_awaiting_period.values("pk")[:1]),
                output_field=IntegerField(),
            ),
        )
        .annotate(
            report_id=Coalesce(
                Subquery(
                    done_reports.filter(period_id=OuterRef("waiting_period_id")).values("pk")[:1]
                ),
                Subquery(done_reports.filter(period__isnull=True).values("pk")[:1]),
                output_field=IntegerField(),
            )
        )
        .order_by(
            F("waiting_since").asc(nulls_last=True),
            F("eff_deadline").asc(nulls_last=True),
            "id",
        )
    )


def review_reports(rows) -> dict[int, ProgressReport]:
    """The reports awaiting a decision on a page of the review queue, with their evidence and
    authors: two queries whatever the number of rows and files."""
    ids = [row.report_id for row in rows if row.report_id]
    reports = (
        ProgressReport.objects.filter(pk__in=ids)
        .select_related("submitted_by", "author", "period")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
    )
    return {report.pk: report for report in reports} if ids else {}


def pending_extensions() -> QuerySet[DeadlineExtension]:
    return DeadlineExtension.objects.filter(state=ExtensionState.PENDING).select_related(
        "assignment__task__directive", "assignment__unit", "requested_by"
    )


def assignment_detail(user: User, as_of: datetime.date | None = None) -> QuerySet[Assignment]:
    return (
        assignments_visible_to(user)
        .with_status(as_of)
        .select_related("task__directive", "task__lead_unit", "task__area", "unit")
    )


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime.datetime
    kind: str
    actor: str
    text: str
    obj: object = None


def assignment_timeline(assignment: Assignment, user: User) -> list[TimelineEvent]:
    """Everything that happened to an assignment, oldest first: its creation, submitted reports
    (and the viewer's own unit's drafts), reviews, extensions, transfers."""
    from django.utils.translation import gettext as _

    events = [TimelineEvent(assignment.created_at, "created", "", _("Assigned"))]
    reports = (
        reports_visible_to(user)
        .filter(assignment=assignment)
        .select_related("author", "submitted_by", "period")
        .prefetch_related("evidence")
    )
    for report in reports:
        at = report.submitted_at or report.created_at
        who = report.submitted_by or report.author
        events.append(TimelineEvent(at, "report", str(who), report.text, report))
    for review in assignment.reviews.select_related("reviewer"):
        events.append(
            TimelineEvent(review.created_at, "review", str(review.reviewer), review.reason, review)
        )
    for ext in assignment.extensions.select_related("requested_by", "decided_by"):
        events.append(
            TimelineEvent(ext.requested_at, "extension", str(ext.requested_by), ext.reason, ext)
        )
        if ext.decided_at:
            events.append(
                TimelineEvent(
                    ext.decided_at,
                    "extension_decision",
                    str(ext.decided_by),
                    ext.decision_note,
                    ext,
                )
            )
    for transfer in assignment.transfers.select_related("from_unit", "to_unit", "transferred_by"):
        events.append(
            TimelineEvent(
                transfer.transferred_at,
                "transfer",
                str(transfer.transferred_by),
                f"{transfer.from_unit} → {transfer.to_unit}",
                transfer,
            )
        )
    events.extend(_state_changes(assignment))
    return sorted(events, key=lambda event: event.at)


_STATE_EVENTS = {
    WorkflowState.SUSPENDED: "suspended",
    WorkflowState.CANCELLED: "cancelled",
}


def _state_changes(assignment: Assignment) -> list[TimelineEvent]:
    """Suspensions, resumptions, cancellations and deadline changes by Home Affairs, with their
    reasons, read from the assignment's history (the other state changes already show as
    reports and reviews)."""
    events = []
    previous = None
    for record in assignment.history.select_related("history_user").order_by(
        "history_date", "history_id"
    ):
        who = str(record.history_user) if record.history_user else ""
        reason = record.history_change_reason or ""
        if previous is not None and record.state != previous.state:
            if record.state in _STATE_EVENTS:
                events.append(
                    TimelineEvent(record.history_date, _STATE_EVENTS[record.state], who, reason)
                )
            elif previous.state == WorkflowState.SUSPENDED:
                events.append(TimelineEvent(record.history_date, "resumed", who, reason))
        if previous is not None and record.deadline != previous.deadline:
            events.append(
                TimelineEvent(
                    record.history_date,
                    "deadline_changed",
                    who,
                    reason,
                    (previous.deadline, record.deadline),
                )
            )
        previous = record
    return events


@dataclass(frozen=True)
class CompletionSummary:
    """Counts and rates as of a day. total excludes suspended and cancelled work."""

    as_of: datetime.date
    total: int
    done: int
    done_on_time: int
    done_late: int
    done_no_deadline: int
    due: int
    overdue: int
    in_progress: int
    awaiting: int

    @staticmethod
    def _rate(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def completion_rate(self) -> Decimal | None:
        """completed / total planned: 28/40 -> 70.0"""
        return self._rate(self.done, self.total)

    @property
    def due_completion_rate(self) -> Decimal | None:
        return self._rate(self.done, self.due)

    @property
    def overdue_share(self) -> Decimal | None:
        return self._rate(self.overdue, self.due)


def completion_summary(
    assignments: QuerySet, as_of: datetime.date | None = None
) -> CompletionSummary:
    """One aggregate query over any Assignment or AssignmentPeriod queryset."""
    as_of = as_of or timezone.localdate()
    rows = assignments.with_status(as_of).aggregate(
        total=Count("pk", filter=~Q(status__in=[s.value for s in EXCLUDED])),
        done=Count("pk", filter=Q(status__in=[s.value for s in DONE])),
        done_on_time=Count("pk", filter=Q(status=Status.DONE_ON_TIME)),
        done_late=Count("pk", filter=Q(status=Status.DONE_LATE)),
        done_no_deadline=Count("pk", filter=Q(status=Status.DONE_NO_DEADLINE)),
        # Due: work whose (effective) deadline has come, or that is already done.
        due=Count(
            "pk",
            filter=Q(status__in=[s.value for s in DONE])
            | (Q(eff_deadline__lt=as_of) & ~Q(status__in=[s.value for s in EXCLUDED])),
        ),
        overdue=Count("pk", filter=Q(status=Status.OVERDUE)),
        in_progress=Count(
            "pk",
            filter=Q(status__in=[Status.IN_PROGRESS, Status.NO_DEADLINE, Status.NOT_STARTED]),
        ),
        awaiting=Count("pk", filter=Q(status=Status.AWAITING_CONFIRMATION)),
    )
    return CompletionSummary(as_of=as_of, **rows)


def directive_task_progress(
    directive: Directive, user: User, as_of: datetime.date | None = None
) -> list[tuple[Task, list[Assignment]]]:
    """A directive's tasks the user may see, each with its visible assignments and status."""
    tasks = list(
        tasks_visible_to(user)
        .filter(directive=directive)
        .select_related("lead_unit", "area")
        .order_by("item_order", "id")
    )
    by_task: dict[int, list[Assignment]] = {task.pk: [] for task in tasks}
    for assignment in (
        assignments_visible_to(user)
        .filter(task__directive=directive)
        .with_status(as_of)
        .select_related("unit")
        .order_by("unit__code")
    ):
        by_task.setdefault(assignment.task_id, []).append(assignment)
    return [(task, by_task[task.pk]) for task in tasks]


@dataclass(frozen=True)
class TaskChange:
    at: datetime.datetime
    actor: str
    reason: str
    changes: list[tuple[str, str, str]]


_TRACKED = ("title", "content", "expected_output", "deadline", "lead_unit_id", "state")


def task_changes(task: Task) -> list[TaskChange]:
    """The task's changes after entry, newest first, as people read them: who, when, why and
    each field old -> new. Two queries (the history rows with their users, the units named)."""
    from django.utils.translation import gettext as _

    from organizations.models import OrgUnit

    records = list(
        task.history.select_related("history_user").order_by("history_date", "history_id")
    )
    unit_ids = {r.lead_unit_id for r in records if r.lead_unit_id}
    units = OrgUnit.objects.in_bulk(unit_ids) if len(records) > 1 else {}
    states = dict(Task._meta.get_field("state").flatchoices)

    def shown(name, value) -> str:
        if value in (None, ""):
            return "—"
        if name == "lead_unit_id":
            unit = units.get(value)
            return (unit.short_name or unit.name) if unit else f"#{value}"
        if name == "deadline":
            return f"{value:%d/%m/%Y}"
        if name == "state":
            return str(states.get(value, value))
        text = " ".join(str(value).split())
        return text if len(text) <= 120 else text[:119] + "…"

    labels = {
        "title": _("Task"),
        "content": _("Content"),
        "expected_output": _("Expected output"),
        "deadline": _("Deadline"),
        "lead_unit_id": _("Lead unit"),
        "state": _("task state"),
    }
    result = []
    for previous, record in zip(records, records[1:], strict=False):
        changed = [
            (str(labels[name]).capitalize(), shown(name, getattr(previous, name)),
             shown(name, getattr(record, name)))
            for name in _TRACKED
            if getattr(previous, name) != getattr(record, name)
        ]  # fmt: skip
        if changed or record.history_change_reason:
            result.append(
                TaskChange(
                    at=record.history_date,
                    actor=str(record.history_user) if record.history_user else "",
                    reason=record.history_change_reason or "",
                    changes=changed,
                )
            )
    return result[::-1]
