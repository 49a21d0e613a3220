"""indicators/policy.py: who may do what to a self-assessment in which stage, and the scope of a
parent unit's people (they see a sub-unit's submitted sheet, never a draft, and never act on it).

The tables below are the rules written down independently of the policy module; the tests
check the policy against them, then check that the page and the API refuse exactly where the
policy does: 404 outside the scope, 403 for the wrong person, the stage message for the wrong
stage."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from indicators import policy
from indicators.models import AssessmentStage
from indicators.selectors import assessments_visible_to
from indicators.services.assessments import assessments_open

pytestmark = pytest.mark.django_db

S = AssessmentStage
P = policy
PERSONAS = ("home_affairs", "leader", "head_a", "staff_a", "head_b", "head_sub_a")
STAGES = (S.DRAFT, S.SUBMITTED, S.EXPLANATION, S.ROUND_2, S.FINAL)
NOT_FINAL = {S.DRAFT, S.SUBMITTED, S.EXPLANATION, S.ROUND_2}

# action -> (who, on the unit's own sheet: "unit" = the sheet's own head and staff, "head" =
# its own head, "ha" = Home Affairs; the stages it can be done in)
RULES = {
    P.SELF_SCORE: ("unit", {S.DRAFT}),
    P.EVIDENCE: ("unit", {S.DRAFT, S.EXPLANATION}),
    P.EXPLAIN: ("unit", {S.EXPLANATION}),
    P.SUBMIT: ("head", {S.DRAFT}),
    P.SUBMIT_EXPLANATION: ("head", {S.EXPLANATION}),
    P.APPRAISE: ("ha", {S.SUBMITTED, S.ROUND_2}),
    P.SURVEY: ("ha", NOT_FINAL),
    P.FINISH_ROUND_1: ("ha", {S.SUBMITTED}),
    P.FINALIZE: ("ha", {S.ROUND_2}),
    P.RECOMPUTE: ("ha", NOT_FINAL),
}
# the people of each unit's sheet: the sub-unit's sheet is its own head's, never its parent's
MEMBERS = {"STC": {"head": {"head_a"}, "unit": {"head_a", "staff_a"}}}
MEMBERS["CCT"] = {"head": {"head_sub_a"}, "unit": {"head_sub_a"}}


def _expected(action: str, persona: str, unit_code: str, stage: str) -> str:
    who, stages = RULES[action]
    person_ok = persona == "home_affairs" if who == "ha" else persona in MEMBERS[unit_code][who]
    if not person_ok:
        return "403"
    return "ok" if stage in stages else "state"


@pytest.fixture
def world(framework, home_affairs, leader, head_a, staff_a, head_b, head_sub_a, unit_b):
    sheets = assessments_open(
        actor=home_affairs,
        framework=framework,
        units=[head_a.unit, head_sub_a.unit, unit_b],
    )
    users = {
        "home_affairs": home_affairs,
        "leader": leader,
        "head_a": head_a,
        "staff_a": staff_a,
        "head_b": head_b,
        "head_sub_a": head_sub_a,
    }
    return {"sheets": {s.unit.code: s for s in sheets}, "users": users}


def _outcome(user, action, **objects) -> str:
    try:
        policy.require(user, action, **objects)
    except PermissionDenied:
        return "403"
    except ValidationError:
        return "state"
    return "ok"


def test_each_role_may_exactly_its_actions(world):
    users = world["users"]
    unit_actions = {P.SELF_SCORE, P.EVIDENCE, P.EXPLAIN, P.MEASUREMENT_RECORD}
    ha_actions = {a for a, (who, _s) in RULES.items() if who == "ha"} | {
        P.FRAMEWORK_EDIT,
        P.ASSESSMENTS_OPEN,
        P.KPI_MANAGE,
        P.INDEX_IMPORT,
        P.MEASUREMENT_RECORD,
    }
    expected = {
        "home_affairs": ha_actions,
        "leader": set(),
        "head_a": unit_actions | {P.SUBMIT, P.SUBMIT_EXPLANATION},
        "staff_a": unit_actions,
        "head_sub_a": unit_actions | {P.SUBMIT, P.SUBMIT_EXPLANATION},
    }
    for persona, actions in expected.items():
        user = users[persona]
        assert {a for a in policy.ROLES if policy.role_may(user, a)} == actions, persona


def test_the_policy_follows_the_table_for_every_person_action_and_stage(world):
    # a parent unit's head and staff never act on the sub-unit's sheet, in any stage
    mismatches = []
    for code in ("STC", "CCT"):
        sheet = world["sheets"][code]
        for stage in STAGES:
            sheet.stage = stage  # the rule reads the row's own fields only
            for persona in PERSONAS:
                for action in RULES:
                    got = _outcome(world["users"][persona], action, assessment=sheet)
                    want = _expected(action, persona, code, stage)
                    if got != want:
                        mismatches.append((code, stage, persona, action, got, want))
    assert mismatches == []


def test_a_kpi_value_is_entered_by_home_affairs_or_the_unit_itself(world, unit_a, sub_unit_a):
    users = world["users"]
    assert policy.may(users["home_affairs"], P.MEASUREMENT_RECORD, unit=sub_unit_a)
    assert policy.may(users["staff_a"], P.MEASUREMENT_RECORD, unit=unit_a)
    assert policy.may(users["head_sub_a"], P.MEASUREMENT_RECORD, unit=sub_unit_a)
    assert not policy.may(users["head_a"], P.MEASUREMENT_RECORD, unit=sub_unit_a)  # the parent
    assert not policy.may(users["head_sub_a"], P.MEASUREMENT_RECORD, unit=unit_a)
    assert not policy.may(users["leader"], P.MEASUREMENT_RECORD, unit=unit_a)


# --- The page and the API refuse where the policy does -------------------------------------


def _line(sheet, code: str):
    return sheet.lines.get(criterion__code=code)


def _page_post(client, action: str, sheet):
    """POST the page's form for this action; returns the response."""
    client.cookies.pop("messages", None)  # only this request's messages are read back
    line_update = "indicators:line_update"
    if action in (P.SELF_SCORE, P.APPRAISE):
        field = "self" if action == P.SELF_SCORE else "appraisal"
        url = reverse(line_update, args=[_line(sheet, "1.1.1").pk])
        return client.post(url, {"field": field, "score": "1"})
    if action == P.SURVEY:
        url = reverse(line_update, args=[_line(sheet, "2.1").pk])
        return client.post(url, {"field": "survey", "score": "1"})
    if action == P.EXPLAIN:
        url = reverse(line_update, args=[_line(sheet, "1.1.1").pk])
        return client.post(url, {"field": "explanation", "explanation": "Giải trình"})
    if action == P.EVIDENCE:
        url = reverse("indicators:evidence_upload", args=[_line(sheet, "1.1.1").pk])
        return client.post(url, {"file": SimpleUploadedFile("kh.pdf", b"%PDF-1.4")})
    if action == P.RECOMPUTE:
        return client.post(reverse("indicators:assessment_recompute", args=[sheet.pk]))
    url = reverse("indicators:assessment_transition", args=[sheet.pk, action])
    return client.post(url)


def _stage_message(sheet) -> str:
    """The stage refusal as the page shows it (in the site's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("This cannot be done while the assessment is at stage '%(stage)s'.") % {
            "stage": sheet.get_stage_display()
        }


# each route's decorator lets through the roles of these actions, before the row is looked up
LINE = (P.SELF_SCORE, P.EXPLAIN, P.APPRAISE, P.SURVEY)
TRANSITION = (P.SUBMIT, P.SUBMIT_EXPLANATION, P.FINISH_ROUND_1, P.FINALIZE)
ROUTE = dict.fromkeys(LINE, LINE)
ROUTE.update(dict.fromkeys(TRANSITION, TRANSITION))
ROUTE.update({P.EVIDENCE: (P.EVIDENCE,), P.RECOMPUTE: (P.RECOMPUTE,)})


def _page_outcome(response, stage_message: str) -> str:
    if response.status_code in (403, 404):
        return str(response.status_code)
    assert response.status_code == 302, response.status_code
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    return "state" if stage_message in errors else "ok"


@pytest.mark.parametrize("stage", STAGES)
def test_the_page_refuses_exactly_where_the_policy_says(client, world, stage):
    mismatches = []
    for code in ("STC", "CCT"):
        sheet = world["sheets"][code]
        type(sheet).objects.filter(pk=sheet.pk).update(stage=stage)
        sheet.refresh_from_db()
        stage_message = _stage_message(sheet)
        for persona in PERSONAS:
            user = world["users"][persona]
            visible = assessments_visible_to(user).filter(pk=sheet.pk).exists()
            client.force_login(user)
            for action in RULES:
                if not policy.role_may(user, *ROUTE[action]):
                    want = "403"  # refused before the row is even looked up
                elif not visible:
                    want = "404"
                else:
                    want = _outcome(user, action, assessment=sheet)
                got = _page_outcome(_page_post(client, action, sheet), stage_message)
                # the stage may have moved or a value been written by an allowed action
                type(sheet).objects.filter(pk=sheet.pk).update(stage=stage)
                if got != want:
                    mismatches.append((code, persona, action, got, want))
    assert mismatches == []


@pytest.mark.parametrize("stage", (S.DRAFT, S.SUBMITTED, S.FINAL))
def test_the_api_refuses_exactly_where_the_policy_says(client, world, stage):
    fields = {P.SELF_SCORE: ("self", "1.1.1"), P.APPRAISE: ("appraisal", "1.1.1")}
    fields[P.SURVEY] = ("survey", "2.1")
    mismatches = []
    for code in ("STC", "CCT"):
        sheet = world["sheets"][code]
        type(sheet).objects.filter(pk=sheet.pk).update(stage=stage)
        sheet.refresh_from_db()
        for persona in PERSONAS:
            user = world["users"][persona]
            visible = assessments_visible_to(user).filter(pk=sheet.pk).exists()
            client.force_login(user)
            for action, (field, line_code) in fields.items():
                url = reverse("score-line-score", args=[_line(sheet, line_code).pk])
                response = client.post(
                    url, {"field": field, "score": "1"}, content_type="application/json"
                )
                want = {"ok": 200, "403": 403, "state": 400}[
                    _outcome(user, action, assessment=sheet)
                ]
                if not visible:
                    want = 404  # the permission class let the role through: not found
                if response.status_code != want:
                    mismatches.append((code, persona, action, response.status_code, want))
                elif want == 400:
                    assert _stage_message(sheet) in str(response.json()), response.json()
    assert mismatches == []


def test_the_sheet_shows_a_parent_unit_no_input_and_no_button(client_for, world, head_a):
    sub = world["sheets"]["CCT"]
    type(sub).objects.filter(pk=sub.pk).update(stage=S.EXPLANATION)
    html = client_for(head_a).get(reverse("indicators:assessment_detail", args=[sub.pk]))
    assert html.status_code == 200
    page = html.content.decode()
    assert "submit_explanation" not in page  # the head of the sub-unit sends it, not the parent
    assert 'name="explanation"' not in page
    own = client_for(world["users"]["head_sub_a"]).get(
        reverse("indicators:assessment_detail", args=[sub.pk])
    )
    assert "submit_explanation" in own.content.decode()
    assert 'name="explanation"' in own.content.decode()
