"""The write API: directives, tasks, assignments and reports through the same services as the
pages, with Idempotency-Key."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directives.models import Directive
from integrations.models import ApiGroup, IdempotentRequest
from integrations.services.tokens import api_token_create
from tasks import services
from tasks.models import Assignment, ProgressReport, Task
from tasks.status import WorkflowState

pytestmark = pytest.mark.django_db

DIRECTIVE = {
    "number": "985/QĐ-UBND",
    "issue_date": "2026-03-02",
    "summary": "Quyết định ban hành kế hoạch kiểm tra CCHC",
    "signer": "Trần Văn B",
    "areas": [1],
}


def _writer(home_affairs):
    issued = api_token_create(
        actor=home_affairs, name="Quản lý văn bản", user=home_affairs,
        groups=[ApiGroup.DIRECTIVES, ApiGroup.TASKS], can_write=True, expires_on=None,
    )  # fmt: skip
    return {"HTTP_AUTHORIZATION": f"Bearer {issued.secret}"}


def _post(client, url, body, auth, key=None, method="post"):
    headers = dict(auth)
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return getattr(client, method)(url, body, content_type="application/json", **headers)


def test_the_same_directive_twice_with_one_key_creates_one(client, home_affairs, province):
    auth = _writer(home_affairs)
    body = DIRECTIVE | {"issuer": province.pk}
    first = _post(client, reverse("directive-list"), body, auth, key="kh-985-a")
    again = _post(client, reverse("directive-list"), body, auth, key="kh-985-a")
    assert first.status_code == again.status_code == 201, first.content
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Directive.objects.count() == 1
    directive = Directive.objects.get()
    assert (directive.number, directive.doc_type, directive.created_by) == (
        "985/QĐ-UBND", "QĐ", home_affairs
    )  # fmt: skip


def test_the_same_key_with_another_body_is_refused_with_422(client, home_affairs, province):
    auth = _writer(home_affairs)
    body = DIRECTIVE | {"issuer": province.pk}
    _post(client, reverse("directive-list"), body, auth, key="k1")
    response = _post(client, reverse("directive-list"), body | {"summary": "Khác"}, auth, key="k1")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in response.json()["error"]["message"]
    assert Directive.objects.count() == 1


def test_without_a_key_a_second_create_is_refused_as_a_duplicate_number(
    client, home_affairs, province
):
    auth = _writer(home_affairs)
    body = DIRECTIVE | {"issuer": province.pk}
    assert _post(client, reverse("directive-list"), body, auth).status_code == 201
    response = _post(client, reverse("directive-list"), body, auth)
    assert response.status_code == 400
    assert "985" in response.json()["error"]["fields"]["number"][0]


def test_a_failed_write_keeps_no_key_so_it_can_be_retried(client, home_affairs, province):
    auth = _writer(home_affairs)
    bad = DIRECTIVE | {"number": "not a number", "issuer": province.pk}
    assert _post(client, reverse("directive-list"), bad, auth, key="k2").status_code == 400
    assert IdempotentRequest.objects.count() == 0
    good = DIRECTIVE | {"issuer": province.pk}
    assert _post(client, reverse("directive-list"), good, auth, key="k3").status_code == 201


def test_keys_belong_to_their_credential(client, client_for, home_affairs, province):
    auth = _writer(home_affairs)
    body = DIRECTIVE | {"issuer": province.pk}
    assert _post(client, reverse("directive-list"), body, auth, key="shared").status_code == 201
    # the same key from the signed-in person is another key: a real second write (refused
    # here as a duplicate number by the service, as the page would)
    session = client_for(home_affairs)
    response = session.post(
        reverse("directive-list"), body, content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="shared",
    )  # fmt: skip
    assert response.status_code == 400


def test_an_overlong_key_is_refused(client, home_affairs, province):
    response = _post(
        client, reverse("directive-list"), DIRECTIVE, _writer(home_affairs), key="x" * 256
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]["fields"]


def test_a_directive_is_changed_with_patch(client, home_affairs, directive):
    response = _post(
        client, reverse("directive-detail", args=[directive.pk]),
        {"summary": "Kế hoạch CCHC (sửa)"}, _writer(home_affairs), method="patch",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    directive.refresh_from_db()
    assert directive.summary == "Kế hoạch CCHC (sửa)"


def test_a_task_is_created_with_its_assignments_once(
    client, home_affairs, directive, unit_a, unit_b
):
    auth = _writer(home_affairs)
    body = {
        "directive": directive.pk, "item_number": "5", "title": "Rà soát quy trình nội bộ",
        "lead_unit": unit_a.pk, "cooperating_units": [unit_b.pk], "deadline": "2026-11-30",
        "output_kind": "report", "expected_output": "Báo cáo", "area": 3,
    }  # fmt: skip
    first = _post(client, reverse("task-list"), body, auth, key="task-5")
    again = _post(client, reverse("task-list"), body, auth, key="task-5")
    assert first.status_code == again.status_code == 201, first.content
    task = Task.objects.get(item_number="5")
    assert sorted(task.assignments.values_list("unit__code", "role")) == [
        ("STC", "lead"), ("STP", "cooperating")
    ]  # fmt: skip
    # and the service's rules answer in Vietnamese: a recurring task has no single deadline
    response = _post(
        client, reverse("task-list"), body | {"item_number": "6", "recurrence": "monthly"}, auth
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["deadline"]


def test_a_task_is_edited_with_a_reason_and_its_version(client, home_affairs, task_a):
    auth = _writer(home_affairs)
    url = reverse("task-detail", args=[task_a.pk])
    # no reason: refused in Vietnamese, nothing written
    refused = _post(client, url, {"deadline": "2026-10-15"}, auth, method="patch")
    assert refused.status_code == 400
    read = client.get(url, **auth).json()
    body = {"deadline": "2026-10-15", "reason": "Chờ số liệu quý III", "version": read["version"]}
    response = _post(client, url, body, auth, method="patch")
    assert response.status_code == 200, response.content
    assert task_a.assignments.get().deadline == datetime.date(2026, 10, 15)
    assert response.json()["version"] == read["version"] + 1
    # a change based on the old read is refused: someone changed the task since
    stale = _post(client, url, body | {"deadline": "2026-11-15"}, auth, method="patch")
    assert stale.status_code == 400
    assert task_a.assignments.get().deadline == datetime.date(2026, 10, 15)


def test_a_task_is_cancelled_suspended_and_resumed_with_a_reason(client, home_affairs, task_a):
    auth = _writer(home_affairs)
    assert _post(
        client, reverse("task-suspend", args=[task_a.pk]), {"reason": "Chờ văn bản mới"}, auth
    ).status_code == 200  # fmt: skip
    assert task_a.assignments.get().state == WorkflowState.SUSPENDED
    assert _post(
        client, reverse("task-resume", args=[task_a.pk]), {"reason": "Đã có văn bản"}, auth
    ).status_code == 200  # fmt: skip
    url = reverse("task-cancel", args=[task_a.pk])
    assert _post(client, url, {}, auth).status_code == 400  # the reason is required
    cancelled = _post(client, url, {"reason": "Văn bản đã được thay thế"}, auth, key="c-1")
    again = _post(client, url, {"reason": "Văn bản đã được thay thế"}, auth, key="c-1")
    assert cancelled.status_code == again.status_code == 200, cancelled.content
    assert cancelled.json()["state"] == "cancelled" and again["Idempotent-Replayed"] == "true"
    assert task_a.assignments.get().state == WorkflowState.CANCELLED


def test_an_assignment_is_added_and_cancelled(client, home_affairs, task_a, unit_b):
    auth = _writer(home_affairs)
    added = _post(
        client, reverse("assignment-list"),
        {"task": task_a.pk, "unit": unit_b.pk, "role": "cooperating"}, auth,
    )  # fmt: skip
    assert added.status_code == 201, added.content
    url = reverse("assignment-cancel", args=[added.json()["id"]])
    assert _post(client, url, {"reason": ""}, auth).status_code == 400  # a reason is required
    cancelled = _post(client, url, {"reason": "Không còn phù hợp"}, auth)
    assert cancelled.status_code == 200
    assert cancelled.json()["state"] == WorkflowState.CANCELLED


def test_a_unit_head_submits_a_draft_through_the_api_and_another_unit_gets_404(
    client_for, head_a, head_b, staff_a, assignment_a
):
    draft = services.report_draft(assignment=assignment_a, author=staff_a, percent=30, text="x")
    url = reverse("progressreport-submit", args=[draft.pk])
    assert client_for(head_b).post(url).status_code == 404
    assert client_for(staff_a).post(url).status_code == 403  # staff draft, the head submits
    response = client_for(head_a).post(url, HTTP_IDEMPOTENCY_KEY="submit-1")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted"
    again = client_for(head_a).post(url, HTTP_IDEMPOTENCY_KEY="submit-1")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    # without the key the second submit is refused by the workflow, in Vietnamese
    refused = client_for(head_a).post(url)
    assert refused.status_code == 400
    assert ProgressReport.objects.get().state == "submitted"


def test_writes_are_refused_by_role_before_the_body_is_read(
    client_for, head_a, assignment_a, assignment_b
):
    client = client_for(head_a)
    assert client.post(reverse("task-list"), {}).status_code == 403
    assert client.post(reverse("directive-list"), {}).status_code == 403
    assert client.post(reverse("assignment-cancel", args=[assignment_b.pk])).status_code == 403
    assert Assignment.objects.filter(state=WorkflowState.CANCELLED).count() == 0


def test_another_units_objects_are_404_through_a_tokens_writes(
    client, home_affairs, head_b, assignment_a
):
    issued = api_token_create(
        actor=home_affairs, name="Một cửa STP", user=head_b, groups=[ApiGroup.TASKS],
        can_write=True, expires_on=None,
    )  # fmt: skip
    draft = services.report_draft(
        assignment=assignment_a, author=assignment_a.unit.users.first() or _head(assignment_a),
        percent=5, text="x",
    )  # fmt: skip
    response = client.post(
        reverse("progressreport-submit", args=[draft.pk]),
        HTTP_AUTHORIZATION=f"Bearer {issued.secret}",
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def _head(assignment):
    from core.roles import Role
    from tests.factories import UserFactory

    return UserFactory(username="head_x", role=Role.UNIT_HEAD, unit=assignment.unit)


def test_the_api_docs_show_the_writes_with_examples_and_the_key_header(client_for, home_affairs):
    schema = client_for(home_affairs).get(reverse("api-schema"), {"format": "json"}).json()
    for path, method in [
        ("/api/v1/directives/", "post"),
        ("/api/v1/directives/{id}/", "patch"),
        ("/api/v1/tasks/", "post"),
        ("/api/v1/tasks/{id}/", "patch"),
        ("/api/v1/assignments/", "post"),
        ("/api/v1/assignments/{id}/cancel/", "post"),
        ("/api/v1/tasks/{id}/cancel/", "post"),
    ]:
        operation = schema["paths"][path][method]
        headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        assert "Idempotency-Key" in headers, path
        assert operation["requestBody"]["content"]["application/json"]["examples"], path
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_a_patch_outside_the_role_is_403(client_for, head_a, directive):
    response = client_for(head_a).patch(
        reverse("directive-detail", args=[directive.pk]), {"summary": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403


def test_the_conversation_through_the_api(
    client_for, home_affairs, head_a, head_b, leader, task_a, assignment_a, unit_b
):
    url = reverse("assignment-posts", args=[assignment_a.pk])
    # another unit not on the task: 404 to read and to write
    assert client_for(head_b).get(url).status_code == 404
    assert client_for(head_b).post(url, {"body": "x"}).status_code == 404
    # a leader reads but may not write (role first)
    assert client_for(leader).get(url).status_code == 200
    assert client_for(leader).post(url, {"body": "x"}).status_code == 403
    first = client_for(home_affairs).post(
        url, {"body": "Đề nghị gửi số liệu trước 10/9."}, HTTP_IDEMPOTENCY_KEY="post-1"
    )
    again = client_for(home_affairs).post(
        url, {"body": "Đề nghị gửi số liệu trước 10/9."}, HTTP_IDEMPOTENCY_KEY="post-1"
    )
    assert first.status_code == again.status_code == 201, first.content
    assert again.json() == first.json()
    pdf = SimpleUploadedFile("so-lieu.pdf", b"%PDF-1.4 data", "application/pdf")
    reply = client_for(head_a).post(url, {"body": "Đã gửi.", "files": [pdf]})
    assert reply.status_code == 201, reply.content
    assert reply.json()["attachments"][0]["original_name"] == "so-lieu.pdf"
    empty = client_for(head_a).post(url, {"body": "  "})
    assert empty.status_code == 400
    rows = client_for(head_a).get(url).json()["results"]
    assert [row["body"] for row in rows] == ["Đề nghị gửi số liệu trước 10/9.", "Đã gửi."]
