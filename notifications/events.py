"""Workflow events -> notifications: the one place that says who hears of what.

A service calls, inside its transaction, after the change is saved::

    from notifications.events import emit
    emit("report.returned", actor=actor, subject=report, occurrence=review.pk, reason=reason)

On commit (a rolled-back action tells nobody) the event's registry entry names the recipients
and writes the message and link; one notification per recipient is inserted, keyed
"<event>:<app.model.pk of subject>:<occurrence>", unique per recipient, so a retried job or a
double call inserts nothing twice. The actor never hears of their own action. Then every
listener (`subscribe`) is called, e.g. outbound webhooks.

A new event is one entry here: a subclass of `Event` decorated with `@register("key")`.

Who "the Home Affairs reviewers of a plan" are (`plan_reviewers`): the Home Affairs officer
who entered the plan (Directive.created_by) while that account is active and still Home
Affairs: the plan is theirs to follow. A plan entered by someone else (an import by an
administrator, a demo row, an officer who left) goes to every active Home Affairs user, so a
report never waits unseen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import dateformat, translation
from django.utils.translation import gettext as _

from core.roles import Role
from notifications.models import NotificationKind

logger = logging.getLogger(__name__)

Listener = Callable[[str, Any, models.Model, str, dict], None]

_REGISTRY: dict[str, Event] = {}
_LISTENERS: list[Listener] = []


# --- Registry ------------------------------------------------------------------------------


class Event:
    """One kind of workflow event. Subclasses define recipients and message; link is optional.

    - recipients(subject, actor, context) -> users (the actor is removed afterwards)
    - message(subject, actor, context) -> str, in Vietnamese (called under the portal language)
    - link(subject, context, recipient) -> path of the page the recipient should open
    """

    key: str = ""
    kind: str = NotificationKind.WORKFLOW

    def prepare(self, subjects: list, context: dict) -> None:
        """Before the recipients of many subjects are named (emit_many): read in one query
        what each would read alone, into `context` under a key starting with "_"."""

    def recipients(self, subject, actor, context: dict) -> Iterable:
        raise NotImplementedError

    def message(self, subject, actor, context: dict) -> str:
        raise NotImplementedError

    def link(self, subject, context: dict, recipient) -> str:
        return ""


def register(key: str) -> Callable[[type[Event]], type[Event]]:
    """Class decorator: `@register("task.changed") class TaskChanged(Event): ...`."""

    def decorator(cls: type[Event]) -> type[Event]:
        if key in _REGISTRY:
            raise ValueError(f"event {key!r} is registered twice")
        cls.key = key
        _REGISTRY[key] = cls()
        return cls

    return decorator


def registered() -> dict[str, Event]:
    return dict(_REGISTRY)


def subscribe(listener: Listener) -> None:
    """Call listener(event, actor, subject, occurrence, context) after every emitted event's
    transaction commits (register it in your AppConfig.ready()). A listener with a `many`
    attribute is called once per batch instead: many(event, actor, [(subject, occurrence)...],
    context)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def unsubscribe(listener: Listener) -> None:
    if listener in _LISTENERS:
        _LISTENERS.remove(listener)


def dedupe_key(event: str, subject: models.Model, occurrence: Any) -> str:
    return f"{event}:{subject._meta.label_lower}.{subject.pk}:{occurrence}"


def emit(event: str, *, actor, subject: models.Model, occurrence: Any, **context: Any) -> None:
    """Announce that `actor` did `event` to `subject`. Call it from a service, inside its
    transaction, after the change is saved; nothing happens unless the transaction commits."""
    emit_many(event, actor=actor, items=[(subject, occurrence)], **context)


def emit_many(
    event: str, *, actor, items: Iterable[tuple[models.Model, Any]], **context: Any
) -> None:
    """The same event on many subjects at once (a task addressed to every commune, a plan
    import): one delivery on commit that reads the recipients of all of them in a few queries
    and inserts every notification in bulk. `items` are (subject, occurrence) pairs."""
    if event not in _REGISTRY:
        raise KeyError(f"unknown event {event!r}: register it in notifications/events.py")
    items = [(subject, str(occurrence)) for subject, occurrence in items]
    if any(subject.pk is None for subject, _ in items):
        raise ValueError("emit() needs saved subjects")
    if items:
        transaction.on_commit(partial(_deliver, event, actor, items, context), robust=True)


def _deliver(event: str, actor, items: list[tuple[models.Model, str]], context: dict) -> int:
    from notifications.services import NotificationDraft, notifications_send_bulk

    entry = _REGISTRY[event]
    actor_id = getattr(actor, "pk", None)
    drafts = []
    # Messages are stored, so they are written in the portal's language, not the caller's.
    with translation.override(settings.LANGUAGE_CODE):
        if len(items) > 1:
            entry.prepare([subject for subject, _ in items], context)
        for subject, occurrence in items:
            people = {
                user.pk: user
                for user in entry.recipients(subject, actor, context)
                if user is not None and user.is_active and user.pk != actor_id
            }
            if not people:
                continue
            message = entry.message(subject, actor, context)
            content_type = ContentType.objects.get_for_model(subject)  # cached per model
            key = dedupe_key(event, subject, occurrence)
            drafts.extend(
                NotificationDraft(
                    recipient_id=user.pk,
                    kind=entry.kind,
                    message=message,
                    link=entry.link(subject, context, user),
                    dedupe_key=key,
                    content_type_id=content_type.pk,
                    object_id=subject.pk,
                )
                for user in sorted(people.values(), key=lambda u: u.pk)
            )
        created = notifications_send_bulk(drafts=drafts)
    public = {name: value for name, value in context.items() if not name.startswith("_")}
    for listener in list(_LISTENERS):
        batch = getattr(listener, "many", None)
        if batch is not None:  # a listener that takes the batch at once reads its rows once
            try:
                batch(event, actor, items, public)
            except Exception:
                logger.exception("listener %r failed on %s", listener, event)
            continue
        for subject, occurrence in items:
            try:
                listener(event, actor, subject, occurrence, public)
            except Exception:  # one broken listener must not silence the others
                logger.exception("listener %r failed on %s", listener, event)
    return created


# --- Who: shared recipient rules -----------------------------------------------------------


def _users():
    return get_user_model().objects.filter(is_active=True)


def unit_people(*unit_ids: int | None):
    """The head and staff of the units."""
    ids = {pk for pk in unit_ids if pk}
    return _users().filter(unit_id__in=ids, role__in=[Role.UNIT_HEAD, Role.UNIT_STAFF])


def home_affairs_people():
    return _users().filter(role=Role.HOME_AFFAIRS)


def plan_reviewers(directive) -> list:
    """The Home Affairs reviewers of a plan (see the module docstring)."""
    owner = getattr(directive, "created_by", None)
    if owner is not None and owner.is_active and owner.role == Role.HOME_AFFAIRS:
        return [owner]
    return list(home_affairs_people())


def task_people(task) -> list:
    """Everyone on a task: the head and staff of every unit it is assigned to (lead and
    cooperating) and the plan's Home Affairs reviewers."""
    unit_ids = list(task.assignments.values_list("unit_id", flat=True))
    return [*unit_people(*unit_ids), *plan_reviewers(task.directive)]


# --- What: shared wording ------------------------------------------------------------------


def who(actor) -> str:
    """'Nguyễn Văn A (STC)': the name and the unit's short name; no person (a job) is Home
    Affairs."""
    if actor is None:
        return _("Home Affairs")
    name = str(actor)  # the full name, else the user name
    unit = getattr(actor, "unit", None)
    return f"{name} ({unit.short_name or unit.name})" if unit is not None else name


def task_label(task, about=None) -> str:
    """'5580/KH-UBND · 3. Title', and for a report or extension of one reporting period of a
    recurring task, that period: '(kỳ 01/01/2026–31/03/2026)'."""
    label = f"{task.directive.number} · {task.item_number}. {task.title}"
    period = getattr(about, "period", None) if about is not None else None
    if period is not None:
        label += " " + _("(period %(start)s–%(end)s)") % {
            "start": day(period.period_start),
            "end": day(period.period_end),
        }
    return label


def day(value) -> str:
    return dateformat.format(value, "d/m/Y") if value else ""


def assignment_link(assignment) -> str:
    return reverse("tasks:assignment_detail", args=[assignment.pk])


def _assignment_of(subject):
    """The assignment a report, extension, review or post is about."""
    return subject if subject._meta.model_name == "assignment" else subject.assignment


class _AssignmentEvent(Event):
    """An event about one assignment; its page is the link for everyone."""

    def link(self, subject, context, recipient) -> str:
        return assignment_link(_assignment_of(subject))


class _ToUnit(_AssignmentEvent):
    def prepare(self, subjects, context):
        # One query for the people of every unit concerned, instead of one per subject.
        by_unit: dict[int, list] = {}
        for user in unit_people(*{_assignment_of(s).unit_id for s in subjects}):
            by_unit.setdefault(user.unit_id, []).append(user)
        context["_unit_people"] = by_unit

    def recipients(self, subject, actor, context):
        unit_id = _assignment_of(subject).unit_id
        if "_unit_people" in context:
            return context["_unit_people"].get(unit_id, [])
        return unit_people(unit_id)


class _ToReviewers(_AssignmentEvent):
    def recipients(self, subject, actor, context):
        return plan_reviewers(_assignment_of(subject).task.directive)


# --- Tasks and assignments -----------------------------------------------------------------


@register("assignment.assigned")
class AssignmentAssigned(_ToUnit):
    """An assignment was created, or re-addressed to another unit (context from_unit)."""

    def message(self, subject, actor, context):
        values = {
            "actor": who(actor),
            "task": task_label(subject.task),
            "unit": subject.unit.name,
        }
        if context.get("from_unit") is not None:
            values["old"] = context["from_unit"].name
            return _("%(actor)s transferred the task “%(task)s” from %(old)s to %(unit)s.") % values
        if subject.role == "cooperating":
            text = _("%(actor)s assigned %(unit)s the task “%(task)s” as a cooperating unit.")
        else:
            text = _("%(actor)s assigned %(unit)s the task “%(task)s” as the lead unit.")
        text %= values
        if subject.effective_deadline:
            text += " " + _("Deadline: %(date)s.") % {"date": day(subject.effective_deadline)}
        return text


class _AssignmentStateEvent(_ToUnit):
    """Home Affairs suspends, resumes or cancels one unit's assignment (tasks.services.workflow
    assignment_suspend / _resume / _cancel); context: reason where one is given."""

    text = ""

    def message(self, subject, actor, context):
        text = self.text % {
            "actor": who(actor),
            "task": task_label(subject.task),
            "unit": subject.unit.name,
        }
        if context.get("reason"):
            text += " " + _("Reason: %(reason)s") % {"reason": context["reason"]}
        return text


@register("assignment.suspended")
class AssignmentSuspended(_AssignmentStateEvent):
    @property
    def text(self):
        return _("%(actor)s suspended the task “%(task)s” of %(unit)s.")


@register("assignment.resumed")
class AssignmentResumed(_AssignmentStateEvent):
    @property
    def text(self):
        return _("%(actor)s resumed the task “%(task)s” of %(unit)s.")


@register("assignment.cancelled")
class AssignmentCancelled(_AssignmentStateEvent):
    @property
    def text(self):
        return _("%(actor)s cancelled the task “%(task)s” of %(unit)s.")


@register("report.submitted")
class ReportSubmitted(_ToReviewers):
    def message(self, subject, actor, context):
        values = {
            "actor": who(actor),
            "task": task_label(subject.assignment.task, subject),
            "unit": subject.assignment.unit.name,
            "percent": subject.percent,
        }
        if subject.reports_done:
            return (
                _(
                    "%(actor)s reported the task “%(task)s” of %(unit)s done; "
                    "it awaits your confirmation."
                )
                % values
            )
        return (
            _("%(actor)s submitted a progress report (%(percent)s%%) on the task “%(task)s”.")
            % values
        )


@register("report.returned")
class ReportReturned(_ToUnit):
    """subject: the report that was returned (or the assignment when none is on record)."""

    def message(self, subject, actor, context):
        assignment = _assignment_of(subject)
        return _("%(actor)s returned the task “%(task)s” to %(unit)s. Reason: %(reason)s") % {
            "actor": who(actor),
            "task": task_label(assignment.task, subject),
            "unit": assignment.unit.name,
            "reason": context.get("reason", ""),
        }


@register("report.confirmed")
class ReportConfirmed(_ToUnit):
    def message(self, subject, actor, context):
        assignment = _assignment_of(subject)
        return _("%(actor)s confirmed the completion of the task “%(task)s” by %(unit)s.") % {
            "actor": who(actor),
            "task": task_label(assignment.task, subject),
            "unit": assignment.unit.name,
        }


@register("extension.requested")
class ExtensionRequested(_ToReviewers):
    def message(self, subject, actor, context):
        return _(
            "%(actor)s asked to extend the deadline of the task “%(task)s” to %(date)s. "
            "Reason: %(reason)s"
        ) % {
            "actor": who(actor),
            "task": task_label(subject.assignment.task, subject),
            "date": day(subject.requested_deadline),
            "reason": subject.reason,
        }


@register("extension.decided")
class ExtensionDecided(_ToUnit):
    """context: approved (bool), note (str)."""

    def message(self, subject, actor, context):
        values = {
            "actor": who(actor),
            "task": task_label(subject.assignment.task, subject),
            "date": day(subject.requested_deadline),
            "note": context.get("note") or "",
        }
        if context.get("approved"):
            text = _("%(actor)s approved the extension of the task “%(task)s” to %(date)s.")
        else:
            text = _("%(actor)s refused the extension of the task “%(task)s” to %(date)s.")
        text %= values
        if values["note"]:
            text += " " + _("Note: %(note)s") % values
        return text


class _TaskEvent(Event):
    """An event about a whole task: everyone on it hears; each unit opens its own assignment,
    Home Affairs the plan."""

    def recipients(self, subject, actor, context):
        return task_people(subject)

    def link(self, subject, context, recipient) -> str:
        links = context.setdefault("_links", {})
        if subject.pk not in links:
            links[subject.pk] = dict(subject.assignments.values_list("unit_id", "pk"))
        assignment_pk = links[subject.pk].get(recipient.unit_id)
        if assignment_pk and recipient.role in (Role.UNIT_HEAD, Role.UNIT_STAFF):
            return reverse("tasks:assignment_detail", args=[assignment_pk])
        return reverse("directives:directive_detail", args=[subject.directive_id])

    def _values(self, subject, actor, context) -> dict:
        return {
            "actor": who(actor),
            "task": task_label(subject),
            "reason": context.get("reason") or "",
        }


@register("task.changed")
class TaskChanged(_TaskEvent):
    """context: changes = [(label, old, new), ...], reason."""

    def message(self, subject, actor, context):
        values = self._values(subject, actor, context)
        values["changes"] = "; ".join(
            f"{label}: {old or '–'} → {new or '–'}"
            for label, old, new in context.get("changes") or ()
        )
        return _("%(actor)s changed the task “%(task)s”: %(changes)s. Reason: %(reason)s") % values


@register("task.cancelled")
class TaskCancelled(_TaskEvent):
    def message(self, subject, actor, context):
        values = self._values(subject, actor, context)
        return _("%(actor)s cancelled the task “%(task)s”. Reason: %(reason)s") % values


@register("task.suspended")
class TaskSuspended(_TaskEvent):
    def message(self, subject, actor, context):
        values = self._values(subject, actor, context)
        return _("%(actor)s suspended the task “%(task)s”. Reason: %(reason)s") % values


@register("task.resumed")
class TaskResumed(_TaskEvent):
    def message(self, subject, actor, context):
        values = self._values(subject, actor, context)
        return _("%(actor)s resumed the task “%(task)s”. Reason: %(reason)s") % values


@register("thread.posted")
class ThreadPosted(_AssignmentEvent):
    """subject: an AssignmentPost. The others on the thread: the assignment's unit; on a lead
    unit's thread the task's cooperating units, on a cooperating unit's thread the lead unit;
    and the plan's Home Affairs reviewers."""

    def recipients(self, subject, actor, context):
        assignment = subject.assignment
        task = assignment.task
        if assignment.role == "cooperating":
            others = [task.lead_unit_id]
        else:
            others = task.assignments.filter(role="cooperating").values_list("unit_id", flat=True)
        return [
            *unit_people(assignment.unit_id, *others),
            *plan_reviewers(task.directive),
        ]

    def link(self, subject, context, recipient) -> str:
        # The thread's own page, at the message: a cooperating unit may read the lead unit's
        # thread but not open the lead unit's assignment page (that would be a 404).
        return subject.get_absolute_url()

    def message(self, subject, actor, context):
        body = " ".join((subject.body or "").split())
        if len(body) > 160:
            body = body[:159] + "…"
        return _("%(actor)s wrote on the task “%(task)s” (%(unit)s): %(body)s") % {
            "actor": who(actor or subject.author),
            "task": task_label(subject.assignment.task, subject),
            "unit": subject.assignment.unit.name,
            "body": body,
        }


# --- PAR Index self-assessments ------------------------------------------------------------


class _AssessmentEvent(Event):
    kind = NotificationKind.ASSESSMENT

    def link(self, subject, context, recipient) -> str:
        return reverse("indicators:assessment_detail", args=[subject.pk])

    def _values(self, subject, actor) -> dict:
        return {"actor": who(actor), "framework": str(subject.framework), "unit": subject.unit.name}


@register("assessment.submitted")
class AssessmentSubmitted(_AssessmentEvent):
    """To the appraisers (every Home Affairs user). context: explanation=True when the unit
    sends its explanations after round 1."""

    def recipients(self, subject, actor, context):
        return home_affairs_people()

    def message(self, subject, actor, context):
        values = self._values(subject, actor)
        if context.get("explanation"):
            return (
                _(
                    "%(actor)s sent the explanations of %(unit)s on the PAR Index "
                    "self-assessment “%(framework)s”; appraisal round 2 can begin."
                )
                % values
            )
        return (
            _(
                "%(actor)s submitted the PAR Index self-assessment “%(framework)s” of %(unit)s; "
                "it awaits appraisal."
            )
            % values
        )


@register("assessment.returned")
class AssessmentReturned(_AssessmentEvent):
    """Appraisal round 1 is done and the sheet goes back to the unit to explain."""

    def recipients(self, subject, actor, context):
        return unit_people(subject.unit_id)

    def message(self, subject, actor, context):
        text = _(
            "%(actor)s finished appraisal round 1 of the PAR Index self-assessment "
            "“%(framework)s” of %(unit)s and returned it to the unit for explanations."
        ) % self._values(subject, actor)
        if context.get("reason"):
            text += " " + _("Reason: %(reason)s") % {"reason": context["reason"]}
        return text


@register("assessment.appraised")
class AssessmentAppraised(_AssessmentEvent):
    def recipients(self, subject, actor, context):
        return unit_people(subject.unit_id)

    def message(self, subject, actor, context):
        return _(
            "%(actor)s finished the appraisal of the PAR Index self-assessment "
            "“%(framework)s” of %(unit)s: the scores are final."
        ) % self._values(subject, actor)


# --- Background work -----------------------------------------------------------------------


@register("job.finished")
class JobFinished(Event):
    """subject: a core.background row (import, export...) that succeeded or failed; context:
    kind (its core.background.JobKind). Told to the person who started it."""

    kind = NotificationKind.JOB

    def recipients(self, subject, actor, context):
        owner = subject.owner
        return [owner] if owner is not None else []

    def message(self, subject, actor, context):
        from core.models import JobStatus

        label = context["kind"].label
        if subject.status == JobStatus.SUCCEEDED:
            return _("%(job)s “%(name)s” is done.") % {"job": label, "name": subject}
        return _("%(job)s “%(name)s” failed: %(error)s") % {
            "job": label,
            "name": subject,
            "error": subject.error or _("no reason was recorded"),
        }

    def link(self, subject, context, recipient) -> str:
        kind = context["kind"]
        return kind.url(subject) if kind.url else ""


def on_background_job_finished(kind, row) -> None:
    """The core.background hook (registered in NotificationsConfig.ready): once per row and
    outcome, however often the job was retried."""
    emit("job.finished", actor=None, subject=row, occurrence=row.status, kind=kind)


# --- Events for listeners only (outbound webhooks) ------------------------------------------


class _ListenersOnly(Event):
    """An event people already hear of another way (the plan's assignments tell each unit;
    the deadline scan and the dossier alerts notify units in bulk): no notification here,
    only the listeners (integrations' webhooks) are called."""

    def recipients(self, subject, actor, context):
        return []

    def message(self, subject, actor, context):
        return ""


@register("task.created")
class TaskCreated(_ListenersOnly):
    """subject: a Task just entered with its assignments (tasks.services.task_create)."""


@register("assignment.overdue")
class AssignmentOverdue(_ListenersOnly):
    """subject: an Assignment, or an AssignmentPeriod of a recurring one, that the daily scan
    found newly overdue; occurrence: its first overdue day (one per deadline)."""


@register("dossier.late")
class DossierLate(_ListenersOnly):
    """subject: a Dossier the hourly alert claimed as newly overdue (once per dossier)."""


# --- Periodic CCHC reports (periodic_reports) ------------------------------------------------


class _PeriodicReportEvent(Event):
    """subject: a periodic_reports.PeriodicReport; the wording and the recipients live with the
    reports (periodic_reports.notify): round_opened, returned, confirmed go to the unit's head
    and staff, submitted to Home Affairs."""

    def recipients(self, subject, actor, context):
        from periodic_reports.notify import recipients

        return recipients(self.key, subject, actor, context)

    def message(self, subject, actor, context):
        from periodic_reports.notify import message

        return message(self.key, subject, actor, context)

    def link(self, subject, context, recipient) -> str:
        from periodic_reports.notify import link

        return link(subject)


@register("periodic_report.round_opened")
class PeriodicReportRoundOpened(_PeriodicReportEvent):
    pass


@register("periodic_report.submitted")
class PeriodicReportSubmitted(_PeriodicReportEvent):
    pass


@register("periodic_report.returned")
class PeriodicReportReturned(_PeriodicReportEvent):
    pass


@register("periodic_report.confirmed")
class PeriodicReportConfirmed(_PeriodicReportEvent):
    pass
