from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import MenuEntry
from core.roles import Role


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Integrations")
    nav_group = _("Administration")
    nav_entries = (
        MenuEntry(
            _("API tokens"), "integrations:token_list", roles=(Role.HOME_AFFAIRS,), order=205
        ),
        MenuEntry(
            _("Webhooks"), "integrations:webhook_list", roles=(Role.HOME_AFFAIRS,), order=206
        ),
    )

    def ready(self) -> None:
        from integrations import schema  # noqa: F401  (documents the token authentication)
        from integrations.events import on_workflow_event
        from notifications import events

        # Every workflow event, on commit, reaches the webhooks that asked for it.
        events.subscribe(on_workflow_event)
