"""notifications/policy.py: a notification and the delivery settings are their person's own,
whatever the role: a parent unit's head can neither read nor mark its sub-unit head's."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from notifications import policy, services
from notifications.models import Notification

PERSONAS = ("home_affairs", "leader", "head_a", "staff_a", "head_sub_a", "head_b")


@pytest.fixture
def sub_notice(head_sub_a):
    return services.notification_send(
        recipient=head_sub_a, kind="info", message="Thông báo", dedupe_key="info:-:policy"
    )


def test_every_role_has_its_own_notifications(people):
    for name, user in people.items():
        assert {a for a in policy.ROLES if policy.role_may(user, a)} == set(policy.ROLES), name


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_recipient_marks_a_notification_read(client, people, sub_notice, persona):
    user = people[persona]
    own = persona == "head_sub_a"
    assert policy.may(user, policy.NOTIFICATION_READ, notification=sub_notice) is own
    client.force_login(user)
    page = client.post(reverse("notifications:mark_read", args=[sub_notice.pk]))
    api = client.post(reverse("notification-read", args=[sub_notice.pk]))
    if own:
        assert (page.status_code, api.status_code) == (302, 200)
    else:
        # another person's notification is not found, the parent unit's head's included
        assert (page.status_code, api.status_code) == (404, 404)
        with pytest.raises(PermissionDenied):
            services.notification_mark_read(notification=sub_notice, actor=user)
        assert Notification.objects.get(pk=sub_notice.pk).read_at is None


def test_marking_all_read_touches_only_ones_own(client, head_a, sub_notice):
    client.force_login(head_a)
    assert client.post(reverse("notification-read-all")).json() == {"marked": 0}
    assert Notification.objects.get(pk=sub_notice.pk).read_at is None
