"""Connections to the province's other systems: API tokens an integration calls the portal
with, the record of idempotent API writes, and outbound webhooks with their deliveries."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ApiGroup(models.TextChoices):
    """The API's resource groups a token may be limited to (one per app under /api/v1/)."""

    DIRECTIVES = "directives", _("Directives")
    TASKS = "tasks", _("Tasks, assignments and reports")
    DOSSIERS = "dossiers", _("Dossiers")
    INDICATORS = "indicators", _("PAR Index")
    ORGANIZATIONS = "organizations", _("Units")
    NOTIFICATIONS = "notifications", _("Notifications")


class ApiToken(models.Model):
    """A token one outside system (the document management system, the one-stop system) calls
    the API with. It acts as `user` (its role and unit decide what it sees, as for a person),
    limited further to some resource groups and to reading unless `can_write`. Only a SHA-256
    of the token is kept; `prefix` (shown in lists) finds the row."""

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("acts as"),
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, editable=False)
    groups = models.JSONField(_("resource groups"), default=list)
    can_write = models.BooleanField(_("may write"), default=False)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, today: datetime.date | None = None) -> bool:
        return bool(self.expires_on and (today or timezone.localdate()) > self.expires_on)

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired()

    def group_labels(self) -> list[str]:
        labels = dict(ApiGroup.choices)
        return [str(labels[g]) for g in self.groups if g in labels]


class IdempotentRequest(models.Model):
    """The first answer to an API write sent with an `Idempotency-Key` header. A retry with
    the same key by the same credential gets this answer again instead of a second write;
    the same key with another body is refused. Kept IDEMPOTENCY_KEY_HOURS."""

    credential = models.CharField(max_length=40)  # "token:12" or "user:5"
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "key"], name="idempotent_request_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.credential} {self.key}"


class WebhookEvent(models.TextChoices):
    TASK_CREATED = "task.created", _("Task created")
    REPORT_SUBMITTED = "report.submitted", _("Progress report submitted")
    REPORT_CONFIRMED = "report.confirmed", _("Completion confirmed")
    REPORT_RETURNED = "report.returned", _("Completion returned")
    ASSIGNMENT_OVERDUE = "assignment.overdue", _("Assignment overdue")
    DOSSIER_LATE = "dossier.late", _("Dossier late")


class Webhook(models.Model):
    """An address another system listens on for some events. A delivery is made only for an
    object `owner` may see in the portal (a unit's account hears of its own unit's work only),
    signed with `secret` (HMAC-SHA256 over "<timestamp>.<body>")."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("address (URL)"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    events = models.JSONField(_("events"), default=list)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="webhooks",
        verbose_name=_("sees as"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def event_labels(self) -> list[str]:
        labels = dict(WebhookEvent.choices)
        return [str(labels[e]) for e in self.events if e in labels]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to send")
    SENDING = "sending", _("Sending")
    RETRYING = "retrying", _("Will retry")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event occurrence for one webhook: made once (unique per hook and occurrence),
    whatever the retries; each try is a WebhookAttempt. The body is fixed when the event
    happens, so a retry or "send again" sends the same document."""

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook")
    )
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    occurrence_key = models.CharField(max_length=200)
    subject = models.CharField(_("about"), max_length=300)
    payload = models.JSONField()
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_response_code = models.PositiveSmallIntegerField(_("response code"), null=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "occurrence_key"], name="webhook_delivery_once_per_occurrence"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.webhook} · {self.event} · {self.subject}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: when, how long, the answer's code and its first bytes,
    or the error (connection refused, timeout)."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    manual = models.BooleanField(_("sent again by hand"), default=False)
    started_at = models.DateTimeField(_("sent at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery_id", "number"]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"
