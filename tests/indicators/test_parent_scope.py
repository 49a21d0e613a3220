"""The parent-unit scope (docs/domain.md): a parent unit's people see their own unit's
assessment and the submitted ones of the units below it, never a sub-unit's draft; a sub-unit
never sees its parent's."""

import pytest

from indicators.selectors import assessments_visible_to
from indicators.services.assessments import assessments_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessments(framework, home_affairs, unit_a, sub_unit_a, unit_b):
    opened = assessments_open(
        actor=home_affairs, framework=framework, units=[unit_a, sub_unit_a, unit_b]
    )
    return {assessment.unit.code: assessment for assessment in opened}


def _visible(user):
    return set(assessments_visible_to(user).values_list("unit__code", flat=True))


def test_parent_head_sees_own_draft_but_not_the_sub_units_draft(assessments, head_a):
    assert _visible(head_a) == {"STC"}


def test_parent_head_sees_the_sub_units_assessment_once_submitted(assessments, head_a):
    from indicators.models import AssessmentStage

    sub = assessments["CCT"]
    sub.stage = AssessmentStage.SUBMITTED
    sub.save(update_fields=["stage"])

    assert _visible(head_a) == {"STC", "CCT"}


def test_sub_unit_head_sees_only_its_own(assessments, head_sub_a, head_b):
    assert _visible(head_sub_a) == {"CCT"}
    assert _visible(head_b) == {"STP"}


def test_parent_head_gets_404_on_the_sub_units_draft_page(assessments, client_for, head_a):
    from django.urls import reverse

    response = client_for(head_a).get(
        reverse("indicators:assessment_detail", args=[assessments["CCT"].pk])
    )
    assert response.status_code == 404
