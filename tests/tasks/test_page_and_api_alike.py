"""One service per workflow action (issue 18): the assignment page and the API write a report,
submit it, confirm or return it through the same service, so each action leaves the same rows,
the same history and the same notifications whichever way it came, and a refused action leaves
nothing behind either way."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notifications.models import Notification
from tasks import services
from tasks.models import OutputKind, ReviewDecision

pytestmark = pytest.mark.django_db


def _pdf():
    return SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n% evidence\n%%EOF\n", "application/pdf")


@dataclass(frozen=True)
class Action:
    """One workflow action: who does it, what the page posts and what the API posts."""

    name: str
    actor: str
    page_url: str
    page_data: Any  # callable(assignment) -> dict
    api_url: str
    api_data: Any  # callable(assignment) -> dict
    given_done_report: bool = False  # the unit reported it done before the action


def _report(percent=40, done=False, files=False, **extra):
    def data(assignment, api: bool):
        body = {"percent": percent, "text": "Đã rà soát 12 thủ tục", **extra}
        if done:
            body["reports_done"] = "on" if not api else True
        if files:
            body["files" if api else "evidence"] = [_pdf()] if api else _pdf()
        if api:
            body["assignment"] = assignment.pk
        return body

    return data


def _page_submit(data):
    def page(assignment):
        return {**data(assignment, api=False), "submit": "1"}

    return page


def _review(decision_page: str, decision_api: str, reason: str = ""):
    def page(assignment):
        return {"decision": decision_page, "reason": reason}

    def api(assignment):
        return {"assignment": assignment.pk, "decision": decision_api, "reason": reason}

    return page, api


CONFIRM = _review("confirm", ReviewDecision.CONFIRMED)
RETURN = _review("return", ReviewDecision.RETURNED, reason="Thiếu biên bản rà soát")
RETURN_NO_REASON = _review("return", ReviewDecision.RETURNED, reason="")

ACTIONS = [
    Action(
        "staff saves a draft",
        "staff_a",
        "tasks:report_create",
        lambda a: _report()(a, api=False),
        "progressreport-list",
        lambda a: _report()(a, api=True),
    ),
    Action(
        "head reports done with evidence and submits at once",
        "head_a",
        "tasks:report_create",
        _page_submit(_report(percent=100, done=True, files=True)),
        "progressreport-list",
        lambda a: {**_report(percent=100, done=True, files=True)(a, api=True), "submit": True},
    ),
    Action(
        "head submits done without the document: refused, no draft left",
        "head_a",
        "tasks:report_create",
        _page_submit(_report(percent=100, done=True)),
        "progressreport-list",
        lambda a: {**_report(percent=100, done=True)(a, api=True), "submit": True},
    ),
    Action(
        "home affairs confirms",
        "home_affairs",
        "tasks:assignment_review",
        CONFIRM[0],
        "review-list",
        CONFIRM[1],
        given_done_report=True,
    ),
    Action(
        "home affairs returns with a reason",
        "home_affairs",
        "tasks:assignment_review",
        RETURN[0],
        "review-list",
        RETURN[1],
        given_done_report=True,
    ),
    Action(
        "home affairs returns without a reason: refused",
        "home_affairs",
        "tasks:assignment_review",
        RETURN_NO_REASON[0],
        "review-list",
        RETURN_NO_REASON[1],
        given_done_report=True,
    ),
]


def _assignment(directive, unit, item: str, head):
    """A one-off report task of unit A, as alike as two tasks can be but for the item."""
    task = services.task_create(
        directive=directive,
        item_number=item,
        title=f"Rà soát thủ tục hành chính đợt {item}",
        lead_unit=unit,
        deadline=datetime.date(2026, 9, 15),
        output_kind=OutputKind.REPORT,
        expected_output="Báo cáo kết quả rà soát",
    )
    return task.assignments.get(unit=unit)


def _outcome(assignment) -> dict:
    """What an action leaves: the assignment, its reports and evidence, its reviews, their
    history and the notifications about any of them, with the task's own names taken out."""
    assignment.refresh_from_db()
    title, item = assignment.task.title, assignment.task.item_number

    def plain(text: str) -> str:
        return (text or "").replace(title, "<title>").replace(f"{item}.", "<item>.")

    reports = list(assignment.reports.order_by("id"))
    reviews = list(assignment.reviews.order_by("id"))
    subject_ids = {assignment.pk, *(r.pk for r in reports), *(r.pk for r in reviews)}
    return {
        "assignment": (
            assignment.state,
            assignment.progress_percent,
            assignment.completed_on,
            assignment.return_reason,
        ),
        "reports": [
            (
                r.state,
                r.percent,
                r.text,
                r.reports_done,
                r.author.username,
                r.submitted_by.username if r.submitted_by else None,
                r.report_date,
                [(e.original_name, e.sha256) for e in r.evidence.order_by("id")],
            )
            for r in reports
        ],
        "reviews": [
            (r.decision, r.reason, r.reviewer.username, r.report_id is not None) for r in reviews
        ],
        "history": {
            "assignment": [
                (h.history_type, h.state, h.history_change_reason)
                for h in assignment.history.order_by("history_date", "history_id")
            ],
            "reports": [
                (h.history_type, h.state)
                for r in reports
                for h in r.history.order_by("history_date", "history_id")
            ],
        },
        "notifications": sorted(
            (n.recipient.username, n.kind, plain(n.message))
            for n in Notification.objects.filter(object_id__in=subject_ids).select_related(
                "recipient"
            )
        ),
    }


@pytest.mark.parametrize("action", ACTIONS, ids=[a.name for a in ACTIONS])
def test_the_page_and_the_api_leave_the_same_rows_history_and_notices(
    client_for,
    directive,
    unit_a,
    home_affairs,
    head_a,
    staff_a,
    time_machine,
    django_capture_on_commit_callbacks,
    action,
):
    time_machine.move_to("2026-06-01 09:00:00+07:00", tick=False)
    people = {"home_affairs": home_affairs, "head_a": head_a, "staff_a": staff_a}
    directive.created_by = home_affairs
    directive.save(update_fields=["created_by"])
    # given two assignments alike, each (for a review) reported done by the unit head
    by_page = _assignment(directive, unit_a, "1", head_a)
    by_api = _assignment(directive, unit_a, "2", head_a)
    Notification.objects.all().delete()
    if action.given_done_report:
        for assignment in (by_page, by_api):
            with django_capture_on_commit_callbacks(execute=True):
                services.report_file(
                    assignment=assignment, author=head_a, percent=100, text="Xong",
                    reports_done=True, files=[_pdf()], submit=True,
                )  # fmt: skip
    client = client_for(people[action.actor])
    # when the action is done on the page for one and through the API for the other
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse(action.page_url, args=[by_page.pk]), action.page_data(by_page))
    with django_capture_on_commit_callbacks(execute=True):
        api = client.post(reverse(action.api_url), action.api_data(by_api))
    # then both answered (the page with its redirect or its form again, the API with 201 or
    # 400 in its error shape) and left the same thing
    assert page.status_code in (200, 302)
    assert api.status_code in (201, 400), api.content
    if api.status_code == 400:
        assert "error" in api.json()
    page_outcome, api_outcome = _outcome(by_page), _outcome(by_api)
    assert page_outcome == api_outcome
    # and the action did something, or (refused) nothing at all
    before = 1 if action.given_done_report else 0
    if api.status_code == 201:
        assert len(api_outcome["reports"]) + len(api_outcome["reviews"]) > before
        assert api_outcome["notifications"] or action.actor == "staff_a"  # a draft tells nobody
    else:
        assert len(api_outcome["reports"]) == before
        assert api_outcome["reviews"] == []


@pytest.mark.parametrize(
    ("mode", "kind"), [("all_departments", ""), ("kind", "department"), ("kind", "")]
)
def test_the_plan_page_and_the_api_address_a_group_of_units_alike(
    client_for, home_affairs, directive, unit_a, unit_b, mode, kind
):
    # given the same task entered on the plan page and through the API, addressed to a group
    client = client_for(home_affairs)
    task = {"title": "Việc chung", "output_kind": "activity", "address_mode": mode}
    if kind:
        task["address_kind"] = kind
    page = client.post(
        reverse("tasks:plan_add_task", args=[directive.pk]), {**task, "item_number": "1"}
    )
    api = client.post(
        reverse("task-list"),
        {**task, "item_number": "2", "directive": directive.pk},
        content_type="application/json",
    )
    # then tasks.services.task_create chose the same units for both, or refused both alike
    units = {
        item: sorted(
            directive.tasks.filter(item_number=item).values_list(
                "assignments__unit__code", flat=True
            )
        )
        for item in ("1", "2")
    }
    assert units["1"] == units["2"]
    if kind or mode == "all_departments":
        assert page.status_code == 302 and api.status_code == 201, api.content
        assert {"STC", "STP"} <= set(units["2"])
    else:
        assert page.status_code == 200 and api.status_code == 400
        assert units["2"] == []
        assert "Chọn loại đơn vị nhận nhiệm vụ." in str(api.json()["error"])
