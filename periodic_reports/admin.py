from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from periodic_reports.models import PeriodicReport, ReportKind, ReportRound, ReportTemplate


@admin.register(ReportKind)
class ReportKindAdmin(admin.ModelAdmin):
    """The windows and due days are data: a moved cut-off or due day is changed here."""

    list_display = (
        "name",
        "code",
        "start_day",
        "start_month",
        "start_in_previous_year",
        "end_day",
        "end_month",
        "unit_due_day",
        "due_day",
    )


@admin.register(ReportRound)
class ReportRoundAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "start", "end", "unit_due_date", "due_date", "opened_by")
    readonly_fields = ("opened_by",)


@admin.register(PeriodicReport)
class PeriodicReportAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "state", "submitted_on")
    list_filter = ("state", "round")
    readonly_fields = ("submitted_at", "submitted_on", "submitted_by", "decided_at")


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "uploaded_by", "uploaded_at")
