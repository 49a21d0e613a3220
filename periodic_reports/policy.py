"""Who may do what to periodic reports, and in which state: the ONE place these rules live.

Built on core.policy.Policy (read its docstring for the interface): services call
`require(actor, ACTION, report=...)` first; views are wrapped in `action_required(ACTION)` (403
before the form or the file is read); the report page reads `allowed_actions(user, report)`
(`{% if allowed.report_submit %}`) and the index `index_allowed(user)`, never a role.

A round (one kind and year) is opened by Home Affairs: one report per reporting unit and one for
the province. A unit's report is written (saved as versions, figures recomputed, an earlier
version made the draft again) by its own head and staff while it is not started, a draft or
returned; only its head submits it; Home Affairs confirms or returns a submitted one (a return
gives a reason). The province's own report is written by Home Affairs. Home Affairs keeps the
report kinds (windows, due days) and the Word template. Anyone who may see a report may ask for
the PDF of one of its versions.

Scope of a parent unit (docs/domain.md, "Who sees which unit's work"): the head and staff of a
parent unit see their sub-units' submitted (and confirmed) reports, read only
(periodic_reports.selectors.reports_visible_to), never a draft, and never act for a sub-unit:
writing and submitting ask for the user's own unit, so a parent's POST is a 403 and the page
shows the parent no form and no button. Home Affairs and leadership see every report;
leadership only reads.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.policy import Policy
from core.roles import Role, has_role
from periodic_reports.models import ReportState

# --- The actions -------------------------------------------------------------------------------
ROUND_OPEN = "round_open"
KIND_EDIT = "kind_edit"  # a report kind's window and due days
TEMPLATE_MANAGE = "template_manage"  # upload the province's Word template, or go back to default
REPORT_WRITE = "report_write"  # save a draft (a new version), recompute, reopen a version
REPORT_SUBMIT = "report_submit"
REPORT_CONFIRM = "report_confirm"
REPORT_RETURN = "report_return"  # with a reason
PDF_MAKE = "pdf_make"  # the PDF of a version, by a LibreOffice job

_HA = (Role.HOME_AFFAIRS,)
_UNIT = (Role.UNIT_HEAD, Role.UNIT_STAFF)

# action -> the roles that may do it (superusers pass every role check, see core.roles)
ROLES: dict[str, tuple[str, ...]] = {
    ROUND_OPEN: _HA,
    KIND_EDIT: _HA,
    TEMPLATE_MANAGE: _HA,
    REPORT_WRITE: _HA + _UNIT,  # Home Affairs the province's report, a unit its own
    REPORT_SUBMIT: (Role.UNIT_HEAD,),  # staff write, the head submits
    REPORT_CONFIRM: _HA,
    REPORT_RETURN: _HA,
    PDF_MAKE: (Role.HOME_AFFAIRS, Role.LEADER, *_UNIT),
}

# States a report can still be written in.
EDITABLE = (ReportState.NOT_STARTED, ReportState.DRAFT, ReportState.RETURNED)
SUBMITTABLE = (ReportState.DRAFT, ReportState.RETURNED)


def _role_refusal(action: str) -> str:
    if action == REPORT_WRITE:
        return _("Only the unit's own staff can write its report.")
    if action == REPORT_SUBMIT:
        return _("Only the unit head can submit the unit's report.")
    return _("Only Home Affairs can do this.")


def _person_refusal(user, action: str, *, report=None, **_objects) -> str | None:
    """After the role check: a unit's report is its own people's; the province's, Home
    Affairs'."""
    if action == REPORT_WRITE:
        if report is None:
            return _("Only the unit's own staff can write its report.")
        if report.unit_id is None:
            if not has_role(user, *_HA):
                return _("Only Home Affairs can do this.")
        elif not has_role(user, *_UNIT) or user.unit_id != report.unit_id:
            return _("Only the unit's own staff can write its report.")
    if action == REPORT_SUBMIT and (
        report is None or report.unit_id is None or user.unit_id != report.unit_id
    ):
        return _("Only the unit head can submit the unit's report.")
    return None


def _state_refusal(user, action: str, *, report=None, **_objects) -> str | None:
    """Why the report's state forbids the action now, or None."""
    if report is None:
        return None
    if action == REPORT_WRITE and report.state not in EDITABLE:
        return _("The report was submitted: it can no longer be changed.")
    if action == REPORT_SUBMIT and report.state not in SUBMITTABLE:
        return _("Only a saved draft can be submitted (the report is: %(state)s).") % {
            "state": report.get_state_display()
        }
    if action == REPORT_CONFIRM and report.state != ReportState.SUBMITTED:
        return _("Only a submitted report can be confirmed.")
    if action == REPORT_RETURN and report.state != ReportState.SUBMITTED:
        return _("Only a submitted report can be returned.")
    return None


def _resolve(objects: dict) -> dict:
    """A version names its report."""
    if objects.get("report") is None and objects.get("version") is not None:
        objects["report"] = objects["version"].report
    return objects


POLICY = Policy(
    ROLES,
    role_refusal=_role_refusal,
    person=_person_refusal,
    state=_state_refusal,
    resolve=_resolve,
)
# The interface (core/policy.py): require(user, action, *, report=, version=)
role_may = POLICY.role_may
require_person = POLICY.require_person
require = POLICY.require
may = POLICY.may
action_required = POLICY.action_required
api_permission = POLICY.api_permission

REPORT_ACTIONS = (REPORT_WRITE, REPORT_SUBMIT, REPORT_CONFIRM, REPORT_RETURN, PDF_MAKE)
INDEX_ACTIONS = (ROUND_OPEN, KIND_EDIT, TEMPLATE_MANAGE)


def allowed_actions(user, report) -> dict[str, bool]:
    """Every action this user may do on this report now, for its page: `allowed.report_write`.
    Reads only the row's own fields (no query); a submit still needs a saved version."""
    return POLICY.allowed(user, REPORT_ACTIONS, report=report)


def index_allowed(user) -> dict[str, bool]:
    """Home Affairs' buttons on the index: open a round, the kinds, the template."""
    return {action: role_may(user, action) for action in INDEX_ACTIONS}
