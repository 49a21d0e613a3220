"""Assessments: opening them, score lines and evidence, the workflow, computed criteria.

Who may do which step in which stage is indicators/policy.py; each service asks it first.
Workflow: draft -> submitted (unit head, by the self-scoring deadline) -> Home Affairs appraises
(round 1) -> explanation (the unit explains) -> round 2 -> final (locked). Each transition is a
public check of actor and state followed by a private act; simple_history keeps every change.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dispatch import send_on_commit
from indicators import policy
from indicators.models import (
    OUTSIDE_BASE,
    Assessment,
    AssessmentStage,
    ComputedBand,
    CriterionMethod,
    Evidence,
    Framework,
    FrameworkPopulation,
    ScoreLine,
)
from indicators.services.common import save
from indicators.services.frameworks import framework_check, points_text
from indicators.sources import get_source
from notifications.events import emit
from organizations.models import OrgUnit, UnitKind, UnitLevel

S = AssessmentStage
M = CriterionMethod
# Lines a unit scores itself and Home Affairs appraises; survey and computed lines are not.
SELF_SCORED = (M.SELF_APPRAISED, M.BONUS, M.PENALTY)


def _check_score(line: ScoreLine, score: Decimal | None) -> None:
    if score is not None and not Decimal(0) <= score <= line.max_points:
        raise ValidationError(
            _("The score must be between 0 and %(max)s.") % {"max": points_text(line.max_points)}
        )


# --- Opening -------------------------------------------------------------------------------


def units_for_population(population: str):
    """The existing units a framework of this population scores."""
    today = timezone.localdate()
    units = OrgUnit.objects.exclude(valid_to__lt=today)
    if population == FrameworkPopulation.DEPARTMENTS:
        return units.filter(
            level=UnitLevel.PROVINCE, kind__in=[UnitKind.DEPARTMENT, UnitKind.PROVINCIAL_AGENCY]
        )
    if population == FrameworkPopulation.COMMUNES:
        return units.filter(level=UnitLevel.COMMUNE)
    return units.filter(kind=UnitKind.PROVINCIAL_COMMITTEE)


@transaction.atomic
def assessments_open(
    *, actor, framework: Framework, units: Iterable[OrgUnit] | None = None
) -> list[Assessment]:
    """Open a draft assessment (one line per scored leaf) for each unit that has none yet and
    lock the framework. A tree that breaks its invariants cannot be opened."""
    policy.require(actor, policy.ASSESSMENTS_OPEN)
    breaches = [breach for breach in framework_check(framework=framework) if breach.blocking]
    if breaches:
        raise ValidationError(
            [_("The framework cannot be used until its tree is sound:")]
            + [str(breach) for breach in breaches]
        )
    units = list(units if units is not None else units_for_population(framework.population))
    existing = set(framework.assessments.values_list("unit_id", flat=True))
    leaves = list(framework.criteria.filter(children__isnull=True).order_by("path"))
    opened = []
    for unit in units:
        if unit.pk in existing:
            continue
        assessment = Assessment(framework=framework, unit=unit)
        save(assessment, actor)
        ScoreLine.objects.bulk_create(
            ScoreLine(assessment=assessment, criterion=leaf, max_points=leaf.max_points)
            for leaf in leaves
        )
        opened.append(assessment)
    if not framework.locked:
        framework.locked = True
        save(framework, actor)
    from indicators.jobs import recompute_assessment_task  # jobs import this module

    for assessment in opened:
        send_on_commit(recompute_assessment_task, assessment.pk)  # fill computed lines at once
    return opened


# --- Score lines ---------------------------------------------------------------------------


@transaction.atomic
def scoreline_self_score(
    *, actor, line: ScoreLine, score: Decimal | None, note: str | None = None
) -> ScoreLine:
    """The unit's own score and note on a line, while the assessment is a draft."""
    policy.require(actor, policy.SELF_SCORE, line=line)
    if line.criterion.method not in SELF_SCORED:
        raise ValidationError(_("This line is not scored by the unit itself."))
    _check_score(line, score)
    line.self_score = score
    if note is not None:
        line.unit_note = note
    save(line, actor)
    return line


@transaction.atomic
def scoreline_explain(*, actor, line: ScoreLine, explanation: str) -> ScoreLine:
    """The unit's explanation of a round-1 appraisal it disputes."""
    policy.require(actor, policy.EXPLAIN, line=line)
    line.explanation = explanation
    save(line, actor)
    return line


@transaction.atomic
def scoreline_appraise(
    *, actor, line: ScoreLine, score: Decimal | None, note: str | None = None
) -> ScoreLine:
    """Home Affairs' score: round 1 while submitted, round 2 after the unit's explanation."""
    policy.require(actor, policy.APPRAISE, line=line)
    if line.criterion.method == M.SURVEY:
        raise ValidationError(_("A survey line takes the survey score, not an appraisal."))
    _check_score(line, score)
    if line.assessment.stage == S.SUBMITTED:
        line.appraisal_1 = score
    else:
        line.appraisal_2 = score
    if note is not None:
        line.appraiser_note = note
    save(line, actor)
    return line


@transaction.atomic
def scoreline_survey(*, actor, line: ScoreLine, score: Decimal | None) -> ScoreLine:
    """The survey result of a survey line, entered by Home Affairs before the result is final."""
    policy.require(actor, policy.SURVEY, line=line)
    if line.criterion.method != M.SURVEY:
        raise ValidationError(_("Only a survey line takes a survey score."))
    _check_score(line, score)
    line.survey_score = score
    save(line, actor)
    return line


SCORELINE_FIELDS = ("self", "appraisal", "survey", "explanation")


def scoreline_write(
    *,
    actor,
    line: ScoreLine,
    field: str,
    score: Decimal | None = None,
    note: str | None = None,
    explanation: str = "",
) -> ScoreLine:
    """One cell of the sheet, as the sheet page and the API send it: the unit's own score,
    Home Affairs' appraisal or survey score, or the unit's explanation. Each goes through its
    own service, with that service's actor and stage rules."""
    if field == "self":
        return scoreline_self_score(actor=actor, line=line, score=score, note=note)
    if field == "appraisal":
        return scoreline_appraise(actor=actor, line=line, score=score, note=note)
    if field == "survey":
        return scoreline_survey(actor=actor, line=line, score=score)
    if field == "explanation":
        return scoreline_explain(actor=actor, line=line, explanation=explanation)
    raise ValidationError({"field": _("Unknown field.")})


@transaction.atomic
def evidence_add(*, actor, line: ScoreLine, uploaded: UploadedFile) -> Evidence:
    """Attach a file to a line while the unit may still change its side."""
    policy.require(actor, policy.EVIDENCE, line=line)
    # Checked by content (a picture renamed .pdf is refused), stored under the one evidence path.
    evidence = Evidence.from_upload(uploaded, uploaded_by=actor, line=line)
    save(evidence)
    return evidence


@transaction.atomic
def evidence_delete(*, actor, evidence: Evidence) -> None:
    policy.require(actor, policy.EVIDENCE, evidence=evidence)
    evidence.file.delete(save=False)
    evidence.delete()


# --- Workflow ------------------------------------------------------------------------------


def _locked_copy(assessment: Assessment) -> Assessment:
    """Re-read the row under a lock so two clicks cannot both pass the state check."""
    return Assessment.objects.select_for_update().select_related("framework").get(pk=assessment.pk)


@transaction.atomic
def assessment_submit(
    *, actor, assessment: Assessment, today: datetime.date | None = None
) -> Assessment:
    """The unit head submits the self-assessment, by the framework's self-scoring deadline,
    once every self-scored line has a score and the evidence it needs."""
    policy.require_person(actor, policy.SUBMIT, assessment=assessment)
    assessment = _locked_copy(assessment)
    policy.require(actor, policy.SUBMIT, assessment=assessment)
    today = today or timezone.localdate()
    deadline = assessment.framework.self_scoring_deadline
    if deadline and today > deadline:
        raise ValidationError(
            _("The self-scoring deadline (%(date)s) has passed.")
            % {"date": deadline.strftime("%d/%m/%Y")}
        )
    problems = []
    lines = assessment.lines.select_related("criterion").prefetch_related("evidence")
    for line in lines:
        if line.criterion.method == M.SELF_APPRAISED and line.self_score is None:
            problems.append(_("%(code)s has no self score.") % {"code": line.criterion.code})
        if line.criterion.evidence_required and line.self_score and not line.evidence.all():
            problems.append(_("%(code)s needs evidence.") % {"code": line.criterion.code})
    if problems:
        raise ValidationError(problems)
    return _assessment_mark_submitted(assessment, actor)


def _assessment_mark_submitted(assessment: Assessment, actor) -> Assessment:
    assessment.stage = S.SUBMITTED
    assessment.submitted_at = timezone.now()
    save(assessment, actor)
    emit(
        "assessment.submitted",
        actor=actor,
        subject=assessment,
        occurrence=f"submitted@{assessment.submitted_at.isoformat()}",
    )
    return assessment


@transaction.atomic
def assessment_finish_round_1(*, actor, assessment: Assessment) -> Assessment:
    """Home Affairs sends round 1 back to the unit once every self-scored line is appraised."""
    policy.require_person(actor, policy.FINISH_ROUND_1, assessment=assessment)
    assessment = _locked_copy(assessment)
    policy.require(actor, policy.FINISH_ROUND_1, assessment=assessment)
    # A bonus or penalty the unit left blank needs no appraisal; a scored line always does.
    pending = Q(criterion__method=M.SELF_APPRAISED) | Q(
        criterion__method__in=OUTSIDE_BASE, self_score__isnull=False
    )
    missing = list(
        assessment.lines.filter(pending, appraisal_1__isnull=True)
        .order_by("criterion__path")
        .values_list("criterion__code", flat=True)
    )
    if missing:
        raise ValidationError(
            _("Lines not yet appraised: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    assessment = _assessment_move(assessment, actor, S.EXPLANATION)
    emit("assessment.returned", actor=actor, subject=assessment, occurrence=S.EXPLANATION)
    return assessment


@transaction.atomic
def assessment_submit_explanation(*, actor, assessment: Assessment) -> Assessment:
    """The unit head sends the unit's explanations; round 2 begins."""
    policy.require_person(actor, policy.SUBMIT_EXPLANATION, assessment=assessment)
    assessment = _locked_copy(assessment)
    policy.require(actor, policy.SUBMIT_EXPLANATION, assessment=assessment)
    assessment = _assessment_move(assessment, actor, S.ROUND_2)
    emit(
        "assessment.submitted",
        actor=actor,
        subject=assessment,
        occurrence=S.ROUND_2,
        explanation=True,
    )
    return assessment


@transaction.atomic
def assessment_finalize(*, actor, assessment: Assessment) -> Assessment:
    """Home Affairs closes round 2; the scores lock. Every survey line needs its result."""
    policy.require_person(actor, policy.FINALIZE, assessment=assessment)
    assessment = _locked_copy(assessment)
    policy.require(actor, policy.FINALIZE, assessment=assessment)
    missing = list(
        assessment.lines.filter(criterion__method=M.SURVEY, survey_score__isnull=True)
        .order_by("criterion__path")
        .values_list("criterion__code", flat=True)
    )
    if missing:
        raise ValidationError(
            _("Survey results missing for: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    assessment.finalized_at = timezone.now()
    assessment = _assessment_move(assessment, actor, S.FINAL)
    emit("assessment.appraised", actor=actor, subject=assessment, occurrence=S.FINAL)
    return assessment


def _assessment_move(assessment: Assessment, actor, stage: str) -> Assessment:
    assessment.stage = stage
    save(assessment, actor)
    return assessment


# --- Computed criteria ---------------------------------------------------------------------


def band_points(bands: Iterable[ComputedBand], percent: Decimal) -> tuple[Decimal, Any]:
    """Points of the highest band the percent reaches (0 below every band), and that band."""
    reached = [band for band in bands if percent >= band.min_percent]
    if not reached:
        return Decimal(0), None
    best = max(reached, key=lambda band: band.min_percent)
    return best.points, best


def _scoreline_compute(line: ScoreLine, bands: list[ComputedBand], now) -> bool:
    """Score one computed line from its source; returns whether the line changed."""
    criterion = line.criterion
    source = get_source(criterion.source_key)
    # The figures are stored as data (numbers, ISO dates, keyed); the sheet labels and formats
    # them through the source's Figure list, in the reader's language.
    if source is None:
        figures: dict[str, Any] = {"source": criterion.source_key, "error": "unknown_source"}
        score = None
    else:
        percent, raw = source.compute(line.assessment.unit, line.assessment.framework.year)
        figures = {"source": source.key, **_jsonable(raw)}
        if percent is None:
            score = None
        else:
            percent = Decimal(percent).quantize(Decimal("0.01"))
            score, band = band_points(bands, percent)
            score = min(score, line.max_points)
            figures["percent"] = str(percent)
            figures["band_from"] = str(band.min_percent) if band else None
    changed = line.computed_score != score or line.computed_figures != figures
    line.computed_score = score
    line.computed_figures = figures
    line.computed_at = now
    return changed


def _jsonable(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (str(value) if isinstance(value, Decimal | datetime.date) else value)
        for key, value in raw.items()
    }


@transaction.atomic
def assessments_recompute(*, assessment_ids: Iterable[int] | None = None) -> int:
    """Rescore the computed lines of every assessment not yet final (or of the given ones).

    Idempotent: a second run with the same portal data writes the same figures. Returns the
    number of lines whose score or figures changed.
    """
    lines = (
        ScoreLine.objects.filter(criterion__method=M.COMPUTED)
        .exclude(assessment__stage=S.FINAL)
        .select_related("assessment__unit", "assessment__framework", "criterion")
        .prefetch_related(
            Prefetch("criterion__computed_bands", queryset=ComputedBand.objects.all())
        )
    )
    if assessment_ids is not None:
        lines = lines.filter(assessment_id__in=list(assessment_ids))
    now = timezone.now()
    changed = 0
    for line in lines.order_by("pk"):
        if _scoreline_compute(line, list(line.criterion.computed_bands.all()), now):
            changed += 1
            save(line)
        else:
            ScoreLine.objects.filter(pk=line.pk).update(computed_at=now)
    return changed
