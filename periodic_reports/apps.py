from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import MenuEntry
from core.roles import Role


class PeriodicReportsConfig(AppConfig):
    name = "periodic_reports"
    verbose_name = _("Periodic reports")
    default_auto_field = "django.db.models.BigAutoField"
    nav_entries = (
        # In the reports drop-down (the navbar must stay on one line at 1366 px).
        MenuEntry(
            _("Periodic CCHC reports"),
            "periodic_reports:index",
            (Role.HOME_AFFAIRS, Role.LEADER, Role.UNIT_HEAD, Role.UNIT_STAFF),
            order=185,
            group=_("Reports"),
        ),
    )

    def ready(self) -> None:
        from django.urls import reverse

        from core import background
        from periodic_reports.models import ReportPdf

        background.register(
            ReportPdf,
            task="periodic_reports.jobs.make_report_pdf_task",
            label=_("Report PDF"),
            url=lambda row: reverse("periodic_reports:report_detail", args=[row.version.report_id]),
        )
