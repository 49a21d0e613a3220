"""The workflow events of periodic reports, told through notifications.events.emit (the one
place that turns an event into notifications; its registry holds this app's four entries).
Until that module is on this branch, the same messages go out through notification_send, keyed
the way emit keys them, so nobody is told twice either way."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from core.roles import Role

EVENTS = (
    "periodic_report.round_opened",
    "periodic_report.submitted",
    "periodic_report.returned",
    "periodic_report.confirmed",
)


def recipients(event: str, report, actor, context: dict):
    """round_opened, returned, confirmed: the unit's head and staff; submitted: Home Affairs."""
    users = get_user_model().objects.filter(is_active=True)
    if event == "periodic_report.submitted":
        users = users.filter(role=Role.HOME_AFFAIRS)
    elif report.unit_id is None:
        users = users.filter(role=Role.HOME_AFFAIRS)
    else:
        users = users.filter(unit_id=report.unit_id, role__in=[Role.UNIT_HEAD, Role.UNIT_STAFF])
    if actor is not None:
        users = users.exclude(pk=actor.pk)
    return list(users.order_by("pk"))


def message(event: str, report, actor, context: dict) -> str:
    who = actor.get_full_name() or actor.username if actor else ""
    values = {
        "who": who,
        "report": str(report.round),
        "unit": report.unit.name if report.unit_id else _("the province"),
        "due": f"{report.round.unit_due_date:%d/%m/%Y}",
        "reason": context.get("reason", ""),
    }
    if event == "periodic_report.round_opened":
        return (
            _("%(who)s opened the reporting round %(report)s: send the report by %(due)s.") % values
        )
    if event == "periodic_report.submitted":
        return _("%(who)s submitted the %(report)s report of %(unit)s.") % values
    if event == "periodic_report.returned":
        return _("%(who)s returned the %(report)s report: %(reason)s") % values
    return _("%(who)s confirmed the %(report)s report of %(unit)s.") % values


def link(report) -> str:
    return reverse("periodic_reports:report_detail", args=[report.pk])


def emit_event(event: str, *, actor, report, occurrence, **context) -> None:
    """Inside the service's transaction, after the change is saved."""
    try:
        from notifications.events import emit
    except ImportError:
        emit = None
    if emit is not None:
        emit(event, actor=actor, subject=report, occurrence=occurrence, **context)
        return
    from django.db import transaction

    from notifications.models import NotificationKind
    from notifications.services import notification_send

    key = f"{event}:periodic_reports.periodicreport.{report.pk}:{occurrence}"
    text = message(event, report, actor, context)
    url = link(report)
    people = recipients(event, report, actor, context)

    def send() -> None:
        for user in people:
            notification_send(
                recipient=user,
                kind=NotificationKind.INFO,
                message=text,
                obj=report,
                link=url,
                dedupe_key=key,
            )

    transaction.on_commit(send)
