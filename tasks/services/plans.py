"""Writing a plan: tasks, their addressees, the assignments and the periods of recurring ones."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import fold_join, natural_key
from directives.models import CchcArea, Directive
from notifications.events import emit, emit_many
from organizations.models import OrgUnit, UnitKind, User
from organizations.selectors import unit_not_existing_message, valid_during_q
from tasks.models import (
    Assignment,
    AssignmentPeriod,
    AssignmentRole,
    OutputKind,
    Task,
    TaskRecurrence,
)
from tasks.services.status_hook import status_changed
from tasks.status import WorkflowState


class AddressMode(models.TextChoices):
    PICKED = "picked", gettext_lazy("Picked units")
    ALL_DEPARTMENTS = "all_departments", gettext_lazy("All departments and provincial agencies")
    ALL_COMMUNES = "all_communes", gettext_lazy("All communes, wards and special zones")
    ALL_DEPARTMENTS_AND_DISTRICTS = (
        "all_departments_and_districts",
        gettext_lazy("All departments and districts"),
    )
    KIND = "kind", gettext_lazy("Every unit of a kind")


_PROVINCIAL = (UnitKind.DEPARTMENT, UnitKind.PROVINCIAL_AGENCY)


def units_for_address(
    *,
    mode: str,
    on_date: datetime.date,
    kind: str = "",
    units: Iterable[OrgUnit] = (),
) -> list[OrgUnit]:
    """The units a task addressed this way reaches, as they existed on `on_date` (the issue
    date): a 2020 task to "all districts" reaches the districts of 2020."""
    existing = valid_during_q(on_date, on_date)
    if mode == AddressMode.PICKED:
        return list(units)
    if mode == AddressMode.ALL_DEPARTMENTS:
        kinds = _PROVINCIAL
    elif mode == AddressMode.ALL_COMMUNES:
        kinds = (UnitKind.COMMUNE,)
    elif mode == AddressMode.ALL_DEPARTMENTS_AND_DISTRICTS:
        kinds = (*_PROVINCIAL, UnitKind.DISTRICT)
    elif mode == AddressMode.KIND and kind:
        kinds = (kind,)
    else:
        raise ValidationError({"kind": _("Choose the kind of unit the task goes to.")})
    units = list(OrgUnit.objects.filter(existing, kind__in=kinds).order_by("code"))
    if not units:
        # e.g. "all communes" on a plan of 2024, before the communes of the two-level model
        raise ValidationError(
            {
                "address_mode": _("No unit of this kind existed on %(date)s.")
                % {"date": f"{on_date:%d/%m/%Y}"}
            }
        )
    return units


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    return datetime.date(day.year + month0 // 12, month0 % 12 + 1, 1)


_MONTHS = {
    TaskRecurrence.MONTHLY: 1,
    TaskRecurrence.QUARTERLY: 3,
    TaskRecurrence.HALF_YEARLY: 6,
    TaskRecurrence.YEARLY: 12,
}


def period_bounds(
    recurrence: str, start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """Calendar periods of the recurrence that overlap [start, end]."""
    months = _MONTHS[recurrence]
    # Align to the calendar: quarters start in Jan/Apr/Jul/Oct, halves in Jan/Jul.
    first = datetime.date(start.year, (start.month - 1) // months * months + 1, 1)
    periods = []
    while first <= end:
        following = _add_months(first, months)
        periods.append((first, following - datetime.timedelta(days=1)))
        first = following
    return periods


def _task_periods(task: Task) -> list[tuple[datetime.date, datetime.date]]:
    if not task.recurrence:
        return []
    start = task.recurrence_start or task.directive.issue_date
    end = task.recurrence_end or datetime.date(start.year, 12, 31)
    return period_bounds(task.recurrence, start, end)


def _not_on_plan_date(unit: OrgUnit, directive: Directive) -> str | None:
    """The refusal for a unit that did not exist on the plan's issue date, else None."""
    if unit.is_valid_on(directive.issue_date):
        return None
    return unit_not_existing_message(
        unit,
        _("no task of a plan issued on %(date)s can be assigned to it")
        % {"date": f"{directive.issue_date:%d/%m/%Y}"},
    )


def _require_units_on_plan_date(directive: Directive, **units: Iterable[OrgUnit]) -> None:
    """Refuse, field by field, every unit that did not exist on the plan's issue date: a
    task of a 2026 plan cannot go to a district abolished in 2025."""
    errors: dict[str, list[str]] = {}
    for name, group in units.items():
        for unit in group:
            message = _not_on_plan_date(unit, directive)
            if message and message not in errors.get(name, []):
                errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assignment_create(
    *,
    task: Task,
    unit: OrgUnit,
    role: str = AssignmentRole.LEAD,
    actor: User | None = None,
    reason: str = "",
    refresh_status: bool = True,
) -> Assignment:
    """One unit's share of a task (and, for a recurring task, one row per period). Given the
    person who assigns it (`actor`), the unit's head and staff are told; loaders of demo or
    historical data pass none. A unit added after entry (tasks.services.changes) also passes
    why, for the history. `refresh_status=False` is for a caller that tells the read side of
    all its new assignments at once (task_create)."""
    _require_units_on_plan_date(task.directive, unit=[unit])
    if Assignment.objects.filter(task=task, unit=unit).exists():
        raise ValidationError(
            _("%(unit)s already has this task.") % {"unit": unit.name}, code="duplicate"
        )
    assignment = Assignment(task=task, unit=unit, role=role, deadline=task.deadline)
    if actor is not None:
        assignment._history_user = actor
    assignment._change_reason = reason or None
    assignment.full_clean()
    assignment.save()
    AssignmentPeriod.objects.bulk_create(
        AssignmentPeriod(
            assignment=assignment,
            period_start=start,
            period_end=end,
            deadline=end + datetime.timedelta(days=task.period_offset_days),
        )
        for start, end in _task_periods(task)
    )
    if actor is not None:
        emit("assignment.assigned", actor=actor, subject=assignment, occurrence="created")
    if refresh_status:
        status_changed([assignment.pk])
    return assignment


def _task_refresh_search_text(task: Task) -> None:
    """The task's derived columns: its search text and the sort key of its number."""
    task.search_text = fold_join(task.item_number, task.title, task.content, task.expected_output)
    task.item_order = natural_key(task.item_number)


def _validate_task(task: Task) -> None:
    if task.recurrence and task.deadline:
        raise ValidationError(
            {"deadline": _("A recurring task has a deadline per period, not one date.")}
        )
    if (
        task.recurrence_start
        and task.recurrence_end
        and task.recurrence_end < task.recurrence_start
    ):
        raise ValidationError({"recurrence_end": _("The last period ends before the first.")})
    duplicate = Task.objects.filter(directive=task.directive, item_number=task.item_number)
    if duplicate.exclude(pk=task.pk).exists():
        raise ValidationError(
            {
                "item_number": _("This directive already has a task numbered %(number)s.")
                % {"number": task.item_number}
            }
        )


@transaction.atomic
def task_create(
    *,
    directive: Directive,
    item_number: str,
    title: str,
    content: str = "",
    lead_unit: OrgUnit | None = None,
    cooperating_units: Iterable[OrgUnit] = (),
    addressees: Iterable[OrgUnit] = (),
    address_mode: str = "",
    address_kind: str = "",
    deadline: datetime.date | None = None,
    recurrence: str = "",
    period_offset_days: int = 0,
    recurrence_start: datetime.date | None = None,
    recurrence_end: datetime.date | None = None,
    output_kind: str = OutputKind.REPORT,
    expected_output: str = "",
    area: CchcArea | None = None,
    is_key: bool = False,
    leader_in_charge: str = "",
    actor=None,
) -> Task:
    """Create a task and, at once, an assignment for the lead unit, for every addressed unit
    (each leads its own share) and for each cooperating unit. Every unit must exist on the
    plan's issue date. `address_mode` (with `address_kind`) names the addressees as a group
    ("all communes"), resolved as the units were on the issue date: the plan page and the API
    choose the units here, not each on its own."""
    addressees = list(addressees)
    if address_mode:
        addressees = units_for_address(
            mode=address_mode, kind=address_kind, units=addressees, on_date=directive.issue_date
        )
    cooperating_units = list(cooperating_units)
    _require_units_on_plan_date(
        directive,
        lead_unit=[lead_unit] if lead_unit else [],
        cooperating_units=cooperating_units,
        addressees=addressees,
    )
    task = Task(
        directive=directive,
        item_number=str(item_number).strip(),
        title=title,
        content=content,
        lead_unit=lead_unit,
        deadline=deadline,
        recurrence=recurrence,
        period_offset_days=period_offset_days,
        recurrence_start=recurrence_start,
        recurrence_end=recurrence_end,
        output_kind=output_kind,
        expected_output=expected_output,
        area=area,
        is_key=is_key,
        leader_in_charge=leader_in_charge,
    )
    _validate_task(task)
    _task_refresh_search_text(task)
    task.full_clean()
    task.save()
    cooperating = [u for u in cooperating_units if u != lead_unit]
    task.cooperating_units.set(cooperating)
    leads = ([lead_unit] if lead_unit else []) + [u for u in addressees if u != lead_unit]
    seen: set[int] = set()
    created = []
    for unit in leads:
        if unit.pk not in seen:
            seen.add(unit.pk)
            created.append(
                assignment_create(
                    task=task, unit=unit, role=AssignmentRole.LEAD, refresh_status=False
                )
            )
    for unit in cooperating:
        if unit.pk not in seen:
            seen.add(unit.pk)
            created.append(
                assignment_create(
                    task=task, unit=unit, role=AssignmentRole.COOPERATING, refresh_status=False
                )
            )
    # The read side refreshes every share in one go (not once per unit of "all communes").
    status_changed(assignment.pk for assignment in created)
    if actor is not None:
        # A task "to all communes" tells every commune in one delivery (see emit_many).
        emit_many(
            "assignment.assigned",
            actor=actor,
            items=[(assignment, "created") for assignment in created],
        )
    # No one is notified of this (each unit hears of its assignment above); listeners such as
    # outbound webhooks are.
    emit("task.created", actor=actor, subject=task, occurrence="created")
    return task


TASK_EDITABLE = (
    "item_number",
    "title",
    "content",
    "deadline",
    "output_kind",
    "expected_output",
    "area",
    "is_key",
    "leader_in_charge",
)


@transaction.atomic
def task_update(*, task: Task, **changes) -> Task:
    """Change a task's text or deadline; open assignments follow a new deadline (an approved
    extension still wins, as it is kept apart)."""
    unknown = set(changes) - set(TASK_EDITABLE)
    if unknown:
        raise TypeError(f"task_update got unknown fields: {sorted(unknown)}")
    old_deadline = task.deadline
    for name, value in changes.items():
        setattr(task, name, value)
    _validate_task(task)
    _task_refresh_search_text(task)
    task.version += 1  # a page read before this change is stale (tasks.services.changes)
    task.full_clean()
    task.save()
    if task.deadline != old_deadline:
        for assignment in task.assignments.exclude(
            state__in=[WorkflowState.CONFIRMED, WorkflowState.CANCELLED]
        ):
            assignment.deadline = task.deadline
            assignment.save(update_fields=["deadline"])
    # the deadline and the CCHC area are among what the analytics tables keep per assignment
    status_changed(task.assignments.values_list("pk", flat=True))
    return task
