import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks import services
from tasks.models import Review
from tasks.status import Status, WorkflowState
from tests.tasks.factories import AssignmentFactory

D = datetime.date


def test_assignments_api_is_scoped_and_carries_status(
    client_for, head_a, assignment_a, assignment_b
):
    response = client_for(head_a).get(reverse("assignment-list"), {"as_of": "2026-10-01"})
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [assignment_a.pk]
    assert rows[0]["status"] == Status.OVERDUE
    assert rows[0]["effective_deadline"] == "2026-09-15"


def test_another_units_ids_give_404_in_the_api(client_for, head_b, assignment_a, head_a):
    report = services.report_draft(assignment=assignment_a, author=head_a, percent=5, text="x")
    services.report_submit(report=report, actor=head_a)
    client = client_for(head_b)
    assert client.get(reverse("assignment-detail", args=[assignment_a.pk])).status_code == 404
    assert client.get(reverse("task-detail", args=[assignment_a.task_id])).status_code == 404
    assert client.get(reverse("progressreport-detail", args=[report.pk])).status_code == 404
    # and a report cannot be posted against another unit's assignment
    response = client.post(
        reverse("progressreport-list"), {"assignment": assignment_a.pk, "percent": 5, "text": "x"}
    )
    assert response.status_code == 400


def test_api_filters_with_the_same_filterset(client_for, home_affairs, assignment_a, assignment_b):
    response = client_for(home_affairs).get(
        reverse("assignment-list"), {"status": "overdue", "as_of": "2026-09-20"}
    )
    assert [row["id"] for row in response.json()["results"]] == [assignment_a.pk]
    response = client_for(home_affairs).get(reverse("directive-list"), {"q": "ke hoach"})
    assert response.json()["count"] == 1


def test_report_with_evidence_upload_then_confirm_through_the_api(
    client, client_for, head_a, home_affairs, assignment_a
):
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 report", "application/pdf")
    response = client_for(head_a).post(
        reverse("progressreport-list"),
        {"assignment": assignment_a.pk, "percent": 100, "text": "Xong", "reports_done": True,
         "submit": True, "files": [pdf]},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "submitted"
    assert len(body["evidence"][0]["sha256"]) == 64
    client.logout()
    # a unit head may not confirm; Home Affairs may
    response = client_for(head_a).post(
        reverse("review-list"), {"assignment": assignment_a.pk, "decision": "confirmed"}
    )
    assert response.status_code == 403
    client.logout()
    response = client_for(home_affairs).post(
        reverse("review-list"), {"assignment": assignment_a.pk, "decision": "confirmed"}
    )
    assert response.status_code == 201
    assignment_a.refresh_from_db()
    assert assignment_a.state == WorkflowState.CONFIRMED
    assert Review.objects.count() == 1


def test_done_without_evidence_is_refused_through_the_api(client_for, head_a, assignment_a):
    response = client_for(head_a).post(
        reverse("progressreport-list"),
        {"assignment": assignment_a.pk, "percent": 100, "text": "Xong", "reports_done": True,
         "submit": True},
    )  # fmt: skip
    assert response.status_code == 400
    assert "minh chứng" in response.content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_assignment_api_query_count_does_not_grow(
    client_for, home_affairs, unit_a, django_assert_num_queries, count
):
    for _ in range(count):
        AssignmentFactory(unit=unit_a, deadline=D(2026, 12, 31))
    client = client_for(home_affairs)
    client.get(reverse("assignment-list"))
    # session, user, count, the page (task, directive, unit joined), savepoint, session save,
    # release
    with django_assert_num_queries(7):
        client.get(reverse("assignment-list"))


@pytest.mark.parametrize("count", [10, 200])
def test_directive_api_query_count_does_not_grow(
    client_for, home_affairs, province, django_assert_num_queries, count
):
    from tests.tasks.factories import DirectiveFactory

    for _ in range(count):
        DirectiveFactory()
    client = client_for(home_affairs)
    client.get(reverse("directive-list"))
    # session, user, count, the page (issuer joined), areas, implements, savepoint, session
    # save, release
    with django_assert_num_queries(9):
        client.get(reverse("directive-list"))
