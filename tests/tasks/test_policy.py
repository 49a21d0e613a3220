"""tasks/policy.py: who may do what to tasks and assignments in which state, and the scope of a
parent unit's head (sees a sub-unit's submitted work, never acts for it)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tasks import policy, services
from tasks.models import ReportState
from tasks.status import WorkflowState

D = datetime.date

HA_ACTIONS = {
    policy.TASK_ENTER,
    policy.TASK_EDIT,
    policy.TASK_CANCEL,
    policy.TASK_SUSPEND,
    policy.TASK_RESUME,
    policy.TASKS_BULK,
    policy.REVIEW,
    policy.EXTENSION_DECIDE,
    policy.ASSIGNMENT_SUSPEND,
    policy.ASSIGNMENT_RESUME,
    policy.ASSIGNMENT_CANCEL,
    policy.ASSIGNMENT_TRANSFER,
    policy.THREAD_POST,
}
UNIT_ACTIONS = {policy.REPORT_DRAFT, policy.EXTENSION_REQUEST, policy.THREAD_POST}


def test_each_role_may_exactly_its_actions(home_affairs, leader, head_a, staff_a):
    expected = {
        # everyone on a task writes in its conversation, except leadership (reads only)
        home_affairs: HA_ACTIONS | {policy.THREAD_POST},
        leader: set(),
        head_a: UNIT_ACTIONS | {policy.REPORT_SUBMIT, policy.THREAD_POST},
        staff_a: UNIT_ACTIONS | {policy.THREAD_POST},
    }
    for user, actions in expected.items():
        assert {a for a in policy.ROLES if policy.role_may(user, a)} == actions, user.username


def test_the_state_decides_after_the_person(task_a, assignment_a, home_affairs, head_a):
    # an open assignment: a unit reports, nothing awaits Home Affairs' review
    assert policy.may(head_a, policy.REPORT_DRAFT, assignment=assignment_a)
    assert not policy.may(home_affairs, policy.REVIEW, assignment=assignment_a)
    with pytest.raises(ValidationError):
        policy.require(home_affairs, policy.REVIEW, assignment=assignment_a)
    # a cancelled task can no longer be edited, only looked at
    services.task_cancel(task=task_a, actor=home_affairs, reason="Không còn phù hợp")
    task_a.refresh_from_db()
    assignment_a.refresh_from_db()
    assert not policy.may(home_affairs, policy.TASK_EDIT, task=task_a)
    assert not policy.may(head_a, policy.REPORT_DRAFT, assignment=assignment_a)
    assert policy.allowed_actions(home_affairs, assignment=assignment_a)[policy.TASK_EDIT] is False


def test_the_assignment_page_shows_each_person_only_the_buttons_that_work(
    client_for, assignment_a, home_affairs, head_a, staff_a
):
    url = reverse("tasks:assignment_detail", args=[assignment_a.pk])
    staff_page = client_for(staff_a).get(url).content.decode()
    assert 'id="report-form"' in staff_page
    assert 'name="submit"' not in staff_page  # staff draft, the head submits
    assert "task-edit" not in staff_page
    head_page = client_for(head_a).get(url).content.decode()
    assert 'name="submit"' in head_page
    ha_page = client_for(home_affairs).get(url).content.decode()
    assert 'id="report-form"' not in ha_page
    assert reverse("tasks:task_edit", args=[assignment_a.task_id]) in ha_page


# --- The scope of a parent unit -----------------------------------------------------------------


@pytest.fixture
def sub_assignment(directive, sub_unit_a, home_affairs):
    task = services.task_create(
        directive=directive,
        item_number="9",
        title="Rà soát thủ tục thuế",
        lead_unit=sub_unit_a,
        deadline=D(2026, 9, 30),
        output_kind="activity",
    )
    return task.assignments.get()


def test_a_parent_unit_head_sees_a_sub_units_submitted_work_but_never_acts_for_it(
    client_for, sub_assignment, head_a, head_sub_a
):
    # given the sub-unit submitted one report and keeps one draft
    submitted = services.report_draft(
        assignment=sub_assignment, author=head_sub_a, percent=40, text="Đã rà soát 40%"
    )
    services.report_submit(report=submitted, actor=head_sub_a)
    draft = services.report_draft(
        assignment=sub_assignment, author=head_sub_a, percent=60, text="Bản nháp 60%"
    )
    assert draft.state == ReportState.DRAFT
    # when the parent unit's head opens the sub-unit's assignment
    page = client_for(head_a).get(reverse("tasks:assignment_detail", args=[sub_assignment.pk]))
    # then they read the submitted report, not the draft, and have no button
    html = page.content.decode()
    assert page.status_code == 200
    assert "Đã rà soát 40%" in html
    assert "Bản nháp 60%" not in html
    assert 'id="report-form"' not in html
    # and a report or an extension request for the sub-unit is refused
    for name in ("tasks:report_create", "tasks:extension_request"):
        response = client_for(head_a).post(
            reverse(name, args=[sub_assignment.pk]),
            {"percent": "50", "text": "x", "requested_deadline": "31/12/2026", "reason": "x"},
        )
        assert response.status_code == 403, name
    with pytest.raises(PermissionDenied):
        services.report_submit(report=draft, actor=head_a)
    sub_assignment.refresh_from_db()
    assert sub_assignment.progress_percent == 40
    assert sub_assignment.state == WorkflowState.OPEN


def test_a_sub_unit_never_sees_its_parents_work(client_for, assignment_a, head_sub_a):
    url = reverse("tasks:assignment_detail", args=[assignment_a.pk])
    assert client_for(head_sub_a).get(url).status_code == 404


def test_the_api_follows_the_same_rules_for_a_parent_unit(client_for, sub_assignment, head_a):
    # the parent's head reads the sub-unit's assignment in the API ...
    client = client_for(head_a)
    listed = client.get(reverse("assignment-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert sub_assignment.pk in [row["id"] for row in rows]
    # ... but a report on it is refused, and nothing is written
    response = client.post(
        reverse("progressreport-list"),
        {"assignment": sub_assignment.pk, "percent": 5, "text": "Thay đơn vị cấp dưới"},
    )
    assert response.status_code == 403
    assert not sub_assignment.reports.exists()


def test_the_api_shows_a_tasks_state_and_version(client_for, task_a, home_affairs):
    services.task_suspend(task=task_a, actor=home_affairs, reason="Chờ hướng dẫn")
    row = client_for(home_affairs).get(reverse("task-detail", args=[task_a.pk])).json()
    assert (row["state"], row["version"]) == ("suspended", 2)
