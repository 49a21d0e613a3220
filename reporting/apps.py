from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import ALL_ROLES, MenuEntry
from core.roles import Role


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reports and exports")
    nav_entries = (
        MenuEntry(
            _("Leadership dashboard"),
            "reporting:leadership_dashboard",
            roles=(Role.LEADER, Role.HOME_AFFAIRS),
            order=5,
            start_for=(Role.LEADER,),
            start_priority=20,
        ),
        MenuEntry(
            _("Unit dashboard"),
            "reporting:unit_dashboard",
            roles=(Role.UNIT_HEAD, Role.UNIT_STAFF),
            order=5,
        ),
        MenuEntry(_("My exports"), "reporting:export_list", ALL_ROLES, order=200),
    )
