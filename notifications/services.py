"""Every write to notifications and preferences, and the mails they send.

Public entry points for other apps:
- `notification_send(...)`: one notification to one person, inserted once per de-duplication key.
- `notify_units(...)`: the hook for scans over many rows (deadline scan, dossier alerts): notices
  per unit, fanned out to the unit's head and staff and inserted in bulk, once per key.
- `dedupe_key_for(...)`: the "kind:object:day" key (day in Vietnam time) both use by default.
Workflow events (a report returned, a task assigned...) do not call these directly: services
emit them through notifications/events.py, which names the recipients and inserts in bulk here.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.dispatch import send_on_commit
from core.roles import Role
from notifications import policy
from notifications.models import (
    IMMEDIATE_KINDS,
    OVERDUE_KINDS,
    WORKFLOW_KINDS,
    Notification,
    NotificationPreference,
)

MESSAGE_MAX = Notification._meta.get_field("message").max_length
LINK_MAX = Notification._meta.get_field("link").max_length
BULK_BATCH = 1000


def dedupe_key_for(
    *, kind: str, obj: models.Model | None = None, day: datetime.date | None = None
) -> str:
    """'kind:app.model.pk:YYYY-MM-DD', the day in Vietnam time (TIME_ZONE), so the same fact is
    notified once a day however often a job runs, and again the next day if still true."""
    day = day or timezone.localdate()
    about = f"{obj._meta.label_lower}.{obj.pk}" if obj is not None else "-"
    return f"{kind}:{about}:{day.isoformat()}"


@dataclass(frozen=True)
class NotificationDraft:
    """A notification to insert in bulk; ids only, so a job over many rows stays cheap."""

    recipient_id: int
    kind: str
    message: str
    dedupe_key: str
    link: str = ""
    content_type_id: int | None = None
    object_id: int | None = None


@dataclass(frozen=True)
class UnitNotice:
    """'Tell unit `unit_id` this about `obj`': one per assignment (or dossier) a scan finds."""

    unit_id: int
    kind: str
    obj: models.Model
    message: str
    link: str = ""


# The demo loader replays a province's history: every event it emits would mail its people (or
# queue a job per event). Inside mail_off() notifications are recorded as already mailed and
# nothing is queued; the bell shows them as usual.
_MAIL_OFF: ContextVar[bool] = ContextVar("notifications_mail_off", default=False)


@contextmanager
def mail_off() -> Iterator[None]:
    """Notifications written inside are kept for the bell but never mailed (nor digested)."""
    token = _MAIL_OFF.set(True)
    try:
        yield
    finally:
        _MAIL_OFF.reset(token)


def _mailed_at() -> datetime.datetime | None:
    return timezone.now() if _MAIL_OFF.get() else None


def _queue_immediate_mails(recipient_ids: Iterable[int]) -> None:
    from notifications.jobs import send_immediate_mails_task

    if _MAIL_OFF.get():
        return
    ids = sorted(set(recipient_ids))
    if ids:
        send_on_commit(send_immediate_mails_task, recipient_ids=ids)


@transaction.atomic
def notification_send(
    *,
    recipient,
    kind: str,
    message: str,
    obj: models.Model | None = None,
    link: str = "",
    dedupe_key: str | None = None,
) -> Notification | None:
    """Notify one person. Returns the new row, or None when this key was already sent to them."""
    notification = Notification(
        recipient=recipient,
        kind=kind,
        message=message[:MESSAGE_MAX],
        link=link,
        dedupe_key=dedupe_key or dedupe_key_for(kind=kind, obj=obj),
        emailed_at=_mailed_at(),
    )
    if obj is not None:
        notification.content_type = ContentType.objects.get_for_model(obj)
        notification.object_id = obj.pk
    # The unique constraint decides (two jobs may race); validate everything else first.
    notification.full_clean(validate_constraints=False, validate_unique=False)
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        return None
    if kind in IMMEDIATE_KINDS:
        _queue_immediate_mails([recipient.pk])
    return notification


@transaction.atomic
def notifications_send_bulk(*, drafts: Iterable[NotificationDraft]) -> int:
    """Insert many notifications at once, skipping keys a recipient already has
    (INSERT ... ON CONFLICT DO NOTHING). Returns how many were new.

    Drafts are built by code, not typed by users, so rows are not full_clean()ed one by one:
    the message and link are cut to their column sizes instead.
    """
    drafts = list({(d.recipient_id, d.dedupe_key): d for d in drafts}.values())
    created = 0
    immediate_recipients: set[int] = set()
    for start in range(0, len(drafts), BULK_BATCH):
        batch = drafts[start : start + BULK_BATCH]
        existing = set(
            Notification.objects.filter(
                recipient_id__in={d.recipient_id for d in batch},
                dedupe_key__in={d.dedupe_key for d in batch},
            ).values_list("recipient_id", "dedupe_key")
        )
        new = [d for d in batch if (d.recipient_id, d.dedupe_key) not in existing]
        mailed_at = _mailed_at()
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=d.recipient_id,
                    kind=d.kind,
                    message=d.message[:MESSAGE_MAX],
                    link=d.link[:LINK_MAX],
                    dedupe_key=d.dedupe_key,
                    content_type_id=d.content_type_id,
                    object_id=d.object_id,
                    emailed_at=mailed_at,
                )
                for d in new
            ],
            ignore_conflicts=True,
        )
        created += len(new)
        immediate_recipients.update(d.recipient_id for d in new if d.kind in IMMEDIATE_KINDS)
    _queue_immediate_mails(immediate_recipients)
    return created


def notify_units(
    *,
    notices: Iterable[UnitNotice],
    day: datetime.date | None = None,
    roles: Iterable[str] = (Role.UNIT_HEAD, Role.UNIT_STAFF),
    recipients: Mapping[int, Iterable[int]] | None = None,
) -> int:
    """The hook for jobs that scan many rows: each notice goes to every active user of its unit
    with one of `roles` (or to the user ids given per unit in `recipients`), keyed
    "kind:object:day" so a second run on the same Vietnam day inserts nothing. Returns how many
    notifications are new.

    Example (deadline scan)::

        notify_units(notices=[
            UnitNotice(unit_id=a.unit_id, kind=NotificationKind.OVERDUE, obj=a,
                       message=..., link=a.get_absolute_url())
            for a in newly_overdue
        ])
    """
    notices = list(notices)
    day = day or timezone.localdate()
    if recipients is None:
        by_unit: dict[int, list[int]] = defaultdict(list)
        users = get_user_model().objects.filter(
            unit_id__in={n.unit_id for n in notices}, role__in=list(roles), is_active=True
        )
        for user_id, unit_id in users.values_list("id", "unit_id"):
            by_unit[unit_id].append(user_id)
    else:
        by_unit = {unit_id: list(ids) for unit_id, ids in recipients.items()}
    drafts = []
    for notice in notices:
        content_type = ContentType.objects.get_for_model(notice.obj)  # cached per model
        key = dedupe_key_for(kind=notice.kind, obj=notice.obj, day=day)
        drafts.extend(
            NotificationDraft(
                recipient_id=user_id,
                kind=notice.kind,
                message=notice.message,
                link=notice.link,
                dedupe_key=key,
                content_type_id=content_type.pk,
                object_id=notice.obj.pk,
            )
            for user_id in by_unit.get(notice.unit_id, ())
        )
    return notifications_send_bulk(drafts=drafts)


@transaction.atomic
def notification_mark_read(*, notification: Notification, actor=None) -> None:
    """Mark read; marking an already read notification keeps its first read time. `actor`:
    the person marking it (None: the system)."""
    if actor is not None:
        policy.require(actor, policy.NOTIFICATION_READ, notification=notification)
    now = timezone.now()
    if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
        notification.read_at = now


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    policy.require(user, policy.NOTIFICATIONS_READ_ALL)
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_preference_update(
    *,
    user,
    daily_digest: bool,
    immediate_overdue: bool,
    immediate_workflow: bool | None = None,
) -> NotificationPreference:
    policy.require(user, policy.PREFERENCES_EDIT)
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    preference.daily_digest = daily_digest
    preference.immediate_overdue = immediate_overdue
    if immediate_workflow is not None:
        preference.immediate_workflow = immediate_workflow
    preference.full_clean()
    preference.save(update_fields=["daily_digest", "immediate_overdue", "immediate_workflow"])
    return preference


@transaction.atomic
def notifications_purge_read(*, older_than_days: int) -> int:
    """Delete notifications read more than `older_than_days` ago; unread ones are kept."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _ = Notification.objects.filter(read_at__lt=cutoff).delete()
    return deleted


# --- Mail ----------------------------------------------------------------------------------


def _send_mail(*, to: str, template: str, context: dict[str, Any]) -> None:
    """Render notifications/email/<template>_{subject.txt,body.txt,body.html} in Vietnamese."""
    context = {"portal_url": settings.PORTAL_BASE_URL.rstrip("/"), **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
        text = render_to_string(f"notifications/email/{template}_body.txt", context)
        html = render_to_string(f"notifications/email/{template}_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _mailable(queryset: models.QuerySet[Notification]) -> models.QuerySet[Notification]:
    return queryset.filter(recipient__is_active=True).exclude(recipient__email="")


def notifications_mail_immediate(*, recipient_ids: Iterable[int] | None = None) -> int:
    """Mail each unmailed notification of an immediate kind from the last day to its recipient:
    overdue ones unless they turned that mail off (on by default), workflow events (a report
    returned, a task assigned...) when they turned that mail on (off by default: the digest
    lists them the next morning). Returns the number of mails sent."""
    since = timezone.now() - datetime.timedelta(days=1)
    overdue_off = NotificationPreference.objects.filter(immediate_overdue=False).values("user_id")
    workflow_on = NotificationPreference.objects.filter(immediate_workflow=True).values("user_id")
    pending = _mailable(
        Notification.objects.filter(emailed_at__isnull=True, created_at__gte=since)
    ).filter(
        (Q(kind__in=OVERDUE_KINDS) & ~Q(recipient_id__in=overdue_off))
        | Q(kind__in=WORKFLOW_KINDS, recipient_id__in=workflow_on)
    )
    if recipient_ids is not None:
        pending = pending.filter(recipient_id__in=list(recipient_ids))
    return sum(
        _notification_mail_one(notification_id=pk)
        for pk in pending.order_by("pk").values_list("pk", flat=True)
    )


@transaction.atomic
def _notification_mail_one(*, notification_id: int) -> bool:
    # The claim and the send share a transaction: if the mail server fails, the claim is rolled
    # back and a retry mails it; a concurrent run waits on the row, then finds it claimed.
    now = timezone.now()
    if not Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=now
    ):
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    _send_mail(
        to=notification.recipient.email,
        template="immediate",
        context={"user": notification.recipient, "notification": notification},
    )
    return True


def digest_window(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The digest of `day` covers notifications created from the start of the day before to the
    end of `day` (Vietnam time): the 07:00 run then picks up yesterday afternoon's notices as
    well as this morning's scan, and the claim on `emailed_at` keeps anything from being sent
    twice."""
    start = datetime.datetime.combine(day - datetime.timedelta(days=1), datetime.time.min)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start), timezone.make_aware(end)


def digests_send(*, day: datetime.date | None = None) -> int:
    """One digest mail per user for `day` (default: today in Vietnam time), listing their
    unmailed notifications of the digest window; no mail when there is nothing to say, none to
    users who turned the digest off or have no e-mail address. Returns the number of mails."""
    day = day or timezone.localdate()
    start, end = digest_window(day)
    opted_out = NotificationPreference.objects.filter(daily_digest=False).values("user_id")
    user_ids = list(
        _mailable(
            Notification.objects.filter(
                emailed_at__isnull=True, created_at__gte=start, created_at__lt=end
            )
        )
        .exclude(recipient_id__in=opted_out)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    # Every recipient needs a preference row to hold the per-day claim.
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user_id=user_id) for user_id in user_ids], ignore_conflicts=True
    )
    return sum(_digest_send_one(user_id=user_id, day=day) for user_id in user_ids)


@transaction.atomic
def _digest_send_one(*, user_id: int, day: datetime.date) -> bool:
    claimed = (
        NotificationPreference.objects.filter(user_id=user_id, daily_digest=True)
        .filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=day))
        .update(last_digest_on=day)
    )
    if not claimed:
        return False  # this person's digest of the day is sent (or being sent) by another run
    start, end = digest_window(day)
    now = timezone.now()
    Notification.objects.filter(
        recipient_id=user_id, emailed_at__isnull=True, created_at__gte=start, created_at__lt=end
    ).update(emailed_at=now)
    items = list(
        Notification.objects.filter(recipient_id=user_id, emailed_at=now).order_by(
            "kind", "created_at", "pk"
        )
    )
    if not items:
        # Everything was mailed meanwhile (an immediate mail): nothing to say, give the day back.
        transaction.set_rollback(True)
        return False
    user = get_user_model().objects.get(pk=user_id)
    _send_mail(
        to=user.email,
        template="digest",
        context={"user": user, "day": day, "notifications": items},
    )
    return True
