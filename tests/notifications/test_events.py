"""notifications.events: emit() turns a workflow event into one notification per person."""

import datetime

import pytest
from django.core import mail
from django.db import transaction

from core.roles import Role
from notifications import events
from notifications.models import Notification, NotificationKind, NotificationPreference
from tasks import services as task_services
from tasks.models import OutputKind, ProgressReport
from tests.factories import UserFactory
from tests.tasks.factories import DirectiveFactory

pytestmark = pytest.mark.django_db

# The event keys of the contract (INTERFACES.md section 1), all pre-registered.
CONTRACT_KEYS = {
    "assignment.assigned",
    "report.submitted",
    "report.returned",
    "report.confirmed",
    "extension.requested",
    "extension.decided",
    "task.changed",
    "task.cancelled",
    "task.suspended",
    "task.resumed",
    "thread.posted",
    "assessment.submitted",
    "assessment.returned",
    "assessment.appraised",
    "job.finished",
}


@pytest.fixture
def directive(province, home_affairs):
    return DirectiveFactory(
        number="5580/KH-UBND", issue_date=datetime.date(2026, 1, 10), created_by=home_affairs
    )


@pytest.fixture
def task_a(directive, unit_a):
    return task_services.task_create(
        directive=directive,
        item_number="1",
        title="Xây dựng kế hoạch rà soát thủ tục hành chính",
        lead_unit=unit_a,
        deadline=datetime.date(2026, 9, 15),
        output_kind=OutputKind.ACTIVITY,
    )


@pytest.fixture
def report_a(task_a, unit_a, staff_a):
    assignment = task_a.assignments.get(unit=unit_a)
    return ProgressReport.objects.create(
        assignment=assignment, percent=100, text="Đã xong", reports_done=True, author=staff_a
    )


def _keys(user) -> list[str]:
    return list(user.notifications.values_list("dedupe_key", flat=True))


def test_every_contract_event_is_registered():
    assert CONTRACT_KEYS <= set(events.registered())


def test_an_unknown_event_is_refused_loudly(report_a, home_affairs):
    with pytest.raises(KeyError):
        events.emit("report.lost", actor=home_affairs, subject=report_a, occurrence=1)


def test_returned_reaches_the_units_people_once_with_who_what_which_and_the_link(
    report_a, home_affairs, head_a, staff_a, head_b, leader, django_capture_on_commit_callbacks
):
    # when Home Affairs returns the report, twice (a double click, a retried job)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            events.emit(
                "report.returned",
                actor=home_affairs,
                subject=report_a,
                occurrence=7,
                reason="Thiếu minh chứng",
            )

    # then unit A's head and staff have one notification each, nobody else any
    for user in (head_a, staff_a):
        notification = user.notifications.get()
        assert notification.kind == NotificationKind.WORKFLOW
        assert notification.dedupe_key == f"report.returned:tasks.progressreport.{report_a.pk}:7"
        assert "đã trả lại nhiệm vụ" in notification.message
        assert "Xây dựng kế hoạch rà soát" in notification.message
        assert "Thiếu minh chứng" in notification.message
        assert str(home_affairs) in notification.message
        assert notification.link == f"/nhiem-vu/{report_a.assignment_id}/"
    for user in (home_affairs, head_b, leader):
        assert not user.notifications.exists()


def test_another_occurrence_is_a_new_notification(
    report_a, home_affairs, head_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("report.confirmed", actor=home_affairs, subject=report_a, occurrence=1)
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("report.confirmed", actor=home_affairs, subject=report_a, occurrence=1)
        events.emit("report.confirmed", actor=home_affairs, subject=report_a, occurrence=2)
    assert sorted(_keys(head_a)) == [
        f"report.confirmed:tasks.progressreport.{report_a.pk}:1",
        f"report.confirmed:tasks.progressreport.{report_a.pk}:2",
    ]


def test_a_rolled_back_action_tells_nobody(
    report_a, home_affairs, head_a, django_capture_on_commit_callbacks
):
    heard = []

    def listener(*args):
        heard.append(args)

    events.subscribe(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(RuntimeError), transaction.atomic():
                events.emit("report.confirmed", actor=home_affairs, subject=report_a, occurrence=1)
                raise RuntimeError("the service failed after emitting")
    finally:
        events.unsubscribe(listener)
    assert not Notification.objects.exists()
    assert heard == []


def test_listeners_hear_every_event_after_the_commit(
    report_a, home_affairs, django_capture_on_commit_callbacks
):
    heard = []

    def listener(event, actor, subject, occurrence, context):
        heard.append((event, actor, subject, occurrence, context["reason"]))

    events.subscribe(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            events.emit(
                "report.returned", actor=home_affairs, subject=report_a, occurrence=3, reason="x"
            )
        assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        events.unsubscribe(listener)
    assert heard == [("report.returned", home_affairs, report_a, "3", "x")]


def test_a_broken_listener_does_not_stop_the_notifications(
    report_a, home_affairs, head_a, django_capture_on_commit_callbacks
):
    def broken(*args):
        raise ValueError("webhook down")

    events.subscribe(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            events.emit("report.confirmed", actor=home_affairs, subject=report_a, occurrence=1)
    finally:
        events.unsubscribe(broken)
    assert head_a.notifications.count() == 1


def test_the_actor_is_never_told_of_their_own_action(
    report_a, head_a, staff_a, django_capture_on_commit_callbacks
):
    # a unit head who also is on the receiving side of an event about the unit
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("report.confirmed", actor=head_a, subject=report_a, occurrence=1)
    assert not head_a.notifications.exists()
    assert staff_a.notifications.count() == 1


def test_submitted_goes_to_the_home_affairs_officer_who_entered_the_plan(
    report_a, home_affairs, head_a, django_capture_on_commit_callbacks
):
    other_officer = UserFactory(username="ha2", role=Role.HOME_AFFAIRS)
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("report.submitted", actor=head_a, subject=report_a, occurrence=report_a.pk)
    notification = home_affairs.notifications.get()
    assert "đã báo cáo hoàn thành nhiệm vụ" in notification.message
    assert "chờ bạn xác nhận" in notification.message
    assert not other_officer.notifications.exists()


def test_a_plan_without_an_active_owner_goes_to_every_home_affairs_user(
    report_a, home_affairs, head_a, django_capture_on_commit_callbacks
):
    other_officer = UserFactory(username="ha2", role=Role.HOME_AFFAIRS)
    home_affairs.is_active = False
    home_affairs.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("report.submitted", actor=head_a, subject=report_a, occurrence=report_a.pk)
    assert other_officer.notifications.count() == 1
    assert not home_affairs.notifications.exists()


def test_immediate_mail_only_for_those_who_chose_it(
    report_a, home_affairs, head_a, staff_a, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    head_a.email, staff_a.email = "head_a@stc.example", "staff_a@stc.example"
    head_a.save(update_fields=["email"])
    staff_a.save(update_fields=["email"])
    NotificationPreference.objects.create(user=head_a, immediate_workflow=True)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(
            "report.returned", actor=home_affairs, subject=report_a, occurrence=1, reason="Thiếu"
        )
    assert [m.to for m in mail.outbox] == [["head_a@stc.example"]]
    assert "đã trả lại nhiệm vụ" in mail.outbox[0].body
    # staff_a's notification waits for the digest
    assert staff_a.notifications.get().emailed_at is None


@pytest.fixture
def cooperating(province):
    from tests.factories import OrgUnitFactory

    unit = OrgUnitFactory(code="SXD", name="Sở Xây dựng", short_name="SXD", parent=province)
    return UserFactory(username="head_c", role=Role.UNIT_HEAD, unit=unit)


def test_a_task_change_reaches_everyone_on_it_with_what_changed(
    directive, unit_a, home_affairs, head_a, staff_a, head_b, leader, cooperating,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    task = task_services.task_create(
        directive=directive, item_number="4", title="Chuẩn hóa quy trình", lead_unit=unit_a,
        cooperating_units=[cooperating.unit], deadline=datetime.date(2026, 9, 15),
    )  # fmt: skip
    other_officer = UserFactory(username="ha2", role=Role.HOME_AFFAIRS)
    # when a second Home Affairs officer moves the deadline (the plan is home_affairs')
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(
            "task.changed",
            actor=other_officer,
            subject=task,
            occurrence=99,
            changes=[("Thời hạn", "15/09/2026", "30/09/2026")],
            reason="Chờ hướng dẫn của Bộ",
        )
    # then the lead and cooperating units' people and the plan's reviewer hear it, once
    told = Notification.objects.select_related("recipient")
    assert sorted(n.recipient.username for n in told) == [
        "head_a", "head_c", "home_affairs", "staff_a",
    ]  # fmt: skip
    message = head_a.notifications.get().message
    assert "đã thay đổi nhiệm vụ “5580/KH-UBND · 4. Chuẩn hóa quy trình”" in message
    assert "Thời hạn: 15/09/2026 → 30/09/2026" in message
    assert "Lý do: Chờ hướng dẫn của Bộ" in message
    # each unit opens its own assignment, Home Affairs the plan
    assert head_a.notifications.get().link == (f"/nhiem-vu/{task.assignments.get(unit=unit_a).pk}/")
    assert home_affairs.notifications.get().link == f"/van-ban/{directive.pk}/"


@pytest.mark.parametrize(
    ("event", "words"),
    [
        ("task.cancelled", "đã hủy nhiệm vụ"),
        ("task.suspended", "đã tạm dừng nhiệm vụ"),
        ("task.resumed", "đã cho tiếp tục thực hiện nhiệm vụ"),
    ],
)
def test_task_state_events_say_who_what_and_why(
    event, words, task_a, home_affairs, head_a, staff_a, head_b,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(event, actor=home_affairs, subject=task_a, occurrence=1, reason="Theo chỉ đạo")
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "head_a",
        "staff_a",
    ]
    message = head_a.notifications.get().message
    assert words in message and "Lý do: Theo chỉ đạo" in message


def test_a_plan_import_tells_each_unit_given_a_task(
    directive, home_affairs, head_a, staff_a, head_b, unit_a, unit_b,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from tasks.services import imports
    from tests.tasks.test_imports import _row, _xlsx

    upload = _xlsx([_row("1", coop="STP"), _row("2")])
    preview = imports.task_import_preview(directive=directive, upload=upload, actor=home_affairs)
    with django_capture_on_commit_callbacks(execute=True):
        imports.task_import_confirm(directive=directive, token=preview.token, actor=home_affairs)
    assert head_a.notifications.count() == 2  # leads tasks 1 and 2
    assert staff_a.notifications.count() == 2
    assert "với vai trò đơn vị phối hợp" in head_b.notifications.get().message
    assert not home_affairs.notifications.exists()


def test_the_finished_job_event_replaces_the_old_hook(
    home_affairs, django_capture_on_commit_callbacks
):
    from core import background
    from core.models import JobStatus
    from reporting.models import Export

    export = Export.objects.create(user=home_affairs, key="units", title="Đơn vị")
    row = background.claim(Export, export.pk)
    with django_capture_on_commit_callbacks(execute=True):
        background.fail(row, error="Hết dung lượng đĩa")
    with django_capture_on_commit_callbacks(execute=True):
        background.fail(row, error="Hết dung lượng đĩa")  # a stale take writes nothing
    notification = home_affairs.notifications.get()
    assert notification.kind == NotificationKind.JOB
    assert (
        notification.dedupe_key == f"job.finished:reporting.export.{export.pk}:{JobStatus.FAILED}"
    )
    assert "Hết dung lượng đĩa" in notification.message


def _delivery_queries(directive, actor, units, number, capture) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with capture(execute=False) as callbacks:
        task_services.task_create(
            directive=directive, item_number=number, title="Việc chung", addressees=units,
            actor=actor,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    return len(queries)


def test_a_task_to_many_units_is_delivered_in_the_same_few_queries(
    directive, home_affairs, province, django_capture_on_commit_callbacks
):
    from tests.factories import OrgUnitFactory

    def units(prefix, count):
        made = []
        for number in range(count):
            unit = OrgUnitFactory(code=f"{prefix}{number}", name=f"Xã {prefix}{number}")
            UserFactory(role=Role.UNIT_HEAD, unit=unit)
            UserFactory(role=Role.UNIT_STAFF, unit=unit)
            made.append(unit)
        return made

    from django.contrib.contenttypes.models import ContentType

    from tasks.models import Assignment

    ContentType.objects.get_for_model(Assignment)  # cached for the process from now on
    # the people of every unit, the keys they have already, the insert (in a savepoint), the
    # immediate-mail job run inline in tests (its read): the same for 3 units as for 30
    small = _delivery_queries(
        directive, home_affairs, units("S", 3), "1", django_capture_on_commit_callbacks
    )
    large = _delivery_queries(
        directive, home_affairs, units("L", 30), "2", django_capture_on_commit_callbacks
    )
    assert small == large
    assert Notification.objects.count() == 2 * 33


def test_the_api_notifies_like_the_pages(
    task_a, unit_a, home_affairs, head_a, staff_a, client_for, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    assignment = task_a.assignments.get(unit=unit_a)
    # when the unit head submits through the API, and Home Affairs returns it through the API
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(head_a).post(
            reverse("progressreport-list"),
            {"assignment": assignment.pk, "percent": 100, "text": "Xong", "reports_done": True,
             "submit": True},
        )  # fmt: skip
    assert response.status_code == 201, response.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(home_affairs).post(
            reverse("review-list"),
            {"assignment": assignment.pk, "decision": "returned", "reason": "Thiếu số liệu"},
        )
    assert response.status_code == 201, response.content
    # then the same notifications as through the pages
    assert home_affairs.notifications.get().dedupe_key.startswith("report.submitted:")
    for user in (head_a, staff_a):
        assert "Lý do: Thiếu số liệu" in user.notifications.get().message


def test_a_period_of_a_recurring_task_is_named(
    directive, unit_a, home_affairs, head_a, django_capture_on_commit_callbacks
):
    from tasks.models import TaskRecurrence

    task = task_services.task_create(
        directive=directive, item_number="5", title="Báo cáo CCHC quý", lead_unit=unit_a,
        recurrence=TaskRecurrence.QUARTERLY, period_offset_days=5,
        output_kind=OutputKind.ACTIVITY,
    )  # fmt: skip
    assignment = task.assignments.get()
    period = assignment.periods.order_by("period_start").first()
    with django_capture_on_commit_callbacks(execute=True):
        report = task_services.report_draft(
            assignment=assignment, author=head_a, percent=100, text="Đã gửi", reports_done=True,
            period=period,
        )  # fmt: skip
        task_services.report_submit(report=report, actor=head_a)
        task_services.assignment_return(
            assignment=assignment, actor=home_affairs, reason="Sai mẫu", period=period
        )
    assert "(kỳ 01/01/2026–31/03/2026)" in home_affairs.notifications.get().message
    returned = head_a.notifications.get().message
    assert "“5580/KH-UBND · 5. Báo cáo CCHC quý (kỳ 01/01/2026–31/03/2026)”" in returned
