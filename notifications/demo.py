"""Demo notifications: a welcome note for every demo user, so the bell shows something before
the first scheduled job. Idempotent: the note has one de-duplication key per user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from notifications.models import NotificationKind
from notifications.services import notification_send


def load() -> str:
    created = 0
    for user in get_user_model().objects.filter(is_active=True).order_by("pk"):
        notification = notification_send(
            recipient=user,
            kind=NotificationKind.INFO,
            message=(
                "Chào mừng anh/chị đến với Cổng CCHC. Thông báo về thời hạn nhiệm vụ sẽ hiện ở "
                "đây; có thể chọn nhận thư tổng hợp hằng ngày trong phần cài đặt."
            ),
            link=reverse("notifications:preferences"),
            dedupe_key="info:welcome",
        )
        created += notification is not None
    return f"{created} welcome notifications"
