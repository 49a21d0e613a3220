import datetime

import time_machine
from django.core import mail

from notifications.models import Notification, NotificationPreference
from notifications.services import digests_send
from tests.notifications.factories import NotificationFactory

VN = datetime.timezone(datetime.timedelta(hours=7))
DAY = datetime.date(2026, 11, 21)


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=VN)


def test_digest_lists_the_days_unmailed_notifications_in_one_mail(with_emails):
    head_a, _, _ = with_emails
    # given two notifications from yesterday afternoon and this morning, and an old one
    NotificationFactory(recipient=head_a, message="Việc A sắp đến hạn", created_at=at(20, 15))
    NotificationFactory(recipient=head_a, message="Việc B quá hạn", created_at=at(21, 6))
    NotificationFactory(recipient=head_a, message="Việc cũ", created_at=at(18, 9))
    # when the 07:00 digest runs
    with time_machine.travel(at(21, 7), tick=False):
        sent = digests_send()
    # then one mail, in Vietnamese, with both recent ones and not the old one
    assert sent == 1
    [message] = mail.outbox
    assert message.to == ["head_a@stc.example"]
    assert message.subject == "[Cổng CCHC] Tổng hợp thông báo ngày 21/11/2026 (2 thông báo)"
    assert "Việc A sắp đến hạn" in message.body and "Việc B quá hạn" in message.body
    assert "Việc cũ" not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Việc B quá hạn" in html
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_running_the_digest_twice_sends_one_mail(with_emails):
    head_a, _, _ = with_emails
    NotificationFactory(recipient=head_a, created_at=at(21, 6))
    with time_machine.travel(at(21, 7), tick=False):
        first = digests_send()
    # a notification arrives, then the digest runs again the same day
    NotificationFactory(recipient=head_a, created_at=at(21, 8))
    with time_machine.travel(at(21, 9), tick=False):
        second = digests_send()
    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1


def test_the_next_vietnam_day_starts_at_midnight_local_time(with_emails):
    head_a, _, _ = with_emails
    NotificationFactory(recipient=head_a, created_at=at(21, 20))
    with time_machine.travel(at(21, 23, 59), tick=False):
        assert digests_send() == 1
    NotificationFactory(recipient=head_a, created_at=at(22, 0, 0))
    # 00:01 in Vietnam is still 21/11 in UTC, but it is a new day for the digest
    with time_machine.travel(at(22, 0, 1), tick=False):
        assert digests_send() == 1
    assert [m.subject.split("ngày ")[1] for m in mail.outbox] == [
        "21/11/2026 (1 thông báo)",
        "22/11/2026 (1 thông báo)",
    ]
    assert NotificationPreference.objects.get(user=head_a).last_digest_on == datetime.date(
        2026, 11, 22
    )


def test_no_mail_when_there_is_nothing_to_say(with_emails):
    head_a, _, _ = with_emails
    # only an already mailed and an old notification
    NotificationFactory(recipient=head_a, created_at=at(21, 6), emailed_at=at(21, 6, 5))
    NotificationFactory(recipient=head_a, created_at=at(10, 6))
    with time_machine.travel(at(21, 7), tick=False):
        assert digests_send() == 0
    assert mail.outbox == []


def test_digest_respects_preferences_and_missing_addresses(with_emails, home_affairs):
    head_a, staff_a, head_b = with_emails
    # given head B turned the digest off and Home Affairs has no e-mail address
    NotificationPreference.objects.create(user=head_b, daily_digest=False)
    for user in (head_a, staff_a, head_b, home_affairs):
        NotificationFactory(recipient=user, created_at=at(21, 6))
    with time_machine.travel(at(21, 7), tick=False):
        assert digests_send() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["head_a@stc.example", "staff_a@stc.example"]
    # the others stay unmailed (still visible in the portal)
    assert set(
        Notification.objects.filter(emailed_at__isnull=True).values_list(
            "recipient__username", flat=True
        )
    ) == {"head_b", "home_affairs"}


def test_notification_mailed_at_once_is_not_repeated_in_the_digest(with_emails):
    head_a, _, _ = with_emails
    NotificationFactory(recipient=head_a, created_at=at(21, 6), emailed_at=at(21, 6))
    NotificationFactory(recipient=head_a, message="Chưa gửi", created_at=at(21, 6))
    with time_machine.travel(at(21, 7), tick=False):
        digests_send(day=DAY)
    [message] = mail.outbox
    assert "(1 thông báo)" in message.subject and "Chưa gửi" in message.body
