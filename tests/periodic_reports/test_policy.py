"""periodic_reports/policy.py: who may write, submit, confirm and return a periodic report in
which state, and the scope of a parent unit's people (they read a sub-unit's submitted report,
never its draft, and never act on it).

The tables below are the rules written down independently of the policy module; the tests
check the policy against them, then check that the pages refuse exactly where the policy does:
404 outside the scope, 403 for the wrong person, the state's message for the wrong state."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from periodic_reports import policy, services
from periodic_reports.models import PeriodicReport, ReportState
from periodic_reports.selectors import reports_visible_to
from tests.periodic_reports.conftest import DAY

pytestmark = pytest.mark.django_db

P = policy
R = ReportState
PERSONAS = ("home_affairs", "leader", "head_a", "staff_a", "head_b", "head_sub_a")
STATES = (R.NOT_STARTED, R.DRAFT, R.SUBMITTED, R.RETURNED, R.CONFIRMED)
PROVINCE = "province"

# action -> (who: "unit" = the report's own head and staff, "head" = its own head, "ha" = Home
# Affairs, "readers" = anyone who reads reports; the states it can be done in)
RULES = {
    P.REPORT_WRITE: ("unit", {R.NOT_STARTED, R.DRAFT, R.RETURNED}),
    P.REPORT_SUBMIT: ("head", {R.DRAFT, R.RETURNED}),
    P.REPORT_CONFIRM: ("ha", {R.SUBMITTED}),
    P.REPORT_RETURN: ("ha", {R.SUBMITTED}),
    P.PDF_MAKE: ("readers", set(STATES)),
}
# the people of each report; the province's report is written by Home Affairs, submitted by no one
MEMBERS = {
    "STC": {"head": {"head_a"}, "unit": {"head_a", "staff_a"}},
    "CCT": {"head": {"head_sub_a"}, "unit": {"head_sub_a"}},
    PROVINCE: {"head": set(), "unit": {"home_affairs"}},
}
# the state refusal of each action, as the page says it
STATE_MESSAGES = {
    P.REPORT_WRITE: "The report was submitted: it can no longer be changed.",
    P.REPORT_SUBMIT: "Only a saved draft can be submitted (the report is: %(state)s).",
    P.REPORT_CONFIRM: "Only a submitted report can be confirmed.",
    P.REPORT_RETURN: "Only a submitted report can be returned.",
}


def _expected(action: str, persona: str, code: str, state: str) -> str:
    who, states = RULES[action]
    if who == "ha":
        person_ok = persona == "home_affairs"
    elif who == "readers":
        person_ok = True
    else:
        person_ok = persona in MEMBERS[code][who]
    if not person_ok:
        return "403"
    return "ok" if state in states else "state"


def _outcome(user, action, **objects) -> str:
    try:
        policy.require(user, action, **objects)
    except PermissionDenied:
        return "403"
    except ValidationError:
        return "state"
    return "ok"


@pytest.fixture
def world(kinds, home_affairs, leader, head_a, staff_a, head_b, head_sub_a):
    # the sub-unit exists before the round opens, so it has a report of its own
    round_ = services.round_open(actor=home_affairs, kind=kinds["q3"], year=2026, day=DAY)
    reports = {r.unit.code if r.unit_id else PROVINCE: r for r in round_.reports.all()}
    users = {
        "home_affairs": home_affairs,
        "leader": leader,
        "head_a": head_a,
        "staff_a": staff_a,
        "head_b": head_b,
        "head_sub_a": head_sub_a,
    }
    return {"reports": reports, "users": users}


def test_each_role_may_exactly_its_actions(world):
    expected = {
        "home_affairs": {
            P.ROUND_OPEN,
            P.KIND_EDIT,
            P.TEMPLATE_MANAGE,
            P.REPORT_WRITE,
            P.REPORT_CONFIRM,
            P.REPORT_RETURN,
            P.PDF_MAKE,
        },
        "leader": {P.PDF_MAKE},
        "head_a": {P.REPORT_WRITE, P.REPORT_SUBMIT, P.PDF_MAKE},
        "staff_a": {P.REPORT_WRITE, P.PDF_MAKE},
        "head_sub_a": {P.REPORT_WRITE, P.REPORT_SUBMIT, P.PDF_MAKE},
    }
    for persona, actions in expected.items():
        user = world["users"][persona]
        assert {a for a in policy.ROLES if policy.role_may(user, a)} == actions, persona


def test_the_policy_follows_the_table_for_every_person_action_and_state(world):
    mismatches = []
    for code in ("STC", "CCT", PROVINCE):
        report = world["reports"][code]
        for state in STATES:
            report.state = state  # the rule reads the row's own fields only
            for persona in PERSONAS:
                for action in RULES:
                    got = _outcome(world["users"][persona], action, report=report)
                    want = _expected(action, persona, code, state)
                    if got != want:
                        mismatches.append((code, state, persona, action, got, want))
    assert mismatches == []


def test_a_parent_unit_reads_a_sub_units_submitted_report_never_its_draft(world, head_a):
    sub = world["reports"]["CCT"]
    visible = reports_visible_to(head_a)
    for state in STATES:
        PeriodicReport.objects.filter(pk=sub.pk).update(state=state)
        assert visible.filter(pk=sub.pk).exists() == (state in (R.SUBMITTED, R.CONFIRMED)), state
    # and a sub-unit never sees its parent's report, nor a sibling's
    PeriodicReport.objects.filter(pk=world["reports"]["STC"].pk).update(state=R.SUBMITTED)
    codes = set(
        reports_visible_to(world["users"]["head_sub_a"]).values_list("unit__code", flat=True)
    )
    assert codes == {"CCT"}


# --- The pages refuse where the policy does ---------------------------------------------------

# each route's decorator lets through the roles of these actions, before the row is looked up
ROUTE = {
    P.REPORT_WRITE: (P.REPORT_WRITE,),
    P.REPORT_SUBMIT: (P.REPORT_SUBMIT,),
    P.REPORT_CONFIRM: (P.REPORT_CONFIRM, P.REPORT_RETURN),
    P.REPORT_RETURN: (P.REPORT_CONFIRM, P.REPORT_RETURN),
}


def _page_post(client, action: str, report):
    client.cookies.pop("messages", None)  # only this request's messages are read back
    if action == P.REPORT_WRITE:
        url = reverse("periodic_reports:report_save", args=[report.pk])
        return client.post(url, {"recompute": "1"})
    if action == P.REPORT_SUBMIT:
        return client.post(reverse("periodic_reports:report_submit", args=[report.pk]))
    decision = (
        {"decision": "confirm"} if action == P.REPORT_CONFIRM else {"reason": "Thiếu số liệu"}
    )
    return client.post(reverse("periodic_reports:report_decide", args=[report.pk]), decision)


def _state_message(action: str, report) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _(STATE_MESSAGES[action]) % {"state": report.get_state_display()}


@pytest.mark.parametrize("state", STATES)
def test_the_pages_refuse_exactly_where_the_policy_says(client, world, state):
    mismatches = []
    for code in ("STC", "CCT", PROVINCE):
        report = world["reports"][code]
        for persona in PERSONAS:
            user = world["users"][persona]
            client.force_login(user)
            for action in ROUTE:
                PeriodicReport.objects.filter(pk=report.pk).update(state=state)
                report.refresh_from_db()
                visible = reports_visible_to(user).filter(pk=report.pk).exists()
                if not policy.role_may(user, *ROUTE[action]):
                    want = "403"  # refused before the row is even looked up
                elif not visible:
                    want = "404"
                else:
                    want = _outcome(user, action, report=report)
                response = _page_post(client, action, report)
                if response.status_code in (403, 404):
                    got = str(response.status_code)
                else:
                    assert response.status_code == 302, (code, persona, action, response)
                    errors = [str(m) for m in get_messages(response.wsgi_request)]
                    got = "state" if _state_message(action, report) in errors else "ok"
                if got != want:
                    mismatches.append((code, persona, action, got, want))
    assert mismatches == []


def test_the_report_page_shows_each_person_only_the_buttons_that_work(
    client_for, world, head_a, staff_a, home_affairs
):
    own = world["reports"]["STC"]
    services.report_save(report=own, actor=staff_a)
    url = reverse("periodic_reports:report_detail", args=[own.pk])
    staff_page = client_for(staff_a).get(url).content.decode()
    assert 'id="submit-report"' not in staff_page  # staff write, the head submits
    assert reverse("periodic_reports:report_save", args=[own.pk]) in staff_page
    assert 'id="submit-report"' in client_for(head_a).get(url).content.decode()
    ha_page = client_for(home_affairs).get(url).content.decode()
    assert 'value="confirm"' not in ha_page  # nothing submitted yet
    # a parent unit's head reads the sub-unit's submitted report with no form and no button
    sub = world["reports"]["CCT"]
    services.report_save(report=sub, actor=world["users"]["head_sub_a"])
    services.report_submit(report=sub, actor=world["users"]["head_sub_a"])
    sub_url = reverse("periodic_reports:report_detail", args=[sub.pk])
    parent = client_for(head_a).get(sub_url)
    assert parent.status_code == 200
    html = parent.content.decode()
    assert reverse("periodic_reports:report_save", args=[sub.pk]) not in html
    assert 'id="submit-report"' not in html and 'value="confirm"' not in html
    assert 'value="confirm"' in client_for(home_affairs).get(sub_url).content.decode()
