from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import MenuEntry
from core.roles import Role


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Tasks")
    nav_entries = (
        MenuEntry(
            _("Unit tasks"),
            "tasks:inbox",
            roles=(Role.UNIT_HEAD, Role.UNIT_STAFF),
            order=10,
            start_for=(Role.UNIT_HEAD, Role.UNIT_STAFF),
            start_priority=10,
            nav_label=_("Tasks"),
        ),
        MenuEntry(
            _("Awaiting confirmation"),
            "tasks:review_queue",
            roles=(Role.HOME_AFFAIRS,),
            order=15,
            start_for=(Role.HOME_AFFAIRS,),
            start_priority=10,
        ),
        MenuEntry(
            _("Assignments"),
            "tasks:assignment_list",
            roles=(Role.HOME_AFFAIRS, Role.LEADER),
            order=30,
            nav_label=_("Tasks"),
        ),
    )
