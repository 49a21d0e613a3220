"""The workflow events of periodic reports, told through notifications.events.emit (the one
place that turns an event into notifications; its registry holds this app's four entries, which
read their recipients, wording and link from here)."""

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
    from notifications.events import who

    values = {
        "actor": who(actor),
        "round": str(report.round),
        "unit": report.unit.name if report.unit_id else _("the province"),
        "due": f"{report.round.unit_due_date:%d/%m/%Y}",
        "reason": context.get("reason", ""),
    }
    if event == "periodic_report.round_opened":
        return _("%(actor)s opened the reporting round %(round)s: send the report by %(due)s.") % (
            values
        )
    if event == "periodic_report.submitted":
        return _("%(actor)s submitted the report %(round)s of %(unit)s.") % values
    if event == "periodic_report.returned":
        return _("%(actor)s returned the report %(round)s: %(reason)s") % values
    return _("%(actor)s confirmed the report %(round)s of %(unit)s.") % values


def link(report) -> str:
    return reverse("periodic_reports:report_detail", args=[report.pk])


def emit_event(event: str, *, actor, report, occurrence, **context) -> None:
    """Inside the service's transaction, after the change is saved."""
    from notifications.events import emit

    emit(event, actor=actor, subject=report, occurrence=occurrence, **context)
