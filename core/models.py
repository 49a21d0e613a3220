"""Base model mixins shared by the domain apps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class WorkdayOverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")
    WORKING_DAY = "working_day", _("Working day")


class WorkdayOverride(models.Model):
    """A day the government swapped: a weekday given off, or a Saturday worked in exchange.

    The `holidays` package knows the fixed public holidays; these are the yearly announcements
    Home Affairs enters by hand. They override both the package and the weekend rule.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=WorkdayOverrideKind.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


class JobRunOutcome(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    SKIPPED = "skipped", _("Skipped (already done)")
    FAILED = "failed", _("Failed")


class JobRun(models.Model):
    """One run of a background job, shown on the operations page.

    `run_key` (job name + the day or scope it covers) is unique for jobs that must run once per
    day: a second beat or a restart finds the row and skips instead of sending twice.
    """

    job = models.CharField(_("job"), max_length=100, db_index=True)
    run_key = models.CharField(_("run key"), max_length=200, unique=True, null=True, blank=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=JobRunOutcome.choices, default=JobRunOutcome.RUNNING
    )
    error = models.TextField(_("error"), blank=True)
    # The Celery task id: a message redelivered after its worker died carries the same id, so it
    # may take over its own "running" row instead of being skipped as a second run.
    task_id = models.CharField(_("task id"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["job", "-started_at"]),
            models.Index(fields=["outcome", "-started_at"], name="core_jobrun_outcome_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%d/%m/%Y %H:%M}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class BackgroundJob(models.Model):
    """The lifecycle every row of background work shares (an import, an export, a generated
    report): queued, running under a lease, succeeded or failed; who asked, when, why it failed.

    The row is claimed, kept alive and finished only through core.background, which also takes
    over a row whose worker died (its lease ran out) and fails it after MAX_ATTEMPTS. The person
    who asked is the field named by OWNER_FIELD.
    """

    OWNER_FIELD = "created_by"

    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Pushed forward by the running worker's heartbeat; past it, the worker is taken for dead.
    lease_expires_at = models.DateTimeField(
        _("lease expires at"), null=True, blank=True, editable=False
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True

    @property
    def owner(self):
        return getattr(self, self.OWNER_FIELD)

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    """The one storage path of an evidence file, whatever it proves: named by its hash and its
    sniffed type, never by the user's file name (no path tricks, no guessing). Two uploads of
    the same bytes get two files (the storage adds a suffix), so deleting one keeps the other."""
    from core.uploads import EXTENSIONS

    extension = EXTENSIONS.get(instance.content_type, "bin")
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}.{extension}"


class EvidenceFile(models.Model):
    """A file a unit (or Home Affairs) uploaded as proof: of a progress report, of a self score,
    attached to a message of an assignment's conversation. One definition for every app that
    keeps evidence: checked by the upload guard (core.uploads) before it is stored, stored under
    `evidence_path`, served only by a view that checked the user's scope first
    (core.http.evidence_response), never from a public media URL.

    A concrete model adds the foreign key to what the file proves.
    """

    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    @classmethod
    def from_upload(cls, upload, *, uploaded_by, checked=None, **owner):
        """An unsaved row for an uploaded file, the file itself stored. The guard runs here
        unless the caller ran it already (`checked`, to refuse a batch before storing any)."""
        from core.uploads import check_evidence

        checked = checked or check_evidence(upload)
        evidence = cls(
            original_name=checked.name,
            sha256=checked.sha256,
            size=checked.size,
            content_type=checked.content_type,
            uploaded_by=uploaded_by,
            **owner,
        )
        evidence.file.save("evidence", upload, save=False)
        return evidence

    @property
    def viewable_inline(self) -> str:
        """ "pdf" or "image" when a browser can show the file beside the page, else ""."""
        from core.uploads import INLINE_TYPES

        return INLINE_TYPES.get(self.content_type, "")
