from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedModelAdmin
from organizations import services
from organizations.models import OrgUnit, UnitImport, User


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "level"]
    search_fields = ["code", "name", "short_name", "search_text"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["successors"]

    def save_model(self, request, obj, form, change):
        services.unit_save(unit=obj)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, AuditedModelAdmin):
    list_display = ["username", "full_name", "role", "unit", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "email"]
    autocomplete_fields = ["unit"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Portal role"), {"fields": ("full_name", "position", "role", "unit")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Portal role"), {"fields": ("full_name", "role", "unit")}),
    )


@admin.register(UnitImport)
class UnitImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "status", "created_by", "created_at", "rows_created"]
    readonly_fields = [field.name for field in UnitImport._meta.fields]
