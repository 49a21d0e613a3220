"""The change history page reads as people read: sign-ins are not changes; each row names its
record and links to it, labels the changed fields in Vietnamese and shows values formatted
(names, not ids; choice labels; dd/mm/yyyy; Có/Không); its query count does not grow with rows."""

from __future__ import annotations

import datetime
import importlib
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from directives.models import Directive
from directives.services import directive_create, directive_update
from organizations.models import OrgUnit, User
from reporting.audit import audit_entries, audit_union
from tasks import services as task_services
from tasks.models import Task
from tests.conftest import PASSWORD

URL = "reporting:change_history"


def _page(client, **params) -> str:
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    """The page's visible text, one space between words."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [_text(row) for row in body.split("<tr>")[1:]]


def test_signing_in_records_no_change(client, client_for, home_affairs, staff_a):
    # given the users as created (one "created" row each)
    before = User.history.count()

    # when they sign in, through the login form and directly
    assert client.post(
        reverse(settings.LOGIN_URL), {"username": staff_a.username, "password": PASSWORD}
    ).status_code in (200, 302)
    staff_a.refresh_from_db()
    assert staff_a.last_login is not None
    client_for(home_affairs)

    # then no history row was written, and the page lists only the two creations of users
    assert User.history.count() == before
    rows = _rows(_page(client_for(home_affairs), model="user"))
    assert len(rows) == before
    assert all("Tạo mới" in row for row in rows)


def test_a_real_change_of_a_user_is_still_recorded(home_affairs):
    home_affairs.position = "Chuyên viên chính"
    home_affairs.save()

    latest = home_affairs.history.latest()
    assert latest.history_type == "~"
    assert latest.position == "Chuyên viên chính"


def test_a_deadline_change_shows_the_task_its_label_and_dates(
    client_for, home_affairs, task_a, directive
):
    task_services.task_update(task=task_a, deadline=datetime.date(2026, 9, 30))

    rows = _rows(_page(client_for(home_affairs), model="task"))

    assert "Nhiệm vụ 1. Xây dựng kế hoạch rà soát thủ tục hành chính" in rows[0]
    assert "Sửa đổi" in rows[0]
    assert "Thời hạn: 15/09/2026 → 30/09/2026" in rows[0]
    # the record links to where the task is shown: its directive's page
    html = _page(client_for(home_affairs), model="task")
    assert reverse("directives:directive_detail", args=[directive.pk]) in html


def test_a_lead_unit_change_shows_the_unit_names(client_for, home_affairs, task_a, unit_a, unit_b):
    task_a.lead_unit = unit_b
    task_a.save()

    rows = _rows(_page(client_for(home_affairs), model="task"))

    assert "Đơn vị chủ trì: Sở Tài chính → Sở Tư pháp" in rows[0]
    assert f"#{unit_a.pk}" not in rows[0]


def test_a_state_change_shows_the_choice_labels_and_the_assignment_name(
    client_for, home_affairs, assignment_a
):
    client_for(home_affairs).post(
        reverse("tasks:assignment_manage", args=[assignment_a.pk]),
        {"action": "cancel", "reason": "Đơn vị đã sáp nhập"},
    )

    html = _page(client_for(home_affairs), model="assignment")
    row = _rows(html)[0]

    assert "Trạng thái: Đang mở → Đã hủy" in row or "→ Đã hủy" in row
    assert "cancelled" not in row
    assert "1. Xây dựng kế hoạch rà soát thủ tục hành chính · Sở Tài chính" in row
    assert reverse("tasks:assignment_detail", args=[assignment_a.pk]) in html


def test_booleans_decimals_and_empty_values_read_as_people_write_them(
    client_for, home_affairs, task_a
):
    task_services.task_update(task=task_a, is_key=True, expected_output="")

    row = _rows(_page(client_for(home_affairs), model="task"))[0]

    assert "Nhiệm vụ trọng tâm: Không → Có" in row
    assert "Báo cáo kết quả rà soát → —" in row


def test_decimal_values_use_a_decimal_comma():
    from indicators.models import ScoreLine
    from reporting.audit import Names, _format

    field = ScoreLine.history.model._meta.get_field("max_points")
    assert _format(field, Decimal("70.50"), Names()) == "70,50"
    assert _format(field, Decimal("1234.5"), Names()) == "1.234,5"


def test_no_english_keys_or_iso_dates_on_the_page(client_for, home_affairs, task_a, unit_b):
    task_services.task_update(task=task_a, deadline=datetime.date(2026, 9, 30))
    task_a.lead_unit = unit_b
    task_a.save()

    text = _text(_page(client_for(home_affairs)))

    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    for english in ("Changed", "Created", "deadline", "lead unit", "Task"):
        assert english not in text


def _changes(province, unit_a, unit_b, user, count: int) -> None:
    """count directives, each edited, with a task whose lead unit and deadline change."""
    for number in range(count):
        directive = directive_create(
            number=f"{100 + number}/KH-UBND",
            issue_date=datetime.date(2026, 2, 2),
            summary="Kế hoạch cải cách hành chính",
            issuer=province,
        )
        directive_update(directive=directive, summary=f"Sửa lần {number}")
        task = task_services.task_create(
            directive=directive,
            item_number="1",
            title=f"Nhiệm vụ {number}",
            lead_unit=unit_a,
            deadline=datetime.date(2026, 9, 15),
        )
        task.lead_unit = unit_b
        task.save()
        task_services.task_update(task=task, deadline=datetime.date(2026, 9, 30))
    province.name = province.name + " mới"
    province.save()
    user.position = "Chuyên viên"
    user.save()
    # made through the web, each row names its author (the middleware sets it on requests)
    for model in (Directive, Task, OrgUnit, User):
        model.history.update(history_user=user)


@pytest.mark.parametrize("count", [2, 15])
def test_history_page_query_count_does_not_grow_with_its_rows(
    client_for, home_affairs, province, unit_a, unit_b, django_assert_num_queries, count
):
    _changes(province, unit_a, unit_b, home_affairs, count)
    client = client_for(home_affairs)
    # session, user, the users of the filter's select, count of the union, the page of the
    # union, one query per audited model on the page (users, units, directives, tasks,
    # assignments), one per model named on the page (units, directives, tasks, users), the
    # navbar's unit, and the session save (savepoint, update, release): the same for 2 or 15
    # directives' changes
    with django_assert_num_queries(18):
        response = client.get(reverse(URL))
    assert response.status_code == 200
    assert len(response.context["entries"]) == min(50, response.context["total"])


def test_entries_name_the_record_as_it_was(province):
    directive = directive_create(
        number="2718/UBND-NC",
        issue_date=datetime.date(2026, 3, 4),
        summary="Về việc rà soát thủ tục",
        issuer=province,
    )
    directive_update(directive=directive, summary="Về việc rà soát thủ tục hành chính")

    entries = audit_entries(list(audit_union(models=["directive"])))

    assert entries[0].label == "2718/UBND-NC (04/03/2026)"
    assert entries[0].url == reverse("directives:directive_detail", args=[directive.pk])


def test_the_migration_drops_the_sign_in_rows_recorded_before(home_affairs):
    # given history written before ChangeHistory: a sign-in row identical to the version before
    # it, then a real change
    historical = User.history.model
    created = home_affairs.history.get()
    sign_in = historical.objects.get(pk=created.pk)
    sign_in.pk = None
    sign_in.history_type = "~"
    sign_in.history_date = created.history_date + datetime.timedelta(microseconds=1)
    sign_in.save()
    home_affairs.position = "Chuyên viên chính"
    home_affairs.save()
    assert home_affairs.history.count() == 3

    migration = importlib.import_module("organizations.migrations.0002_drop_sign_in_history")
    migration.drop_sign_in_rows(apps, None)

    assert [row.history_type for row in home_affairs.history.order_by("history_date")] == [
        "+",
        "~",
    ]
    assert home_affairs.history.latest().position == "Chuyên viên chính"
