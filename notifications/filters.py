import django_filters
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification, NotificationKind


class NotificationFilter(django_filters.FilterSet):
    """The notification list's filter ("unread only"), for the page's export and the API."""

    unread = django_filters.BooleanFilter(
        label=_("Unread only"), field_name="read_at", lookup_expr="isnull"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=NotificationKind.choices)

    class Meta:
        model = Notification
        fields = ["unread", "kind"]
