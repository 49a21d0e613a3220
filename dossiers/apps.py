from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import MenuEntry
from core.roles import Role


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Dossiers")
    nav_entries = (
        MenuEntry(
            _("Dossier dashboard"),
            "dossiers:dashboard",
            order=40,
            start_for=(Role.LEADER,),
            start_priority=1,
        ),
        MenuEntry(_("Dossiers"), "dossiers:dossier_list", order=41),
        MenuEntry(_("Procedures"), "dossiers:procedure_list", order=42),
        MenuEntry(
            _("Dossier report lines"),
            "dossiers:aggregate_row_list",
            roles=(Role.HOME_AFFAIRS,),
            order=91,
        ),
        MenuEntry(
            _("Dossier imports"),
            "dossiers:import_list",
            roles=(Role.HOME_AFFAIRS,),
            order=92,
        ),
    )

    def ready(self) -> None:
        from django.urls import reverse

        from core import background
        from dossiers.models import DossierImport

        background.register(
            DossierImport,
            task="dossiers.jobs.run_dossier_import_task",
            label=_("Dossier import"),
            url=lambda row: reverse("dossiers:import_detail", args=[row.pk]),
        )
