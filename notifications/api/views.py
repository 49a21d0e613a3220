from rest_framework import viewsets

from notifications import selectors
from notifications.api.serializers import NotificationSerializer
from notifications.filters import NotificationFilter


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """A person's own notifications (another person's id is a 404)."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ["created_at", "read_at", "id"]

    def get_queryset(self):
        return selectors.notifications_for(self.request.user)
