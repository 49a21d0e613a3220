"""Which workflow events a webhook can ask for, who may see each, and the document sent.

Workflow events reach this module through `notifications.events.subscribe` (registered in
IntegrationsConfig.ready): `on_workflow_event` is called on commit for every emit. Only the
keys of WebhookEvent are forwarded; a delivery is made for a hook only if its owner may see the
event's object through the app's own scoping selector, so a unit's hook never hears of another
unit's work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.urls import reverse

from integrations.models import WebhookEvent


def _url(name: str, pk: int) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(name, args=[pk])


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _task(task) -> dict[str, Any]:
    return {
        "id": task.pk,
        "directive": {"id": task.directive_id, "number": task.directive.number},
        "item_number": task.item_number,
        "title": task.title,
        "deadline": _day(task.deadline),
        "recurrence": task.recurrence,
        "lead_unit": task.lead_unit.code if task.lead_unit_id else None,
        "url": _url("directives:directive_detail", task.directive_id),
    }


def _assignment(assignment) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "unit": assignment.unit.code,
        "role": assignment.role,
        "state": assignment.state,
        "deadline": _day(assignment.effective_deadline),
        "url": _url("tasks:assignment_detail", assignment.pk),
    }


def _report_document(report, context: dict) -> dict[str, Any]:
    assignment = report.assignment
    document = {
        "report": {
            "id": report.pk,
            "percent": report.percent,
            "reports_done": report.reports_done,
            "text": report.text,
            "report_date": _day(report.report_date),
            "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
            "period": (
                {"start": _day(report.period.period_start), "end": _day(report.period.period_end)}
                if report.period_id
                else None
            ),
        },
        "assignment": _assignment(assignment),
        "task": _task(assignment.task),
    }
    if context.get("reason"):
        document["reason"] = str(context["reason"])
    return document


def _overdue_document(row, context: dict) -> dict[str, Any]:
    assignment = getattr(row, "assignment", row)
    document = {"assignment": _assignment(assignment), "task": _task(assignment.task)}
    document["deadline"] = _day(row.effective_deadline)
    if row is not assignment:
        document["period"] = {"start": _day(row.period_start), "end": _day(row.period_end)}
    return document


def _dossier_document(dossier, context: dict) -> dict[str, Any]:
    return {
        "dossier": {
            "id": dossier.pk,
            "code": dossier.code,
            "procedure": dossier.procedure.code,
            "unit": dossier.unit.code,
            "received_at": dossier.received_at.isoformat() if dossier.received_at else None,
            "due_date": _day(dossier.due_date),
            "url": _url("dossiers:dossier_detail", dossier.pk),
        }
    }


def _tasks_visible(user) -> QuerySet:
    from tasks.selectors import tasks_visible_to

    return tasks_visible_to(user)


def _reports_visible(user) -> QuerySet:
    from tasks.selectors import reports_visible_to

    return reports_visible_to(user)


def _assignments_visible(user) -> QuerySet:
    from tasks.selectors import assignments_visible_to

    return assignments_visible_to(user)


def _dossiers_visible(user) -> QuerySet:
    from dossiers.selectors import dossiers_visible_to

    return dossiers_visible_to(user)


@dataclass(frozen=True)
class EventSpec:
    # the object a person must be able to see (the subject, or the assignment of a period)
    scoped_object: Callable[[Model], Model]
    visible: Callable[[Any], QuerySet]
    document: Callable[[Model, dict], dict[str, Any]]
    describe: Callable[[Model], str]


def _report_label(report) -> str:
    task = report.assignment.task
    return f"{task.directive.number} · {task.item_number}. {task.title} · {report.assignment.unit}"


SPECS: dict[str, EventSpec] = {
    WebhookEvent.TASK_CREATED: EventSpec(
        scoped_object=lambda task: task,
        visible=_tasks_visible,
        document=lambda task, context: {"task": _task(task)},
        describe=lambda task: f"{task.directive.number} · {task.item_number}. {task.title}",
    ),
    WebhookEvent.REPORT_SUBMITTED: EventSpec(
        lambda report: report, _reports_visible, _report_document, _report_label
    ),
    WebhookEvent.REPORT_CONFIRMED: EventSpec(
        lambda report: report, _reports_visible, _report_document, _report_label
    ),
    WebhookEvent.REPORT_RETURNED: EventSpec(
        lambda report: report, _reports_visible, _report_document, _report_label
    ),
    WebhookEvent.ASSIGNMENT_OVERDUE: EventSpec(
        scoped_object=lambda row: getattr(row, "assignment", row),
        visible=_assignments_visible,
        document=_overdue_document,
        describe=lambda row: str(getattr(row, "assignment", row)),
    ),
    WebhookEvent.DOSSIER_LATE: EventSpec(
        scoped_object=lambda dossier: dossier,
        visible=_dossiers_visible,
        document=_dossier_document,
        describe=lambda dossier: f"{dossier.code} · {dossier.unit}",
    ),
}


def on_workflow_event(event: str, actor, subject, occurrence, context: dict) -> None:
    """The listener notifications.events calls on commit for every emitted event."""
    if event not in SPECS:
        return
    from integrations.services.webhooks import deliveries_create

    deliveries_create(event=event, subject=subject, occurrence=occurrence, context=context or {})
