from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dossiers.models import (
    AggregateRow,
    Dossier,
    DossierImport,
    Procedure,
    ProcedureField,
    ProcedureVersion,
)


@admin.register(ProcedureField)
class ProcedureFieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


class ProcedureVersionInline(admin.TabularInline):
    model = ProcedureVersion
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False  # versions are never changed: a new rule is a new version (services)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "field", "level", "is_active")
    list_filter = ("level", "field", "is_active")
    search_fields = ("code", "name")
    readonly_fields = ("current_version",)
    inlines = [ProcedureVersionInline]

    def has_add_permission(self, request):
        return False  # a procedure needs its first version: services.procedure_create


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: dossiers come from the one-stop system, imports and the services."""

    list_display = ("code", "source", "unit", "procedure", "state", "received_at", "due_date")
    list_filter = ("state", "channel", "level", "source")
    search_fields = ("code",)
    raw_id_fields = ("procedure", "procedure_version", "unit", "field")
    show_full_result_count = False  # no COUNT(*) over millions of rows

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(AggregateRow)
class AggregateRowAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "period_start", "period_end", "field", "imbalance")
    list_filter = ("level",)
    readonly_fields = ("imbalance",)

    def has_change_permission(self, request, obj=None):
        return False  # entered through the form or the API so the balance check runs

    def has_add_permission(self, request):
        return False


@admin.register(DossierImport)
class DossierImportAdmin(admin.ModelAdmin):
    list_display = ("original_name", "status", "created_by", "created_at", "rows_written")
    list_filter = ("status",)
