from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import EvidenceFile
from directives.models import CchcArea, Directive
from organizations.models import OrgUnit
from tasks.status import StatusQuerySet, WorkflowState


class TaskRecurrence(models.TextChoices):
    NONE = "", _("Once")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every 6 months")
    YEARLY = "yearly", _("Yearly")


class OutputKind(models.TextChoices):
    PLAN = "plan", _("Plan")
    REPORT = "report", _("Report")
    DECISION = "decision", _("Decision")
    DOCUMENT = "document", _("Other document")
    ACTIVITY = "activity", _("Activity (no document)")


class TaskState(models.TextChoices):
    """Where the task as a whole stands; each unit's assignment keeps its own workflow state."""

    ACTIVE = "active", pgettext_lazy("task state", "Active")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


# Outputs that are documents: reporting such a task done needs an evidence file.
DOCUMENT_OUTPUTS = frozenset(
    {OutputKind.PLAN, OutputKind.REPORT, OutputKind.DECISION, OutputKind.DOCUMENT}
)


class Task(models.Model):
    """One item of a directive: what is to be done, by whom (lead and cooperating units), by when
    (a date, a recurrence, or none: "thường xuyên"), and with what output."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("directive")
    )
    item_number = models.CharField(_("item number"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    lead_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
        verbose_name=_("lead unit"),
    )
    cooperating_units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="cooperating_tasks", verbose_name=_("cooperating units")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=16, choices=TaskRecurrence.choices, blank=True, default=""
    )
    period_offset_days = models.PositiveSmallIntegerField(
        _("days after period end"),
        default=0,
        help_text=_("For a recurring task: each period's deadline is its last day plus this."),
    )
    recurrence_start = models.DateField(_("first period from"), null=True, blank=True)
    recurrence_end = models.DateField(_("last period until"), null=True, blank=True)
    output_kind = models.CharField(
        _("kind of output"), max_length=16, choices=OutputKind.choices, default=OutputKind.REPORT
    )
    expected_output = models.CharField(_("expected output"), max_length=300, blank=True)
    area = models.ForeignKey(
        CchcArea, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("CCHC area")
    )
    is_key = models.BooleanField(_("key task"), default=False)
    leader_in_charge = models.CharField(_("leader in charge"), max_length=150, blank=True)
    # Database defaults too: bulk loads by COPY (the benchmark province) name only the columns
    # they fill.
    state = models.CharField(
        _("task state"),
        max_length=16,
        choices=TaskState.choices,
        default=TaskState.ACTIVE,
        db_default=TaskState.ACTIVE,
    )
    # Bumped by every change after entry (tasks.services.changes): a form carries the version it
    # was read at, so an edit made on a stale page is refused instead of undoing another's.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    # item_number as a natural sort key (core.text.natural_key): "2" < "2.1" < "10" in SQL
    item_order = models.CharField(max_length=128, editable=False, default="", db_default="")
    search_text = models.TextField(editable=False, default="")
    # The reason of a change is free text (a full sentence, often citing a document), not
    # simple-history's default 100 characters.
    history = HistoricalRecords(
        excluded_fields=["search_text", "item_order", "version"],
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["directive_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["directive", "item_number"],
                name="task_unique_item_per_directive",
                violation_error_message=_("This directive already has a task with this number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_number}. {self.title}"

    @property
    def needs_evidence(self) -> bool:
        return self.output_kind in DOCUMENT_OUTPUTS

    @property
    def gaps(self) -> list[str]:
        """The "6 rõ" items this task leaves unclear."""
        missing = []
        if not self.lead_unit_id:
            missing.append(str(_("no lead unit")))
        if not self.deadline and not self.recurrence:
            missing.append(str(_("no deadline")))
        if not self.expected_output:
            missing.append(str(_("no expected output")))
        return missing


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    COOPERATING = "cooperating", _("Cooperating")


class StatusFields(models.Model):
    """The facts status is derived from (see tasks/status.py); shared by an assignment and a
    period of a recurring assignment, so one annotation serves both."""

    deadline = models.DateField(_("deadline"), null=True, blank=True)
    extended_deadline = models.DateField(_("extended deadline"), null=True, blank=True)
    state = models.CharField(
        _("workflow state"),
        max_length=24,
        choices=WorkflowState.choices,
        default=WorkflowState.OPEN,
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(
        _("completed on"), null=True, blank=True, help_text=_("The day the unit reported it done.")
    )
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    return_reason = models.TextField(_("reason returned"), blank=True)

    class Meta:
        abstract = True

    @property
    def effective_deadline(self) -> datetime.date | None:
        return self.extended_deadline or self.deadline


class Assignment(StatusFields):
    """A task as one unit carries it out: its deadline, progress and workflow state."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("task")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("unit")
    )
    role = models.CharField(
        _("role"), max_length=16, choices=AssignmentRole.choices, default=AssignmentRole.LEAD
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    objects = StatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="assignment_unique_task_unit"),
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="assignment_percent_max_100"
            ),
        ]
        indexes = [models.Index(fields=["unit", "state"]), models.Index(fields=["deadline"])]

    def __str__(self) -> str:
        return f"{self.task} · {self.unit}"


class AssignmentPeriod(StatusFields):
    """One reporting period of a recurring assignment (a month, quarter, half-year, year), with
    its own deadline: period end + the task's offset. Rates count these rows."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="periods", verbose_name=_("assignment")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    objects = StatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["assignment_id", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "period_start"], name="period_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class ProgressReport(models.Model):
    """A progress report of a unit on one assignment (or one of its periods). Staff draft it,
    the unit head submits it; once submitted it is never changed (append-only)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("assignment")
    )
    period = models.ForeignKey(
        AssignmentPeriod,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("period"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT
    )
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    text = models.TextField(_("report"))
    reports_done = models.BooleanField(_("reports the task done"), default=False)
    report_date = models.DateField(_("report date"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.percent}%"


class Evidence(EvidenceFile):
    """A file that proves progress, attached to a report, or a file attached to a message of an
    assignment's conversation (exactly one of the two). The fields, the upload guard, the
    storage path and the download are core.models.EvidenceFile's, shared with the PAR
    self-assessment's evidence."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("report"),
    )
    post = models.ForeignKey(
        "AssignmentPost",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("conversation message"),
    )

    class Meta(EvidenceFile.Meta):
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, post__isnull=True)
                | Q(report__isnull=True, post__isnull=False),
                name="evidence_of_report_or_post",
            ),
        ]


class ReviewDecision(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    RETURNED = "returned", _("Returned")


class Review(models.Model):
    """Home Affairs' decision on a unit's "done" report: confirmed, or returned with a reason."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("assignment")
    )
    period = models.ForeignKey(
        AssignmentPeriod, on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("report"),
    )
    decision = models.CharField(_("decision"), max_length=16, choices=ReviewDecision.choices)
    reason = models.TextField(_("reason"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    created_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.get_decision_display()}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class DeadlineExtension(models.Model):
    """A unit's request to move a deadline, with a reason; Home Affairs approves or refuses it."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("assignment"),
    )
    period = models.ForeignKey(
        AssignmentPeriod, on_delete=models.CASCADE, null=True, blank=True, related_name="extensions"
    )
    requested_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=16, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment} → {self.requested_deadline:%d/%m/%Y}"


class AssignmentTransfer(models.Model):
    """The record that an open assignment moved from a merged-away unit to its successor."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("assignment")
    )
    from_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    transferred_at = models.DateTimeField(_("transferred at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("assignment transfer")
        verbose_name_plural = _("assignment transfers")
        ordering = ["-transferred_at"]

    def __str__(self) -> str:
        return f"{self.from_unit} → {self.to_unit}"


class AssignmentPost(models.Model):
    """One message of the conversation of an assignment: Home Affairs, the lead unit and the
    task's cooperating units write on the lead unit's assignment (a cooperating unit's own
    assignment has no thread of its own: its contribution goes where the lead unit works),
    with files attached as Evidence. Append-only: a message is never edited or deleted.

    `client_token` is the form's one-time token: the same token from the same author (a double
    click, a resent request) is the same message."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="posts", verbose_name=_("assignment")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    # The unit the author wrote for, as it was then (a person may move to another unit later).
    author_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    body = models.TextField(_("content"), max_length=5000)
    client_token = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conversation message")
        verbose_name_plural = _("conversation messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["assignment", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_token"],
                condition=~Q(client_token=""),
                name="assignment_post_once_per_token",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.author}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return f"{reverse('tasks:thread', args=[self.assignment_id])}#post-{self.pk}"
