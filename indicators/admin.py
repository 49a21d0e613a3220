from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import AuditedModelAdmin
from indicators import models


class BandInline(admin.TabularInline):
    model = models.Band
    extra = 0


@admin.register(models.Framework)
class FrameworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "year", "population", "locked"]
    list_filter = ["year", "population", "locked"]
    inlines = [BandInline]


@admin.register(models.Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["framework", "code", "name", "max_points", "method"]
    list_filter = ["framework", "method"]
    search_fields = ["code", "name"]


@admin.register(models.Assessment)
class AssessmentAdmin(AuditedModelAdmin):
    list_display = ["framework", "unit", "stage"]
    list_filter = ["framework", "stage"]
    readonly_fields = ["stage", "submitted_at", "finalized_at"]


@admin.register(models.KpiTarget)
class KpiTargetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "year", "measure", "direction"]


@admin.register(models.ProvincialIndex)
class ProvincialIndexAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "year", "subject", "value", "rank", "rank_out_of"]
    list_filter = ["kind", "year"]
