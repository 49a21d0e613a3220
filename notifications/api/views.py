from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from notifications import policy, selectors, services
from notifications.api.serializers import NotificationSerializer
from notifications.filters import NotificationFilter
from notifications.models import Notification


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own notifications; another person's id gives 404."""

    serializer_class = NotificationSerializer
    permission_classes = [
        policy.api_permission(policy.NOTIFICATION_READ, read_all=policy.NOTIFICATIONS_READ_ALL)
    ]
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        return selectors.notifications_for(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.notification_mark_read(notification=notification, actor=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notifications_mark_all_read(user=request.user)})
