from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import MenuEntry
from core.roles import Role


class CoreConfig(AppConfig):
    name = "core"
    nav_group = _("Administration")
    verbose_name = _("Core")
    nav_entries = (
        MenuEntry(
            _("Working days"),
            "core:workday_override_list",
            roles=(Role.HOME_AFFAIRS,),
            order=95,
        ),
        MenuEntry(_("Operations"), "core:jobrun_list", roles=(Role.HOME_AFFAIRS,), order=200),
    )

    def ready(self) -> None:
        # Not domain flow: any change to the override table (service, admin, shell) must drop
        # the cached calendars, so the cache is cleared on the model's own save and delete.
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from core import workdays
        from core.models import WorkdayOverride

        def _invalidate(**kwargs) -> None:
            # Now, for this process (it sees its own uncommitted change), and again after the
            # commit, so no other process caches the old table under the new version.
            workdays.invalidate()
            transaction.on_commit(workdays.invalidate)

        post_save.connect(_invalidate, sender=WorkdayOverride, weak=False)
        post_delete.connect(_invalidate, sender=WorkdayOverride, weak=False)
