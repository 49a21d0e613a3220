"""Who may do what with dossiers, and in which state: the ONE place these rules live (core.policy
has the machinery).

Scope (docs/domain.md, "Who sees which unit's work"): a unit's head and staff see their own
unit's dossiers and, read only, those of the units below it (dossiers_visible_to); Home Affairs
and leadership see the province. Only the receiving unit's own people register an apology for
its late dossier: the head of a parent unit sees a sub-unit's late dossier but never apologises
for it (403), and Home Affairs does not apologise for a unit either.

- DOSSIER_APOLOGY: the receiving unit's head or staff, once, for a late dossier;
- DOSSIER_IMPORT: Home Affairs imports dossier files (the page, its template, its progress);
- AGGREGATE_ENTER: Home Affairs enters a unit's report lines (the page, the file, the API).
- The push (`/api/v1/dossiers/push/`) is not a role's: the one-stop system's account holds the
  permission `dossiers.push_dossiers` (`may_push`, `PushPermission`).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from core.policy import Policy
from core.roles import Role

DOSSIER_APOLOGY = "dossier_apology"
DOSSIER_IMPORT = "dossier_import"
AGGREGATE_ENTER = "aggregate_enter"

ROLES: dict[str, tuple[str, ...]] = {
    DOSSIER_APOLOGY: (Role.UNIT_HEAD, Role.UNIT_STAFF),
    DOSSIER_IMPORT: (Role.HOME_AFFAIRS,),
    AGGREGATE_ENTER: (Role.HOME_AFFAIRS,),
}
PUSH_PERMISSION = "dossiers.push_dossiers"


def _role_refusal(action: str) -> str:
    if action == DOSSIER_APOLOGY:
        return _("Only the receiving unit can register an apology.")
    return _("Only Home Affairs can do this.")


def _person_refusal(user, action: str, dossier=None, **_objects) -> str | None:
    # a parent unit's people see a sub-unit's dossier but do not act for it
    if action == DOSSIER_APOLOGY and (dossier is None or user.unit_id != dossier.unit_id):
        return _("Only the receiving unit can register an apology.")
    return None


def _state_refusal(user, action: str, dossier=None, **_objects) -> str | None:
    if action == DOSSIER_APOLOGY:
        if dossier.apology_registered_at is not None:
            return _("An apology is already registered for this dossier.")
        if (dossier.finished_date or timezone.localdate()) <= dossier.due_date:
            return _("This dossier is not late; no apology is needed.")
    return None


POLICY = Policy(ROLES, role_refusal=_role_refusal, person=_person_refusal, state=_state_refusal)
role_may, require, may = POLICY.role_may, POLICY.require, POLICY.may
require_person = POLICY.require_person
action_required, api_permission = POLICY.action_required, POLICY.api_permission


def may_push(user) -> bool:
    """The one-stop system's account (and a superuser) may push dossiers."""
    return bool(user and user.is_authenticated and user.has_perm(PUSH_PERMISSION))


class PushPermission(BasePermission):
    """DRF permission of the push: checked before the body is read."""

    def has_permission(self, request, view) -> bool:
        return may_push(request.user)


def allowed_actions(user, *, dossier=None) -> dict[str, bool]:
    """For a template: `allowed.dossier_apology` on a dossier, and the Home Affairs pages."""
    allowed = {
        DOSSIER_IMPORT: role_may(user, DOSSIER_IMPORT),
        AGGREGATE_ENTER: role_may(user, AGGREGATE_ENTER),
    }
    if dossier is not None:
        allowed[DOSSIER_APOLOGY] = may(user, DOSSIER_APOLOGY, dossier=dossier)
    return allowed
