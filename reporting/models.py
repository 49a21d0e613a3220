from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BackgroundJob


class Export(BackgroundJob):
    """One large "Xuất Excel" request, written by a background job and kept for a week.

    `params` holds the list's filter as the user set it; the job re-applies the user's scope when it
    runs, so the file never holds rows the user may not see.
    """

    OWNER_FIELD = "user"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    key = models.CharField(_("list"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("filter"), default=dict, blank=True)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in total"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["expires_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_written / self.rows_total))


class SnapshotScope(models.TextChoices):
    PROVINCE = "province", _("Province")
    UNIT = "unit", _("Unit")
    DIRECTIVE = "directive", _("Directive")
    AREA = "area", _("CCHC area")


class CompletionSnapshot(models.Model):
    """Task completion of one plan year as it stood on one day, for one scope: the whole
    province (key 0), one unit, one directive or one CCHC area (key = its id).

    Written by the nightly job (an upsert on scope, key, year and day), read by the trend chart;
    `year` is the year of the directives the tasks belong to (the year's plan)."""

    day = models.DateField(_("as of"))
    scope = models.CharField(_("scope"), max_length=16, choices=SnapshotScope.choices)
    key = models.PositiveIntegerField(_("key"), default=0)
    year = models.PositiveIntegerField(_("plan year"))
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    done_on_time = models.PositiveIntegerField(_("done on time"), default=0)
    done_late = models.PositiveIntegerField(_("done late"), default=0)
    in_progress = models.PositiveIntegerField(_("in progress within deadline"), default=0)
    overdue = models.PositiveIntegerField(_("overdue"), default=0)
    completion_rate = models.DecimalField(
        _("completion rate (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("completion snapshot")
        verbose_name_plural = _("completion snapshots")
        ordering = ["scope", "key", "year", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "year", "day"], name="completionsnapshot_unique_day"
            )
        ]
        indexes = [models.Index(fields=["scope", "year", "key", "day"])]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} {self.year} @ {self.day:%d/%m/%Y}"


# --- Analytics tables (the read side's own copy of assignment status) -----------------------


class StatusAsOf(models.Model):
    """One day whose assignment statuses are kept as data in AssignmentStatusRow.

    `is_today` marks the running day (every assignment, whatever its plan year); every other
    row is a past period end (the calendar and cut-off quarter ends of a plan year), kept for
    that plan year's assignments only and frozen against the passing of time: it changes only
    when one of its assignments changes (the workflow services' refresh) or on a rebuild."""

    as_of = models.DateField(_("as of"), unique=True)
    is_today = models.BooleanField(_("running day"), default=False)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("status day")
        verbose_name_plural = _("status days")

    def __str__(self) -> str:
        return f"{self.as_of:%d/%m/%Y}"


class AssignmentStatusRow(models.Model):
    """An assignment's status on one kept day (StatusAsOf), with the dimensions the dashboards
    filter by. Derived rows: written only by reporting.analytics, equal to tasks.status's live
    derivation (`check_analytics` compares them)."""

    as_of = models.DateField(_("as of"))
    assignment = models.ForeignKey(
        "tasks.Assignment",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    year = models.PositiveIntegerField(_("plan year"))
    unit_id = models.BigIntegerField(_("unit"))
    directive_id = models.BigIntegerField(_("directive"))
    area_id = models.BigIntegerField(_("CCHC area"), null=True)
    eff_deadline = models.DateField(_("effective deadline"), null=True)
    # The half-month of the effective deadline (year * 24 + (month - 1) * 2 + half, the second
    # half starting on the cut-off day): periods of both conventions are runs of half-months.
    deadline_half = models.IntegerField(_("deadline half-month"), null=True)
    status = models.CharField(_("status"), max_length=24)

    class Meta:
        verbose_name = _("assignment status row")
        verbose_name_plural = _("assignment status rows")
        constraints = [
            models.UniqueConstraint(fields=["as_of", "assignment"], name="statusrow_day_assignment")
        ]
        indexes = [
            models.Index(fields=["assignment"], name="statusrow_assignment"),
            models.Index(fields=["as_of", "status", "eff_deadline"], name="statusrow_status"),
            models.Index(fields=["as_of", "unit_id", "status"], name="statusrow_unit"),
            # the directive filter and panel (the count table has no directive)
            models.Index(fields=["as_of", "year", "directive_id"], name="statusrow_directive"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} @ {self.as_of:%d/%m/%Y}: {self.status}"


class AssignmentStatusCount(models.Model):
    """How many assignments had a status on a kept day, per plan year, unit, CCHC area and
    deadline half-month: its size follows units x areas x half-months, not the number of
    assignments. No directive: a unit's assignments of one year spread over many directives,
    so with it the table was nearly a row per assignment; the directive filter and panel read
    AssignmentStatusRow (a directive has a few hundred). Recomputed from the rows unit by unit."""

    as_of = models.DateField(_("as of"))
    year = models.PositiveIntegerField(_("plan year"))
    unit_id = models.BigIntegerField(_("unit"))
    area_id = models.BigIntegerField(_("CCHC area"), null=True)
    deadline_half = models.IntegerField(_("deadline half-month"), null=True)
    status = models.CharField(_("status"), max_length=24)
    n = models.PositiveIntegerField(_("assignments"), default=0)

    class Meta:
        verbose_name = _("assignment status count")
        verbose_name_plural = _("assignment status counts")
        indexes = [
            # a period reads its half-months only (the whole year: every half of the day)
            models.Index(fields=["as_of", "year", "deadline_half"], name="statuscount_day_half"),
            models.Index(fields=["as_of", "unit_id"], name="statuscount_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.as_of:%d/%m/%Y} {self.unit_id} {self.status}: {self.n}"


class StatusDirty(models.Model):
    """An assignment changed by a workflow service and not yet refreshed in the analytics
    tables: written in the service's own transaction (so a rolled-back action leaves none), taken
    away by the refresh run on commit, or by the catch-up job a minute later if that failed."""

    assignment_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("assignment waiting for refresh")
        verbose_name_plural = _("assignments waiting for refresh")

    def __str__(self) -> str:
        return str(self.assignment_id)


class AnalyticsState(models.Model):
    """When the analytics tables were last brought up to date (name 'assignment-status'): the
    dashboards' "data up to" label."""

    name = models.CharField(max_length=64, unique=True)
    checked_at = models.DateTimeField(null=True)
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("analytics state")
        verbose_name_plural = _("analytics states")

    def __str__(self) -> str:
        return self.name
