from decimal import Decimal

from indicators.jobs import recompute_assessment_task, recompute_computed_criteria_task
from indicators.models import ScoreLine
from indicators.services.assessments import assessments_recompute, band_points
from indicators.services.frameworks import computed_bands_set
from tests.indicators.helpers import line, run_to_final


def test_band_table_picks_the_highest_band_reached(framework):
    bands = list(framework.criteria.get(code="1.1.2").computed_bands.all())
    assert band_points(bands, Decimal(100))[0] == Decimal(10)
    assert band_points(bands, Decimal("99.99"))[0] == Decimal(5)
    assert band_points(bands, Decimal(80))[0] == Decimal(5)
    assert band_points(bands, Decimal(70))[0] == Decimal("2.5")
    assert band_points(bands, Decimal(49))[0] == Decimal(0)


def test_28_of_40_tasks_is_70_percent_and_scores_its_band(opened, rate_source):
    # given the unit completed 28 of its 40 tasks
    rate_source["STC"] = (28, 40)
    # when the nightly job runs
    recompute_computed_criteria_task.delay()
    # then the line holds the band's points and the figures it used
    target = line(opened["STC"], "1.1.2")
    assert target.computed_score == Decimal("2.5")
    assert target.computed_figures["percent"] == "70.00"
    assert target.computed_figures["done"] == 28 and target.computed_figures["total"] == 40
    assert target.computed_figures["band_from"] == "50.00"
    # a unit without data stays unscored and says why
    other = line(opened["STP"], "1.1.2")
    assert other.computed_score is None and other.computed_figures["note"] == "no data"


def test_recompute_twice_changes_nothing_the_second_time(opened, rate_source):
    rate_source["STC"] = (40, 40)
    assert assessments_recompute() == 2  # both units' lines get figures
    assert assessments_recompute() == 0
    assert line(opened["STC"], "1.1.2").computed_score == Decimal(10)


def test_on_demand_recompute_of_one_assessment_follows_an_edited_band_table(opened, rate_source):
    rate_source["STC"] = (35, 40)  # 87.5%
    recompute_assessment_task.delay(opened["STC"].pk)
    assert line(opened["STC"], "1.1.2").computed_score == Decimal(5)
    computed_bands_set(
        criterion=opened["STC"].framework.criteria.get(code="1.1.2"),
        rows=[(Decimal(85), Decimal(8)), (Decimal(0), Decimal(1))],
    )
    recompute_assessment_task.delay(opened["STC"].pk)
    assert line(opened["STC"], "1.1.2").computed_score == Decimal(8)
    assert line(opened["STP"], "1.1.2").computed_score is None  # not asked for


def test_final_assessments_are_not_recomputed(opened, rate_source, head_a, home_affairs):
    scores = {"1.1.1": "10", "1.2": "18"}
    run_to_final(opened["STC"], head_a, home_affairs, scores, scores)
    rate_source["STC"] = (40, 40)
    assessments_recompute()
    assert ScoreLine.objects.get(pk=line(opened["STC"], "1.1.2").pk).computed_score is None
