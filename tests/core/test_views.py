import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import JobRun, JobRunOutcome

VN = datetime.timezone(datetime.timedelta(hours=7))


def make_runs(count: int) -> None:
    start = datetime.datetime(2026, 11, 20, 7, 0, tzinfo=VN)
    JobRun.objects.bulk_create(
        JobRun(
            job=("notifications-daily-digest", "notifications-purge-read")[i % 2],
            started_at=start + datetime.timedelta(minutes=i),
            finished_at=start + datetime.timedelta(minutes=i, seconds=3),
            rows=i,
            outcome=JobRunOutcome.FAILED if i == 0 else JobRunOutcome.SUCCEEDED,
            error="RuntimeError: boom" if i == 0 else "",
        )
        for i in range(count)
    )


def test_operations_page_lists_job_runs_for_home_affairs(client_for, home_affairs):
    make_runs(3)
    response = client_for(home_affairs).get(reverse("core:jobrun_list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 3
    assert "RuntimeError: boom" in response.content.decode()


@pytest.mark.parametrize("user", ["head_a", "leader", "staff_a"])
def test_operations_page_is_for_home_affairs_only(client_for, user, request):
    response = client_for(request.getfixturevalue(user)).get(reverse("core:jobrun_list"))
    assert response.status_code == 403


def test_operations_page_filters_by_outcome_job_and_day(client_for, home_affairs):
    make_runs(4)
    JobRun.objects.create(job="other", started_at=timezone.now() - datetime.timedelta(days=30))
    client = client_for(home_affairs)
    failed = client.get(reverse("core:jobrun_list"), {"outcome": "failed"})
    assert [run.error for run in failed.context["page"]] == ["RuntimeError: boom"]
    purge = client.get(reverse("core:jobrun_list"), {"job": "notifications-purge-read"})
    assert {run.job for run in purge.context["page"]} == {"notifications-purge-read"}
    day = client.get(
        reverse("core:jobrun_list"), {"started_from": "2026-11-20", "started_to": "2026-11-20"}
    )
    assert len(day.context["page"]) == 4


def test_operations_page_htmx_gets_the_table_only(client_for, home_affairs):
    make_runs(1)
    response = client_for(home_affairs).get(reverse("core:jobrun_list"), HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize("count", [3, 120])
def test_operations_page_query_count_does_not_grow(
    client_for, home_affairs, django_assert_num_queries, count
):
    make_runs(count)
    client = client_for(home_affairs)
    # session, user, job names (filter choices), page count, page rows, the user's unit
    # (navigation bar), and the session saved on every request (savepoint, update, release)
    with django_assert_num_queries(9):
        response = client.get(reverse("core:jobrun_list"), {"page": 2 if count > 50 else 1})
    assert response.status_code == 200
