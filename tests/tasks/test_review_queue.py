"""The review queue worth using: each row with the report awaiting the decision and its evidence,
the evidence shown inline beside the list, several rows confirmed or returned at once."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks import services
from tasks.models import AssignmentPeriod, Evidence, Review, TaskRecurrence
from tasks.status import WorkflowState

QUEUE = reverse("tasks:review_queue")
DECIDE = reverse("tasks:review_decide")
PDF = b"%PDF-1.4\n% bao cao\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _reported_done(directive, unit, head, number, *, files=None, day=None):
    task = services.task_create(
        directive=directive,
        item_number=str(number),
        title=f"Nhiệm vụ số {number}",
        lead_unit=unit,
        deadline=datetime.date(2026, 6, 30),
    )
    assignment = task.assignments.get()
    report = services.report_draft(
        assignment=assignment,
        author=head,
        percent=100,
        text=f"Đã hoàn thành nhiệm vụ {number}",
        reports_done=True,
        files=files if files is not None else [SimpleUploadedFile("bc.pdf", PDF)],
    )
    services.report_submit(report=report, actor=head, on=day)
    assignment.refresh_from_db()
    return assignment


@pytest.fixture
def three(directive, unit_a, unit_b, head_a, head_b):
    return [
        _reported_done(directive, unit_a, head_a, 1, day=datetime.date(2026, 5, 3)),
        _reported_done(directive, unit_b, head_b, 2, day=datetime.date(2026, 5, 1)),
        _reported_done(
            directive,
            unit_a,
            head_a,
            3,
            day=datetime.date(2026, 5, 2),
            files=[SimpleUploadedFile("anh.png", PNG)],
        ),
    ]


def test_each_row_shows_its_report_and_evidence_longest_waiting_first(
    client_for, home_affairs, three
):
    response = client_for(home_affairs).get(QUEUE)
    rows = response.context["rows"]
    assert [row.pk for row in rows] == [three[1].pk, three[2].pk, three[0].pk]
    assert [row.report.text for row in rows][0] == "Đã hoàn thành nhiệm vụ 2"
    text = response.content.decode()
    assert "Đã hoàn thành nhiệm vụ 1" in text
    pdf = Evidence.objects.get(report__assignment=three[0])
    assert f"?xem={pdf.pk}" in text  # "Xem" opens it beside the list


def test_the_evidence_opens_beside_the_report_a_pdf_framed_an_image_as_img(
    client_for, home_affairs, three
):
    client = client_for(home_affairs)
    pdf = Evidence.objects.get(report__assignment=three[0])
    page = client.get(QUEUE, {"xem": pdf.pk}).content.decode()
    frame = reverse("tasks:evidence_view", args=[pdf.pk])
    assert f'<iframe class="evidence-frame w-100 border" src="{frame}"' in page
    png = Evidence.objects.get(report__assignment=three[2])
    page = client.get(QUEUE, {"xem": png.pk}).content.decode()
    assert (
        f'<img class="img-fluid border" src="{reverse("tasks:evidence_view", args=[png.pk])}"'
        in page
    )
    # an id out of reach or garbage shows the empty pane, never an error
    assert client.get(QUEUE, {"xem": "999999"}).status_code == 200
    assert client.get(QUEUE, {"xem": "abc"}).status_code == 200


def test_the_inline_file_is_served_inline_with_its_type_and_may_be_framed_by_the_portal_only(
    client_for, home_affairs, three
):
    pdf = Evidence.objects.get(report__assignment=three[0])
    response = client_for(home_affairs).get(reverse("tasks:evidence_view", args=[pdf.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    # the download stays a download that no page may frame
    download = client_for(home_affairs).get(reverse("tasks:evidence_download", args=[pdf.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Frame-Options"] == "DENY"


def test_a_file_a_browser_cannot_show_still_downloads_from_the_inline_url(
    client_for, directive, unit_a, head_a, home_affairs
):
    from tests.security.files import docx_bytes

    assignment = _reported_done(
        directive, unit_a, head_a, 9, files=[SimpleUploadedFile("kh.docx", docx_bytes())]
    )
    docx = Evidence.objects.get(report__assignment=assignment)
    response = client_for(home_affairs).get(reverse("tasks:evidence_view", args=[docx.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_another_units_inline_evidence_is_404(client_for, head_b, three):
    pdf = Evidence.objects.get(report__assignment=three[0])
    assert client_for(head_b).get(reverse("tasks:evidence_view", args=[pdf.pk])).status_code == 404


def test_home_affairs_confirms_two_at_once(client_for, home_affairs, three):
    response = client_for(home_affairs).post(
        DECIDE, {"row": [three[0].pk, three[1].pk], "decision": "confirm", "next": "?unit="}
    )
    assert response.status_code == 302 and response["Location"] == f"{QUEUE}?unit="
    states = [a.__class__.objects.get(pk=a.pk).state for a in three]
    assert states == [
        WorkflowState.CONFIRMED,
        WorkflowState.CONFIRMED,
        WorkflowState.AWAITING_CONFIRMATION,
    ]
    assert Review.objects.filter(decision="confirmed").count() == 2


def test_a_return_without_reason_is_refused_and_changes_nothing(client_for, home_affairs, three):
    response = client_for(home_affairs).post(
        DECIDE, {"row": [three[0].pk, three[1].pk], "decision": "return", "reason": "  "},
        follow=True,
    )  # fmt: skip
    assert "Nêu lý do trả lại." in response.content.decode()
    assert not Review.objects.exists()
    assert {a.__class__.objects.get(pk=a.pk).state for a in three} == {
        WorkflowState.AWAITING_CONFIRMATION
    }


def test_a_return_with_a_reason_reaches_the_units_task_page(
    client_for, home_affairs, head_a, three
):
    client_for(home_affairs).post(
        DECIDE, {"row": [three[0].pk], "decision": "return", "reason": "Thiếu chữ ký"}
    )
    page = client_for(head_a).get(reverse("tasks:assignment_detail", args=[three[0].pk]))
    assert "Thiếu chữ ký" in page.content.decode()
    assert three[0].__class__.objects.get(pk=three[0].pk).state == WorkflowState.RETURNED


def test_a_selection_with_a_row_decided_meanwhile_changes_nothing_and_names_it(
    client_for, home_affairs, three
):
    # a colleague confirmed row 1 after this page was loaded
    services.assignment_confirm(assignment=three[0], actor=home_affairs)
    response = client_for(home_affairs).post(
        DECIDE, {"row": [three[1].pk, three[0].pk], "decision": "confirm"}, follow=True
    )
    text = response.content.decode()
    assert "1. Nhiệm vụ số 1 (Sở Tài chính): Nhiệm vụ này không có gì đang chờ xác nhận." in text
    assert (
        three[1].__class__.objects.get(pk=three[1].pk).state == WorkflowState.AWAITING_CONFIRMATION
    )
    assert Review.objects.count() == 1


def test_a_double_submitted_confirmation_decides_once(client_for, home_affairs, three):
    client = client_for(home_affairs)
    form = {"row": [three[0].pk], "decision": "confirm"}
    client.post(DECIDE, form)
    client.post(DECIDE, form)
    assert Review.objects.count() == 1


def test_nothing_selected_or_garbage_is_a_message_not_an_error(client_for, home_affairs, three):
    client = client_for(home_affairs)
    assert (
        "Hãy chọn ít nhất một nhiệm vụ."
        in client.post(DECIDE, {"decision": "confirm"}, follow=True).content.decode()
    )
    assert client.post(DECIDE, {"row": ["x:y"], "decision": "confirm"}).status_code == 302
    assert client.post(DECIDE, {"row": ["99999"], "decision": "confirm"}).status_code == 302
    assert not Review.objects.exists()


def test_a_unit_head_posting_the_review_is_refused_before_the_input_is_read(
    client_for, head_a, three
):
    assert (
        client_for(head_a).post(DECIDE, {"row": [three[0].pk], "decision": "confirm"}).status_code
        == 403
    )
    assert not Review.objects.exists()


def test_a_period_awaiting_confirmation_is_decided_from_the_queue(
    client_for, directive, unit_a, head_a, home_affairs
):
    task = services.task_create(
        directive=directive, item_number="5", title="Báo cáo quý", lead_unit=unit_a,
        recurrence=TaskRecurrence.QUARTERLY, output_kind="activity",
    )  # fmt: skip
    assignment = task.assignments.get()
    period = assignment.periods.order_by("period_start").first()
    report = services.report_draft(
        assignment=assignment, author=head_a, percent=100, text="Quý I xong", reports_done=True,
        period=period,
    )  # fmt: skip
    services.report_submit(report=report, actor=head_a)
    client = client_for(home_affairs)
    row = client.get(QUEUE).context["rows"][0]
    assert row.target == f"{assignment.pk}:{period.pk}"
    assert row.report.text == "Quý I xong"
    client.post(DECIDE, {"row": [row.target], "decision": "confirm"})
    assert AssignmentPeriod.objects.get(pk=period.pk).state == WorkflowState.CONFIRMED


# session, user, paginator count, the user's unit (menu), the filter bar's drop-downs (directive,
# unit), the page of rows (task, directive, unit joined, with the awaiting period and report),
# the reports with their authors, their evidence, pending extensions, savepoint, session
# save, release
QUEUE_QUERIES = 13


@pytest.mark.parametrize("count", [3, 30])
def test_the_queue_query_count_does_not_grow_with_rows_and_files(
    client_for, directive, unit_a, head_a, home_affairs, django_assert_num_queries, count
):
    for number in range(count):
        _reported_done(
            directive, unit_a, head_a, number + 1,
            files=[SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.png", PNG)],
        )  # fmt: skip
    client = client_for(home_affairs)
    client.get(QUEUE)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(QUEUE)
    assert len(response.context["rows"]) == count
    assert response.content.decode().count("?xem=") >= 2 * count
