"""The unit dashboard and the permission rules of both dashboards."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Assessment, AssessmentStage, CriterionMethod
from reporting.dashboards.panels import ParPanel, UnitPanel, unit_context
from tests.reporting.factories import build_plan

LEADERSHIP = reverse("reporting:leadership_dashboard")


def test_unit_roles_do_not_get_the_leadership_dashboard(client, head_a, staff_a):
    for user in (head_a, staff_a):
        client.force_login(user)
        assert client.get(LEADERSHIP).status_code == 403


def test_another_units_dashboard_is_a_404(client, head_b, unit_a):
    client.force_login(head_b)
    assert client.get(reverse("reporting:unit_dashboard_of", args=[unit_a.pk])).status_code == 404


def test_leader_opens_any_units_dashboard(client, leader, unit_a):
    client.force_login(leader)
    response = client.get(reverse("reporting:unit_dashboard_of", args=[unit_a.pk]))
    assert response.status_code == 200
    assert unit_a.name in response.content.decode()


def test_unit_dashboard_shows_own_work_beside_the_province(client, head_a, unit_a, unit_b):
    # given unit A: 2 done of 4 (one overdue, one in progress due in 5 days); unit B: 0 of 2
    build_plan(
        {
            unit_a: ["done_on_time", "done_late", "overdue", "in_progress"],
            unit_b: ["overdue", "overdue"],
        }
    )
    # when head A opens their dashboard
    client.force_login(head_a)
    response = client.get(reverse("reporting:unit_dashboard"))
    data = response.context["data"]
    # then the unit's rate is 50% beside the province's 2/6 = 33.3%
    assert data["completion"]["unit_rate"] == Decimal("50.0")
    assert data["completion"]["rate"] == Decimal("33.3")
    assert len(data["overdue"]) == 1 and len(data["due_soon"]) == 1
    html = response.content.decode()
    assert "50%" in html and "33,3%" in html


def test_unit_dashboard_shows_the_assessment_stage_and_deadline(home_affairs, head_a, unit_a):
    framework, _assessments = _opened_framework(home_affairs, [unit_a])
    data = UnitPanel(unit_context(head_a), unit_a).compute()
    assert data["assessment"]["stage"] == str(AssessmentStage.DRAFT.label)
    assert data["assessment"]["deadline"] == framework.self_scoring_deadline


def _opened_framework(home_affairs, units):
    from indicators.services.assessments import assessments_open
    from tests.indicators.factories import build_framework

    framework = build_framework(
        tree=[("1", "Công tác chỉ đạo, điều hành", "100", CriterionMethod.SELF_APPRAISED)],
        deadline=datetime.date(2026, 12, 15),
        year=2026,
    )
    return framework, assessments_open(actor=home_affairs, framework=framework, units=units)


def test_par_ranking_equals_the_scores_given(home_affairs, leader, unit_a, unit_b, head_a, head_b):
    from indicators.services.assessments import scoreline_self_score
    from reporting.dashboards.forms import DashboardFilterForm
    from reporting.dashboards.panels import DashboardContext

    # given unit A self-scores 75 of 100 and unit B 92 (bands: Tốt >= 90, Trung bình >= 65)
    _framework, assessments = _opened_framework(home_affairs, [unit_a, unit_b])
    by_unit = {assessment.unit_id: assessment for assessment in assessments}
    scoreline_self_score(actor=head_a, line=by_unit[unit_a.pk].lines.get(), score=Decimal(75))
    scoreline_self_score(actor=head_b, line=by_unit[unit_b.pk].lines.get(), score=Decimal(92))
    form = DashboardFilterForm({"year": 2026})
    ctx = DashboardContext(leader, form.values, form.report_period(), form.cache_token())
    # when the PAR panel reads them as drafts, they are not ranked but listed with their stage
    data = ParPanel(ctx).compute()
    assert data["rows"] == []
    assert [(row["unit"], row["stage"]) for row in data["unranked"]] == [
        (unit_a.name, "Bản nháp (đang tự chấm điểm)"),
        (unit_b.name, "Bản nháp (đang tự chấm điểm)"),
    ]
    # when both are appraised (a shortcut past the workflow, tested in indicators)
    Assessment.objects.filter(pk__in=[a.pk for a in assessments]).update(
        stage=AssessmentStage.FINAL
    )
    data = ParPanel(ctx).compute()
    rows = data["rows"]
    # then the order, percentages, stages and bands follow the scores, each band in the index
    # scale's colour (Tốt the top band, Trung bình the third of four)
    assert [row["unit"] for row in rows] == [unit_b.name, unit_a.name]
    assert [row["rank"] for row in rows] == [1, 2]
    assert [row["percent"] for row in rows] == [92.0, 75.0]
    assert [row["stage"] for row in rows] == ["Chính thức", "Chính thức"]
    assert [(row["band"], row["colour"]) for row in rows] == [
        ("Tốt", "success"),
        ("Trung bình", "warning"),
    ]
    assert data["unranked"] == []


@pytest.mark.parametrize("scale", [1, 10])
def test_unit_dashboard_queries_do_not_grow_with_the_data(
    client, head_a, unit_a, django_assert_num_queries, scale
):
    from reporting.analytics import status

    build_plan({unit_a: ["done_on_time", "overdue", "in_progress"]}, copies=scale)
    status.rebuild()  # the task figures come from the analytics tables, as in production
    client.force_login(head_a)
    client.get(reverse("reporting:unit_dashboard"))
    from django.core.cache import cache

    cache.clear()
    # session, user; the unit within the user's scope (tree CTE); the analytics tables' state
    # (kept days; version and oldest change waiting); overdue: its rows and its count; due soon;
    # unit vs province (status counts); assessment (units visible: tree CTE inside); dossiers:
    # half-month rollup ready?, rollup and aggregate rows (each scoped by the unit's subtree),
    # the rollup's watermark; the menu's unit; session save
    with django_assert_num_queries(18):
        assert client.get(reverse("reporting:unit_dashboard")).status_code == 200


def test_filters_re_render_the_panels_only_for_htmx(client, leader, unit_a):
    build_plan({unit_a: ["done_on_time"]})
    client.force_login(leader)
    partial = client.get(LEADERSHIP, {"period": "q1"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert 'id="tile-total"' in partial.content.decode()


def test_panels_are_served_from_the_cache_on_the_second_view(client, leader, unit_a, settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    build_plan({unit_a: ["done_on_time"]})
    client.force_login(leader)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(LEADERSHIP)
    with CaptureQueriesContext(connection) as second:
        client.get(LEADERSHIP)
    assert len(second) < len(first) - 10
