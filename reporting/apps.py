from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import ALL_ROLES, MenuEntry


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reports and exports")
    nav_entries = (MenuEntry(_("My exports"), "reporting:export_list", ALL_ROLES, order=200),)
