from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import ALL_ROLES, MenuEntry


class DirectivesConfig(AppConfig):
    name = "directives"
    verbose_name = _("Directives")
    nav_entries = (
        MenuEntry(_("Directives"), "directives:directive_list", roles=ALL_ROLES, order=20),
    )
