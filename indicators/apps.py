from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import ALL_ROLES, MenuEntry
from core.roles import Role


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("PAR Index and indicators")
    nav_entries = (
        MenuEntry(
            _("PAR Index"),
            "indicators:assessment_list",
            order=40,
            start_for=(Role.UNIT_HEAD, Role.UNIT_STAFF),
            start_priority=5,
        ),
        MenuEntry(
            _("Frameworks"),
            "indicators:framework_list",
            roles=(Role.HOME_AFFAIRS, Role.LEADER),
            order=41,
        ),
        MenuEntry(_("Ranking"), "indicators:ranking", order=42),
        MenuEntry(_("KPI targets"), "indicators:kpi_board", order=43),
        MenuEntry(_("Provincial indices"), "indicators:index_trend", order=44, roles=ALL_ROLES),
    )

    def ready(self) -> None:
        # The sources computed from tasks and dossiers (task completion, dossiers on time).
        from indicators import portal_sources

        portal_sources.register()
