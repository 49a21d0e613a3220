"""Outbound webhooks: registering a hook, making one delivery per event occurrence that its
owner may see, sending it (signed, retried with exponential backoff) and sending it again.

Sending is a Celery job per delivery (`integrations.jobs.deliver_webhook_task`). A delivery is
claimed with a conditional UPDATE before each attempt, so a job delivered twice by the broker,
the per-minute sweep and a "send again" never send one attempt twice at the same time; a
delivered delivery is not sent again unless a person asks for it.
"""

from __future__ import annotations

import datetime
import http.client
import json
import secrets
import time
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dispatch import send_on_commit
from integrations import policy, signing
from integrations.models import (
    DeliveryStatus,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
)
from organizations.models import User

EXCERPT_CHARS = 500
USER_AGENT = "CCHC-portal-webhooks/1"


def _check(*, url: str, events: Iterable[str], owner: User) -> list[str]:
    events = [e for e in WebhookEvent.values if e in set(events)]
    errors: dict[str, str] = {}
    if urlsplit(url).scheme not in ("http", "https"):
        errors["url"] = _("The address must start with http:// or https://.")
    if not events:
        errors["events"] = _("Choose at least one event.")
    if not owner.is_active or owner.is_superuser:
        errors["owner"] = _("Choose an active account that is not a site administrator.")
    if errors:
        raise ValidationError(errors)
    return events


@transaction.atomic
def webhook_create(
    *, actor: User, name: str, url: str, events: Iterable[str], owner: User, is_active: bool = True
) -> Webhook:
    """Register a hook. Its signing secret is generated here and shown once on the page."""
    policy.require(actor, policy.WEBHOOK_CREATE)
    events = _check(url=url, events=events, owner=owner)
    hook = Webhook(
        name=name.strip(),
        url=url.strip(),
        secret=secrets.token_urlsafe(32),
        events=events,
        owner=owner,
        is_active=is_active,
        created_by=actor,
    )
    hook.full_clean()
    hook.save()
    return hook


@transaction.atomic
def webhook_update(
    *,
    webhook: Webhook,
    actor: User,
    name: str,
    url: str,
    events: Iterable[str],
    owner: User,
    is_active: bool,
) -> Webhook:
    policy.require(actor, policy.WEBHOOK_EDIT, webhook=webhook)
    webhook.events = _check(url=url, events=events, owner=owner)
    webhook.name, webhook.url, webhook.owner, webhook.is_active = (
        name.strip(),
        url.strip(),
        owner,
        is_active,
    )
    webhook.full_clean()
    webhook.save()
    return webhook


# --- Deliveries ------------------------------------------------------------------------------


def occurrence_key(event: str, subject, occurrence) -> str:
    return f"{event}:{subject._meta.label_lower}:{subject.pk}:{occurrence}"


def _body(document: dict) -> dict:
    return json.loads(json.dumps(document, cls=DjangoJSONEncoder))


def active_hooks(event: str) -> list[Webhook]:
    """The active hooks that asked for `event`, with their owners: one query."""
    return [
        hook
        for hook in Webhook.objects.filter(is_active=True).select_related("owner")
        if event in hook.events
    ]


def deliveries_create(
    *,
    event: str,
    subject,
    occurrence,
    context: dict | None = None,
    hooks: list[Webhook] | None = None,
) -> list[WebhookDelivery]:
    """One delivery per active hook that asked for `event` and whose owner may see `subject`;
    an occurrence already delivered to a hook makes nothing new. Each new delivery is queued
    when the transaction commits. `hooks`: active_hooks(event), read once for a batch."""
    from integrations.events import SPECS, can_see
    from integrations.jobs import deliver_webhook_task

    spec = SPECS[event]
    if hooks is None:
        hooks = active_hooks(event)
    if not hooks:
        return []
    key = occurrence_key(event, subject, occurrence)
    document = None
    made = []
    for hook in hooks:
        if not hook.owner.is_active:
            continue
        if not can_see(hook.owner, subject):
            continue  # the hook's owner may not see it: nothing is made, nothing is sent
        if document is None:
            document = _body(spec.document(subject, context or {}))
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    webhook=hook,
                    event=event,
                    occurrence_key=key[:200],
                    subject=spec.describe(subject)[:300],
                    payload={
                        "event": event,
                        "occurred_at": timezone.now().isoformat(),
                        "data": document,
                    },
                )
        except IntegrityError:
            continue  # this occurrence was already made for this hook (a retried job)
        send_on_commit(deliver_webhook_task, delivery.pk)
        made.append(delivery)
    return made


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff: base, 2 x base, 4 x base... capped at WEBHOOK_RETRY_MAX_SECONDS."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


def _sending_lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 60)


def _claim(delivery_id: int, now: datetime.datetime) -> WebhookDelivery | None:
    """Take the delivery for one attempt: waiting and due, or stuck "sending" past the lease
    (its worker died). One conditional UPDATE: two jobs never both win."""
    due = Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING]) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    stuck = Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - _sending_lease())
    won = WebhookDelivery.objects.filter(due | stuck, pk=delivery_id).update(
        status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not won:
        return None
    return WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str, str]:
    """(status code or None, first bytes of the answer, error). Plain http.client: no proxy
    from the environment, and a redirect is an answer like any other (recorded, retried),
    never followed: the hook's address is what Home Affairs registered."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None, "", _("The address must start with http:// or https://.")
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection = connection_class(
            parts.hostname, parts.port, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
        )
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, _excerpt(response.read(EXCERPT_CHARS * 2)), ""
        finally:
            connection.close()
    except TimeoutError:  # socket.timeout is an alias
        return (
            None,
            "",
            _("No answer within %(seconds)s seconds.")
            % {"seconds": settings.WEBHOOK_TIMEOUT_SECONDS},
        )
    except ConnectionRefusedError:
        return None, "", _("The receiver refused the connection (is it running?).")
    except (OSError, http.client.HTTPException, ValueError) as exc:
        detail = (str(exc) or exc.__class__.__name__)[: EXCERPT_CHARS - 60]
        return None, "", _("The connection failed: %(detail)s") % {"detail": detail}


def _excerpt(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")[:EXCERPT_CHARS]


def delivery_send(*, delivery_id: int, manual: bool = False) -> WebhookDelivery | None:
    """Make one attempt of a delivery if it is due (None when another job has it, it is not
    due yet, or it was delivered). Records the attempt; on failure schedules the next one
    with backoff, or marks the delivery failed after WEBHOOK_MAX_ATTEMPTS."""
    now = timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    hook = delivery.webhook
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-CCHC-Event": delivery.event,
        "X-CCHC-Delivery": str(delivery.pk),
        "X-CCHC-Timestamp": str(timestamp),
        "X-CCHC-Signature": signing.sign(hook.secret, timestamp, body),
    }
    started = time.monotonic()
    code, excerpt, error = _post(hook.url, body, headers)
    duration = int((time.monotonic() - started) * 1000)
    succeeded = code is not None and 200 <= code < 300
    if code is not None and not succeeded and not error:
        error = _("The receiver answered %(code)s.") % {"code": code}
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            manual=manual,
            started_at=now,
            duration_ms=duration,
            response_code=code,
            response_excerpt=excerpt,
            error=error[:EXCERPT_CHARS],
            succeeded=succeeded,
        )
        delivery.last_response_code = code
        delivery.claimed_at = None
        if succeeded:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
        elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
        # only while this take still owns the row
        WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
            status=delivery.status,
            delivered_at=delivery.delivered_at,
            next_attempt_at=delivery.next_attempt_at,
            last_response_code=code,
            claimed_at=None,
        )
    return delivery


@transaction.atomic
def delivery_resend(*, delivery: WebhookDelivery, actor: User) -> WebhookDelivery:
    """ "Send again": the same document, signed anew, sent now (one more attempt, whatever
    the state; a delivery being sent right now is left to finish)."""
    from integrations.jobs import deliver_webhook_task

    policy.require_person(actor, policy.DELIVERY_RESEND)
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    policy.require(actor, policy.DELIVERY_RESEND, delivery=delivery)
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "next_attempt_at"])
    send_on_commit(deliver_webhook_task, delivery.pk, manual=True)
    return delivery


def deliveries_due(*, now: datetime.datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of deliveries whose next attempt is due (their queued job may be lost: a worker
    restart drops countdown jobs held in memory), or stuck "sending" past the lease."""
    now = now or timezone.now()
    due = Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING]) & (
        Q(next_attempt_at__lte=now)
        | Q(next_attempt_at__isnull=True, created_at__lte=now - datetime.timedelta(minutes=1))
    )
    stuck = Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - _sending_lease())
    return list(
        WebhookDelivery.objects.filter(due | stuck)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
