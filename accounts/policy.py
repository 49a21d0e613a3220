"""Who may do what to accounts, and in which state: the ONE place these rules live (core.policy
has the machinery). Read by the middleware, the views, the services and the templates alike.

- USERS_MANAGE: Home Affairs reads the user list, the waiting accounts and a person's page;
- USER_APPROVE: Home Affairs gives a waiting account (no role yet) its role and unit, once;
- USER_DEACTIVATE: Home Affairs deactivates an active account, never its own;
- OTP_DISABLE: a person turns off their own second factor, unless their role requires it.
The second factor's setup, codes and recovery codes are each person's own and need no rule.

Scope (docs/domain.md, "Who sees which unit's work"): accounts are Home Affairs' to manage; the
head of a unit, a parent unit's included, approves and deactivates nobody, not even in a
sub-unit.

Below the actions: who must sign in with a second factor, and who still waits for approval.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django_otp import user_has_device

from core.policy import Policy
from core.roles import Role

USERS_MANAGE = "users_manage"
USER_APPROVE = "user_approve"
USER_DEACTIVATE = "user_deactivate"
OTP_DISABLE = "otp_disable"

_HA = (Role.HOME_AFFAIRS,)
ROLES: dict[str, tuple[str, ...]] = {
    USERS_MANAGE: _HA,
    USER_APPROVE: _HA,
    USER_DEACTIVATE: _HA,
    OTP_DISABLE: tuple(Role.values),  # each person, for their own account
}


def _role_refusal(action: str) -> str:
    if action == OTP_DISABLE:
        return _("Your account is waiting for approval.")
    return _("Only Home Affairs can do this.")


def _person_refusal(user, action: str, **_objects) -> str | None:
    if action == OTP_DISABLE and second_factor_required(user):
        return _("Your role must sign in with a second factor.")
    return None


def _state_refusal(user, action: str, person=None, **_objects) -> str | None:
    """`person` is the account acted on."""
    if action == USER_APPROVE and not is_pending(person):
        return _("This account was already approved.")
    if action == USER_DEACTIVATE:
        if person.pk == user.pk:
            return _("You cannot deactivate your own account.")
        if not person.is_active:
            return _("This account is already deactivated.")
    return None


POLICY = Policy(ROLES, role_refusal=_role_refusal, person=_person_refusal, state=_state_refusal)
role_may, require, may = POLICY.role_may, POLICY.require, POLICY.may
action_required, api_permission = POLICY.action_required, POLICY.api_permission


def allowed_actions(user, *, person=None) -> dict[str, bool]:
    """For a template: `allowed.otp_disable` (own account), and on a person's page
    `allowed.user_approve` / `allowed.user_deactivate`."""
    allowed = {OTP_DISABLE: may(user, OTP_DISABLE)}
    if person is not None:
        allowed[USER_APPROVE] = may(user, USER_APPROVE, person=person)
        allowed[USER_DEACTIVATE] = may(user, USER_DEACTIVATE, person=person)
    return allowed


# Roles that can change every plan or read everything: their password alone is not enough.
PRIVILEGED_ROLES = frozenset({Role.HOME_AFFAIRS, Role.LEADER})


def is_pending(user) -> bool:
    """Signed in through single sign-on but not yet given a role by Home Affairs."""
    return user.is_authenticated and not user.is_superuser and not user.role


def second_factor_required(user) -> bool:
    """Home Affairs, leadership and site administrators, when OTP_REQUIRED is on."""
    if not settings.OTP_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or user.role in PRIVILEGED_ROLES


# Whether the person had a second factor when this session signed in: read once at sign-in
# (two queries), so that every later page of everyone costs no query for it.
SESSION_HAS_DEVICE = "accounts_has_otp_device"


def remember_device(request, user) -> None:
    request.session[SESSION_HAS_DEVICE] = user_has_device(user, confirmed=True)


def second_factor_due(request) -> bool:
    """This session must pass the second factor before any page: required for the role, or
    turned on by the person."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    if second_factor_required(user):
        return True
    if SESSION_HAS_DEVICE not in request.session:
        remember_device(request, user)
    return request.session[SESSION_HAS_DEVICE]
