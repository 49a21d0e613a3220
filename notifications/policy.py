"""Who may change notifications and their settings: the ONE place these rules live
(core.policy has the machinery).

Notifications are personal: each person reads, marks read and sets the delivery of their own,
whatever their role or unit (the head of a parent unit included: a sub-unit's people's
notifications are theirs alone; another person's notification is a 404 through
notifications.selectors.notifications_for, and refused here should a service be handed one).

- NOTIFICATION_READ: mark one's own notification read (the page, the bell, the API);
- NOTIFICATIONS_READ_ALL: mark all one's own notifications read;
- PREFERENCES_EDIT: one's own digest and immediate-mail settings.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.policy import Policy
from core.roles import Role

NOTIFICATION_READ = "notification_read"
NOTIFICATIONS_READ_ALL = "notifications_read_all"
PREFERENCES_EDIT = "preferences_edit"

_EVERY_ROLE = tuple(Role.values)
ROLES: dict[str, tuple[str, ...]] = {
    NOTIFICATION_READ: _EVERY_ROLE,
    NOTIFICATIONS_READ_ALL: _EVERY_ROLE,
    PREFERENCES_EDIT: _EVERY_ROLE,
}


def _person_refusal(user, action: str, notification=None, **_objects) -> str | None:
    if action == NOTIFICATION_READ and (
        notification is None or notification.recipient_id != user.pk
    ):
        return _("This notification is someone else's.")
    return None


POLICY = Policy(
    ROLES,
    role_refusal=lambda action: _("Your account is waiting for approval."),
    person=_person_refusal,
)
role_may, require, may = POLICY.role_may, POLICY.require, POLICY.may
action_required, api_permission = POLICY.action_required, POLICY.api_permission
