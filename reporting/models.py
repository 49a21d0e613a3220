from django.conf import settings
from django.db import models
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
