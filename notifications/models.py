from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Deadline approaching")
    OVERDUE = "overdue", _("Overdue")
    DOSSIER_OVERDUE = "dossier_overdue", _("Overdue dossier")
    INFO = "info", _("Information")
    JOB = "job", _("Import or export")
    # Workflow events (notifications.events): people acting on a task or a self-assessment.
    WORKFLOW = "workflow", _("Task workflow")
    ASSESSMENT = "assessment", _("PAR Index self-assessment")


# Kinds that may be mailed at once (when the recipient asked for it) instead of in the digest:
# overdue kinds unless the person turned it off (immediate_overdue, on by default), workflow
# kinds when the person turned it on (immediate_workflow, off by default).
OVERDUE_KINDS = frozenset({NotificationKind.OVERDUE, NotificationKind.DOSSIER_OVERDUE})
WORKFLOW_KINDS = frozenset({NotificationKind.WORKFLOW, NotificationKind.ASSESSMENT})
IMMEDIATE_KINDS = OVERDUE_KINDS | WORKFLOW_KINDS


class Notification(models.Model):
    """One message to one person about one thing (an assignment, a dossier...).

    `dedupe_key` ("kind:object:day") is unique per recipient, so a job that runs twice, or two
    beats, insert the row once. `emailed_at` is set by whichever mail (immediate or digest) claimed
    it first, with a conditional update, so a notification is never mailed twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    message = models.CharField(_("message"), max_length=500)
    link = models.CharField(
        _("link"), max_length=500, blank=True, help_text=_("Path of the page the message is about.")
    )
    dedupe_key = models.CharField(_("de-duplication key"), max_length=200)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_unique_per_recipient"
            )
        ]
        indexes = [
            # The bell (unread count) and the list page.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
            # The digest: what is not mailed yet.
            models.Index(fields=["emailed_at", "created_at"], name="notification_unmailed"),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How one person wants to be told. A user with no row gets the defaults below.

    `last_digest_on` is the day (Vietnam time) of the last digest mail, claimed with a conditional
    update so two runs of the digest job never send that person two mails on one day.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    daily_digest = models.BooleanField(
        _("daily digest"),
        default=True,
        help_text=_("One e-mail each morning with the day's notifications."),
    )
    immediate_overdue = models.BooleanField(
        _("immediate mail when something becomes overdue"),
        default=True,
        help_text=_("An e-mail as soon as an item of your unit becomes overdue."),
    )
    immediate_workflow = models.BooleanField(
        _("immediate mail of workflow events"),
        default=False,
        help_text=_(
            "An e-mail as soon as something happens to a task that concerns you: assigned, "
            "submitted, returned, confirmed, changed."
        ),
    )
    last_digest_on = models.DateField(_("last digest on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)
