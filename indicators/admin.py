from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import AuditedModelAdmin
from indicators import models
from indicators.sources import kpi_source_choices


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


class KpiTargetAdminForm(forms.ModelForm):
    source_key = forms.ChoiceField(label=_("Data source"), required=False)

    class Meta:
        model = models.KpiTarget
        fields = ["name", "measure", "direction", "year", "source_directive", "source_key"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_key"].choices = [("", "—"), *kpi_source_choices()]


@admin.register(models.KpiTarget)
class KpiTargetAdmin(SimpleHistoryAdmin):
    form = KpiTargetAdminForm
    list_display = ["name", "year", "measure", "direction", "source_key"]


@admin.register(models.ProvincialIndex)
class ProvincialIndexAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "year", "subject", "value", "rank", "rank_out_of"]
    list_filter = ["kind", "year"]
