"""Changing a task after entry: edit, cancel, suspend, resume, and the plan grid's bulk actions.

The rules (docs/domain.md, "Changing a task after entry"):
- every change names its reason; the reason and the actor are on each history row the change
  writes (the task's and every assignment's it touches), so the change history page says who
  changed what, when and why;
- nothing is deleted: a unit taken off a task has its assignment cancelled (its reports stay);
  a unit added gets an assignment through `assignment_create`, so it must exist on the plan's
  issue date; a unit put back gets its cancelled assignment back, reports and all;
- a new deadline applies to every assignment of the task that is not cancelled, reported ones
  included: the reports and the completion dates stay, so "done on time" or "late" is read
  against the new deadline. An approved extension later than the new deadline still wins (the
  unit was promised that date); one not later is superseded and cleared (its history stays);
- optimistic concurrency: a form carries the task's `version`; a change made on a page read
  before someone else's change is refused, and nothing is written. The task row is locked
  (SELECT ... FOR UPDATE) while it is checked and changed;
- every bulk action is all or nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from notifications.events import emit
from organizations.models import OrgUnit, User
from tasks import policy
from tasks.models import Assignment, AssignmentRole, Task, TaskState
from tasks.services.plans import (
    _require_units_on_plan_date,
    _task_refresh_search_text,
    _validate_task,
    assignment_create,
)
from tasks.services.status_hook import status_changed
from tasks.status import WorkflowState

EDITABLE = ("title", "content", "expected_output", "deadline", "lead_unit", "cooperating_units")
TEXT_MAX = 120


def _label(name: str) -> str:
    if name == "cooperating_units":
        return _("Cooperating units")
    return str(Task._meta.get_field(name).verbose_name).capitalize()


def _shown(value) -> str:
    """A value as a person reads it in a notification: dd/mm/yyyy, unit names, short text."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, OrgUnit):
        return value.short_name or value.name
    if isinstance(value, list | tuple):
        return ", ".join(_shown(unit) for unit in value)
    text = " ".join(str(value).split())
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this change.")})
    return reason


def _locked(task: Task, expected_version) -> Task:
    """The task's row, locked for this transaction, refused if the form was read at another
    version (someone changed the task meanwhile, or the same form was sent twice)."""
    locked = Task.objects.select_for_update().select_related("directive").get(pk=task.pk)
    if expected_version not in (None, "") and str(expected_version) != str(locked.version):
        raise ValidationError(
            _(
                "Task %(number)s was changed after this page was opened (by someone else, or "
                "this form was sent twice): nothing was saved. Open the task again to see its "
                "current version."
            )
            % {"number": locked.item_number},
            code="stale",
        )
    return locked


def _stamp(row, actor: User, reason: str) -> None:
    row._history_user = actor
    row._change_reason = reason


def _save(row) -> None:
    row.full_clean()
    row.save()


def _history_id(task: Task) -> int | None:
    return task.history.order_by("-history_id").values_list("history_id", flat=True).first()


def _task_save(task: Task, actor: User, reason: str) -> int | None:
    """Save the task as a new version, the reason and the actor on its history row; returns
    that row's id (the event's occurrence)."""
    task.version += 1
    _stamp(task, actor, reason)
    _save(task)
    # Deadlines, units, states: every share's status may follow (the read side's tables
    # refresh on commit; a unit added later refreshes through assignment_create).
    status_changed(task.assignments.values_list("pk", flat=True))
    return _history_id(task)


def _state_before(assignment: Assignment, state: str) -> str:
    """The workflow state the assignment had before it entered `state` (from its history)."""
    history = assignment.history.order_by("-history_date", "-history_id")
    for earlier in history.values_list("state", flat=True):
        if earlier != state:
            return earlier
    return WorkflowState.OPEN


def _set_state(assignment: Assignment, state: str, actor: User, reason: str) -> None:
    assignment.state = state
    _stamp(assignment, actor, reason)
    _save(assignment)


# --- Units -------------------------------------------------------------------------------------


def _assign(task: Task, unit: OrgUnit, role: str, actor: User, reason: str) -> None:
    """Give the unit its share of the task in this role: a new assignment (assignment_create
    tells the unit), a cancelled one put back, or the role changed (the unit is told it was
    re-addressed)."""
    existing = Assignment.objects.filter(task=task, unit=unit).first()
    if existing is None:
        assignment_create(task=task, unit=unit, role=role, actor=actor, reason=reason)
        return
    changed = existing.role != role
    existing.role = role
    if existing.state == WorkflowState.CANCELLED:
        existing.state = _state_before(existing, WorkflowState.CANCELLED)
        changed = True
    if changed:
        _stamp(existing, actor, reason)
        _save(existing)
        occurrence = existing.history.order_by("-history_id").values_list("history_id", flat=True)
        emit(
            "assignment.assigned",
            actor=actor,
            subject=existing,
            occurrence=f"readdressed-{occurrence.first()}",
        )


def _unassign(task: Task, unit: OrgUnit, field: str, actor: User, reason: str) -> None:
    """Take the unit off the task: its assignment is cancelled, its reports stay."""
    assignment = Assignment.objects.filter(task=task, unit=unit).first()
    if assignment is None or assignment.state == WorkflowState.CANCELLED:
        return
    if assignment.state == WorkflowState.CONFIRMED:
        raise ValidationError(
            {
                field: _(
                    "%(unit)s's share of this task is confirmed done: the unit cannot be taken "
                    "off the task."
                )
                % {"unit": unit.name}
            }
        )
    _set_state(assignment, WorkflowState.CANCELLED, actor, reason)


def _change_units(
    task: Task,
    *,
    old_lead: OrgUnit | None,
    old_cooperating: list[OrgUnit],
    actor: User,
    reason: str,
) -> None:
    """Bring the assignments in line with the task's new lead and cooperating units. Units
    addressed by the directive ("all departments") keep their own shares."""
    new_lead = task.lead_unit
    new_cooperating = [unit for unit in task.cooperating_units.all() if unit != new_lead]
    staying = {unit.pk for unit in new_cooperating} | ({new_lead.pk} if new_lead else set())
    for unit in [old_lead, *old_cooperating]:
        if unit is not None and unit.pk not in staying:
            field = "lead_unit" if unit == old_lead else "cooperating_units"
            _unassign(task, unit, field, actor, reason)
    if new_lead is not None:
        _assign(task, new_lead, AssignmentRole.LEAD, actor, reason)
    for unit in new_cooperating:
        _assign(task, unit, AssignmentRole.COOPERATING, actor, reason)


# --- Deadlines ---------------------------------------------------------------------------------


def _check_deadline(task: Task, deadline: datetime.date | None, field: str = "deadline") -> None:
    if deadline is not None and deadline < task.directive.issue_date:
        raise ValidationError(
            {
                field: _(
                    "Task %(number)s: the deadline %(deadline)s is before the directive's date "
                    "%(date)s."
                )
                % {
                    "number": task.item_number,
                    "deadline": f"{deadline:%d/%m/%Y}",
                    "date": f"{task.directive.issue_date:%d/%m/%Y}",
                }
            }
        )


def _follow_deadline(task: Task, actor: User, reason: str) -> None:
    """Every assignment that is not cancelled takes the new deadline (see the module
    docstring); an approved extension not later than it is superseded."""
    for assignment in task.assignments.exclude(state=WorkflowState.CANCELLED):
        assignment.deadline = task.deadline
        if assignment.extended_deadline and (
            task.deadline is None or assignment.extended_deadline <= task.deadline
        ):
            assignment.extended_deadline = None
        _stamp(assignment, actor, reason)
        _save(assignment)


def _shift_periods(task: Task, days: int, actor: User, reason: str) -> None:
    """A recurring task's deadlines move by moving each period's (and the offset that makes
    the periods of units added later)."""
    offset = task.period_offset_days + days
    if offset < 0:
        raise ValidationError(
            {
                "days": _(
                    "Task %(number)s is recurring: its deadlines can move back at most "
                    "%(days)s days (to the last day of each period)."
                )
                % {"number": task.item_number, "days": task.period_offset_days}
            }
        )
    task.period_offset_days = offset
    for assignment in task.assignments.exclude(state=WorkflowState.CANCELLED):
        for period in assignment.periods.exclude(state=WorkflowState.CANCELLED):
            period.deadline = period.period_end + datetime.timedelta(days=offset)
            if period.extended_deadline and period.extended_deadline <= period.deadline:
                period.extended_deadline = None
            _stamp(period, actor, reason)
            _save(period)


# --- One task ----------------------------------------------------------------------------------


@transaction.atomic
def task_edit(*, task: Task, actor: User, data: dict, reason: str, expected_version=None) -> Task:
    """Change a task's title, content, expected output, deadline, lead or cooperating units,
    with a reason. `data` holds only the fields to change (see EDITABLE)."""
    policy.require(actor, policy.TASK_EDIT, task=task)
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise TypeError(f"task_edit got unknown fields: {sorted(unknown)}")
    reason = _require_reason(reason)
    task = _locked(task, expected_version)
    policy.require(actor, policy.TASK_EDIT, task=task)

    old = {name: getattr(task, name) for name in EDITABLE if name != "cooperating_units"}
    old_cooperating = list(task.cooperating_units.order_by("code"))
    new_cooperating = old_cooperating
    if "cooperating_units" in data:
        new_cooperating = sorted(
            {unit.pk: unit for unit in data["cooperating_units"]}.values(), key=lambda u: u.code
        )
    lead = data.get("lead_unit", task.lead_unit)
    new_cooperating = [unit for unit in new_cooperating if unit != lead]
    _require_units_on_plan_date(
        task.directive,
        lead_unit=[lead] if lead and lead != old["lead_unit"] else [],
        cooperating_units=[u for u in new_cooperating if u not in old_cooperating],
    )
    if old["lead_unit"] is not None and "lead_unit" in data and lead is None:
        raise ValidationError({"lead_unit": _("Choose the new lead unit.")})
    if "deadline" in data and data["deadline"] != old["deadline"]:
        _check_deadline(task, data["deadline"])

    for name, value in data.items():
        if name != "cooperating_units":
            setattr(task, name, value)
    changes = [
        (_label(name), _shown(old[name]), _shown(getattr(task, name)))
        for name in old
        if getattr(task, name) != old[name]
    ]
    if [u.pk for u in new_cooperating] != [u.pk for u in old_cooperating]:
        changes.append(
            (_label("cooperating_units"), _shown(old_cooperating), _shown(new_cooperating))
        )
    if not changes:
        raise ValidationError(_("Nothing to save: every field is as it was."), code="unchanged")

    _validate_task(task)
    _task_refresh_search_text(task)
    occurrence = _task_save(task, actor, reason)
    task.cooperating_units.set(new_cooperating)
    if task.deadline != old["deadline"]:
        _follow_deadline(task, actor, reason)
    if task.lead_unit != old["lead_unit"] or new_cooperating != old_cooperating:
        _change_units(
            task, old_lead=old["lead_unit"], old_cooperating=old_cooperating, actor=actor,
            reason=reason,
        )  # fmt: skip
    emit(
        "task.changed",
        actor=actor,
        subject=task,
        occurrence=occurrence,
        changes=changes,
        reason=reason,
    )
    return task


def _task_transition(
    task: Task, *, actor: User, reason: str, action: str, expected_version=None
) -> tuple[Task, str]:
    policy.require(actor, action, task=task)
    reason = _require_reason(reason)
    task = _locked(task, expected_version)
    policy.require(actor, action, task=task)
    return task, reason


@transaction.atomic
def task_cancel(*, task: Task, actor: User, reason: str, expected_version=None) -> Task:
    """Cancel the task: every assignment not yet confirmed is cancelled, reports kept; work
    already confirmed stays done."""
    task, reason = _task_transition(
        task, actor=actor, reason=reason, action=policy.TASK_CANCEL,
        expected_version=expected_version,
    )  # fmt: skip
    task.state = TaskState.CANCELLED
    occurrence = _task_save(task, actor, reason)
    for assignment in task.assignments.exclude(
        state__in=[WorkflowState.CONFIRMED, WorkflowState.CANCELLED]
    ):
        _set_state(assignment, WorkflowState.CANCELLED, actor, reason)
    emit("task.cancelled", actor=actor, subject=task, occurrence=occurrence, reason=reason)
    return task


@transaction.atomic
def task_suspend(*, task: Task, actor: User, reason: str, expected_version=None) -> Task:
    """Suspend the task: its open work is suspended (out of the rates) until it is resumed."""
    task, reason = _task_transition(
        task, actor=actor, reason=reason, action=policy.TASK_SUSPEND,
        expected_version=expected_version,
    )  # fmt: skip
    task.state = TaskState.SUSPENDED
    occurrence = _task_save(task, actor, reason)
    for assignment in task.assignments.exclude(
        state__in=[WorkflowState.CONFIRMED, WorkflowState.CANCELLED, WorkflowState.SUSPENDED]
    ):
        _set_state(assignment, WorkflowState.SUSPENDED, actor, reason)
    emit("task.suspended", actor=actor, subject=task, occurrence=occurrence, reason=reason)
    return task


@transaction.atomic
def task_resume(*, task: Task, actor: User, reason: str, expected_version=None) -> Task:
    """Resume the task: each suspended assignment goes back to the state it had before (an
    assignment suspended on its own before the task was suspended is resumed too)."""
    task, reason = _task_transition(
        task, actor=actor, reason=reason, action=policy.TASK_RESUME,
        expected_version=expected_version,
    )  # fmt: skip
    task.state = TaskState.ACTIVE
    occurrence = _task_save(task, actor, reason)
    for assignment in task.assignments.filter(state=WorkflowState.SUSPENDED):
        _set_state(assignment, _state_before(assignment, WorkflowState.SUSPENDED), actor, reason)
    emit("task.resumed", actor=actor, subject=task, occurrence=occurrence, reason=reason)
    return task


# --- Bulk actions on the plan grid ----------------------------------------------------------


def _bulk_tasks(tasks: Iterable[Task], actor: User, reason: str) -> tuple[list[Task], str]:
    policy.require(actor, policy.TASKS_BULK)
    reason = _require_reason(reason)
    tasks = sorted({task.pk: task for task in tasks}.values(), key=lambda task: task.pk)
    if not tasks:
        raise ValidationError({"tasks": _("Select at least one task.")})
    return tasks, reason


def _version(expected_versions, task: Task):
    return (expected_versions or {}).get(task.pk)


@transaction.atomic
def tasks_bulk_shift_deadline(
    *,
    tasks: Iterable[Task],
    actor: User,
    reason: str,
    days: int | None = None,
    to_date: datetime.date | None = None,
    expected_versions: dict[int, str] | None = None,
) -> list[Task]:
    """Move the deadlines of the selected tasks by `days` (a recurring task's period deadlines
    too) or set them to `to_date` (one-off tasks only). All or nothing."""
    tasks, reason = _bulk_tasks(tasks, actor, reason)
    if (days is None) == (to_date is None):
        raise ValidationError({"days": _("Give either a number of days or a new date.")})
    if days == 0:
        raise ValidationError({"days": _("Give a number of days other than 0.")})
    changed = []
    for task in tasks:
        if task.recurrence:
            if to_date is not None:
                raise ValidationError(
                    {
                        "to_date": _(
                            "Task %(number)s is recurring: its deadlines can only be moved by "
                            "a number of days."
                        )
                        % {"number": task.item_number}
                    }
                )
            locked = _locked(task, _version(expected_versions, task))
            policy.require(actor, policy.TASK_EDIT, task=locked)
            old_offset = locked.period_offset_days
            _shift_periods(locked, days, actor, reason)
            occurrence = _task_save(locked, actor, reason)
            emit(
                "task.changed",
                actor=actor,
                subject=locked,
                occurrence=occurrence,
                changes=[
                    (_label("period_offset_days"), str(old_offset), str(locked.period_offset_days))
                ],
                reason=reason,
            )
            changed.append(locked)
            continue
        locked = _locked(task, _version(expected_versions, task))
        if to_date is not None:
            new = to_date
        elif locked.deadline is None:
            raise ValidationError(
                {
                    "days": _("Task %(number)s has no deadline to move: set a new date instead.")
                    % {"number": locked.item_number}
                }
            )
        else:
            new = locked.deadline + datetime.timedelta(days=days)
        if new == locked.deadline:
            continue  # already there (a second click of the same date): nothing to change
        _check_deadline(locked, new, "to_date" if to_date else "days")
        changed.append(task_edit(task=locked, actor=actor, data={"deadline": new}, reason=reason))
    if not changed:
        raise ValidationError(_("Nothing to save: every selected task already has this deadline."))
    return changed


@transaction.atomic
def tasks_bulk_change_lead(
    *,
    tasks: Iterable[Task],
    actor: User,
    reason: str,
    lead_unit: OrgUnit,
    expected_versions: dict[int, str] | None = None,
) -> list[Task]:
    """Make `lead_unit` the lead of every selected task (the former lead's assignment is
    cancelled, its reports kept). All or nothing."""
    tasks, reason = _bulk_tasks(tasks, actor, reason)
    if lead_unit is None:
        raise ValidationError({"lead_unit": _("Choose the new lead unit.")})
    changed = [
        task_edit(
            task=task,
            actor=actor,
            data={"lead_unit": lead_unit},
            reason=reason,
            expected_version=_version(expected_versions, task),
        )
        for task in tasks
        if task.lead_unit_id != lead_unit.pk
    ]
    if not changed:
        raise ValidationError(_("Nothing to save: every selected task is already led by it."))
    return changed


@transaction.atomic
def tasks_bulk_cancel(
    *,
    tasks: Iterable[Task],
    actor: User,
    reason: str,
    expected_versions: dict[int, str] | None = None,
) -> list[Task]:
    """Cancel every selected task. All or nothing; tasks already cancelled are left as they
    are."""
    tasks, reason = _bulk_tasks(tasks, actor, reason)
    changed = [
        task_cancel(
            task=task,
            actor=actor,
            reason=reason,
            expected_version=_version(expected_versions, task),
        )
        for task in tasks
        if task.state != TaskState.CANCELLED
    ]
    if not changed:
        raise ValidationError(_("Nothing to save: every selected task is already cancelled."))
    return changed
