"""PAR-Index frameworks and assessments, KPI targets and provincial indices.

The criteria tree and its points are data entered or imported by Home Affairs, never constants:
the national set changes with each decision and every province sets its own bands.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import EvidenceFile
from organizations.models import OrgUnit, UnitLevel

POINTS = {"max_digits": 6, "decimal_places": 2}
ZERO = Decimal("0")


class FrameworkPopulation(models.TextChoices):
    DEPARTMENTS = "departments", _("Departments and provincial agencies")
    COMMUNES = "communes", _("Communes, wards and special zones")
    PROVINCE = "province", _("The province")


class Framework(models.Model):
    """One year's scoring set for one population of units (e.g. departments in 2025)."""

    name = models.CharField(_("name"), max_length=255)
    year = models.PositiveIntegerField(_("year"))
    population = models.CharField(
        _("population"), max_length=16, choices=FrameworkPopulation.choices
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    self_scoring_deadline = models.DateField(
        _("self-scoring deadline"),
        null=True,
        blank=True,
        help_text=_("Last day a unit head may submit the self-assessment."),
    )
    locked = models.BooleanField(
        _("locked"),
        default=False,
        help_text=_("Set when the first assessment opens; the tree cannot change afterwards."),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["-year", "population", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "population", "name"], name="framework_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Band(models.Model):
    """A result band of a framework: units at or above `min_percent` get this label."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="bands", verbose_name=_("framework")
    )
    label = models.CharField(_("label"), max_length=50)
    min_percent = models.DecimalField(_("minimum percent"), **POINTS)

    class Meta:
        verbose_name = _("band")
        verbose_name_plural = _("bands")
        ordering = ["framework", "-min_percent"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "label"], name="band_unique_label"),
            models.CheckConstraint(
                condition=Q(min_percent__gte=0) & Q(min_percent__lte=100),
                name="band_min_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.min_percent}%"


class CriterionMethod(models.TextChoices):
    SELF_APPRAISED = "self_appraised", _("Self-assessed, then appraised")
    SURVEY = "survey", _("Sociological survey")
    COMPUTED = "computed", _("Computed from portal data by a band table")
    BONUS = "bonus", _("Bonus points (within a cap)")
    PENALTY = "penalty", _("Penalty points (within a cap)")


# Methods whose points sit outside the 100-point base: a bonus adds, a penalty deducts.
OUTSIDE_BASE = (CriterionMethod.BONUS, CriterionMethod.PENALTY)


def code_path(code: str) -> str:
    """'1.2.3' -> '001.002.003.': sorts numerically and prefix-matches only true descendants."""
    return "".join(f"{int(part):03d}." for part in code.split("."))


class Criterion(models.Model):
    """A node of a framework's tree: an area (1), a criterion (1.2) or a sub-criterion (1.2.3).

    Leaves are scored; an inner node's points are the sum of its children's. For a bonus or
    penalty node `max_points` is its cap.
    """

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("framework")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    code = models.CharField(_("code"), max_length=20)
    path = models.CharField(max_length=64, editable=False, db_index=True)
    name = models.TextField(_("name"))
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    method = models.CharField(
        _("method"),
        max_length=16,
        choices=CriterionMethod.choices,
        default=CriterionMethod.SELF_APPRAISED,
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    source_key = models.CharField(
        _("data source"),
        max_length=64,
        blank=True,
        help_text=_("For a computed criterion: the portal figure it is scored from."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["framework", "path"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="criterion_unique_code"),
            models.CheckConstraint(
                condition=Q(max_points__gte=0), name="criterion_max_points_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def save(self, *args, **kwargs):
        self.path = code_path(self.code)
        super().save(*args, **kwargs)

    @property
    def depth(self) -> int:
        return self.code.count(".") + 1


class ComputedBand(models.Model):
    """A row of a computed criterion's band table: a figure of at least `min_percent` earns
    `points` (e.g. 100% -> full points, 80% or more -> half)."""

    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.CASCADE,
        related_name="computed_bands",
        verbose_name=_("criterion"),
    )
    min_percent = models.DecimalField(_("from percent"), **POINTS)
    points = models.DecimalField(_("points"), **POINTS)

    class Meta:
        verbose_name = _("band-table row")
        verbose_name_plural = _("band-table rows")
        ordering = ["criterion", "-min_percent"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "min_percent"], name="computedband_unique_threshold"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0) & Q(min_percent__gte=0) & Q(min_percent__lte=100),
                name="computedband_ranges",
            ),
        ]

    def __str__(self) -> str:
        return f"≥ {self.min_percent}% → {self.points}"


class AssessmentStage(models.TextChoices):
    DRAFT = "draft", _("Draft (self-scoring)")
    SUBMITTED = "submitted", _("Submitted, appraisal round 1")
    EXPLANATION = "explanation", _("Round 1 done, unit explains")
    ROUND_2 = "round_2", _("Appraisal round 2")
    FINAL = "final", _("Final")


class Assessment(models.Model):
    """One unit's scoring under one framework, from self-scoring to the locked final result."""

    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("framework"),
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("unit")
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=AssessmentStage.choices, default=AssessmentStage.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["framework", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "unit"], name="assessment_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.framework}"


def _within(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | (
        Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": F("max_points")})
    )


SCORE_FIELDS = ("self_score", "appraisal_1", "appraisal_2", "survey_score", "computed_score")


class ScoreLine(models.Model):
    """One scored leaf of the tree in one assessment: both sides' scores, notes and evidence.

    `max_points` is copied from the criterion when the line is created, so the database itself
    can refuse a score above it (a CHECK constraint compares the two columns).
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="lines", verbose_name=_("assessment")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="lines", verbose_name=_("criterion")
    )
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    self_score = models.DecimalField(_("self score"), null=True, blank=True, **POINTS)
    appraisal_1 = models.DecimalField(_("appraisal round 1"), null=True, blank=True, **POINTS)
    explanation = models.TextField(_("unit's explanation"), blank=True)
    appraisal_2 = models.DecimalField(_("appraisal round 2"), null=True, blank=True, **POINTS)
    survey_score = models.DecimalField(_("survey score"), null=True, blank=True, **POINTS)
    computed_score = models.DecimalField(_("computed score"), null=True, blank=True, **POINTS)
    computed_figures = models.JSONField(_("figures used"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    unit_note = models.TextField(_("unit's note"), blank=True)
    appraiser_note = models.TextField(_("appraiser's note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score line")
        verbose_name_plural = _("score lines")
        ordering = ["assessment", "criterion__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="scoreline_unique_criterion"
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=0), name="scoreline_max_points_positive"
            ),
            *(
                models.CheckConstraint(condition=_within(field), name=f"scoreline_{field}_range")
                for field in SCORE_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.criterion.code}"


class Evidence(EvidenceFile):
    """A file a unit attached to a score line to prove its self score. The fields, the upload
    guard, the storage path and the download are core.models.EvidenceFile's, shared with the
    tasks' evidence."""

    line = models.ForeignKey(
        ScoreLine, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("score line")
    )

    class Meta(EvidenceFile.Meta):
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["line", "created_at", "id"]


# --- KPI targets ---------------------------------------------------------------------------


class KpiDirection(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class KpiTarget(models.Model):
    """A target (chỉ tiêu) of a year's plan, with a value per unit level (see KpiLevelTarget).

    A target bound to a portal figure (`source_key`, see indicators.sources) gets its
    measurements computed from the portal's data, never entered by hand.
    """

    name = models.CharField(_("name"), max_length=255)
    measure = models.CharField(_("measure"), max_length=50, help_text=_("e.g. %, days, dossiers"))
    direction = models.CharField(
        _("direction"), max_length=8, choices=KpiDirection.choices, default=KpiDirection.HIGHER
    )
    year = models.PositiveIntegerField(_("year"))
    source_directive = models.CharField(
        _("source directive"), max_length=255, blank=True, help_text=_("e.g. 5580/KH-UBND")
    )
    source_key = models.CharField(
        _("data source"),
        max_length=64,
        blank=True,
        help_text=_(
            "Blank: the values are entered or imported. Otherwise the portal figure (e.g. the "
            "share of dossiers received online) the values are computed from, per unit."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="kpitarget_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class KpiLevelTarget(models.Model):
    """The value a KPI must reach at one level: 90% for the province, 60% for communes."""

    kpi = models.ForeignKey(
        KpiTarget, on_delete=models.CASCADE, related_name="levels", verbose_name=_("KPI target")
    )
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("target by level")
        verbose_name_plural = _("targets by level")
        ordering = ["kpi", "level"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "level"], name="kpileveltarget_unique_level")
        ]

    def __str__(self) -> str:
        return f"{self.kpi} · {self.get_level_display()}: {self.target}"


class KpiPeriod(models.TextChoices):
    Q1 = "q1", _("Quarter 1")
    H1 = "h1", _("6 months")
    NINE_MONTHS = "m9", _("9 months")
    YEAR = "year", _("Year")


class MeasurementSource(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported")
    COMPUTED = "computed", _("Computed")


class KpiMeasurement(models.Model):
    """A unit's value of a KPI for one period of the KPI's year."""

    kpi = models.ForeignKey(
        KpiTarget,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("KPI target"),
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="kpi_measurements", verbose_name=_("unit")
    )
    period = models.CharField(
        _("period"), max_length=8, choices=KpiPeriod.choices, default=KpiPeriod.YEAR
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=MeasurementSource.choices,
        default=MeasurementSource.ENTERED,
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI measurement")
        verbose_name_plural = _("KPI measurements")
        ordering = ["kpi", "unit__code", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "unit", "period"], name="kpimeasurement_unique_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi} · {self.unit} · {self.get_period_display()}"


# --- Provincial indices --------------------------------------------------------------------


class IndexKind(models.TextChoices):
    PAR = "par", _("PAR INDEX")
    SIPAS = "sipas", _("SIPAS")
    PAPI = "papi", _("PAPI")
    PCI = "pci", _("PCI")
    SERVICE_766 = "service_766", _("Service quality (Decision 766)")


class ProvincialIndex(models.Model):
    """One published index value for one year: the province's own, or a comparison figure
    (national average, another province) named in `subject`."""

    kind = models.CharField(_("index"), max_length=16, choices=IndexKind.choices)
    year = models.PositiveIntegerField(_("year"))
    subject = models.CharField(
        _("subject"),
        max_length=100,
        blank=True,
        help_text=_("Blank for this province; otherwise e.g. 'National average'."),
    )
    value = models.DecimalField(_("value"), max_digits=7, decimal_places=2)
    scale = models.DecimalField(_("scale"), max_digits=7, decimal_places=2, default=Decimal("100"))
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    rank_out_of = models.PositiveIntegerField(_("rank out of"), null=True, blank=True)
    illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Made-up demo figure, not a published one.")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("provincial index")
        verbose_name_plural = _("provincial indices")
        ordering = ["kind", "year", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "subject"], name="provincialindex_unique_year"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=F("scale")),
                name="provincialindex_value_within_scale",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True)
                | Q(rank_out_of__isnull=True)
                | Q(rank__lte=F("rank_out_of")),
                name="provincialindex_rank_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} {self.subject}".strip()
