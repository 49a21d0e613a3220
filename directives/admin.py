from django.contrib import admin

from core.admin import AuditedModelAdmin
from directives.models import CchcArea, Directive


@admin.register(CchcArea)
class CchcAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Directive)
class DirectiveAdmin(AuditedModelAdmin):
    """Read-only here: directives are written through the portal's form and services, which
    parse the number and check for duplicates."""

    list_display = ["number", "issue_date", "doc_type", "issuer", "issuer_name", "validity"]
    list_filter = ["doc_type", "year", "validity"]
    search_fields = ["number", "search_text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
