from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import ALL_ROLES, MenuEntry
from core.roles import Role


class OrganizationsConfig(AppConfig):
    name = "organizations"
    nav_group = _("Administration")
    verbose_name = _("Organizations")
    nav_entries = (
        MenuEntry(_("Units"), "organizations:unit_list", order=80, start_for=ALL_ROLES),
        MenuEntry(
            _("Unit imports"),
            "organizations:unit_import_list",
            roles=(Role.HOME_AFFAIRS,),
            order=90,
        ),
    )

    def ready(self) -> None:
        from django.urls import reverse

        from core import background
        from organizations.models import UnitImport

        background.register(
            UnitImport,
            task="organizations.jobs.run_unit_import_task",
            label=_("Unit import"),
            url=lambda row: reverse("organizations:unit_import_detail", args=[row.pk]),
        )
