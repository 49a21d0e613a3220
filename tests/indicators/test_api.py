from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import OrgUnitFactory
from tests.indicators.helpers import line


def test_unit_lists_only_its_own_assessments_and_lines(client_for, head_b, opened):
    client = client_for(head_b)
    assessments = client.get(reverse("assessment-list")).json()["results"]
    assert [row["unit_code"] for row in assessments] == ["STP"]
    lines = client.get(reverse("score-line-list")).json()["results"]
    assert {row["assessment"] for row in lines} == {opened["STP"].pk}


def test_another_units_assessment_and_line_give_404(client_for, head_b, opened):
    client = client_for(head_b)
    assert client.get(reverse("assessment-detail", args=[opened["STC"].pk])).status_code == 404
    other_line = line(opened["STC"], "1.2")
    assert client.get(reverse("score-line-detail", args=[other_line.pk])).status_code == 404
    response = client.post(
        reverse("score-line-score", args=[other_line.pk]), {"field": "self", "score": "5"}
    )
    assert response.status_code == 404


def test_unit_scores_its_draft_through_the_api(client_for, head_a, opened):
    target = line(opened["STC"], "1.2")
    response = client_for(head_a).post(
        reverse("score-line-score", args=[target.pk]),
        {"field": "self", "score": "14.5", "note": "API"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["self_score"] == "14.50"


def test_api_refuses_a_score_above_the_maximum_with_a_message(client_for, head_a, opened):
    target = line(opened["STC"], "1.2")
    response = client_for(head_a).post(
        reverse("score-line-score", args=[target.pk]),
        {"field": "self", "score": "30"},
        content_type="application/json",
    )
    assert response.status_code == 400
    target.refresh_from_db()
    assert target.self_score is None


def test_leader_reads_every_assessment_but_cannot_score(client_for, leader, opened):
    client = client_for(leader)
    assert len(client.get(reverse("assessment-list")).json()["results"]) == 2
    response = client.post(
        reverse("score-line-score", args=[line(opened["STC"], "1.2").pk]),
        {"field": "appraisal", "score": "5"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_frameworks_criteria_kpi_and_indices_are_listed(client_for, head_a, framework):
    client = client_for(head_a)
    frameworks = client.get(reverse("framework-list")).json()["results"]
    assert frameworks[0]["bands"][0]["label"] == "Tốt"
    criteria = client.get(reverse("criterion-list") + f"?framework={framework.pk}").json()
    assert [row["code"] for row in criteria["results"]][:3] == ["1", "1.1", "1.1.1"]
    assert client.get(reverse("kpi-target-list")).status_code == 200
    assert client.get(reverse("kpi-measurement-list")).status_code == 200
    assert client.get(reverse("provincial-index-list")).status_code == 200


@pytest.mark.parametrize("count", [3, 40])
def test_assessment_api_query_count_is_fixed(
    count, client_for, home_affairs, framework, province, django_assert_num_queries
):
    from indicators.services.assessments import assessments_open

    units = [
        OrgUnitFactory(code=f"A{index:03d}", name=f"Sở {index}", parent=province)
        for index in range(count)
    ]
    assessments_open(actor=home_affairs, framework=framework, units=units)
    client = client_for(home_affairs)
    # session, user, the page count, the page of assessments with totals (one statement),
    # and the session save in a savepoint (3): 7 whatever the number of units
    with django_assert_num_queries(7):
        response = client.get(reverse("assessment-list"))
    assert response.json()["count"] == count


def test_score_lines_show_the_figures_used(client_for, home_affairs, opened, rate_source):
    from indicators.services.assessments import assessments_recompute

    rate_source["STC"] = (28, 40)
    assessments_recompute()
    target = line(opened["STC"], "1.1.2")
    data = client_for(home_affairs).get(reverse("score-line-detail", args=[target.pk])).json()
    assert data["computed_score"] == "2.50"
    assert data["computed_figures"]["percent"] == "70.00"
    assert Decimal(data["max_points"]) == Decimal(10)
