"""Moving an assessment through its stages in tests, always through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import Assessment, ScoreLine
from indicators.services import assessments as svc

EARLY = datetime.date(2025, 12, 1)


def line(assessment: Assessment, code: str) -> ScoreLine:
    return assessment.lines.select_related("criterion", "assessment").get(criterion__code=code)


def self_score_all(assessment: Assessment, head, scores: dict[str, str]) -> None:
    for code, score in scores.items():
        target = line(assessment, code)
        svc.scoreline_self_score(actor=head, line=target, score=Decimal(score))
        if target.criterion.evidence_required:
            svc.evidence_add(
                actor=head, line=target, uploaded=SimpleUploadedFile("kh.pdf", b"%PDF-1.4")
            )


def appraise_all(assessment: Assessment, appraiser, scores: dict[str, str]) -> None:
    for code, score in scores.items():
        svc.scoreline_appraise(actor=appraiser, line=line(assessment, code), score=Decimal(score))


def run_to_final(assessment, head, appraiser, self_scores, appraisal, survey="50") -> Assessment:
    self_score_all(assessment, head, self_scores)
    svc.assessment_submit(actor=head, assessment=assessment, today=EARLY)
    appraise_all(assessment, appraiser, appraisal)
    svc.assessment_finish_round_1(actor=appraiser, assessment=assessment)
    svc.assessment_submit_explanation(actor=head, assessment=assessment)
    svc.scoreline_survey(actor=appraiser, line=line(assessment, "2.1"), score=Decimal(survey))
    return svc.assessment_finalize(actor=appraiser, assessment=assessment)
