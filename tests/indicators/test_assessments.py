import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators.models import AssessmentStage
from indicators.selectors import (
    assessment_ranking,
    assessments_unranked,
    criteria_with_totals,
    with_totals,
)
from indicators.services import assessments as svc
from tests.factories import OrgUnitFactory, UserFactory
from tests.indicators.helpers import EARLY, appraise_all, line, run_to_final, self_score_all

S = AssessmentStage
FULL_SELF = {"1.1.1": "10", "1.2": "18"}


def test_opening_creates_a_line_per_leaf_and_locks_the_framework(framework, opened):
    framework.refresh_from_db()
    assert framework.locked
    codes = list(
        opened["STC"].lines.order_by("criterion__path").values_list("criterion__code", flat=True)
    )
    assert codes == ["1.1.1", "1.1.2", "1.2", "2.1", "3", "4"]
    assert line(opened["STC"], "1.2").max_points == Decimal("20")


def test_a_framework_with_breaches_cannot_be_opened(db, rate_source, home_affairs, unit_a):
    from tests.indicators.factories import SMALL_TREE, build_framework

    broken = build_framework(tree=[row for row in SMALL_TREE if row[0] != "1.2"])
    with pytest.raises(ValidationError):
        svc.assessments_open(actor=home_affairs, framework=broken, units=[unit_a])
    broken.refresh_from_db()
    assert not broken.locked


def test_full_workflow_reaches_final(opened, head_a, home_affairs):
    assessment = run_to_final(
        opened["STC"], head_a, home_affairs, FULL_SELF, {"1.1.1": "9", "1.2": "15"}
    )
    assert assessment.stage == S.FINAL and assessment.finalized_at
    # history keeps every stage, with who moved it
    stages = list(assessment.history.order_by("history_date").values_list("stage", flat=True))
    assert stages == ["draft", "submitted", "explanation", "round_2", "final"]
    assert assessment.history.latest().history_user == home_affairs


def test_staff_drafts_but_only_the_head_submits(opened, staff_a, head_a):
    assessment = opened["STC"]
    self_score_all(assessment, staff_a, FULL_SELF)
    with pytest.raises(PermissionDenied):
        svc.assessment_submit(actor=staff_a, assessment=assessment, today=EARLY)
    svc.assessment_submit(actor=head_a, assessment=assessment, today=EARLY)


def test_submission_after_the_deadline_is_refused(opened, head_a):
    self_score_all(opened["STC"], head_a, FULL_SELF)
    with pytest.raises(ValidationError) as refused:
        svc.assessment_submit(
            actor=head_a, assessment=opened["STC"], today=datetime.date(2025, 12, 16)
        )
    assert "15/12/2025" in str(refused.value)
    opened["STC"].refresh_from_db()
    assert opened["STC"].stage == S.DRAFT


def test_submission_on_the_deadline_day_is_accepted(opened, head_a):
    self_score_all(opened["STC"], head_a, FULL_SELF)
    submitted = svc.assessment_submit(
        actor=head_a, assessment=opened["STC"], today=datetime.date(2025, 12, 15)
    )
    assert submitted.stage == S.SUBMITTED


def test_submission_lists_every_missing_score_and_evidence(opened, head_a):
    svc.scoreline_self_score(actor=head_a, line=line(opened["STC"], "1.1.1"), score=Decimal(5))
    with pytest.raises(ValidationError) as refused:
        svc.assessment_submit(actor=head_a, assessment=opened["STC"], today=EARLY)
    assert len(refused.value.messages) == 2  # 1.1.1 lacks evidence, 1.2 lacks a score


def test_another_units_head_cannot_touch_the_assessment(opened, head_b):
    with pytest.raises(PermissionDenied):
        svc.scoreline_self_score(actor=head_b, line=line(opened["STC"], "1.2"), score=Decimal(1))


def test_leader_reads_but_changes_nothing(opened, leader):
    with pytest.raises(PermissionDenied):
        svc.scoreline_self_score(actor=leader, line=line(opened["STC"], "1.2"), score=Decimal(1))
    with pytest.raises(PermissionDenied):
        svc.scoreline_appraise(actor=leader, line=line(opened["STC"], "1.2"), score=Decimal(1))


def test_appraisal_waits_for_submission_and_self_scores_lock_after_it(opened, head_a, home_affairs):
    assessment = opened["STC"]
    with pytest.raises(ValidationError):
        svc.scoreline_appraise(actor=home_affairs, line=line(assessment, "1.2"), score=Decimal(1))
    self_score_all(assessment, head_a, FULL_SELF)
    svc.assessment_submit(actor=head_a, assessment=assessment, today=EARLY)
    with pytest.raises(ValidationError):
        svc.scoreline_self_score(actor=head_a, line=line(assessment, "1.2"), score=Decimal(2))


def test_round_one_needs_every_scored_line_appraised(opened, head_a, home_affairs):
    assessment = opened["STC"]
    self_score_all(assessment, head_a, FULL_SELF)
    svc.assessment_submit(actor=head_a, assessment=assessment, today=EARLY)
    appraise_all(assessment, home_affairs, {"1.1.1": "9"})
    with pytest.raises(ValidationError) as refused:
        svc.assessment_finish_round_1(actor=home_affairs, assessment=assessment)
    assert "1.2" in str(refused.value)


def test_explanation_then_round_two_overrides_round_one(opened, head_a, home_affairs):
    assessment = opened["STC"]
    self_score_all(assessment, head_a, FULL_SELF)
    svc.assessment_submit(actor=head_a, assessment=assessment, today=EARLY)
    appraise_all(assessment, home_affairs, {"1.1.1": "6", "1.2": "15"})
    svc.assessment_finish_round_1(actor=home_affairs, assessment=assessment)
    svc.scoreline_explain(actor=head_a, line=line(assessment, "1.1.1"), explanation="Đã ban hành")
    svc.assessment_submit_explanation(actor=head_a, assessment=assessment)
    appraise_all(assessment, home_affairs, {"1.1.1": "9"})
    target = line(assessment, "1.1.1")
    assert (target.appraisal_1, target.appraisal_2) == (Decimal(6), Decimal(9))
    assert target.explanation == "Đã ban hành"
    totals = with_totals(type(assessment).objects.filter(pk=assessment.pk)).get()
    assert totals.total == Decimal("24")  # 9 (round 2) + 15 (round 1)


def test_final_locks_every_score(opened, head_a, home_affairs):
    assessment = run_to_final(opened["STC"], head_a, home_affairs, FULL_SELF, FULL_SELF)
    with pytest.raises(ValidationError):
        svc.scoreline_appraise(actor=home_affairs, line=line(assessment, "1.2"), score=Decimal(1))
    with pytest.raises(ValidationError):
        svc.scoreline_survey(actor=home_affairs, line=line(assessment, "2.1"), score=Decimal(1))


def test_score_above_maximum_is_refused_by_the_service(opened, head_a):
    with pytest.raises(ValidationError):
        svc.scoreline_self_score(actor=head_a, line=line(opened["STC"], "1.2"), score=Decimal(21))


def test_totals_roll_up_with_bonus_and_penalty(opened, head_a, home_affairs):
    # given self scores 10 + 18, bonus 5 (cap 5), penalty 3 (cap 10), survey 50
    scores = {**FULL_SELF, "3": "5", "4": "3"}
    assessment = run_to_final(opened["STC"], head_a, home_affairs, scores, scores, survey="50")
    # when
    nodes = {node.code: node for node in criteria_with_totals(assessment)}
    totals = with_totals(type(assessment).objects.filter(pk=assessment.pk)).get()
    # then every level sums its lines in SQL
    assert nodes["1.1.1"].total == Decimal(10)
    assert nodes["1.1"].total == Decimal(10)  # computed 1.1.2 has no data yet
    assert nodes["1"].total == Decimal(28)
    assert nodes["2"].total == Decimal(50)
    assert nodes["3"].total == Decimal(5)
    assert nodes["4"].total == Decimal(-3)
    assert totals.total == Decimal(80)  # 28 + 50 + 5 - 3
    assert totals.base == Decimal(100)
    assert totals.percent == pytest.approx(80.0)
    assert totals.band == "Khá"


def test_ranking_ties_share_a_rank(framework, home_affairs, head_a, unit_a, unit_b, head_b):
    # given four units, two of them tied
    unit_c = OrgUnitFactory(code="SYT", name="Sở Y tế", parent=unit_a.parent)
    unit_d = OrgUnitFactory(code="SXD", name="Sở Xây dựng", parent=unit_a.parent)
    opened = {
        a.unit.code: a
        for a in svc.assessments_open(
            actor=home_affairs, framework=framework, units=[unit_a, unit_b, unit_c, unit_d]
        )
    }
    heads = {"STC": head_a, "STP": head_b}
    heads["SYT"] = UserFactory(username="head_c", role="unit_head", unit=unit_c)
    heads["SXD"] = UserFactory(username="head_d", role="unit_head", unit=unit_d)
    results = {"STC": ("10", "18"), "STP": ("10", "18"), "SYT": ("10", "20"), "SXD": ("5", "5")}
    for code, (first, second) in results.items():
        scores = {"1.1.1": first, "1.2": second}
        run_to_final(opened[code], heads[code], home_affairs, scores, scores)
    # when
    ranking = list(assessment_ranking(user=home_affairs, framework=framework))
    # then
    assert [(a.unit.code, a.rank) for a in ranking] == [
        ("SYT", 1),
        ("STC", 2),
        ("STP", 2),
        ("SXD", 4),
    ]


def test_unit_sees_only_final_results_in_the_ranking(opened, head_a, head_b, home_affairs):
    run_to_final(opened["STC"], head_a, home_affairs, FULL_SELF, FULL_SELF)
    self_score_all(opened["STP"], head_b, FULL_SELF)  # still a draft
    visible = [
        a.unit.code for a in assessment_ranking(user=head_b, framework=opened["STC"].framework)
    ]
    assert visible == ["STC"]
    # and a unit is not shown the others' unranked sheets either
    assert not assessments_unranked(user=head_b, framework=opened["STC"].framework).exists()


def test_only_appraised_or_final_assessments_are_ranked_the_others_apart_with_their_stage(
    framework, home_affairs, head_a, head_b, unit_a, unit_b
):
    # given four units: one final, one in round 1 explanation (appraised), one submitted but not
    # yet appraised and one still a draft, the draft with the highest self score of all
    unit_c = OrgUnitFactory(code="SYT", name="Sở Y tế", parent=unit_a.parent)
    unit_d = OrgUnitFactory(code="SXD", name="Sở Xây dựng", parent=unit_a.parent)
    opened = {
        a.unit.code: a
        for a in svc.assessments_open(
            actor=home_affairs, framework=framework, units=[unit_a, unit_b, unit_c, unit_d]
        )
    }
    head_c = UserFactory(username="head_c", role="unit_head", unit=unit_c)
    head_d = UserFactory(username="head_d", role="unit_head", unit=unit_d)
    run_to_final(opened["STC"], head_a, home_affairs, FULL_SELF, FULL_SELF)
    self_score_all(opened["STP"], head_b, FULL_SELF)
    svc.assessment_submit(actor=head_b, assessment=opened["STP"], today=EARLY)
    appraise_all(opened["STP"], home_affairs, {"1.1.1": "6", "1.2": "10"})
    svc.assessment_finish_round_1(actor=home_affairs, assessment=opened["STP"])
    self_score_all(opened["SYT"], head_c, FULL_SELF)
    svc.assessment_submit(actor=head_c, assessment=opened["SYT"], today=EARLY)
    self_score_all(opened["SXD"], head_d, FULL_SELF)
    # when the ranking is read by Home Affairs
    ranked = list(assessment_ranking(user=home_affairs, framework=framework))
    unranked = list(assessments_unranked(user=home_affairs, framework=framework))
    # then only the appraised and final ones are ranked, by their current score
    assert [(a.unit.code, a.rank, a.stage) for a in ranked] == [
        ("STC", 1, AssessmentStage.FINAL),
        ("STP", 2, AssessmentStage.EXPLANATION),
    ]
    # and the submitted and draft sheets are listed apart, with their stage
    assert [(a.unit.code, a.stage) for a in unranked] == [
        ("SXD", AssessmentStage.DRAFT),
        ("SYT", AssessmentStage.SUBMITTED),
    ]


def test_an_unavailable_data_source_does_not_block_opening(
    db, home_affairs, unit_a, django_capture_on_commit_callbacks
):
    from tests.indicators.factories import build_framework

    framework = build_framework()  # its computed criterion's source is not registered
    # opening queues a recompute of the new assessments once committed
    with django_capture_on_commit_callbacks(execute=True):
        opened = svc.assessments_open(actor=home_affairs, framework=framework, units=[unit_a])
    target = line(opened[0], "1.1.2")
    assert target.computed_score is None and target.computed_figures["error"] == "unknown_source"


def test_workflow_errors_read_in_vietnamese(opened, head_a):
    from django.utils import translation

    self_score_all(opened["STC"], head_a, FULL_SELF)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        svc.assessment_submit(
            actor=head_a, assessment=opened["STC"], today=datetime.date(2025, 12, 16)
        )
    assert refused.value.messages == ["Đã quá hạn tự chấm điểm (15/12/2025)."]
