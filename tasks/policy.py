"""Who may do what to tasks and assignments, and in which state: the ONE place these rules live.

Every user of a rule asks here, so the page, the API and the service can never disagree:
- services call `require(actor, ACTION, ...)` first: PermissionDenied (wrong person) or
  ValidationError (wrong state), both with a Vietnamese message, before anything is written;
- views are wrapped in `action_required(ACTION)`: 403 before any input is read (the role part of
  the rule needs no object, so it runs before the form or the file is parsed);
- templates read `allowed_actions(user, ...)`, a dict of action -> bool, to show a button only
  where pressing it would work (`{% if allowed.task_edit %}`);
- the API's write permission classes are `api_permission(ACTION, ...)` (tasks/api/views.py).
The machinery (role check, then person, then state; the decorator; the DRF permission) is
core.policy.Policy; this module holds the rules.

Scope of a unit's people (docs/domain.md, "Who sees which unit's work"): a unit head or staff
member acts on their own unit's rows only (assignment.unit == user.unit). The head and staff of
a parent unit see their sub-units' assignments and submitted reports, read only
(tasks.selectors.assignments_visible_to), but never act for a sub-unit: every unit action here
asks for the user's own unit, so a parent's POST on a child's assignment is refused (403) and
the child's page shows the parent no button. Home Affairs and leadership see the province.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.policy import Policy
from core.roles import Role, has_role
from tasks.models import Assignment, AssignmentRole, ExtensionState, ReportState, TaskState
from tasks.status import WorkflowState

# --- The actions -------------------------------------------------------------------------------
# Home Affairs' work on a plan
TASK_ENTER = "task_enter"  # plan entry, add a task, Excel import
TASK_EDIT = "task_edit"  # title, content, output, deadline, units (with a reason)
TASK_CANCEL = "task_cancel"
TASK_SUSPEND = "task_suspend"
TASK_RESUME = "task_resume"
TASKS_BULK = "tasks_bulk"  # shift deadlines, change the lead unit, cancel: on selected tasks
# A unit's work on its assignment
REPORT_DRAFT = "report_draft"  # write a draft progress report, attach evidence
REPORT_SUBMIT = "report_submit"
EXTENSION_REQUEST = "extension_request"
# Home Affairs' decisions on one assignment
REVIEW = "review"  # confirm a reported completion, or return it with a reason
EXTENSION_DECIDE = "extension_decide"
ASSIGNMENT_SUSPEND = "assignment_suspend"
ASSIGNMENT_RESUME = "assignment_resume"
ASSIGNMENT_CANCEL = "assignment_cancel"
ASSIGNMENT_TRANSFER = "assignment_transfer"  # to a successor of a merged-away unit
# The conversation of a task, on its lead unit's assignment (tasks.models.AssignmentPost)
THREAD_POST = "thread_post"  # Home Affairs, the lead unit's and the cooperating units' people

_HA = (Role.HOME_AFFAIRS,)
_UNIT = (Role.UNIT_HEAD, Role.UNIT_STAFF)

# action -> the roles that may do it (superusers pass every role check, see core.roles)
ROLES: dict[str, tuple[str, ...]] = {
    TASK_ENTER: _HA,
    TASK_EDIT: _HA,
    TASK_CANCEL: _HA,
    TASK_SUSPEND: _HA,
    TASK_RESUME: _HA,
    TASKS_BULK: _HA,
    REPORT_DRAFT: _UNIT,
    REPORT_SUBMIT: (Role.UNIT_HEAD,),  # staff draft, the head submits
    EXTENSION_REQUEST: _UNIT,
    REVIEW: _HA,
    EXTENSION_DECIDE: _HA,
    ASSIGNMENT_SUSPEND: _HA,
    ASSIGNMENT_RESUME: _HA,
    ASSIGNMENT_CANCEL: _HA,
    ASSIGNMENT_TRANSFER: _HA,
    THREAD_POST: _HA + _UNIT,
}
# Actions on an assignment that only its own unit's people may do (see the module docstring).
OWN_UNIT_ONLY = frozenset({REPORT_DRAFT, REPORT_SUBMIT, EXTENSION_REQUEST})

# States in which a unit can still report or ask for more time.
WORKING = (WorkflowState.OPEN, WorkflowState.RETURNED)
# States an assignment can be transferred to a successor unit in.
TRANSFERABLE = (
    WorkflowState.OPEN,
    WorkflowState.RETURNED,
    WorkflowState.AWAITING_CONFIRMATION,
    WorkflowState.SUSPENDED,
)


def _on_the_task(user, assignment) -> bool:
    """The user's unit is the thread's (lead) unit or cooperates on its task."""
    if not user.unit_id:
        return False
    if user.unit_id == assignment.unit_id:
        return True
    return Assignment.objects.filter(
        task_id=assignment.task_id, unit_id=user.unit_id, role=AssignmentRole.COOPERATING
    ).exists()


def _role_refusal(action: str) -> str:
    if action in OWN_UNIT_ONLY:
        return _("Only the assigned unit's own staff can do this.")
    return _("Only Home Affairs can do this.")


def _person_refusal(user, action: str, *, assignment=None, **_objects) -> str | None:
    """After the role check: a unit's person acts on their own unit's row only."""
    if action == THREAD_POST and has_role(user, *_UNIT) and not has_role(user, *_HA):
        if assignment is None or not _on_the_task(user, assignment):
            return _("Only Home Affairs and the units on this task can write here.")
    if action in OWN_UNIT_ONLY and (assignment is None or user.unit_id != assignment.unit_id):
        return _("Only the assigned unit's own staff can do this.")
    return None


def _state_refusal(
    user,
    action: str,
    *,
    task=None,
    assignment=None,
    target=None,
    report=None,
    extension=None,
) -> str | None:
    """Why the object's state forbids the action now, or None."""
    # (TASKS_BULK is a role rule: each selected task is then asked TASK_EDIT or TASK_CANCEL)
    if action == TASK_EDIT and task.state == TaskState.CANCELLED:
        return _("Task %(number)s is cancelled: it can no longer be changed.") % {
            "number": task.item_number
        }
    if action == TASK_CANCEL and task.state == TaskState.CANCELLED:
        return _("This task is already cancelled.")
    if action == TASK_SUSPEND and task.state != TaskState.ACTIVE:
        return _("Only an active task can be suspended.")
    if action == TASK_RESUME and task.state != TaskState.SUSPENDED:
        return _("Only a suspended task can be resumed.")
    if action in (REPORT_DRAFT, REPORT_SUBMIT, EXTENSION_REQUEST):
        if action == REPORT_SUBMIT and report is not None and report.state != ReportState.DRAFT:
            return _("This report was already submitted.")
        target = target or assignment
        if assignment.state not in WORKING or target.state not in WORKING:
            if action == EXTENSION_REQUEST:
                return _("This assignment is not open: no extension can be asked.")
            return _("This assignment is not open for reports.")
        if action == EXTENSION_REQUEST and target.effective_deadline is None:
            return _("This assignment has no deadline to extend.")
    if action == REVIEW and (target or assignment).state != WorkflowState.AWAITING_CONFIRMATION:
        return _("Nothing is awaiting confirmation on this assignment.")
    if action == EXTENSION_DECIDE and extension.state != ExtensionState.PENDING:
        return _("This extension request was already decided.")
    if action == ASSIGNMENT_SUSPEND and assignment.state == WorkflowState.SUSPENDED:
        return _("This assignment is already suspended.")
    if action == ASSIGNMENT_SUSPEND and assignment.state in (
        WorkflowState.CONFIRMED,
        WorkflowState.CANCELLED,
    ):
        return _("A finished or cancelled assignment cannot be suspended.")
    if action == ASSIGNMENT_RESUME and assignment.state != WorkflowState.SUSPENDED:
        return _("Only a suspended assignment can be resumed.")
    if action == ASSIGNMENT_CANCEL and assignment.state == WorkflowState.CANCELLED:
        # a double click: nothing changes and nobody is told twice
        return _("This assignment is already cancelled.")
    if action == ASSIGNMENT_CANCEL and assignment.state == WorkflowState.CONFIRMED:
        return _("A confirmed assignment cannot be cancelled.")
    if action == ASSIGNMENT_TRANSFER and assignment.state not in TRANSFERABLE:
        return _("Only open assignments can be transferred.")
    if action == THREAD_POST and assignment.role != AssignmentRole.LEAD:
        return _("The conversation of a task is on the lead unit's assignment.")
    if action == THREAD_POST and assignment.state == WorkflowState.CANCELLED:
        return _("This assignment was cancelled: its conversation is closed.")
    return None


def _resolve(objects: dict) -> dict:
    """A report or an extension request names its assignment."""
    for row in ("report", "extension"):
        if objects.get(row) is not None and objects.get("assignment") is None:
            objects["assignment"] = objects[row].assignment
    return objects


POLICY = Policy(
    ROLES,
    role_refusal=_role_refusal,
    person=_person_refusal,
    state=_state_refusal,
    resolve=_resolve,
)
# The interface (core/policy.py). `require(user, action, *, task=, assignment=, target=,
# report=, extension=)`: `target` is the row whose state the action changes, a period of a
# recurring assignment, else the assignment itself.
role_may = POLICY.role_may
require_person = POLICY.require_person
require = POLICY.require
may = POLICY.may
action_required = POLICY.action_required
api_permission = POLICY.api_permission


TASK_ACTIONS = (TASK_EDIT, TASK_CANCEL, TASK_SUSPEND, TASK_RESUME)
ASSIGNMENT_ACTIONS = (
    REPORT_DRAFT,
    EXTENSION_REQUEST,
    REVIEW,
    ASSIGNMENT_SUSPEND,
    ASSIGNMENT_RESUME,
    ASSIGNMENT_CANCEL,
    ASSIGNMENT_TRANSFER,
)


def allowed_actions(user, *, task=None, assignment=None) -> dict[str, bool]:
    """Every action this user may do here now, for a template: `allowed.task_edit`. Reads only
    the rows' own fields (no query). A submit of a given draft and a decision on a given
    extension are asked with `may(...)` per row, or hold wherever `report_submit` /
    `extension_decide` is true here and the row is a draft / pending."""
    allowed: dict[str, bool] = {}
    if task is None and assignment is not None:
        task = assignment.task
    if task is not None:
        for action in TASK_ACTIONS:
            allowed[action] = may(user, action, task=task)
        allowed[TASKS_BULK] = role_may(user, TASKS_BULK)
    if assignment is not None:
        for action in ASSIGNMENT_ACTIONS:
            allowed[action] = may(user, action, assignment=assignment)
        # any draft of the unit, any pending extension: the row's own state is checked on POST
        allowed[REPORT_SUBMIT] = role_may(user, REPORT_SUBMIT) and allowed[REPORT_DRAFT]
        allowed[EXTENSION_DECIDE] = role_may(user, EXTENSION_DECIDE)
        allowed["is_member"] = user.unit_id == assignment.unit_id and role_may(user, REPORT_DRAFT)
    return allowed
