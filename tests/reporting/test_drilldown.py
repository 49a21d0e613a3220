"""The lists the dashboards link to show the rows behind each figure: the task list reads
statuses on the day a link names, the dossier list filters late dossiers without an apology
and dossiers paid online."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from reporting.dashboards.panels import UnitPanel, unit_context
from tests.reporting.factories import build_plan

LIST = reverse("tasks:assignment_list")


def test_task_list_reads_statuses_on_the_day_a_link_names(client, leader, unit_a):
    # given a task done 12 days ago, due 10 days ago, started 30 days ago
    build_plan({unit_a: ["done_on_time"]})
    client.force_login(leader)
    twenty_days_ago = timezone.localdate() - datetime.timedelta(days=20)
    # when the list is read as of 20 days ago, then it was in progress then
    then = client.get(LIST, {"as_of": twenty_days_ago.isoformat(), "status": "in_progress"})
    assert len(then.context["page"].object_list) == 1
    assert then.context["as_of"] == twenty_days_ago
    # and today it is done on time, not in progress
    assert len(client.get(LIST, {"status": "in_progress"}).context["page"].object_list) == 0
    # a day in the future is read as today
    later = client.get(LIST, {"as_of": "2999-01-01"})
    assert later.context["as_of"] == timezone.localdate()


def test_dossier_list_filters_late_without_apology_and_paid_online(client, leader, unit_a):
    from dossiers.models import Channel
    from tests.dossiers.factories import at, make_dossier, make_procedure

    procedure = make_procedure(time_limit=3, has_fee=True)
    late = make_dossier(procedure, unit_a, received_at=at(2026, 3, 2))
    paid = make_dossier(
        procedure,
        unit_a,
        received_at=at(2026, 3, 2),
        channel=Channel.ONLINE,
        fee_required=True,
        paid_online=True,
    )
    client.force_login(leader)
    url = reverse("dossiers:dossier_list")
    late_rows = client.get(url, {"late_without_apology": "true"}).context["rows"]
    assert {row.pk for row in late_rows} == {late.pk, paid.pk}  # both still open past due
    paid_rows = client.get(url, {"paid_online": "true"}).context["rows"]
    assert [row.pk for row in paid_rows] == [paid.pk]


def test_unit_dashboard_links_open_the_units_own_lists(client, head_a, unit_a):
    build_plan({unit_a: ["done_on_time", "done_late", "overdue"]})
    data = UnitPanel(unit_context(head_a), unit_a).compute()
    client.force_login(head_a)
    done = client.get(data["unit_figures"]["done"].url)
    assert done.status_code == 200
    assert len(done.context["page"].object_list) == data["completion"]["unit_done"] == 2
    overdue = client.get(data["overdue_all"].url)
    assert len(overdue.context["page"].object_list) == len(data["overdue"]) == 1
    assert data["overdue_all"].rows == 1
