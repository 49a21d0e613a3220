"""Reads of the indicators app. `assessments_visible_to` is the one scope every page, export
and API view uses; totals, percentages, bands and ranks are computed in SQL."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, NullIf, Round
from django.db.models.functions.window import Rank

from core.roles import sees_whole_province
from indicators.models import (
    OUTSIDE_BASE,
    Assessment,
    AssessmentStage,
    Band,
    Criterion,
    CriterionMethod,
    Evidence,
    Framework,
    KpiLevelTarget,
    KpiMeasurement,
    KpiTarget,
    ProvincialIndex,
    ScoreLine,
)
from organizations.selectors import units_visible_to

DECIMAL = DecimalField(max_digits=8, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=DECIMAL)


# --- Scope ---------------------------------------------------------------------------------


def frameworks_visible_to(user) -> QuerySet[Framework]:
    """Frameworks are public to every signed-in user (the rules are no secret)."""
    if not user.is_authenticated:
        return Framework.objects.none()
    return Framework.objects.all()


def assessments_visible_to(user) -> QuerySet[Assessment]:
    """Every assessment for Home Affairs and leadership; otherwise the user's own unit's, and
    the submitted ones of the units below it (the parent-unit scope of docs/domain.md: a unit
    never sees another unit's draft)."""
    if not user.is_authenticated:
        return Assessment.objects.none()
    if sees_whole_province(user):
        return Assessment.objects.all()
    own = Q(unit_id=user.unit_id)
    below_submitted = Q(unit__in=units_visible_to(user)) & ~Q(stage=AssessmentStage.DRAFT)
    return Assessment.objects.filter(own | below_submitted)


def lines_visible_to(user) -> QuerySet[ScoreLine]:
    return ScoreLine.objects.filter(assessment__in=assessments_visible_to(user))


def measurements_visible_to(user) -> QuerySet[KpiMeasurement]:
    if not user.is_authenticated:
        return KpiMeasurement.objects.none()
    if sees_whole_province(user):
        return KpiMeasurement.objects.all()
    return KpiMeasurement.objects.filter(unit__in=units_visible_to(user))


# --- Score expressions ---------------------------------------------------------------------


def self_score_expr(prefix: str = ""):
    """The unit's side of a line: its own score, else the computed or survey result."""
    return Coalesce(
        F(f"{prefix}self_score"),
        F(f"{prefix}computed_score"),
        F(f"{prefix}survey_score"),
        ZERO,
        output_field=DECIMAL,
    )


def final_score_expr(prefix: str = ""):
    """The line's current result: the latest appraisal, else the unit's side."""
    return Coalesce(
        F(f"{prefix}appraisal_2"),
        F(f"{prefix}appraisal_1"),
        F(f"{prefix}self_score"),
        F(f"{prefix}computed_score"),
        F(f"{prefix}survey_score"),
        ZERO,
        output_field=DECIMAL,
    )


def _signed(expr, prefix: str = ""):
    """A penalty line deducts its points."""
    return Case(
        When(
            **{f"{prefix}criterion__method": CriterionMethod.PENALTY},
            then=ExpressionWrapper(expr * Value(Decimal(-1)), output_field=DECIMAL),
        ),
        default=expr,
        output_field=DECIMAL,
    )


def _line_sum(lines: QuerySet[ScoreLine], expr) -> Subquery:
    return Subquery(
        lines.order_by().values("assessment").annotate(total=Sum(_signed(expr))).values("total"),
        output_field=DECIMAL,
    )


# --- Assessment totals and ranking ---------------------------------------------------------


def with_totals(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate self_total, total (current result), base (the 100-point base), percent, band
    and appraisal progress; each is a correlated subquery, so the row count does not change the
    number of queries."""
    lines = ScoreLine.objects.filter(assessment=OuterRef("pk"))
    base = Subquery(
        Criterion.objects.filter(framework=OuterRef("framework"), parent__isnull=True)
        .exclude(method__in=OUTSIDE_BASE)
        .order_by()
        .values("framework")
        .annotate(total=Sum("max_points"))
        .values("total"),
        output_field=DECIMAL,
    )
    appraised = Q(criterion__method__in=[CriterionMethod.SELF_APPRAISED])
    bands = Band.objects.filter(framework=OuterRef("framework")).order_by()
    annotated = assessments.annotate(
        self_total=Coalesce(_line_sum(lines, self_score_expr()), ZERO),
        total=Coalesce(_line_sum(lines, final_score_expr()), ZERO),
        base=base,
        percent=Round(
            ExpressionWrapper(
                Cast(F("total"), FloatField())
                * Value(100.0)
                / Cast(NullIf(F("base"), ZERO), FloatField()),
                output_field=FloatField(),
            ),
            2,
            output_field=FloatField(),
        ),
        band=Subquery(
            bands.filter(min_percent__lte=OuterRef("percent"))
            .order_by("-min_percent")
            .values("label")[:1]
        ),
        band_min=Subquery(
            bands.filter(min_percent__lte=OuterRef("percent"))
            .order_by("-min_percent")
            .values("min_percent")[:1]
        ),
        band_count=Subquery(
            bands.values("framework").annotate(n=Count("pk")).values("n"),
        ),
        lines_to_appraise=Subquery(
            lines.filter(appraised)
            .order_by()
            .values("assessment")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        lines_appraised=Subquery(
            lines.filter(appraised, appraisal_1__isnull=False)
            .order_by()
            .values("assessment")
            .annotate(n=Count("pk"))
            .values("n")
        ),
    )
    return _with_band_position(annotated)


def _with_band_position(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """band_position: how many of the framework's bands lie above the one reached (0 = the
    top band), null without a band; with band_count it gives the band's colour
    (indicators.bands)."""
    above = (
        Band.objects.filter(framework=OuterRef("framework"), min_percent__gt=OuterRef("band_min"))
        .order_by()
        .values("framework")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return assessments.annotate(
        band_position=Case(
            When(band_min__isnull=True, then=Value(None)),
            default=Coalesce(Subquery(above), Value(0)),
        )
    )


# Stages whose score has been through appraisal (round 1 at least): only these are ranked. A
# draft or a submitted sheet not yet appraised holds the unit's own score, not comparable.
RANKED_STAGES = (AssessmentStage.EXPLANATION, AssessmentStage.ROUND_2, AssessmentStage.FINAL)


def assessment_ranking(*, user, framework: Framework) -> QuerySet[Assessment]:
    """Units of one framework (one population) ranked by current total; ties share a rank
    (1, 2, 2, 4). Only appraised or final assessments are ranked (see assessments_unranked
    for the others); a unit sees only final results, Home Affairs and leaders every ranked
    stage."""
    assessments = Assessment.objects.filter(framework=framework, stage__in=RANKED_STAGES)
    if not sees_whole_province(user):
        assessments = assessments.filter(stage=AssessmentStage.FINAL)
    return (
        with_totals(assessments)
        .select_related("unit")
        .annotate(rank=Window(Rank(), partition_by=[F("framework")], order_by=F("total").desc()))
        .order_by("rank", "unit__code")
    )


def assessments_unranked(*, user, framework: Framework) -> QuerySet[Assessment]:
    """The framework's drafts and submitted sheets not yet appraised: listed apart from the
    ranking, with their stage, for Home Affairs and leaders (a unit sees only final results)."""
    if not sees_whole_province(user):
        return Assessment.objects.none()
    return (
        with_totals(Assessment.objects.filter(framework=framework).exclude(stage__in=RANKED_STAGES))
        .select_related("unit")
        .order_by("unit__code")
    )


def assessment_list(user) -> QuerySet[Assessment]:
    return with_totals(assessments_visible_to(user)).select_related("unit", "framework")


def assessment_detail(user) -> QuerySet[Assessment]:
    return with_totals(assessments_visible_to(user)).select_related("unit", "framework")


def assessment_history(assessment: Assessment) -> list:
    """The stage changes of an assessment, oldest first, with who made them (from
    simple_history; rows that did not change the stage are left out)."""
    rows = assessment.history.select_related("history_user").order_by("history_date", "pk")
    changes, previous = [], None
    for row in rows:
        if row.stage != previous:
            changes.append(row)
            previous = row.stage
    return changes


def criteria_with_totals(assessment: Assessment) -> QuerySet[Criterion]:
    """The assessment's tree in order, each node with the sum of the lines below it (or its own
    line for a leaf), the unit's side and the current result, in one query."""
    below = ScoreLine.objects.filter(
        assessment=assessment, criterion__path__startswith=OuterRef("path")
    )
    return (
        Criterion.objects.filter(framework_id=assessment.framework_id)
        .annotate(
            self_total=_line_sum(below, self_score_expr()),
            total=_line_sum(below, final_score_expr()),
        )
        .order_by("path")
    )


def score_lines(assessment: Assessment) -> QuerySet[ScoreLine]:
    return (
        assessment.lines.select_related("criterion")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "id"))
        )
        .order_by("criterion__path")
    )


# --- KPI -----------------------------------------------------------------------------------


def measurements_with_achievement(queryset: QuerySet[KpiMeasurement]) -> QuerySet[KpiMeasurement]:
    """Annotate the target of the unit's level and whether the value reaches it (by the KPI's
    direction); no target for the level leaves `achieved` null."""
    target = Subquery(
        KpiLevelTarget.objects.filter(kpi=OuterRef("kpi"), level=OuterRef("unit__level")).values(
            "target"
        )[:1]
    )
    return queryset.annotate(
        target=target,
        achieved=Case(
            When(target__isnull=True, then=Value(None)),
            When(kpi__direction="higher", value__gte=F("target"), then=Value(True)),
            When(kpi__direction="lower", value__lte=F("target"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(null=True),
        ),
    )


def kpi_board(user, *, year: int | None = None) -> QuerySet[KpiMeasurement]:
    measurements = measurements_visible_to(user)
    if year:
        measurements = measurements.filter(kpi__year=year)
    return measurements_with_achievement(
        measurements.select_related("kpi", "unit").order_by("kpi__name", "unit__code", "period")
    )


def kpi_targets(*, year: int | None = None) -> QuerySet[KpiTarget]:
    targets = KpiTarget.objects.prefetch_related("levels")
    return targets.filter(year=year) if year else targets


def kpi_targets_entered(*, year: int | None = None) -> QuerySet[KpiTarget]:
    """The targets whose values are entered or imported (not computed from portal data): the
    choices of the entry and import forms, without their levels."""
    targets = KpiTarget.objects.filter(source_key="")
    return targets.filter(year=year) if year else targets


# --- Provincial indices --------------------------------------------------------------------


def provincial_indices() -> QuerySet[ProvincialIndex]:
    return ProvincialIndex.objects.order_by("kind", "year", "subject")


def data_version() -> str:
    """Changes with every write the ranking depends on: each service saving an assessment, a
    score line, a framework, a provincial index or a unit writes a history row, so the highest
    history ids change (a locked framework's criteria and bands cannot change). One query of
    index lookups: the key under which a read side keeps figures computed from these tables."""
    from django.db import connections, router

    from organizations.models import OrgUnit

    models = (Assessment, ScoreLine, Framework, ProvincialIndex, OrgUnit)
    tables = [model.history.model._meta.db_table for model in models]
    # history_id is each table's primary key: MAX is one index lookup
    selects = ", ".join(f"(SELECT MAX(history_id) FROM {table})" for table in tables)  # nosec B608 - constant names only
    # A raw cursor is not routed: ask the router, so a dashboard on the replica reads it there
    with connections[router.db_for_read(Assessment)].cursor() as cursor:
        cursor.execute(f"SELECT {selects}")  # nosec B608 - constant names only
        return "-".join(str(value or 0) for value in cursor.fetchone())
