"""Reads of the integrations app. Tokens and hooks are Home Affairs' business: the pages that
list them are for Home Affairs only, so these selectors are not scoped further."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from integrations.models import (
    ApiToken,
    DeliveryStatus,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)


def token_list() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("user__unit", "created_by", "revoked_by").order_by(
        "revoked_at", "-created_at", "-id"
    )


def webhook_list() -> QuerySet[Webhook]:
    return (
        Webhook.objects.select_related("owner__unit")
        .annotate(
            delivered=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DELIVERED)),
            failing=Count(
                "deliveries",
                filter=Q(deliveries__status__in=[DeliveryStatus.RETRYING, DeliveryStatus.FAILED]),
            ),
        )
        .order_by("name", "id")
    )


def delivery_log(webhook: Webhook) -> QuerySet[WebhookDelivery]:
    """A hook's deliveries, newest first, each with its attempts."""
    return (
        WebhookDelivery.objects.filter(webhook=webhook)
        .prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("-number"))
        )
        .order_by("-created_at", "-id")
    )
