"""Administrative procedures (TTHC), their dossiers, aggregate report rows and the daily rollup.

Sized for ~3,000,000 dossiers a year: the dossier row carries the local dates the reports group
by (received, due, finished, overdue-from), written by one function in services, so dashboards
group on indexed dates and never convert time zones row by row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import BackgroundJob
from organizations.models import OrgUnit, UnitLevel


class ProcedureField(models.Model):
    """A field (lĩnh vực) procedures belong to: land, justice, business registration..."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("procedure field")
        verbose_name_plural = _("procedure fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TimeLimitKind(models.TextChoices):
    WORKING_DAYS = "working_days", _("Working days")
    CALENDAR_DAYS = "calendar_days", _("Calendar days")
    HOURS = "hours", _("Hours")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Fully online (toàn trình)")
    PARTIAL = "partial", _("Partly online (một phần)")
    NONE = "none", _("Not online")


class LegacyOnlineLevel(models.IntegerChoices):
    LEVEL_2 = 2, _("Level 2")
    LEVEL_3 = 3, _("Level 3")
    LEVEL_4 = 4, _("Level 4")


class Procedure(models.Model):
    """An administrative procedure (TTHC) from the national database, at one level.

    The rules that set deadlines (time limit, cut-off, online level, fee) live in
    ProcedureVersion: a change adds a version, and dossiers keep the version they were received
    under, so their deadlines never move.
    """

    code = models.CharField(_("national code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=500)
    field = models.ForeignKey(
        ProcedureField, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("field")
    )
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    current_version = models.ForeignKey(
        "ProcedureVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    is_active = models.BooleanField(_("in force"), default=True)
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]
        indexes = [models.Index(fields=["field", "level"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProcedureVersion(models.Model):
    """The deadline rules of a procedure from one moment on; rows are never changed."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="versions", verbose_name=_("procedure")
    )
    number = models.PositiveIntegerField(_("version"))
    valid_from = models.DateTimeField(_("valid from"))
    time_limit = models.PositiveIntegerField(_("time limit"))
    time_limit_kind = models.CharField(
        _("time limit in"),
        max_length=16,
        choices=TimeLimitKind.choices,
        default=TimeLimitKind.WORKING_DAYS,
    )
    cutoff_hour = models.PositiveSmallIntegerField(
        _("intake cut-off hour"),
        null=True,
        blank=True,
        help_text=_("A dossier received at or after this hour counts from the next working day."),
    )
    online_level = models.CharField(
        _("online level"), max_length=16, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    legacy_level = models.PositiveSmallIntegerField(
        _("legacy online level (2/3/4)"), choices=LegacyOnlineLevel.choices, null=True, blank=True
    )
    has_fee = models.BooleanField(_("fee or charge"), default=False)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"], name="procedure_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(cutoff_hour__isnull=True) | Q(cutoff_hour__lte=23),
                name="procedure_version_cutoff_hour",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    POSTAL = "postal", _("Postal")


class DossierState(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Processing")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    WAITING_FEES = "waiting_fees", _("Waiting for fees")
    FINISHED = "finished", _("Finished")
    RETURNED = "returned", _("Result returned")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    STOPPED = "stopped", _("Stopped")


# Withdrawn or stopped dossiers leave the statistics altogether (neither finished nor pending).
EXCLUDED_STATES = (DossierState.WITHDRAWN, DossierState.STOPPED)
OPEN_STATES = (
    DossierState.RECEIVED,
    DossierState.PROCESSING,
    DossierState.SUPPLEMENT_REQUESTED,
    DossierState.WAITING_FEES,
)


class Dossier(models.Model):
    """One application a citizen or business filed under a procedure at a receiving unit.

    `received_date`, `due_date`, `finished_date` and `overdue_date` are the Vietnam-time dates
    of the moments beside them (overdue_date: the day after the due date when the dossier was not
    finished by then), derived by services.dossier_derive_dates and nowhere else.
    """

    source = models.CharField(_("source system"), max_length=32, default="motcua")
    code = models.CharField(_("dossier code"), max_length=64)
    # No foreign-key constraints in the database on the four references below: the import and
    # the push check every row's unit and procedure in memory, and before their one upsert
    # one anti-join over the staging table (upserts.DossierWriter) refuses any row whose unit,
    # procedure, version or field is gone, naming it. Four deferred constraint checks cost the
    # import ~2 s per 100,000 rows at commit. The ORM still refuses to delete a unit or a
    # procedure that has dossiers (on_delete=PROTECT is Django's check, not the database's).
    # No index of their own either: no query reads dossiers by procedure or version (the list's
    # procedure filter walks the keyset index), and dossier_field_level and
    # dossier_unit_keyset start with the field and the unit; each index slows every import.
    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("procedure"),
        db_constraint=False,
        db_index=False,
    )
    procedure_version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("procedure version"),
        db_constraint=False,
        db_index=False,
    )
    field = models.ForeignKey(
        ProcedureField,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("field"),
        db_constraint=False,
        db_index=False,
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("receiving unit"),
        db_constraint=False,
        db_index=False,
    )
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    state = models.CharField(
        _("state"), max_length=24, choices=DossierState.choices, default=DossierState.RECEIVED
    )
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("due at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned at"), null=True, blank=True)
    fee_required = models.BooleanField(_("fee required"), default=False)
    paid_online = models.BooleanField(_("paid online"), default=False)
    apology_registered_at = models.DateTimeField(_("apology sent at"), null=True, blank=True)
    apology_new_due_at = models.DateField(_("new appointment date"), null=True, blank=True)
    apology_note = models.CharField(_("apology note"), max_length=500, blank=True)
    # Derived local dates (see the docstring).
    received_date = models.DateField(_("received on"), editable=False)
    due_date = models.DateField(_("due on"), editable=False)
    finished_date = models.DateField(_("finished on"), null=True, blank=True, editable=False)
    overdue_date = models.DateField(_("overdue from"), null=True, blank=True, editable=False)
    # Alerts claim a dossier once by setting these with a conditional update.
    overdue_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)
    apology_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    # Changes made through the services (finish, apology) are audited; the bulk upsert of
    # imports and pushes is not (QuerySet-level writes bypass simple-history), which keeps
    # millions of pushed rows from doubling in the history table.
    history = HistoricalRecords(
        excluded_fields=[
            "received_date",
            "due_date",
            "finished_date",
            "overdue_date",
            "overdue_alerted_at",
            "apology_alerted_at",
            "updated_at",
        ]
    )

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at", "-id"]
        # Given to the one-stop system's service account (a user with an API token).
        permissions = [("push_dossiers", _("Can push dossiers through the API"))]
        constraints = [
            models.UniqueConstraint(fields=["source", "code"], name="dossier_source_code_unique"),
        ]
        indexes = [
            # The list's keyset order, per unit and province-wide.
            models.Index(fields=["unit", "-received_at", "-id"], name="dossier_unit_keyset"),
            models.Index(fields=["-received_at", "-id"], name="dossier_keyset"),
            # The rollup reads dossiers by each event date. The finish and overdue dates are
            # empty on many rows (open dossiers; dossiers finished in time): those rows are left
            # out of their indexes, which every import and push would otherwise write into.
            models.Index(fields=["received_date", "unit"], name="dossier_received_day"),
            models.Index(
                fields=["finished_date", "unit"],
                condition=Q(finished_date__isnull=False),
                name="dossier_finished_day",
            ),
            models.Index(
                fields=["overdue_date", "unit"],
                condition=Q(overdue_date__isnull=False),
                name="dossier_overdue_day",
            ),
            # Late dossiers still owing an apology (a small share of the table).
            models.Index(
                fields=["overdue_date", "id"],
                condition=Q(apology_registered_at__isnull=True, overdue_date__isnull=False),
                name="dossier_late_no_apology",
            ),
            # The overdue alerts read open dossiers by due date (a small share of the table).
            models.Index(
                fields=["state", "due_date"],
                condition=Q(finished_date__isnull=True),
                name="dossier_state_due",
            ),
            models.Index(fields=["field", "level", "channel"], name="dossier_field_level"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.finished_at is None and self.state in OPEN_STATES


class DossierImport(BackgroundJob):
    """One upload of dossiers (XLSX or CSV), run by a background job with its progress.
    Its lifecycle (status, lease, attempts, error) is core.models.BackgroundJob's."""

    file = models.FileField(_("file"), upload_to="imports/dossiers/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    source = models.CharField(_("source system"), max_length=32, default="import")
    skip_bad_rows = models.BooleanField(_("skip bad rows"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    rows_bad = models.PositiveIntegerField(_("bad rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("dossier import")
        verbose_name_plural = _("dossier imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


# The sums an aggregate line is checked against (dossiers.services.aggregate_row_imbalance),
# by the key stored in AggregateRow.imbalance and given by the API, as a reader names them.
AGGREGATE_CHECK_LABELS = {
    "received": _("Received total"),
    "finished": _("Finished total"),
    "pending": _("Pending total"),
    "received = finished + pending": _("Received = finished + pending"),
    "paid online <= with a fee": _("Paid online ≤ with a fee"),
}


class AggregateRow(models.Model):
    """One line of the standard report table: a unit's dossier figures for a period and field.

    For provinces without single dossiers. received = online + in person/postal + carried over;
    finished = early + on time + late; pending = within + overdue. The reported totals are kept
    as given; `imbalance` lists every sum that does not match, with the difference.
    """

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="dossier_rows", verbose_name=_("unit")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    field = models.ForeignKey(
        ProcedureField,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("field"),
    )
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    received_online = models.PositiveIntegerField(_("received online"), default=0)
    received_offline = models.PositiveIntegerField(_("received in person or by post"), default=0)
    carried_over = models.PositiveIntegerField(_("carried over"), default=0)
    received_total = models.PositiveIntegerField(
        _("received (reported total)"), null=True, blank=True
    )
    finished_early = models.PositiveIntegerField(_("finished early"), default=0)
    finished_on_time = models.PositiveIntegerField(_("finished on time"), default=0)
    finished_late = models.PositiveIntegerField(_("finished late"), default=0)
    finished_total = models.PositiveIntegerField(
        _("finished (reported total)"), null=True, blank=True
    )
    pending_within = models.PositiveIntegerField(_("pending within the deadline"), default=0)
    pending_overdue = models.PositiveIntegerField(_("pending overdue"), default=0)
    pending_total = models.PositiveIntegerField(
        _("pending (reported total)"), null=True, blank=True
    )
    fee_required = models.PositiveIntegerField(_("dossiers with a fee"), default=0)
    paid_online = models.PositiveIntegerField(_("paid online"), default=0)
    imbalance = models.JSONField(_("imbalance"), default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aggregate dossier row")
        verbose_name_plural = _("aggregate dossier rows")
        ordering = ["-period_start", "unit"]
        constraints = [
            # One row per unit, period and field, and one without a field (partial indexes,
            # since SQLite cannot make NULLs equal in a unique constraint).
            models.UniqueConstraint(
                fields=["unit", "period_start", "period_end", "field"],
                condition=Q(field__isnull=False),
                name="aggregate_row_unique_field",
            ),
            models.UniqueConstraint(
                fields=["unit", "period_start", "period_end"],
                condition=Q(field__isnull=True),
                name="aggregate_row_unique_all",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="aggregate_row_period",
            ),
        ]
        indexes = [models.Index(fields=["period_start", "period_end"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start:%d/%m/%Y}-{self.period_end:%d/%m/%Y}"

    @property
    def is_balanced(self) -> bool:
        return not self.imbalance

    @property
    def imbalance_labelled(self) -> list[dict]:
        """Each unmatched sum of `imbalance` with its label for people (`label`)."""
        return [
            {**problem, "label": AGGREGATE_CHECK_LABELS.get(problem["check"], problem["check"])}
            for problem in self.imbalance
        ]


class DossierCounts(models.Model):
    """The counters a dossier rollup keeps, daily or per half-month (dossiers/rollups.py names
    them in COUNTS): one definition for both tables."""

    received = models.PositiveIntegerField(default=0)
    finished_early = models.PositiveIntegerField(default=0)
    finished_on_time = models.PositiveIntegerField(default=0)
    finished_late = models.PositiveIntegerField(default=0)
    went_overdue = models.PositiveIntegerField(default=0)
    fee_required = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)
    # of went_overdue: those with no apology registered (the late-without-apology figure)
    late_unapologized = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DossierDailyRollup(DossierCounts):
    """Counts of dossier events on one day, per unit, field, level and channel.

    received: dossiers received that day; finished_*: finished that day by class;
    went_overdue: dossiers whose due date was the day before and that were not finished by it;
    fee_required / paid_online: of those received that day. Written only by rollups.py in SQL.
    """

    day = models.DateField(_("day"))
    # Derived rows, rebuilt from dossiers (whose own foreign keys guard the ids): no database
    # constraint to check a million times at the rebuild's commit, and no index on unit alone
    # (rollup_unit_day starts with it).
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    field = models.ForeignKey(
        ProcedureField, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    level = models.CharField(max_length=16, choices=UnitLevel.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices)

    class Meta:
        verbose_name = _("daily dossier rollup")
        verbose_name_plural = _("daily dossier rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit", "field", "level", "channel"], name="rollup_key"
            )
        ]
        indexes = [models.Index(fields=["unit", "day"], name="rollup_unit_day")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.unit_id} {self.field_id} {self.level} {self.channel}"


class DossierHalfMonthRollup(DossierCounts):
    """The daily rollup summed per half-month (1st to the day before the cut-off day, then the
    cut-off day to the month's end), unit and level: periods of both conventions are runs of
    half-months, so a dashboard's history sums read ~24 rows a unit and year instead of ~7,000
    daily ones. received_online is received over the online channel. Written only by
    rollups.py, in the same transaction as the daily rows it sums."""

    half_start = models.DateField(_("half-month"))
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    level = models.CharField(max_length=16, choices=UnitLevel.choices)
    received_online = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("half-month dossier rollup")
        verbose_name_plural = _("half-month dossier rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["half_start", "unit", "level"], name="halfmonth_rollup_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.half_start:%d/%m/%Y} {self.unit_id} {self.level}"


class RollupDirtyKey(models.Model):
    """A (unit, day) whose rollup must be recomputed because a dossier left it (its dates or unit
    changed): the changed dossier's new keys come from updated_at, its old ones from here."""

    unit_id_value = models.BigIntegerField()
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit_id_value", "day"], name="rollup_dirty_key")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id_value} {self.day:%d/%m/%Y}"


class RollupWatermark(models.Model):
    """How far the incremental rollup has read Dossier.updated_at."""

    name = models.CharField(max_length=50, unique=True)
    watermark = models.DateTimeField(null=True)  # null: never run yet

    def __str__(self) -> str:
        return f"{self.name} {self.watermark}"
