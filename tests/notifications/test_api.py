"""/api/v1/notifications/: a person's own notifications, filtered, ordered and paginated."""

import pytest
from rest_framework.test import APIClient

from notifications.services import notification_mark_read, notification_send


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _send(user, number):
    return notification_send(
        recipient=user, kind="info", message=f"Thông báo {number}", dedupe_key=f"t:{number}"
    )


def test_a_person_lists_only_their_own(head_a, head_b):
    mine = _send(head_a, 1)
    _send(head_b, 2)
    response = _api(head_a).get("/api/v1/notifications/")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [mine.pk]


def test_another_persons_notification_gives_404(head_a, head_b):
    theirs = _send(head_b, 1)
    response = _api(head_a).get(f"/api/v1/notifications/{theirs.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_unread_filter_and_ordering(head_a):
    first, second = _send(head_a, 1), _send(head_a, 2)
    notification_mark_read(notification=first)
    client = _api(head_a)
    unread = client.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]
    assert [item["id"] for item in unread] == [second.pk]
    oldest_first = client.get("/api/v1/notifications/", {"ordering": "id"}).json()["results"]
    assert [item["id"] for item in oldest_first] == [first.pk, second.pk]


@pytest.mark.parametrize("count", [2, 20])
def test_list_query_count_is_flat(head_a, django_assert_num_queries, count):
    for number in range(count):
        _send(head_a, number)
    client = _api(head_a)
    # count, page of notifications (force_authenticate: no session or token lookup)
    with django_assert_num_queries(2):
        assert client.get("/api/v1/notifications/").status_code == 200
