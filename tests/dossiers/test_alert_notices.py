"""The hourly dossier alerts reach the receiving unit's head and staff, once per dossier."""

import datetime

import pytest
import time_machine
from django.core import mail

from core.models import JobRun
from dossiers import services
from dossiers.jobs import alert_overdue_dossiers_task
from dossiers.models import Dossier
from dossiers.services import alert_notices
from notifications.models import Notification, NotificationKind
from tests.dossiers.factories import at, make_dossier

D = datetime.date


@pytest.fixture(autouse=True)
def _empty_outbox():
    mail.outbox = []


@pytest.fixture
def people(head_a, staff_a, head_b):
    for user in (head_a, staff_a, head_b):
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])
    return head_a, staff_a, head_b


def kinds(user) -> list[tuple[str, int]]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", "object_id"))


def run_job_at(moment: datetime.datetime, capture) -> int:
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return alert_overdue_dossiers_task.delay().get()


def test_an_overdue_dossier_is_told_once_from_midnight_vietnam_time(
    procedure, unit_a, people, django_capture_on_commit_callbacks
):
    head_a, staff_a, head_b = people
    # given a dossier of unit A due Thursday 19/3/2026
    dossier = make_dossier(procedure, unit_a)
    # at 23:59 on 19/3 it is not overdue; at 00:05 on 20/3 (still 19/3 in UTC) it is
    assert run_job_at(at(2026, 3, 19, 23, 59), django_capture_on_commit_callbacks) == 0
    assert run_job_at(at(2026, 3, 20, 0, 5), django_capture_on_commit_callbacks) == 1
    # and the next hour's run tells nobody again
    assert run_job_at(at(2026, 3, 20, 1, 5), django_capture_on_commit_callbacks) == 0
    overdue = [(NotificationKind.DOSSIER_OVERDUE, dossier.pk)]
    assert kinds(head_a) == kinds(staff_a) == overdue
    assert kinds(head_b) == []
    notification = Notification.objects.get(recipient=head_a)
    assert notification.message == (
        f"Hồ sơ {dossier.code} (Đăng ký biến động quyền sử dụng đất) đã quá hạn giải quyết "
        "(hạn 19/03/2026)."
    )
    assert notification.link == f"/ho-so/{dossier.pk}/"
    # the immediate mail goes once to each of the unit's people
    assert sorted(m.to[0] for m in mail.outbox) == ["head_a@example.vn", "staff_a@example.vn"]
    assert JobRun.objects.filter(job="alert-overdue-dossiers").count() == 3


def test_a_late_dossier_without_apology_is_reminded_one_working_day_later(
    procedure, unit_a, staff_a, head_a
):
    # given two dossiers due Thursday 19/3, late from Friday; one has its apology letter
    late = make_dossier(procedure, unit_a)
    apologised = make_dossier(procedure, unit_a)
    services.dossier_register_apology(dossier=apologised, actor=staff_a, new_due_date=D(2099, 1, 1))
    # Friday: both overdue, no apology reminder yet
    result = alert_notices.dossier_alerts_notify(as_of=D(2026, 3, 20))
    assert (result.overdue, result.apologies) == (2, 0)
    # Monday 23/3: the reminder for the one without a letter, once
    result = alert_notices.dossier_alerts_notify(as_of=D(2026, 3, 23))
    assert (result.overdue, result.apologies, result.notifications) == (0, 1, 2)
    assert alert_notices.dossier_alerts_notify(as_of=D(2026, 3, 24)).claimed == 0
    reminder = Notification.objects.get(recipient=head_a, kind=NotificationKind.INFO)
    assert reminder.object_id == late.pk
    assert "chưa có phiếu xin lỗi" in reminder.message


def test_a_failure_while_notifying_gives_the_claims_back(procedure, unit_a, head_a, monkeypatch):
    dossier = make_dossier(procedure, unit_a)

    def broken(**kwargs):
        raise RuntimeError("notifications unavailable")

    monkeypatch.setattr(alert_notices, "notify_units", broken)
    with pytest.raises(RuntimeError):
        alert_notices.dossier_alerts_notify(as_of=D(2026, 3, 20))
    assert Dossier.objects.get(pk=dossier.pk).overdue_alerted_at is None
    # the next run claims and tells it
    monkeypatch.undo()
    assert alert_notices.dossier_alerts_notify(as_of=D(2026, 3, 20)).overdue == 1
    assert kinds(head_a) == [(NotificationKind.DOSSIER_OVERDUE, dossier.pk)]
