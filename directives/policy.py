"""Who may enter and change directives: the ONE place these rules live (core.policy has the
machinery; docs/domain.md "Who sees which unit's work" the scope).

A directive is a province-wide document: every signed-in user reads it, Home Affairs alone
enters and changes it (the plan's tasks are entered in tasks, tasks/policy.py). A directive has
no workflow state, so there is no state rule. The head of a parent unit reads directives like
everyone else and enters none.

- services: `directive_create(created_by=...)` and `directive_update(actor=...)` call `require`
  first (no actor = the system: demo loader, benchmark, fixtures);
- views: `action_required(...)`, a 403 before the form or the file is read;
- templates: `allowed.directive_create` / `allowed.directive_edit` (`allowed_actions`);
- API: `api_permission(...)` on DirectiveViewSet.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.policy import Policy
from core.roles import Role

DIRECTIVE_CREATE = "directive_create"
DIRECTIVE_EDIT = "directive_edit"

ROLES: dict[str, tuple[str, ...]] = {
    DIRECTIVE_CREATE: (Role.HOME_AFFAIRS,),
    DIRECTIVE_EDIT: (Role.HOME_AFFAIRS,),
}

POLICY = Policy(ROLES, role_refusal=lambda action: _("Only Home Affairs can do this."))
role_may, require, may = POLICY.role_may, POLICY.require, POLICY.may
action_required, api_permission = POLICY.action_required, POLICY.api_permission


def allowed_actions(user, *, directive=None) -> dict[str, bool]:
    """For a template: `allowed.directive_create`, and `allowed.directive_edit` on a directive."""
    allowed = {DIRECTIVE_CREATE: may(user, DIRECTIVE_CREATE)}
    if directive is not None:
        allowed[DIRECTIVE_EDIT] = may(user, DIRECTIVE_EDIT, directive=directive)
    return allowed
