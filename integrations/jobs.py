"""Celery jobs of the integrations app: thin, safe to run twice, each calls one service."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from integrations.models import DeliveryStatus


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def deliver_webhook_task(self, delivery_id: int, manual: bool = False) -> str:
    """One attempt of a webhook delivery. A failed attempt queues the next one after the
    backoff; the per-minute sweep re-queues any whose job was lost."""
    from integrations.services.webhooks import delivery_send

    delivery = delivery_send(delivery_id=delivery_id, manual=manual)
    if delivery is None:
        return "skipped"
    if delivery.status == DeliveryStatus.RETRYING and delivery.next_attempt_at:
        wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
        deliver_webhook_task.apply_async((delivery_id,), countdown=max(int(wait) + 1, 1))
    return delivery.status


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(Exception,))
def requeue_webhook_deliveries_task(self) -> int:
    """Deliveries whose next attempt is due or whose worker died, queued again."""
    from integrations.services.webhooks import deliveries_due

    ids = deliveries_due()
    for delivery_id in ids:
        deliver_webhook_task.delay(delivery_id)
    return len(ids)


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(Exception,))
def purge_integration_records_task(self) -> int:
    """Idempotency records past IDEMPOTENCY_KEY_HOURS, and finished webhook deliveries past
    WEBHOOK_RETENTION_DAYS, deleted."""
    from integrations.models import IdempotentRequest, WebhookDelivery

    now = timezone.now()
    keys, _ = IdempotentRequest.objects.filter(
        created_at__lt=now - datetime.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    ).delete()
    deliveries, _ = WebhookDelivery.objects.filter(
        status__in=[DeliveryStatus.DELIVERED, DeliveryStatus.FAILED],
        created_at__lt=now - datetime.timedelta(days=settings.WEBHOOK_RETENTION_DAYS),
    ).delete()
    return keys + deliveries
