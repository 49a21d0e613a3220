import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks import services
from tasks.models import Assignment, ReportState
from tasks.status import Status, WorkflowState
from tests.tasks.factories import AssignmentFactory, TaskFactory

D = datetime.date


def _detail(assignment):
    return reverse("tasks:assignment_detail", args=[assignment.pk])


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("head_a", 200), ("staff_a", 200), ("home_affairs", 200), ("leader", 200), ("head_b", 404)],
)
def test_assignment_detail_permission_matrix(request, client_for, assignment_a, persona, expected):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(_detail(assignment_a)).status_code == expected


def test_another_units_id_gives_404_on_every_action(client_for, head_b, assignment_a):
    client = client_for(head_b)
    pk = assignment_a.pk
    for name in ("report_create", "extension_request"):
        assert client.post(reverse(f"tasks:{name}", args=[pk]), {}).status_code == 404


@pytest.mark.parametrize(
    ("persona", "url_name", "expected"),
    [
        ("head_a", "tasks:inbox", 200),
        ("staff_a", "tasks:inbox", 200),
        ("home_affairs", "tasks:inbox", 403),
        ("home_affairs", "tasks:review_queue", 200),
        ("head_a", "tasks:review_queue", 403),
        ("leader", "tasks:assignment_list", 200),
        ("head_a", "tasks:assignment_list", 403),
    ],
)
def test_list_pages_by_role(request, client_for, persona, url_name, expected):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse(url_name)).status_code == expected


def test_start_pages(client_for, head_a, home_affairs):
    assert client_for(head_a).get("/").url == reverse("tasks:inbox")
    assert client_for(home_affairs).get("/").url == reverse("tasks:review_queue")


def test_inbox_shows_only_own_unit_overdue_first(client_for, head_a, unit_a, unit_b, directive):
    today = timezone.localdate()
    later = services.task_create(
        directive=directive,
        item_number="10",
        title="Việc còn hạn",
        lead_unit=unit_a,
        deadline=today + datetime.timedelta(days=30),
    )
    late = services.task_create(
        directive=directive,
        item_number="11",
        title="Việc quá hạn",
        lead_unit=unit_a,
        deadline=today - datetime.timedelta(days=3),
    )
    services.task_create(directive=directive, item_number="12", title="Việc của đơn vị khác",
                         lead_unit=unit_b, deadline=today)  # fmt: skip
    response = client_for(head_a).get(reverse("tasks:inbox"))
    rows = list(response.context["page"])
    assert [a.task for a in rows] == [late, later]
    assert rows[0].status == Status.OVERDUE


def test_inbox_search_without_diacritics(client_for, head_a, unit_a, directive):
    services.task_create(directive=directive, item_number="1", title="Rà soát thủ tục Sở Nội vụ",
                         lead_unit=unit_a)  # fmt: skip
    services.task_create(directive=directive, item_number="2", title="Đào tạo", lead_unit=unit_a)
    client = client_for(head_a)
    found = client.get(reverse("tasks:inbox"), {"q": "so noi vu"}).context["page"]
    assert [a.task.item_number for a in found] == ["1"]
    found = client.get(reverse("tasks:inbox"), {"q": "dao tao"}).context["page"]
    assert [a.task.item_number for a in found] == ["2"]


def test_inbox_filters_by_status(client_for, head_a, unit_a, directive):
    today = timezone.localdate()
    services.task_create(directive=directive, item_number="1", title="a", lead_unit=unit_a,
                         deadline=today - datetime.timedelta(days=1))  # fmt: skip
    services.task_create(directive=directive, item_number="2", title="b", lead_unit=unit_a)
    page = client_for(head_a).get(reverse("tasks:inbox"), {"status": "overdue"}).context["page"]
    assert [a.task.item_number for a in page] == ["1"]


def _make_assignments(unit, count):
    for _ in range(count):
        AssignmentFactory(unit=unit, deadline=D(2026, 12, 31))


@pytest.mark.parametrize("count", [10, 200])
def test_inbox_query_count_does_not_grow(client_for, head_a, unit_a, django_assert_num_queries,
                                         count):  # fmt: skip
    _make_assignments(unit_a, count)
    client = client_for(head_a)
    client.get(reverse("tasks:inbox"))  # warm the session
    # session, user, paginator count, the user's unit (menu), the filter bar's drop-downs
    # (directive, unit, CCHC area), the page of assignments (task, directive and unit joined),
    # the unit's periodic reports still to send, savepoint, session save, release
    with django_assert_num_queries(12):
        client.get(reverse("tasks:inbox"))


@pytest.mark.parametrize("count", [10, 200])
def test_review_queue_query_count_does_not_grow(
    client_for, home_affairs, unit_a, django_assert_num_queries, count
):
    for _ in range(count):
        AssignmentFactory(
            unit=unit_a, state=WorkflowState.AWAITING_CONFIRMATION, completed_on=D(2026, 5, 1)
        )
    client = client_for(home_affairs)
    client.get(reverse("tasks:review_queue"))
    # session, user, paginator count, user's unit (menu), the filter bar's drop-downs
    # (directive, unit), page rows (task, directive, unit joined), pending extensions,
    # savepoint, session save, release
    with django_assert_num_queries(11):
        client.get(reverse("tasks:review_queue"))


def test_unit_reports_done_with_evidence_and_home_affairs_confirms(
    client, client_for, head_a, home_affairs, assignment_a, pdf_file
):
    # given the unit head reports done with the report as evidence
    response = client_for(head_a).post(
        reverse("tasks:report_create", args=[assignment_a.pk]),
        {"percent": 100, "text": "Đã ban hành báo cáo", "reports_done": "on",
         "evidence": pdf_file(), "submit": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    assignment_a.refresh_from_db()
    assert assignment_a.state == WorkflowState.AWAITING_CONFIRMATION
    # when Home Affairs confirms
    client.logout()
    response = client_for(home_affairs).post(
        reverse("tasks:assignment_review", args=[assignment_a.pk]), {"decision": "confirm"}
    )
    assert response.status_code == 302
    assignment_a.refresh_from_db()
    assert assignment_a.state == WorkflowState.CONFIRMED
    page = client_for(home_affairs).get(_detail(assignment_a))
    assert "Đã hoàn thành" in page.content.decode()


def test_staff_draft_is_hidden_from_home_affairs_and_submitted_by_head(
    client, client_for, staff_a, head_a, home_affairs, assignment_a
):
    client_for(staff_a).post(
        reverse("tasks:report_create", args=[assignment_a.pk]),
        {"percent": 30, "text": "Bản nháp bí mật"},
    )
    report = assignment_a.reports.get()
    assert report.state == ReportState.DRAFT
    client.logout()
    assert (
        "Bản nháp bí mật"
        not in client_for(home_affairs).get(_detail(assignment_a)).content.decode()
    )
    client.logout()
    client_for(head_a).post(reverse("tasks:report_submit", args=[assignment_a.pk, report.pk]))
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_evidence_download_is_scoped_and_an_attachment(
    client, client_for, head_a, head_b, home_affairs, assignment_a, pdf_file
):
    report = services.report_draft(
        assignment=assignment_a, author=head_a, percent=50, text="x", files=[pdf_file()]
    )
    evidence = report.evidence.get()
    url = reverse("tasks:evidence_download", args=[evidence.pk])
    # a draft's file: not for Home Affairs, not for another unit
    assert client_for(home_affairs).get(url).status_code == 404
    client.logout()
    assert client_for(head_b).get(url).status_code == 404
    client.logout()
    response = client_for(head_a).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_home_affairs_returns_with_reason_from_the_page(
    client_for, head_a, home_affairs, assignment_b, unit_b, client
):
    assignment_b.state = WorkflowState.AWAITING_CONFIRMATION
    assignment_b.completed_on = D(2026, 9, 1)
    assignment_b.save()
    response = client_for(home_affairs).post(
        reverse("tasks:assignment_review", args=[assignment_b.pk]),
        {"decision": "return", "reason": "Chưa có số liệu"},
    )
    assert response.status_code == 302
    assignment_b.refresh_from_db()
    assert assignment_b.state == WorkflowState.RETURNED


def test_extension_request_and_approval_from_the_pages(
    client, client_for, head_a, home_affairs, assignment_a
):
    client_for(head_a).post(
        reverse("tasks:extension_request", args=[assignment_a.pk]),
        {"requested_deadline": "30/10/2026", "reason": "Chờ hướng dẫn"},
    )
    extension = assignment_a.extensions.get()
    client.logout()
    client_for(home_affairs).post(
        reverse("tasks:extension_decide", args=[assignment_a.pk, extension.pk]),
        {"decision": "approve", "note": ""},
    )
    assignment_a.refresh_from_db()
    assert assignment_a.extended_deadline == D(2026, 10, 30)


def test_plan_entry_adds_a_row_with_htmx_and_flags_gaps(
    client_for, home_affairs, directive, unit_a
):
    url = reverse("tasks:plan_add_task", args=[directive.pk])
    response = client_for(home_affairs).post(
        url, {"item_number": "1", "title": "Nhiệm vụ thiếu thời hạn", "output_kind": "report"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nhiệm vụ thiếu thời hạn" in body
    assert "chưa rõ thời hạn" in body
    assert "<html" not in body


def test_plan_entry_to_all_departments_creates_assignments(
    client_for, home_affairs, directive, unit_a, unit_b, province
):
    client_for(home_affairs).post(
        reverse("tasks:plan_add_task", args=[directive.pk]),
        {"item_number": "1", "title": "Việc chung", "output_kind": "activity",
         "address_mode": "all_departments"},
    )  # fmt: skip
    units = set(Assignment.objects.values_list("unit__code", flat=True))
    assert {"STC", "STP"} <= units


def test_plan_entry_is_for_home_affairs_only(client_for, head_a, directive):
    assert (
        client_for(head_a).get(reverse("tasks:plan_entry", args=[directive.pk])).status_code == 403
    )


def test_recurring_assignment_page_lists_periods(client_for, head_a, directive, unit_a):
    task = TaskFactory(directive=directive)
    task.recurrence = "quarterly"
    task.save()
    assignment = services.assignment_create(task=task, unit=unit_a)
    page = client_for(head_a).get(_detail(assignment))
    assert len(page.context["periods"]) == 4


def test_home_affairs_suspends_and_resumes_and_the_timeline_shows_it(
    client_for, home_affairs, assignment_a
):
    client = client_for(home_affairs)
    url = reverse("tasks:assignment_manage", args=[assignment_a.pk])
    client.post(url, {"action": "suspend"})
    assignment_a.refresh_from_db()
    assert assignment_a.state == WorkflowState.SUSPENDED
    client.post(url, {"action": "resume"})
    kinds = [event.kind for event in client.get(_detail(assignment_a)).context["timeline"]]
    assert kinds[-2:] == ["suspended", "resumed"]


def test_transfer_from_the_page_to_a_successor(client_for, home_affairs, province):
    from tests.factories import OrgUnitFactory
    from tests.tasks.factories import DirectiveFactory

    # a plan of 2024, when the district still existed
    directive = DirectiveFactory(number="100/KH-UBND", issue_date=D(2024, 3, 1))

    district = OrgUnitFactory(code="H-Q", name="Huyện Q", kind="district", level="district",
                              valid_to=D(2025, 6, 30))  # fmt: skip
    commune = OrgUnitFactory(code="X-Q", name="Xã Q", kind="commune", level="commune")
    district.successors.set([commune])
    task = services.task_create(directive=directive, item_number="8", title="t", lead_unit=district)
    assignment = task.assignments.get()
    client = client_for(home_affairs)
    assert list(client.get(_detail(assignment)).context["successors"]) == [commune]
    client.post(
        reverse("tasks:assignment_manage", args=[assignment.pk]),
        {"action": "transfer", "to_unit": commune.pk},
    )
    assignment.refresh_from_db()
    assert assignment.unit == commune


def _recurring_all_done(directive, unit_a):
    """A quarterly assignment whose four periods Home Affairs has all confirmed."""
    task = TaskFactory(directive=directive)
    task.recurrence = "quarterly"
    task.save()
    assignment = services.assignment_create(task=task, unit=unit_a)
    assignment.periods.update(state=WorkflowState.CONFIRMED, completed_on=D(2026, 1, 10))
    return assignment


def test_a_recurring_assignment_with_every_period_done_shows_done_and_no_form(
    client_for, head_a, directive, unit_a
):
    # given a recurring assignment whose every period is confirmed
    assignment = _recurring_all_done(directive, unit_a)
    # when its unit head opens it
    page = client_for(head_a).get(_detail(assignment)).content.decode()
    # then the page says it is done and offers no report or extension form
    assert 'id="periods-done"' in page
    assert "Mọi kỳ báo cáo của nhiệm vụ này đã được báo cáo hoàn thành" in page
    assert 'id="report-form"' not in page
    assert reverse("tasks:extension_request", args=[assignment.pk]) not in page


def test_reporting_on_a_recurring_assignment_with_every_period_done_is_refused(
    client_for, head_a, directive, unit_a
):
    assignment = _recurring_all_done(directive, unit_a)
    period = assignment.periods.first()
    client = client_for(head_a)
    for extra in ({}, {"period": period.pk}):
        data = {"assignment": assignment.pk, "percent": 50, "text": "Tiến độ", **extra}
        api = client.post(reverse("progressreport-list"), data)
        assert api.status_code == 400, api.content
        assert "Mọi kỳ báo cáo của nhiệm vụ này" in api.content.decode()
        page = client.post(reverse("tasks:report_create", args=[assignment.pk]), data)
        assert "Mọi kỳ báo cáo của nhiệm vụ này" in page.content.decode()
    assert not assignment.reports.exists()


def test_a_new_report_starts_from_the_progress_already_reported(client_for, head_a, assignment_a):
    # given the unit reported 60% last time
    services.report_file(
        assignment=assignment_a, author=head_a, percent=60, text="Đang triển khai", submit=True
    )
    # when the head opens the task again
    page = client_for(head_a).get(_detail(assignment_a)).content.decode()
    # then the new report's progress field reads 60, not 0
    field = re.search(r'<input[^>]*name="percent"[^>]*>', page).group(0)
    assert 'value="60"' in field


def test_a_directive_number_is_one_word_in_the_task_list(client_for, head_a, assignment_a):
    page = client_for(head_a).get(reverse("tasks:inbox")).content.decode()
    cell = re.search(r'<td data-label="Văn bản"[^>]*>', page).group(0)
    assert "text-nowrap" in cell
    # and the other text cells wrap as before
    assert "text-nowrap" not in re.search(r'<td data-label="Nhiệm vụ"[^>]*>', page).group(0)
