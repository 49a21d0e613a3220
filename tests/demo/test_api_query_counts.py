"""Every API list's query count, pinned in one table, on the demo province.

Each list is read twice by Home Affairs (who sees every row): a page of one row and a page of
fifty. A serializer field that queries per row makes the second read cost more than the first;
the table pins the count so a new join or prefetch is a decision, not an accident. A list the
table does not name fails the test: adding an API list means pinning it here.
"""

from __future__ import annotations

import pytest

from tests.routes import api_list_names

# route name -> queries for one page, whatever its size: the session and the user (2), the
# list's own statements (COUNT, the page, one per prefetched relation), and the session save in
# a savepoint (3).
PINNED = {
    "assessment-list": 7,
    "assignment-list": 7,
    "criterion-list": 8,
    "directive-list": 9,
    "dossier-aggregate-list": 7,
    "dossier-list": 6,  # a keyset page: no COUNT over the dossier table
    "framework-list": 8,
    "kpi-measurement-list": 7,
    "kpi-target-list": 8,
    "notification-list": 7,
    "procedure-list": 7,
    "progressreport-list": 8,
    "provincial-index-list": 7,
    "review-list": 7,
    "score-line-list": 8,
    "task-list": 7,
    "unit-list": 7,
}


def _second_framework(user):
    from tests.indicators.factories import build_framework

    build_framework(year=2024, name="Bộ chỉ số CCHC các sở 2024", deadline=None)


def _more_notifications(user):
    from tests.notifications.factories import NotificationFactory

    NotificationFactory.create_batch(3, recipient=user)


# Lists the demo gives Home Affairs a single row of: the test adds a few (rolled back after it).
MORE_ROWS = {"framework-list": _second_framework, "notification-list": _more_notifications}


def test_every_api_list_is_pinned():
    assert set(api_list_names()) == set(PINNED), (
        "every API list needs its query count pinned in PINNED"
    )


@pytest.mark.parametrize("name", sorted(PINNED))
def test_api_list_query_count_does_not_grow_with_the_page(
    name, persona_client, django_assert_num_queries
):
    from django.urls import reverse

    client = persona_client("noivu")
    if name in MORE_ROWS:
        from organizations.models import User

        MORE_ROWS[name](User.objects.get(username="noivu"))
    url = reverse(name)
    client.get(url, {"page_size": 1})  # warm the session and the caches of the first request

    with django_assert_num_queries(PINNED[name]):
        one = client.get(url, {"page_size": 1})
    with django_assert_num_queries(PINNED[name]):
        fifty = client.get(url, {"page_size": 50})

    assert one.status_code == fifty.status_code == 200
    rows_one, rows_fifty = len(one.json()["results"]), len(fifty.json()["results"])
    assert rows_one == 1
    assert rows_fifty > 1, f"the demo province has too few rows for {name} to tell"


# The conversation of one assignment (not a router list, so not in PINNED): the session and the
# user (2), the thread's lead assignment in the user's scope (1), COUNT, the page and its
# attachments (3), and the session save in a savepoint (3).
POSTS_QUERIES = 9


def test_the_conversation_is_paged_with_its_query_count_pinned(
    persona_client, django_assert_num_queries
):
    from django.urls import reverse

    from directives.demo import this_year_plan_number
    from tasks.models import Assignment

    # given the demo's conversation on the PCI task of this year's plan (four messages)
    thread = Assignment.objects.get(
        task__directive__number=this_year_plan_number(), task__item_number="36", role="lead"
    )
    url = reverse("assignment-posts", args=[thread.pk])
    client = persona_client("noivu")
    client.get(url, {"page_size": 1})  # warm the session

    # when Home Affairs reads a page of one and a page of fifty: the same queries
    with django_assert_num_queries(POSTS_QUERIES):
        one = client.get(url, {"page_size": 1})
    with django_assert_num_queries(POSTS_QUERIES):
        fifty = client.get(url, {"page_size": 50})

    # then the list is paged like every other: a count, and the rows oldest first
    assert one.json()["count"] == fifty.json()["count"] == 4
    assert len(one.json()["results"]) == 1 and one.json()["next"]
    bodies = [post["body"] for post in fifty.json()["results"]]
    assert bodies[0].startswith("Đề nghị Sở Tư pháp chủ trì") and len(bodies) == 4
