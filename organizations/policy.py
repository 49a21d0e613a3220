"""Who may change the unit tree: the ONE place this rule lives (core.policy has the machinery).

Units, their successions (a merged unit's successors) and their validity dates change only
through the unit import of Home Affairs (UNIT_IMPORT: the page, its template, its progress);
the import job writes them as the system, for the person who started it (checked when it was
started). People's roles and units are given by Home Affairs in accounts (accounts/policy.py).

Scope (docs/domain.md, "Who sees which unit's work"): everyone reads the units they may see
(organizations.selectors.units_visible_to: the own unit and the units below it, or the whole
province for Home Affairs and leadership); the head of a parent unit changes no unit, his own
or a sub-unit's.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.policy import Policy
from core.roles import Role

UNIT_IMPORT = "unit_import"

ROLES: dict[str, tuple[str, ...]] = {
    UNIT_IMPORT: (Role.HOME_AFFAIRS,),
}

POLICY = Policy(ROLES, role_refusal=lambda action: _("Only Home Affairs can do this."))
role_may, require, may = POLICY.role_may, POLICY.require, POLICY.may
action_required, api_permission = POLICY.action_required, POLICY.api_permission


def allowed_actions(user) -> dict[str, bool]:
    """For a template: `allowed.unit_import`."""
    return {UNIT_IMPORT: may(user, UNIT_IMPORT)}
