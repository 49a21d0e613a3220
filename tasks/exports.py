"""The assignment lists' columns (unit inbox, all assignments, review queue), shared by the
pages and their Excel exports."""

from __future__ import annotations

import functools

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.excel import Column
from core.exports import ExportSpec, register
from core.filters import list_as_of
from tasks import policy, selectors
from tasks.filters import AssignmentFilter, ReviewQueueFilter
from tasks.models import Assignment, AssignmentRole
from tasks.status import Status
from tasks.templatetags.task_status import status_badge


@functools.lru_cache(maxsize=256)
def _label(choices: type, value: str, language: str | None) -> str:
    """A choice's label in the active language, translated once per export rather than once
    per row (a 60,000-row sheet looked each label up through gettext 120,000 times)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return ""


def _status_label(assignment) -> str:
    return _label(Status, assignment.status, get_language())


def _role_label(assignment) -> str:
    return _label(AssignmentRole, assignment.role, get_language()) or assignment.role


def _task_html(assignment) -> str:
    if assignment.role == "cooperating":
        return format_html(
            '{} <span class="badge text-bg-light">{}</span>',
            assignment.task.title,
            _("cooperating"),
        )
    return format_html("{}", assignment.task.title)


def _detail(assignment) -> str:
    return reverse("tasks:assignment_detail", args=[assignment.pk])


def _progress(assignment):
    return assignment.progress_percent / 100


# The directive's number, on the assignment list and the review queue alike.
DIRECTIVE_COLUMN = Column(
    "directive", _("Directive"), value=lambda a: a.task.directive.number, width=18, nowrap=True
)

ASSIGNMENT_COLUMNS = [
    DIRECTIVE_COLUMN,
    Column("item_number", _("No."), value=lambda a: a.task.item_number, width=6),
    Column(
        "task", _("Task"), value=lambda a: a.task.title, html=_task_html, link=_detail, width=60
    ),
    Column("role", _("Role"), value=_role_label, width=14),
    Column(
        "unit", _("Unit"), value=lambda a: a.unit.short_name or a.unit.name, width=30, sort="unit"
    ),
    Column("eff_deadline", _("Deadline"), kind="date", width=12, sort="deadline"),
    Column("progress", _("Progress"), value=_progress, kind="percent", width=10),
    Column(
        "status",
        _("Status"),
        value=_status_label,
        html=lambda a: status_badge(a.status),
        width=26,
        sort="status",
    ),
    Column("completed_on", _("Completed on"), kind="date", width=12),
]
# The page shows the role as a badge next to the task and leaves the completion date to the
# detail page; the sheet has a column for each.
ASSIGNMENT_PAGE_COLUMNS = [
    column for column in ASSIGNMENT_COLUMNS if column.key not in ("role", "completed_on")
]


def assignment_rows(user, params):
    # the statuses of the day the page showed (?as_of=), so the sheet holds the page's rows
    as_of = list_as_of(params)
    return AssignmentFilter(params, queryset=selectors.assignment_list(user, as_of)).qs


REVIEW_COLUMNS = [
    DIRECTIVE_COLUMN,
    Column(
        "task",
        _("Task"),
        value=lambda a: f"{a.task.item_number}. {a.task.title}",
        link=_detail,
        width=60,
    ),
    Column(
        "unit", _("Unit"), value=lambda a: a.unit.short_name or a.unit.name, width=30, sort="unit"
    ),
    Column("waiting_since", _("Reported done on"), kind="date", width=14, sort="waiting"),
    Column("eff_deadline", _("Deadline"), kind="date", width=12, sort="deadline"),
]


def review_rows(user, params):
    """Home Affairs' queue; anyone else exports nothing (the page is theirs alone)."""
    if not policy.role_may(user, policy.REVIEW):
        return Assignment.objects.none()
    return ReviewQueueFilter(params, queryset=selectors.review_queue(timezone.localdate())).qs


register(
    ExportSpec(
        key="assignments",
        title=_("Assignments"),
        columns=ASSIGNMENT_COLUMNS,
        rows=assignment_rows,
        file_stem="nhiem-vu",
    )
)
register(
    ExportSpec(
        key="review-queue",
        title=_("Awaiting confirmation"),
        columns=REVIEW_COLUMNS,
        rows=review_rows,
        file_stem="cho-xac-nhan",
    )
)
