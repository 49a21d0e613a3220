"""Home Affairs' review queue: longest waiting first, then most overdue; filters and a total."""

import datetime

from django.urls import reverse

from tasks.models import AssignmentPeriod
from tasks.status import WorkflowState
from tests.listpage import read_list_page
from tests.tasks.factories import AssignmentFactory

D = datetime.date
QUEUE = reverse("tasks:review_queue")


def _awaiting(unit, *, reported, deadline):
    return AssignmentFactory(
        unit=unit,
        state=WorkflowState.AWAITING_CONFIRMATION,
        completed_on=reported,
        deadline=deadline,
    )


def test_the_queue_shows_the_longest_waiting_first_then_the_most_overdue(
    client_for, home_affairs, unit_a, unit_b
):
    # given reports waiting since different days, two of them since the same day
    recent = _awaiting(unit_a, reported=D(2026, 5, 20), deadline=D(2026, 5, 1))
    oldest = _awaiting(unit_b, reported=D(2026, 5, 2), deadline=D(2026, 6, 30))
    same_day_later_deadline = _awaiting(unit_a, reported=D(2026, 5, 10), deadline=D(2026, 6, 1))
    same_day_more_overdue = _awaiting(unit_b, reported=D(2026, 5, 10), deadline=D(2026, 4, 1))
    # and a recurring assignment whose oldest awaiting period was reported on 05/05/2026
    recurring = AssignmentFactory(unit=unit_a, deadline=None)
    for start, reported in ((D(2026, 1, 1), D(2026, 5, 5)), (D(2026, 2, 1), D(2026, 5, 25))):
        AssignmentPeriod.objects.create(
            assignment=recurring,
            period_start=start,
            period_end=start.replace(day=28),
            deadline=start.replace(day=28),
            state=WorkflowState.AWAITING_CONFIRMATION,
            completed_on=reported,
        )
    # when Home Affairs opens the queue
    response = client_for(home_affairs).get(QUEUE)
    # then it reads oldest report first; on the same day, the most overdue first
    assert [row.pk for row in response.context["page"]] == [
        oldest.pk,
        recurring.pk,
        same_day_more_overdue.pk,
        same_day_later_deadline.pk,
        recent.pk,
    ]
    assert read_list_page(response).total == 5


def test_the_queue_filters_by_unit_and_sorts_by_a_header(client_for, home_affairs, unit_a, unit_b):
    first = _awaiting(unit_a, reported=D(2026, 5, 2), deadline=D(2026, 6, 1))
    second = _awaiting(unit_a, reported=D(2026, 5, 9), deadline=D(2026, 5, 1))
    _awaiting(unit_b, reported=D(2026, 5, 1), deadline=D(2026, 5, 1))
    client = client_for(home_affairs)
    mine = client.get(QUEUE, {"unit": unit_a.pk, "sort": "-waiting"})
    assert [row.pk for row in mine.context["page"]] == [second.pk, first.pk]
    page = read_list_page(mine)
    assert page.total == 2
    assert [tag["param"] for tag in page.tags] == ["unit"]
    evil = client.get(QUEUE, {"unit": unit_a.pk, "sort": "evil"})
    assert [row.pk for row in evil.context["page"]] == [first.pk, second.pk]
