"""Periodic CCHC reports: the kinds of report and their data windows, the rounds Home Affairs
opens, each unit's report of a round (the obligation), its saved versions, the issued files and
the document template. The Ministry's outline and the windows are data, not code: a new outline
is a new template, a moved cut-off a changed kind."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import BackgroundJob
from organizations.models import OrgUnit


class ReportKindCode(models.TextChoices):
    """The dashboard's period a kind reads its tasks like (reporting.dashboards.periods)."""

    Q1 = "q1", _("Quarter I")
    H1 = "h1", _("6 months")
    Q3 = "q3", _("Quarter III")
    YEAR = "year", _("Year")


class ReportKind(models.Model):
    """One kind of periodic report (quarterly, six-monthly, annual) with its data window in the
    cut-off convention and the days it is due. Home Affairs may change the windows and due days
    (the guidance quoted by provinces is not the decree's text)."""

    code = models.CharField(_("code"), max_length=8, choices=ReportKindCode.choices, unique=True)
    name = models.CharField(_("name"), max_length=100)
    start_month = models.PositiveSmallIntegerField(_("window starts: month"))
    start_day = models.PositiveSmallIntegerField(_("window starts: day"))
    start_in_previous_year = models.BooleanField(_("window starts the year before"), default=False)
    end_month = models.PositiveSmallIntegerField(_("window ends: month"))
    end_day = models.PositiveSmallIntegerField(_("window ends: day"))
    due_day = models.PositiveSmallIntegerField(
        _("province's report due: day of the last month"), default=20
    )
    unit_due_day = models.PositiveSmallIntegerField(
        _("units' reports due: day of the last month"), default=17
    )
    kpi_period = models.CharField(_("KPI period read"), max_length=8, default="year")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("report kind")
        verbose_name_plural = _("report kinds")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def window(self, year: int) -> tuple[datetime.date, datetime.date]:
        start_year = year - 1 if self.start_in_previous_year else year
        return (
            datetime.date(start_year, self.start_month, self.start_day),
            datetime.date(year, self.end_month, self.end_day),
        )

    @property
    def window_example(self) -> str:
        """'15/06 – 14/09 · 17/09 · 20/09': window, units' due day, province's due day."""
        start = f"{self.start_day:02d}/{self.start_month:02d}"
        end = f"{self.end_day:02d}/{self.end_month:02d}"
        unit_due = f"{self.unit_due_day:02d}/{self.end_month:02d}"
        due = f"{self.due_day:02d}/{self.end_month:02d}"
        return f"{start} – {end} · {unit_due} · {due}"

    def due_date(self, year: int) -> datetime.date:
        return datetime.date(year, self.end_month, self.due_day)

    def unit_due_date(self, year: int) -> datetime.date:
        return datetime.date(year, self.end_month, self.unit_due_day)


class ReportRound(models.Model):
    """A reporting round Home Affairs opened: one kind of report for one year, with one report
    (obligation) per reporting unit valid on the opening day, and the province's own report."""

    kind = models.ForeignKey(
        ReportKind, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("report kind")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    start = models.DateField(_("window start"))
    end = models.DateField(_("window end"))
    unit_due_date = models.DateField(_("units report by"))
    due_date = models.DateField(_("province reports by"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-year", "-end"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="reportround_unique_kind_year")
        ]

    def __str__(self) -> str:
        return f"{self.kind.name} {self.year}"


class ReportState(models.TextChoices):
    # A report's own states, in a context of their own: the task status "Not started" reads
    # "Chưa triển khai" (work not begun), which says nothing about a report.
    NOT_STARTED = "not_started", pgettext_lazy("report state", "Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    CONFIRMED = "confirmed", _("Confirmed")


class PeriodicReport(models.Model):
    """One report of a round: a unit's report to Home Affairs (unit set), or the province's own
    report to the Ministry (unit empty), written by Home Affairs. The header fields (number,
    date, signer, recipients) print on the document."""

    round = models.ForeignKey(
        ReportRound, on_delete=models.CASCADE, related_name="reports", verbose_name=_("round")
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="periodic_reports",
        verbose_name=_("unit"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ReportState.choices, default=ReportState.NOT_STARTED
    )
    number = models.CharField(_("number and symbol"), max_length=64, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    signer_name = models.CharField(_("signer"), max_length=150, blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.TextField(_("reason returned"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        ordering = ["round", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit"],
                condition=Q(unit__isnull=False),
                name="periodicreport_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(unit__isnull=True),
                name="periodicreport_unique_province",
            ),
        ]
        indexes = [models.Index(fields=["unit", "state"])]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit.name if self.unit_id else settings.REPORT_ISSUER}"

    @property
    def is_province(self) -> bool:
        return self.unit_id is None

    @property
    def on_time(self) -> bool | None:
        """Submitted by the round's unit due date (Vietnam day); None when not submitted."""
        if self.submitted_on is None:
            return None
        return self.submitted_on <= self.round.unit_due_date


class ReportVersion(models.Model):
    """One save of a report's draft: the figures computed for the window at that moment and the
    narrative as the officer left it. Versions are never changed; reopening one saves it again
    as a new version."""

    report = models.ForeignKey(
        PeriodicReport, on_delete=models.CASCADE, related_name="versions", verbose_name=_("report")
    )
    number = models.PositiveIntegerField(_("version"))
    figures = models.JSONField(_("figures"), default=dict)
    sections = models.JSONField(_("sections"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


def template_upload_to(instance: ReportTemplate, filename: str) -> str:
    from django.utils import timezone

    return f"periodic_reports/templates/{timezone.localdate():%Y%m%d}-{filename}"


class ReportTemplate(models.Model):
    """The province's own .docx template with placeholders, uploaded by Home Affairs; the newest
    one is used, the default shipped with the portal when there is none."""

    file = models.FileField(_("template file"), upload_to=template_upload_to)
    name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class ReportPdf(BackgroundJob):
    """The PDF of one version, made from its .docx by LibreOffice in a worker."""

    OWNER_FIELD = "created_by"

    version = models.ForeignKey(
        ReportVersion, on_delete=models.CASCADE, related_name="pdfs", verbose_name=_("version")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="periodic_reports/pdf/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("report PDF")
        verbose_name_plural = _("report PDFs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"PDF {self.version}"


class BriefDelivery(models.Model):
    """The monthly brief mailed to one person for one month: the unique row is the claim, so a
    second beat or a retried job mails nobody twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("monthly brief delivery")
        verbose_name_plural = _("monthly brief deliveries")
        constraints = [
            models.UniqueConstraint(fields=["user", "month"], name="briefdelivery_unique_month")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.month:%m/%Y}"
