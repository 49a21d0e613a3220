"""The dashboards' PAR Index ranking is kept on the cache under the indicators' data version
(reporting.dashboards.panels.ParPanel, indicators.selectors.data_version), whatever the
dashboard cache says: read again it costs one query, and after an assessment changes through
the services it equals the live computation at once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from indicators.models import CriterionMethod
from reporting.dashboards.forms import DashboardFilterForm
from reporting.dashboards.panels import DashboardContext, ParPanel

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranking_cached(settings):
    # (tests/reporting/conftest.py empties the shared cache around every test)
    settings.PAR_RANKING_CACHE_SECONDS = 900
    settings.DASHBOARD_CACHE_SECONDS = 0  # "every panel computed": the ranking stays cached


@pytest.fixture
def scored(home_affairs, unit_a, unit_b, head_a, head_b):
    """A framework opened for units A and B, each self-scored (drafts, not yet ranked)."""
    from indicators.services.assessments import assessments_open, scoreline_self_score
    from tests.indicators.factories import build_framework

    framework = build_framework(
        tree=[("1", "Công tác chỉ đạo, điều hành", "100", CriterionMethod.SELF_APPRAISED)],
        deadline=datetime.date(2099, 12, 15),
        year=2026,
    )
    opened = assessments_open(actor=home_affairs, framework=framework, units=[unit_a, unit_b])
    by_unit = {assessment.unit_id: assessment for assessment in opened}
    scoreline_self_score(actor=head_a, line=by_unit[unit_a.pk].lines.get(), score=Decimal(75))
    scoreline_self_score(actor=head_b, line=by_unit[unit_b.pk].lines.get(), score=Decimal(92))
    return by_unit


def _panel(user, **filters) -> ParPanel:
    form = DashboardFilterForm({"year": 2026, **filters})
    return ParPanel(DashboardContext(user, form.values, form.report_period(), "t"))


def _figures(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "fresh"}


def test_the_ranking_read_again_is_one_query_and_equals_the_live_one(
    ranking_cached, scored, leader, django_assert_num_queries
):
    # given the ranking read once (computed and kept)
    first = _panel(leader).data()
    # when it is read again, by another request
    with django_assert_num_queries(1):  # the indicators' data version
        again = _panel(leader).data()
    # then it is the same figures, equal to the live computation
    assert _figures(again) == _figures(first) == _figures(_panel(leader).compute())
    assert [row["unit"] for row in again["unranked"]] == [
        assessment.unit.name for assessment in scored.values()
    ]


def test_an_assessment_changed_through_the_services_shows_at_the_next_read(
    ranking_cached, scored, leader, head_a, unit_a
):
    from indicators.services.assessments import assessment_submit

    before = _panel(leader).data()
    # when unit A submits its self-assessment (a new stage, a history row)
    assessment_submit(actor=head_a, assessment=scored[unit_a.pk])
    # then the next read is the live computation, with A's new stage
    after = _panel(leader).data()
    assert _figures(after) == _figures(_panel(leader).compute())
    assert _figures(after) != _figures(before)
    stages = {row["unit"]: row["stage"] for row in after["unranked"]}
    assert (
        stages[unit_a.name]
        != {row["unit"]: row["stage"] for row in before["unranked"]}[unit_a.name]
    )


def test_the_note_of_ignored_filters_follows_the_request_not_the_cache(
    ranking_cached, leader, scored
):
    # given the ranking kept from a request without filters
    assert _panel(leader).data()["ignored"] == ""
    # when a request with a level filter reads it
    data = _panel(leader, unit_level="commune").data()
    # then its title says the ranking does not follow that filter
    assert data["ignored"]
    assert _figures(data) | {"ignored": ""} == _figures(_panel(leader).data())


def test_with_the_ranking_cache_off_every_read_computes(settings, scored, leader):
    from django.core.cache import cache

    settings.PAR_RANKING_CACHE_SECONDS = 0
    panel = _panel(leader)
    data = panel.data()
    assert cache.get(panel.ranking_key()) is None  # nothing kept
    assert _figures(data) == _figures(_panel(leader).compute())


def test_the_page_served_from_the_cache_shows_an_assessment_change_at_once(
    settings, scored, client, leader, head_a, unit_a
):
    from django.urls import reverse

    from indicators.services.assessments import assessment_submit

    # given the leadership page served with its rendered panels on the cache
    settings.DASHBOARD_CACHE_SECONDS = 120
    url = reverse("reporting:leadership_dashboard") + "?year=2026"
    client.force_login(leader)
    before = client.get(url).content.decode()
    assert client.get(url).content.decode().count("par-unranked") == 1
    # when unit A submits its self-assessment through the service
    assessment_submit(actor=head_a, assessment=scored[unit_a.pk])
    # then the next page shows A's new stage (the panels' key holds the indicators' version)
    stages = {row["unit"]: row["stage"] for row in _panel(leader).compute()["unranked"]}
    shown = f"{unit_a.name}</a> ({stages[unit_a.name]})"
    assert shown not in before
    assert shown in client.get(url).content.decode()


def test_the_unit_dashboard_s_assessment_is_kept_the_same_way(
    ranking_cached, scored, head_a, unit_a, leader
):
    from indicators.services.assessments import assessment_submit
    from reporting.dashboards.panels import UnitPanel, unit_context

    def assessment(user) -> dict:
        return UnitPanel(unit_context(user), unit_a).assessment()

    def live(user) -> dict:
        return UnitPanel(unit_context(user), unit_a)._assessment()

    # given the unit's assessment read (and kept) by its head and by a leader
    before = assessment(head_a)
    assert before == live(head_a) and assessment(leader) == live(leader)
    # when the head submits it through the service, both read the new stage at once
    assessment_submit(actor=head_a, assessment=scored[unit_a.pk])
    assert assessment(head_a) == live(head_a) != before
    assert assessment(leader) == live(leader)
