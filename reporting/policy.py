"""Who may read which report, dashboard and history, and start an export: the ONE place these
rules live (core.policy has the machinery). Reporting writes nothing of the domain; its
"actions" are an export (a job row of one's own) and the pages only some roles open.

Scope (docs/domain.md, "Who sees which unit's work"): every export, report and dashboard reads
through the apps' scoping selectors, so the head of a parent unit gets, read only, what the
units below submitted (their drafts never), and a sub-unit nothing of its parent; a unit's
dashboard opens for the units the user sees (organizations.selectors.units_visible_to). An
export is its starter's own: another person's export is a 404.

- EXPORT_START: every role exports the list it sees (as Excel, or CSV where offered);
- LEADERSHIP_DASHBOARD: leadership and Home Affairs (units have their unit dashboard);
- CHANGE_HISTORY_VIEW: Home Affairs reads every recorded change;
- REPORT_TASKS, REPORT_DOSSIERS: the official reports every role runs on what it sees;
  REPORT_RANKING: the unit ranking, for leadership and Home Affairs.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.policy import Policy
from core.roles import Role

EXPORT_START = "export_start"
LEADERSHIP_DASHBOARD = "leadership_dashboard"
CHANGE_HISTORY_VIEW = "change_history_view"
REPORT_TASKS = "report_tasks"
REPORT_DOSSIERS = "report_dossiers"
REPORT_RANKING = "report_ranking"

_EVERY_ROLE = (Role.HOME_AFFAIRS, Role.LEADER, Role.UNIT_HEAD, Role.UNIT_STAFF)
_PROVINCE = (Role.LEADER, Role.HOME_AFFAIRS)
ROLES: dict[str, tuple[str, ...]] = {
    EXPORT_START: _EVERY_ROLE,
    LEADERSHIP_DASHBOARD: _PROVINCE,
    CHANGE_HISTORY_VIEW: (Role.HOME_AFFAIRS,),
    REPORT_TASKS: _EVERY_ROLE,
    REPORT_DOSSIERS: _EVERY_ROLE,
    REPORT_RANKING: _PROVINCE,
}


def _role_refusal(action: str) -> str:
    if action == CHANGE_HISTORY_VIEW:
        return _("Only Home Affairs can do this.")
    if action in (LEADERSHIP_DASHBOARD, REPORT_RANKING):
        return _("Only leadership and Home Affairs can see this.")
    return _("Your account is waiting for approval.")


POLICY = Policy(ROLES, role_refusal=_role_refusal)
role_may, require, may = POLICY.role_may, POLICY.require, POLICY.may
action_required, api_permission = POLICY.action_required, POLICY.api_permission


def report_allowed(action: str):
    """A report's `allowed(user)`: the role table's answer for its action."""
    return lambda user: role_may(user, action)
