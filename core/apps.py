from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import MenuEntry
from core.roles import Role


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")
    nav_entries = (
        MenuEntry(_("Operations"), "core:jobrun_list", roles=(Role.HOME_AFFAIRS,), order=200),
    )
