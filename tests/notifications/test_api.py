import pytest
from rest_framework.test import APIClient

from notifications.models import Notification
from tests.notifications.factories import NotificationFactory


@pytest.fixture
def api():
    return APIClient()


def test_api_lists_own_notifications_with_the_pages_filter(api, head_a, head_b):
    unread = NotificationFactory(recipient=head_a, message="Chưa đọc")
    NotificationFactory(recipient=head_a, read_at="2026-11-20T08:00:00+07:00")
    NotificationFactory(recipient=head_b)
    api.force_authenticate(head_a)
    assert api.get("/api/v1/notifications/").json()["count"] == 2
    rows = api.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]
    assert [(row["id"], row["message"]) for row in rows] == [(unread.pk, "Chưa đọc")]


def test_api_another_users_notification_gives_404(api, head_a, head_b):
    other = NotificationFactory(recipient=head_b)
    api.force_authenticate(head_a)
    assert api.get(f"/api/v1/notifications/{other.pk}/").status_code == 404
    assert api.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_api_marks_one_and_all_read(api, head_a):
    first, _, _ = NotificationFactory.create_batch(3, recipient=head_a)
    api.force_authenticate(head_a)
    response = api.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_anonymous_api_request_is_refused(api):
    assert api.get("/api/v1/notifications/").status_code in (401, 403)


@pytest.mark.parametrize("count", [3, 60])
def test_api_list_query_count_is_flat(api, head_a, django_assert_num_queries, count):
    NotificationFactory.create_batch(count, recipient=head_a)
    api.force_authenticate(head_a)
    # page count, page rows
    with django_assert_num_queries(2):
        response = api.get("/api/v1/notifications/")
    assert response.status_code == 200
