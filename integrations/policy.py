"""Who may manage the portal's connections (API tokens, webhooks, their deliveries), and in
which state: the ONE place these rules live (core.policy has the machinery).

All of it is Home Affairs' work; the head of a unit, a parent unit's included, manages no
connection. What a token may do once issued (its resource groups, read or write) is the token's
own scope, checked where it authenticates (integrations/tokens.py); its writes then go through
the same app policies as a person's.

- INTEGRATIONS_VIEW: the token and webhook lists, a webhook and its delivery log;
- TOKEN_CREATE; TOKEN_REVOKE: a token not yet revoked (revoking twice changes nothing);
- WEBHOOK_CREATE, WEBHOOK_EDIT;
- DELIVERY_RESEND: "send again", not while the delivery is being sent.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.policy import Policy
from core.roles import Role
from integrations.models import DeliveryStatus

INTEGRATIONS_VIEW = "integrations_view"
TOKEN_CREATE = "token_create"
TOKEN_REVOKE = "token_revoke"
WEBHOOK_CREATE = "webhook_create"
WEBHOOK_EDIT = "webhook_edit"
DELIVERY_RESEND = "delivery_resend"

_HA = (Role.HOME_AFFAIRS,)
ROLES: dict[str, tuple[str, ...]] = {
    INTEGRATIONS_VIEW: _HA,
    TOKEN_CREATE: _HA,
    TOKEN_REVOKE: _HA,
    WEBHOOK_CREATE: _HA,
    WEBHOOK_EDIT: _HA,
    DELIVERY_RESEND: _HA,
}


def _state_refusal(user, action: str, token=None, delivery=None, **_objects) -> str | None:
    if action == TOKEN_REVOKE and token is not None and token.revoked_at is not None:
        return _("This token is already revoked.")
    if action == DELIVERY_RESEND and delivery.status == DeliveryStatus.SENDING:
        return _("This delivery is being sent right now.")
    return None


POLICY = Policy(
    ROLES,
    role_refusal=lambda action: _("Only Home Affairs can do this."),
    state=_state_refusal,
)
role_may, require, may = POLICY.role_may, POLICY.require, POLICY.may
require_person = POLICY.require_person
action_required, api_permission = POLICY.action_required, POLICY.api_permission


def allowed_actions(user, *, hook=None) -> dict[str, bool]:
    """For a template: the page's buttons (a token's revoke and a delivery's "send again" are
    asked per row with `token_allowed` / `delivery_allowed`)."""
    allowed = {
        TOKEN_CREATE: may(user, TOKEN_CREATE),
        WEBHOOK_CREATE: may(user, WEBHOOK_CREATE),
    }
    if hook is not None:
        allowed[WEBHOOK_EDIT] = may(user, WEBHOOK_EDIT, webhook=hook)
    return allowed


def token_allowed(user, token) -> dict[str, bool]:
    return {TOKEN_REVOKE: may(user, TOKEN_REVOKE, token=token)}


def delivery_allowed(user, delivery) -> dict[str, bool]:
    return {DELIVERY_RESEND: may(user, DELIVERY_RESEND, delivery=delivery)}
