"""On the demo province (shared by tests/demo), `run_job` gives demo users notifications to see
(and leaders a mail)."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from notifications.models import Notification, NotificationKind


@pytest.fixture
def demo(demo_province, db):
    """The demo province the package built (tests/demo/conftest.py); the jobs' writes are
    rolled back with each test."""
    mail.outbox = []


def test_demo_unit_people_see_notifications_after_run_job(demo, client):
    # when the deadline scan is run by hand on the day the demo is loaded
    call_command("run_job", "tasks-deadline-scan", stdout=open("/dev/null", "w"))
    # then the plan's work due in 1, 3 and 7 days is told to its units' demo users
    reminders = Notification.objects.filter(kind=NotificationKind.DUE_SOON).select_related(
        "recipient"
    )
    assert reminders.count() == 6  # three tasks, each to its unit's head and staff
    notification = reminders.first()
    assert notification.recipient.username.startswith(("truong.", "cv."))
    client.force_login(notification.recipient)
    page = client.get(reverse("notifications:list"))
    assert page.status_code == 200
    assert notification.message in page.content.decode()
    # a second run the same day tells nobody again
    count = Notification.objects.count()
    call_command("run_job", "tasks-deadline-scan", stdout=open("/dev/null", "w"))
    assert Notification.objects.count() == count


def test_demo_leaders_get_the_weekly_summary_from_run_job(demo):
    call_command("run_job", "tasks-leadership-summary", stdout=open("/dev/null", "w"))
    assert sorted(m.to[0] for m in mail.outbox) == [
        "lanhdao@anhoa.example",
        "noivu2@anhoa.example",
        "noivu@anhoa.example",
    ]
    assert "Tỷ lệ hoàn thành" in mail.outbox[0].body
