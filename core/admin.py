from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from core.models import JobRun, WorkdayOverride


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "note")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("note",)


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("job", "started_at", "finished_at", "outcome", "rows")
    list_filter = ("job", "outcome")
    readonly_fields = [field.name for field in JobRun._meta.fields]


class AuditedModelAdmin(SimpleHistoryAdmin):
    """Admin of a model whose changes are audited: rows are never hard-deleted here (users
    cancel, withdraw or deactivate through the portal), and only a superuser may restore an
    earlier version from the object's history page ("Revert")."""

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_history_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_superuser)

    def revert_disabled(self, request, obj=None):
        return not self.has_change_history_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves a POSTed old version for anyone who may view the history;
        # restoring is a superuser's act only.
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
