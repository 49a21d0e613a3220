"""Every list shows the total of the rows its filters select, its active filters as tags, and
sorts by its headers through a whitelist (the list component on the other lists)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from core.models import JobRun
from notifications.models import Notification, NotificationKind
from organizations.models import UnitKind, UnitLevel
from tests.factories import OrgUnitFactory
from tests.listpage import read_list_page
from tests.tasks.factories import DirectiveFactory


def test_directive_list_total_tags_and_sort(client_for, home_affairs, province):
    # given three directives, two of 2026
    old = DirectiveFactory(issue_date=datetime.date(2025, 12, 1))
    first = DirectiveFactory(issue_date=datetime.date(2026, 1, 10))
    second = DirectiveFactory(issue_date=datetime.date(2026, 3, 2))
    client = client_for(home_affairs)
    # when filtered by year and issuer
    response = client.get(
        reverse("directives:directive_list"), {"year": 2026, "issuer": province.pk}
    )
    page = read_list_page(response)
    # then the total counts the two, each filter is a tag, newest first by default
    assert page.total == 2
    assert {tag["param"] for tag in page.tags} == {"year", "issuer"}
    assert [d.pk for d in response.context["page"]] == [second.pk, first.pk]
    oldest_first = client.get(reverse("directives:directive_list"), {"sort": "date"})
    assert [d.pk for d in oldest_first.context["page"]] == [old.pk, first.pk, second.pk]
    evil = client.get(reverse("directives:directive_list"), {"sort": "summary"})
    assert [d.pk for d in evil.context["page"]] == [second.pk, first.pk, old.pk]


def test_unit_list_total_and_sort_by_name(client_for, home_affairs, province):
    OrgUnitFactory(code="X02", name="Xã Bắc", kind=UnitKind.COMMUNE, level=UnitLevel.COMMUNE)
    OrgUnitFactory(code="X01", name="Xã An", kind=UnitKind.COMMUNE, level=UnitLevel.COMMUNE)
    client = client_for(home_affairs)
    url = reverse("organizations:unit_list")
    communes = client.get(url, {"level": UnitLevel.COMMUNE, "sort": "-name"})
    page = read_list_page(communes)
    assert page.total == 2
    assert [tag["text"] for tag in page.tags] == ["Cấp: Cấp xã ×"]
    assert [unit.name for unit in communes.context["page"]] == ["Xã Bắc", "Xã An"]
    existing = read_list_page(client.get(url, {"current": "true", "level": UnitLevel.COMMUNE}))
    assert existing.total == 2
    assert "Đang tồn tại: Có ×" in [tag["text"] for tag in existing.tags]


def test_notification_list_total_follows_the_unread_filter(client_for, head_a):
    for n in range(3):
        Notification.objects.create(
            recipient=head_a,
            kind=NotificationKind.OVERDUE,
            message=f"Nhiệm vụ {n} quá hạn",
            dedupe_key=f"k{n}",
            read_at=timezone.now() if n == 0 else None,
        )
    client = client_for(head_a)
    assert read_list_page(client.get(reverse("notifications:list"))).total == 3
    unread = read_list_page(client.get(reverse("notifications:list"), {"unread": "true"}))
    assert unread.total == 2
    assert [tag["param"] for tag in unread.tags] == ["unread"]


def test_job_run_list_takes_dates_as_dd_mm_yyyy(client_for, home_affairs):
    for day in (1, 10, 20):
        JobRun.objects.create(
            job="dossiers.rollup",
            started_at=timezone.make_aware(datetime.datetime(2026, 3, day, 8)),
        )
    client = client_for(home_affairs)
    page = read_list_page(client.get(reverse("core:jobrun_list"), {"started_from": "10/03/2026"}))
    assert page.total == 2
    assert [tag["text"] for tag in page.tags][0].endswith(": 10/03/2026 ×")
