import pytest
from django.urls import reverse

from notifications.models import Notification, NotificationPreference
from tests.notifications.factories import NotificationFactory


def test_bell_shows_unread_count(client_for, head_a, head_b):
    # given two unread and one read for head A, and one for head B
    NotificationFactory.create_batch(2, recipient=head_a)
    NotificationFactory(recipient=head_a, read_at="2026-11-20T08:00:00+07:00")
    NotificationFactory(recipient=head_b)
    # when
    response = client_for(head_a).get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    # then
    assert response.status_code == 200
    assert response.context["unread"] == 2


def test_every_page_loads_the_bell_with_htmx(client_for, head_a):
    response = client_for(head_a).get(reverse("notifications:list"))
    assert reverse("notifications:bell") in response.content.decode()


def test_list_shows_own_notifications_only(client_for, head_a, head_b):
    mine = NotificationFactory(recipient=head_a, message="Của tôi")
    NotificationFactory(recipient=head_b, message="Của người khác")
    response = client_for(head_a).get(reverse("notifications:list"))
    assert list(response.context["page"]) == [mine]
    assert "Của người khác" not in response.content.decode()


def test_list_unread_filter(client_for, head_a):
    unread = NotificationFactory(recipient=head_a)
    NotificationFactory(recipient=head_a, read_at="2026-11-20T08:00:00+07:00")
    response = client_for(head_a).get(reverse("notifications:list"), {"unread": "true"})
    assert list(response.context["page"]) == [unread]


@pytest.mark.parametrize("count", [2, 40])
def test_list_query_count_does_not_grow(client_for, head_a, django_assert_num_queries, count):
    NotificationFactory.create_batch(count, recipient=head_a)
    client = client_for(head_a)
    # session, user, page count, the user's unit (navigation bar), page rows, and the session
    # saved on every request (savepoint, update, release)
    with django_assert_num_queries(8):
        response = client.get(reverse("notifications:list"))
    assert response.status_code == 200


def test_mark_read_then_open_goes_to_the_link(client_for, head_a):
    notification = NotificationFactory(recipient=head_a, link="/don-vi/")
    response = client_for(head_a).post(
        reverse("notifications:mark_read", args=[notification.pk]), {"open": "1"}
    )
    assert response.status_code == 302 and response.url == "/don-vi/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_never_redirects_off_site(client_for, head_a):
    notification = NotificationFactory(recipient=head_a, link="https://evil.example/")
    response = client_for(head_a).post(
        reverse("notifications:mark_read", args=[notification.pk]), {"open": "1"}
    )
    assert response.url == reverse("notifications:list")


def test_mark_read_with_htmx_returns_the_row(client_for, head_a):
    notification = NotificationFactory(recipient=head_a)
    response = client_for(head_a).post(
        reverse("notifications:mark_read", args=[notification.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="notification-{notification.pk}"' in response.content.decode()
    assert response["HX-Trigger"] == "notifications-changed"  # the bell reloads


def test_marking_another_users_notification_gives_404(client_for, head_a, head_b):
    # given a notification of head B
    other = NotificationFactory(recipient=head_b)
    # when head A tries to mark it
    response = client_for(head_a).post(reverse("notifications:mark_read", args=[other.pk]))
    # then
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_read_needs_post(client_for, head_a):
    notification = NotificationFactory(recipient=head_a)
    response = client_for(head_a).get(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 405


def test_mark_all_read(client_for, head_a, head_b):
    NotificationFactory.create_batch(3, recipient=head_a)
    NotificationFactory(recipient=head_b)
    response = client_for(head_a).post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_preferences_page_saves_choices(client_for, head_a):
    client = client_for(head_a)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    response = client.post(reverse("notifications:preferences"), {"daily_digest": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=head_a)
    assert preference.daily_digest is True
    assert preference.immediate_overdue is False


def test_pages_need_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302


def test_preferences_page_offers_immediate_mail_of_workflow_events(client_for, head_a):
    client = client_for(head_a)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "gửi thư ngay khi có việc xử lý nhiệm vụ" in page.lower()
    client.post(
        reverse("notifications:preferences"),
        {"daily_digest": "on", "immediate_workflow": "on"},
    )
    preference = NotificationPreference.objects.get(user=head_a)
    assert (preference.immediate_workflow, preference.immediate_overdue) == (True, False)


def test_a_notification_past_id_999_keeps_a_plain_id_in_its_row(client_for, head_a):
    # The portal groups thousands (1.234): an id in an attribute must not be, or htmx's
    # "#notification-1.234" selects nothing and "mark as read" does nothing.
    NotificationFactory(recipient=head_a, pk=12345)
    body = client_for(head_a).get(reverse("notifications:list")).content.decode()
    assert 'id="notification-12345"' in body
    assert 'hx-target="#notification-12345"' in body
