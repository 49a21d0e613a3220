import django_filters
from django.utils.translation import gettext_lazy as _

from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEvent


class DeliveryFilter(django_filters.FilterSet):
    """The delivery log's filters (one hook's deliveries)."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=DeliveryStatus.choices)
    event = django_filters.ChoiceFilter(label=_("Event"), choices=WebhookEvent.choices)
    created_from = django_filters.DateFilter(
        label=_("From"), field_name="created_at", lookup_expr="date__gte"
    )
    created_to = django_filters.DateFilter(
        label=_("Until"), field_name="created_at", lookup_expr="date__lte"
    )

    class Meta:
        model = WebhookDelivery
        fields = ["status", "event", "created_from", "created_to"]
