"""Which workflow events a webhook can ask for, who may see each, and the document sent.

Workflow events reach this module through `notifications.events.subscribe` (registered in
IntegrationsConfig.ready): `on_workflow_events` is called on commit for every emitted batch.
Only the keys of WebhookEvent are forwarded; a delivery is made for a hook only if its owner
may see the event's object through the app's own scoping selector, so a unit's hook never hears
of another unit's work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Model
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


def _report_document(subject, context: dict) -> dict[str, Any]:
    """A report event's document; its subject is the report, or the assignment when Home
    Affairs decided on work reported without a "done" report."""
    assignment = getattr(subject, "assignment", subject)
    document: dict[str, Any] = {}
    if subject is not assignment:
        report = subject
        document["report"] = {
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
        }
    document["assignment"] = _assignment(assignment)
    document["task"] = _task(assignment.task)
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


def can_see(user, obj) -> bool:
    """Whether `user` may see `obj` in the portal, through its app's scoping selector."""
    from dossiers.models import Dossier
    from dossiers.selectors import dossiers_visible_to
    from tasks import selectors
    from tasks.models import Assignment, AssignmentPeriod, ProgressReport, Task

    if isinstance(obj, AssignmentPeriod):
        obj = obj.assignment
    if isinstance(obj, Task):
        visible = selectors.tasks_visible_to(user)
    elif isinstance(obj, Assignment):
        visible = selectors.assignments_visible_to(user)
    elif isinstance(obj, ProgressReport):
        visible = selectors.reports_visible_to(user)
    elif isinstance(obj, Dossier):
        visible = dossiers_visible_to(user)
    else:
        return False  # an object no selector scopes is never sent
    return visible.filter(pk=obj.pk).exists()


@dataclass(frozen=True)
class EventSpec:
    document: Callable[[Model, dict], dict[str, Any]]
    describe: Callable[[Model], str]


def _label(subject) -> str:
    assignment = getattr(subject, "assignment", subject)
    task = assignment.task
    return f"{task.directive.number} · {task.item_number}. {task.title} · {assignment.unit}"


SPECS: dict[str, EventSpec] = {
    WebhookEvent.TASK_CREATED: EventSpec(
        document=lambda task, context: {"task": _task(task)},
        describe=lambda task: f"{task.directive.number} · {task.item_number}. {task.title}",
    ),
    WebhookEvent.REPORT_SUBMITTED: EventSpec(_report_document, _label),
    WebhookEvent.REPORT_CONFIRMED: EventSpec(_report_document, _label),
    WebhookEvent.REPORT_RETURNED: EventSpec(_report_document, _label),
    WebhookEvent.ASSIGNMENT_OVERDUE: EventSpec(_overdue_document, _label),
    WebhookEvent.DOSSIER_LATE: EventSpec(
        document=_dossier_document,
        describe=lambda dossier: f"{dossier.code} · {dossier.unit}",
    ),
}


def on_workflow_event(event: str, actor, subject, occurrence, context: dict) -> None:
    """One event on one subject (a retried job, a test): on_workflow_events of one item."""
    on_workflow_events(event, actor, [(subject, occurrence)], context)


def on_workflow_events(event: str, actor, items, context: dict) -> None:
    """The listener notifications.events calls on commit for every emitted batch: the active
    hooks are read once for the whole batch (a task addressed to 150 communes is one read, not
    150), and an event no active hook asked for costs that one read and nothing else."""
    if event not in SPECS:
        return
    from integrations.services.webhooks import active_hooks, deliveries_create

    hooks = active_hooks(event)
    if not hooks:
        return
    for subject, occurrence in items:
        deliveries_create(
            event=event,
            subject=subject,
            occurrence=occurrence,
            context=context or {},
            hooks=hooks,
        )


on_workflow_event.many = on_workflow_events  # notifications.events calls it once per batch
