"""The user list's columns (the page table)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.excel import Column


def _state(user) -> str:
    if not user.is_active:
        return str(_("Deactivated"))
    if not user.role and not user.is_superuser:
        return str(_("Waiting for approval"))
    return str(_("Active"))


USER_COLUMNS = [
    Column(
        "username",
        _("User name"),
        sort="username",
        link=lambda user: reverse("accounts:user_detail", args=[user.pk]),
    ),
    Column("full_name", _("Full name"), sort="full_name", width=30),
    Column("role", _("Role"), value=lambda user: user.get_role_display(), width=22),
    Column("unit", _("Unit"), value=lambda user: user.unit.name if user.unit_id else "", width=32),
    Column("state", _("Account state"), value=_state, width=18),
    Column("last_login", _("Last sign-in"), kind="datetime", width=18),
]
