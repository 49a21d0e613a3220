from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Notification, NotificationPreference


def notifications_for(user) -> QuerySet[Notification]:
    """The only way views see notifications: a person sees their own, nobody else's."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preference_for(user) -> NotificationPreference:
    """The saved preferences, or the defaults (unsaved) when the person never changed them."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user)
