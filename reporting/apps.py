from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import ALL_ROLES, MenuEntry
from core.roles import Role


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reports and exports")
    # The navbar's drop-down of reports, exports and history (the long name does not fit it).
    nav_group = _("Reports")
    nav_entries = (
        # The dashboards stand on their own in the navbar, not inside the reports drop-down.
        MenuEntry(
            _("Leadership dashboard"),
            "reporting:leadership_dashboard",
            roles=(Role.LEADER, Role.HOME_AFFAIRS),
            order=5,
            start_for=(Role.LEADER,),
            start_priority=20,
            group=_("Dashboard"),
        ),
        MenuEntry(
            _("Unit dashboard"),
            "reporting:unit_dashboard",
            roles=(Role.UNIT_HEAD, Role.UNIT_STAFF),
            order=5,
            group=_("Dashboard"),
            nav_label=_("Overview"),
        ),
        MenuEntry(
            _("Reports"),
            "reporting:report_list",
            (Role.HOME_AFFAIRS, Role.LEADER, Role.UNIT_HEAD, Role.UNIT_STAFF),
            order=190,
        ),
        MenuEntry(_("My exports"), "reporting:export_list", ALL_ROLES, order=200),
        MenuEntry(_("Change history"), "reporting:change_history", (Role.HOME_AFFAIRS,), order=210),
    )

    def ready(self) -> None:
        from django.db.models.signals import post_delete
        from django.urls import reverse

        from core import background
        from reporting.analytics.status import on_status_changed
        from reporting.models import Export
        from tasks.models import Assignment
        from tasks.signals import assignment_status_changed

        # The analytics tables follow the workflow services (tasks.services.status_changed)
        # and the deletion of an assignment (a task deleted with its assignments).
        assignment_status_changed.connect(on_status_changed, dispatch_uid="analytics-status")
        post_delete.connect(
            lambda sender, instance, **kwargs: on_status_changed(assignment_ids=[instance.pk]),
            sender=Assignment,
            dispatch_uid="analytics-status-delete",
            weak=False,
        )

        background.register(
            Export,
            task="reporting.jobs.run_export_task",
            label=_("Excel export"),
            url=lambda row: reverse("reporting:export_list"),
        )
