"""Demo notifications: a welcome note for every demo user, so the bell shows something before
the first scheduled job; and, once every app has loaded (`finish`), each person's older notes
marked read, so the bell shows a believable handful rather than a year's worth. Idempotent:
the note has one de-duplication key per user, and finishing twice reads nothing more."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification, NotificationKind
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


# How many of each person's newest notifications stay unread after the demo is loaded.
UNREAD_KEPT = 5


def finish() -> str:
    """Mark every demo notification read but each person's UNREAD_KEPT newest."""
    ranked = Notification.objects.filter(read_at__isnull=True).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("recipient_id")],
            order_by=[F("created_at").desc(), F("pk").desc()],
        )
    )
    older = [pk for pk, rank in ranked.values_list("pk", "rank") if rank > UNREAD_KEPT]
    read = Notification.objects.filter(pk__in=older).update(read_at=timezone.now())
    return f"{read} older notifications marked read"
