import datetime

import time_machine
from django.core import mail
from django.utils import timezone

from core.roles import Role
from notifications.models import Notification, NotificationKind, NotificationPreference
from notifications.services import (
    UnitNotice,
    dedupe_key_for,
    mail_off,
    notification_mark_read,
    notification_send,
    notifications_mark_all_read,
    notifications_purge_read,
    notify_units,
)
from tests.factories import UserFactory
from tests.notifications.factories import NotificationFactory

VN = datetime.timezone(datetime.timedelta(hours=7))


def test_sending_twice_with_one_key_gives_one_notification(head_a, unit_a):
    # when
    first = notification_send(
        recipient=head_a, kind=NotificationKind.INFO, obj=unit_a, message="Lần một"
    )
    second = notification_send(
        recipient=head_a, kind=NotificationKind.INFO, obj=unit_a, message="Lần hai"
    )
    # then
    assert first is not None and second is None
    assert Notification.objects.get().message == "Lần một"
    assert Notification.objects.get().target == unit_a


def test_same_key_to_two_people_gives_each_one(head_a, staff_a):
    for user in (head_a, staff_a):
        notification_send(recipient=user, kind="info", message="Họp", dedupe_key="info:-:x")
    assert Notification.objects.count() == 2


def test_day_key_changes_at_midnight_vietnam_time_not_utc(unit_a):
    # given 23:59 and 00:01 in Vietnam: the same UTC day (16:59 and 17:01 UTC)
    with time_machine.travel(datetime.datetime(2026, 11, 21, 23, 59, tzinfo=VN), tick=False):
        before = dedupe_key_for(kind="overdue", obj=unit_a)
    with time_machine.travel(datetime.datetime(2026, 11, 22, 0, 1, tzinfo=VN), tick=False):
        after = dedupe_key_for(kind="overdue", obj=unit_a)
    # then the key names two different Vietnam days
    assert before == f"overdue:organizations.orgunit.{unit_a.pk}:2026-11-21"
    assert after == f"overdue:organizations.orgunit.{unit_a.pk}:2026-11-22"


def test_notify_units_reaches_head_and_staff_of_the_unit_only(
    head_a, staff_a, head_b, unit_a, home_affairs
):
    # given a former staff member of unit A
    UserFactory(username="gone", role=Role.UNIT_STAFF, unit=unit_a, is_active=False)
    notice = UnitNotice(unit_id=unit_a.pk, kind="due_soon", obj=unit_a, message="Sắp đến hạn")
    # when the scan runs twice on one day
    first = notify_units(notices=[notice])
    second = notify_units(notices=[notice])
    # then
    assert (first, second) == (2, 0)
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "head_a",
        "staff_a",
    }


def test_notify_units_with_explicit_recipients(head_a, staff_a, unit_a):
    notice = UnitNotice(unit_id=unit_a.pk, kind="due_soon", obj=unit_a, message="Sắp đến hạn")
    assert notify_units(notices=[notice], recipients={unit_a.pk: [head_a.pk]}) == 1
    assert Notification.objects.get().recipient == head_a


def test_notify_units_again_next_day_notifies_again(head_a, unit_a):
    notice = UnitNotice(unit_id=unit_a.pk, kind="overdue", obj=unit_a, message="Quá hạn")
    notify_units(notices=[notice], day=datetime.date(2026, 11, 21))
    notify_units(notices=[notice], day=datetime.date(2026, 11, 22))
    assert Notification.objects.count() == 2


def test_overdue_notification_is_mailed_at_once_only_once(
    with_emails, unit_a, django_capture_on_commit_callbacks
):
    head_a, staff_a, _ = with_emails
    # given staff A turned immediate mails off
    NotificationPreference.objects.create(user=staff_a, immediate_overdue=False)
    notice = UnitNotice(unit_id=unit_a.pk, kind="overdue", obj=unit_a, message="Việc X quá hạn")
    # when (jobs run eagerly in tests, queued on commit)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notify_units(notices=[notice])
    # then
    assert [m.to for m in mail.outbox] == [["head_a@stc.example"]]
    assert "Việc X quá hạn" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0].mimetype == "text/html"
    assert Notification.objects.get(recipient=head_a).emailed_at is not None
    assert Notification.objects.get(recipient=staff_a).emailed_at is None


def test_info_notification_is_not_mailed_at_once(with_emails, django_capture_on_commit_callbacks):
    head_a, _, _ = with_emails
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=head_a, kind="info", message="Tin", dedupe_key="k")
    assert mail.outbox == []


def test_mark_read_keeps_first_read_time(head_a):
    notification = NotificationFactory(recipient=head_a)
    with time_machine.travel(datetime.datetime(2026, 11, 21, 8, 0, tzinfo=VN), tick=False):
        notification_mark_read(notification=notification)
    with time_machine.travel(datetime.datetime(2026, 11, 22, 8, 0, tzinfo=VN), tick=False):
        notification_mark_read(notification=notification)
    notification.refresh_from_db()
    assert timezone.localtime(notification.read_at).day == 21


def test_mark_all_read_touches_only_own(head_a, head_b):
    NotificationFactory.create_batch(2, recipient=head_a)
    NotificationFactory(recipient=head_b)
    assert notifications_mark_all_read(user=head_a) == 2
    assert Notification.objects.filter(read_at__isnull=True).get().recipient == head_b


def test_purge_deletes_old_read_notifications_only(head_a):
    now = timezone.now()
    old_read = NotificationFactory(recipient=head_a, read_at=now - datetime.timedelta(days=100))
    recent_read = NotificationFactory(recipient=head_a, read_at=now - datetime.timedelta(days=5))
    old_unread = NotificationFactory(
        recipient=head_a, created_at=now - datetime.timedelta(days=200)
    )
    assert notifications_purge_read(older_than_days=90) == 1
    remaining = set(Notification.objects.values_list("pk", flat=True))
    assert remaining == {recent_read.pk, old_unread.pk}
    assert old_read.pk not in remaining


def test_demo_is_idempotent(head_a, staff_a):
    from notifications import demo

    assert demo.load() == "2 welcome notifications"
    assert demo.load() == "0 welcome notifications"


def test_with_mail_off_notifications_fill_the_bell_but_queue_no_mail(
    with_emails, unit_a, django_capture_on_commit_callbacks
):
    head_a, _, _ = with_emails
    notice = UnitNotice(unit_id=unit_a.pk, kind="overdue", obj=unit_a, message="Việc X quá hạn")
    # when the demo loader notifies with mail off, one by one and in bulk
    with django_capture_on_commit_callbacks(execute=True) as callbacks, mail_off():
        notification_send(recipient=head_a, kind="workflow", message="Đã gửi", dedupe_key="w")
        notify_units(notices=[notice])
    # then the rows are there, recorded as mailed, and no mail job was queued or sent
    rows = Notification.objects.filter(recipient=head_a)
    assert rows.count() == 2 and not rows.filter(emailed_at__isnull=True).exists()
    assert callbacks == [] and mail.outbox == []
    # and outside it, a mail job is queued as before
    with django_capture_on_commit_callbacks() as callbacks:
        notification_send(recipient=head_a, kind="overdue", message="Lần sau", dedupe_key="o2")
    assert len(callbacks) == 1
    assert Notification.objects.get(dedupe_key="o2").emailed_at is None


def test_the_demo_bell_keeps_a_handful_unread(head_a):
    from notifications import demo

    # given thirty notes for one person, oldest first
    base = timezone.now() - datetime.timedelta(days=30)
    for day in range(30):
        NotificationFactory(recipient=head_a, created_at=base + datetime.timedelta(days=day))
    # when the demo finishes, then only the five newest are unread, and again changes nothing
    assert demo.finish() == "25 older notifications marked read"
    unread = Notification.objects.filter(recipient=head_a, read_at__isnull=True)
    assert unread.count() == demo.UNREAD_KEPT
    assert min(n.created_at for n in unread) == base + datetime.timedelta(days=25)
    assert demo.finish() == "0 older notifications marked read"
