from django.contrib import admin

from core.admin import AuditedModelAdmin
from tasks.models import Assignment, DeadlineExtension, Task


class ReadOnlyAdmin(AuditedModelAdmin):
    """Tasks change only through the services (workflow rules, history); the admin reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["directive", "item_number", "title", "lead_unit", "deadline", "recurrence"]
    list_filter = ["recurrence", "output_kind", "is_key"]
    search_fields = ["title", "search_text"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["task", "unit", "role", "deadline", "extended_deadline", "state"]
    list_filter = ["state", "role"]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "requested_deadline", "state", "requested_at"]
    list_filter = ["state"]
