"""Outbound webhooks against a receiver on 127.0.0.1 that checks each signature."""

import datetime
import json
import urllib.request

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integrations import signing
from integrations.events import on_workflow_event
from integrations.jobs import requeue_webhook_deliveries_task
from integrations.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEvent
from integrations.services.webhooks import delivery_send, webhook_create
from notifications.events import emit_many
from tasks import services
from tests.integrations.conftest import Receiver
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _hook(actor, owner, url, events=(WebhookEvent.REPORT_SUBMITTED,), name="Văn phòng"):
    return webhook_create(actor=actor, name=name, url=url, events=events, owner=owner)


def _submit(assignment, head, capture, percent=40):
    with capture(execute=True):
        report = services.report_draft(
            assignment=assignment, author=head, percent=percent, text="Đang làm"
        )
        services.report_submit(report=report, actor=head)
    return report


def test_a_submitted_report_reaches_the_receiver_signed(
    receiver, home_affairs, head_a, assignment_a, django_capture_on_commit_callbacks
):
    # given a receiver that verifies signatures and a hook of Home Affairs
    hook = _hook(home_affairs, home_affairs, receiver.url)
    receiver.secret = hook.secret
    receiver.start()
    # when unit A submits a report
    report = _submit(assignment_a, head_a, django_capture_on_commit_callbacks)
    # then the receiver got one message, correctly signed, about that report
    assert len(receiver.verified) == 1
    message = receiver.verified[0]
    assert message.headers["X-CCHC-Event"] == "report.submitted"
    document = json.loads(message.body)
    assert document["event"] == "report.submitted"
    assert document["data"]["report"]["id"] == report.pk
    assert document["data"]["assignment"]["unit"] == "STC"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (
        DeliveryStatus.DELIVERED, 1, 200
    )  # fmt: skip
    assert message.headers["X-CCHC-Delivery"] == str(delivery.pk)


def test_a_receiver_that_is_down_gets_the_event_later_once(
    receiver, home_affairs, head_a, assignment_a, django_capture_on_commit_callbacks
):
    # given the receiver is down when the report is submitted
    hook = _hook(home_affairs, home_affairs, receiver.url)
    receiver.secret = hook.secret
    report = _submit(assignment_a, head_a, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.attempt_log.get().error  # connection refused, recorded
    assert delivery.next_attempt_at > timezone.now()
    # when it comes back up, before the backoff ran out nothing is sent...
    receiver.start()
    requeue_webhook_deliveries_task.delay()
    assert receiver.received == []
    # ...and once it ran out, the sweep sends it
    with time_machine.travel(delivery.next_attempt_at + datetime.timedelta(seconds=1)):
        requeue_webhook_deliveries_task.delay()
        # then it arrives once, whatever runs again: the sweep, the job, the same event
        requeue_webhook_deliveries_task.delay()
        delivery_send(delivery_id=delivery.pk)
        on_workflow_event("report.submitted", head_a, report, str(report.pk), {})
    assert len(receiver.verified) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)
    assert WebhookDelivery.objects.count() == 1
    assert list(delivery.attempt_log.values_list("succeeded", flat=True)) == [False, True]


def test_the_backoff_doubles_and_gives_up_after_the_last_attempt(
    receiver, home_affairs, head_a, assignment_a, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    _hook(home_affairs, home_affairs, receiver.url)  # never started: down throughout
    _submit(assignment_a, head_a, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    waits = []
    for _ in range(2):
        delivery.refresh_from_db()
        waits.append((delivery.next_attempt_at - delivery.attempt_log.last().started_at).seconds)
        with time_machine.travel(delivery.next_attempt_at + datetime.timedelta(seconds=1)):
            delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert waits == [30, 60]
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)


def test_a_receiver_of_another_units_event_never_sees_it(
    home_affairs, head_a, head_b, assignment_a, django_capture_on_commit_callbacks
):
    # given two receivers: one for unit A's account, one for unit B's
    for_a, for_b = Receiver().start(), Receiver().start()
    try:
        hook_a = _hook(home_affairs, head_a, for_a.url, name="STC")
        hook_b = _hook(home_affairs, head_b, for_b.url, name="STP")
        for_a.secret, for_b.secret = hook_a.secret, hook_b.secret
        # when unit A submits a report
        _submit(assignment_a, head_a, django_capture_on_commit_callbacks)
    finally:
        for_a.stop()
        for_b.stop()
    # then only A's receiver heard of it; for B nothing was even made
    assert len(for_a.verified) == 1
    assert for_b.received == []
    assert list(WebhookDelivery.objects.values_list("webhook", flat=True)) == [hook_a.pk]


def test_a_body_altered_in_transit_fails_the_signature_check(receiver):
    secret = "s3cret"
    body = b'{"event":"report.submitted","data":{"report":{"id":1,"percent":40}}}'
    timestamp = int(timezone.now().timestamp())
    signature = signing.sign(secret, timestamp, body)
    assert signing.verify(secret, timestamp, body, signature)
    altered = body.replace(b"40", b"100")
    assert not signing.verify(secret, timestamp, altered, signature)
    assert not signing.verify("another", timestamp, body, signature)
    assert not signing.verify(secret, timestamp + 1, body, signature)
    # an old timestamp is refused (a replayed message), a missing one too
    assert not signing.verify(secret, timestamp, body, signature, now=timestamp + 301)
    assert not signing.verify(secret, "", body, signature)
    # and the receiver refuses the altered body sent over the wire
    receiver.secret = secret
    receiver.start()
    request = urllib.request.Request(
        receiver.url,
        data=altered,
        method="POST",
        headers={"X-CCHC-Timestamp": str(timestamp), "X-CCHC-Signature": signature},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401
    assert [m.signature_ok for m in receiver.received] == [False]


def test_a_redirect_is_recorded_and_not_followed(
    receiver, home_affairs, head_a, assignment_a, django_capture_on_commit_callbacks
):
    elsewhere = Receiver().start()
    try:
        hook = _hook(home_affairs, home_affairs, receiver.url)
        receiver.secret = elsewhere.secret = hook.secret
        receiver.answer, receiver.location = 302, elsewhere.url
        receiver.start()
        _submit(assignment_a, head_a, django_capture_on_commit_callbacks)
    finally:
        elsewhere.stop()
    attempt = WebhookAttempt.objects.get()
    assert (attempt.response_code, attempt.succeeded) == (302, False)
    assert elsewhere.received == []
    assert WebhookDelivery.objects.get().status == DeliveryStatus.RETRYING


def test_only_http_addresses_are_registered(home_affairs):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        _hook(home_affairs, home_affairs, "file:///etc/passwd")
    assert "url" in refused.value.message_dict


def test_a_task_created_through_the_api_reaches_its_units_hooks_only(
    client_for, home_affairs, head_a, head_b, directive, unit_a,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    for_a, for_b = Receiver().start(), Receiver().start()
    try:
        hook_a = _hook(home_affairs, head_a, for_a.url, events=[WebhookEvent.TASK_CREATED])
        hook_b = _hook(home_affairs, head_b, for_b.url, events=[WebhookEvent.TASK_CREATED])
        for_a.secret, for_b.secret = hook_a.secret, hook_b.secret
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(home_affairs).post(
                reverse("task-list"),
                {"directive": directive.pk, "item_number": "9", "title": "Số hóa hồ sơ",
                 "lead_unit": unit_a.pk, "deadline": "2026-12-31", "output_kind": "activity"},
                content_type="application/json",
            )  # fmt: skip
    finally:
        for_a.stop()
        for_b.stop()
    assert response.status_code == 201, response.content
    assert [json.loads(m.body)["data"]["task"]["id"] for m in for_a.verified] == [
        response.json()["id"]
    ]
    assert for_b.received == []


def test_the_overdue_scan_and_the_dossier_alert_make_webhook_events(
    home_affairs, head_a, assignment_a, unit_a, django_capture_on_commit_callbacks
):
    from dossiers.services.alert_notices import dossier_alerts_notify
    from tasks.services.reminders import assignments_remind_deadlines
    from tests.dossiers.factories import at, make_dossier, make_procedure

    receiver = Receiver().start()
    try:
        hook = _hook(
            home_affairs, head_a, receiver.url,
            events=[WebhookEvent.ASSIGNMENT_OVERDUE, WebhookEvent.DOSSIER_LATE],
        )  # fmt: skip
        receiver.secret = hook.secret
        dossier = make_dossier(make_procedure("1.000777"), unit_a, received_at=at(2026, 3, 16))
        with django_capture_on_commit_callbacks(execute=True):
            # the task was due 15/9/2026: overdue from the 16th
            assignments_remind_deadlines(day=datetime.date(2026, 9, 17))
            assignments_remind_deadlines(day=datetime.date(2026, 9, 18))  # seen again: nothing
            dossier_alerts_notify(as_of=datetime.date(2026, 4, 20))
    finally:
        receiver.stop()
    events = sorted(
        (json.loads(m.body)["event"], json.loads(m.body)["data"]) for m in receiver.verified
    )
    assert [event for event, _data in events] == ["assignment.overdue", "dossier.late"]
    assert events[0][1]["assignment"]["id"] == assignment_a.pk
    assert events[0][1]["deadline"] == "2026-09-15"
    assert events[1][1]["dossier"]["code"] == dossier.code


# --- the pages ------------------------------------------------------------------------------


def test_home_affairs_registers_a_hook_and_sees_its_secret_once(client_for, home_affairs, head_a):
    client = client_for(home_affairs)
    response = client.post(
        reverse("integrations:webhook_create"),
        {"name": "Hệ thống văn bản", "url": "https://vb.anhoa.gov.vn/hook",
         "events": ["report.submitted", "report.confirmed"], "owner": head_a.pk,
         "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    hook = head_a.webhooks.get()
    assert hook.secret in page
    assert hook.secret not in client.get(response.url).content.decode()
    assert hook.events == ["report.submitted", "report.confirmed"]


def test_a_bad_hook_form_says_what_to_fix(client_for, home_affairs):
    response = client_for(home_affairs).post(
        reverse("integrations:webhook_create"),
        {"name": "X", "url": "ftp://vb.anhoa.gov.vn", "events": [], "owner": home_affairs.pk},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "lỗi cần sửa" in page
    assert 'value="ftp://vb.anhoa.gov.vn"' in page


def test_send_again_makes_one_more_attempt_by_hand(
    client_for, receiver, home_affairs, head_a, assignment_a, django_capture_on_commit_callbacks
):
    hook = _hook(home_affairs, home_affairs, receiver.url)
    receiver.secret = hook.secret
    receiver.start()
    _submit(assignment_a, head_a, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(home_affairs).post(
            reverse("integrations:delivery_resend", args=[delivery.pk])
        )
    assert response.status_code == 302
    assert len(receiver.verified) == 2  # the same delivery id twice: the receiver dedupes
    assert {m.headers["X-CCHC-Delivery"] for m in receiver.verified} == {str(delivery.pk)}
    assert list(delivery.attempt_log.values_list("manual", flat=True)) == [False, True]
    page = client_for(home_affairs).get(reverse("integrations:webhook_detail", args=[hook.pk]))
    assert "Gửi lại" in page.content.decode()


def _deliveries(hook, count):
    for n in range(count):
        delivery = WebhookDelivery.objects.create(
            webhook=hook, event="report.submitted", occurrence_key=f"k{n}", subject=f"Việc {n}",
            payload={}, status=DeliveryStatus.DELIVERED, attempts=1,
        )  # fmt: skip
        WebhookAttempt.objects.create(
            delivery=delivery, number=1, started_at=timezone.now(), response_code=200,
            succeeded=True,
        )  # fmt: skip


@pytest.mark.parametrize("count", [1, 15])
def test_the_hook_list_and_delivery_log_query_counts_do_not_grow(
    client_for, home_affairs, django_assert_num_queries, count
):
    hooks = [
        _hook(home_affairs, home_affairs, f"https://h{n}.example/hook", name=f"H{n}")
        for n in range(count)
    ]
    _deliveries(hooks[0], count)
    client = client_for(home_affairs)
    list_url = reverse("integrations:webhook_list")
    log_url = reverse("integrations:webhook_detail", args=[hooks[0].pk])
    client.get(list_url)
    # session, user, unit (menu), the hooks with owner, unit and delivery counts, session save (3)
    with django_assert_num_queries(7):
        assert client.get(list_url).status_code == 200
    client.get(log_url)
    # session, user, unit (menu), the hook with its owner, the deliveries' count, the page of
    # deliveries, their attempts, the session save (3)
    with django_assert_num_queries(10):
        assert client.get(log_url).status_code == 200


def test_the_form_refuses_an_ftp_address_beside_the_field(client_for, home_affairs):
    response = client_for(home_affairs).post(
        reverse("integrations:webhook_create"),
        {"name": "X", "url": "ftp://vb.anhoa.gov.vn", "events": ["task.created"],
         "owner": home_affairs.pk},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Địa chỉ phải bắt đầu bằng http:// hoặc https://." in response.content.decode()


def test_confirmed_and_returned_reach_the_units_hook_with_the_reason(
    client_for, home_affairs, head_a, assignment_a, django_capture_on_commit_callbacks
):
    receiver = Receiver().start()
    try:
        hook = _hook(
            home_affairs, head_a, receiver.url,
            events=[WebhookEvent.REPORT_CONFIRMED, WebhookEvent.REPORT_RETURNED],
        )  # fmt: skip
        receiver.secret = hook.secret
        with django_capture_on_commit_callbacks(execute=True):
            report = services.report_draft(
                assignment=assignment_a, author=head_a, percent=100, text="Xong",
                reports_done=True, files=[_pdf()],
            )  # fmt: skip
            services.report_submit(report=report, actor=head_a)
            returned = client_for(home_affairs).post(
                reverse("review-list"),
                {"assignment": assignment_a.pk, "decision": "returned", "reason": "Thiếu phụ lục"},
                content_type="application/json",
            )
        assert returned.status_code == 201, returned.content
    finally:
        receiver.stop()
    [message] = receiver.verified
    document = json.loads(message.body)
    assert document["event"] == "report.returned"
    assert document["data"]["reason"] == "Thiếu phụ lục"
    assert document["data"]["report"]["id"] == report.pk


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 report", "application/pdf")


def test_a_paused_hook_gets_nothing(
    client_for, receiver, home_affairs, head_a, assignment_a, django_capture_on_commit_callbacks
):
    hook = _hook(home_affairs, home_affairs, receiver.url)
    response = client_for(home_affairs).post(
        reverse("integrations:webhook_edit", args=[hook.pk]),
        {"name": hook.name, "url": hook.url, "events": hook.events, "owner": home_affairs.pk},
    )  # is_active left unticked: paused
    assert response.status_code == 302
    hook.refresh_from_db()
    assert hook.is_active is False
    receiver.start()
    _submit(assignment_a, head_a, django_capture_on_commit_callbacks)
    assert WebhookDelivery.objects.count() == 0
    assert receiver.received == []


@pytest.mark.parametrize("count", [2, 12])
def test_the_listener_reads_the_hooks_once_per_batch(
    receiver, home_affairs, count, django_assert_num_queries, django_capture_on_commit_callbacks
):
    # given an active hook that asked only for late dossiers, and a batch of new tasks
    _hook(home_affairs, home_affairs, receiver.url, events=(WebhookEvent.DOSSIER_LATE,))
    items = [(task, "created") for task in TaskFactory.create_batch(count)]
    # when the batch reaches the listener: the active hooks are read once, whatever its size
    with django_assert_num_queries(1):
        on_workflow_event.many(WebhookEvent.TASK_CREATED, home_affairs, items, {})
    assert not WebhookDelivery.objects.exists()
    # and through emit_many, with a hook that asked for them: one read, a delivery per task
    _hook(home_affairs, home_affairs, receiver.url, events=(WebhookEvent.TASK_CREATED,))
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                emit_many(WebhookEvent.TASK_CREATED, actor=None, items=items)
    hook_reads = [q["sql"] for q in queries if 'FROM "integrations_webhook"' in q["sql"]]
    assert len(hook_reads) == 1, hook_reads
    assert WebhookDelivery.objects.filter(event=WebhookEvent.TASK_CREATED).count() == count
