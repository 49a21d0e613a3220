import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import ModelChoiceFilter
from organizations.models import UnitKind
from periodic_reports.models import PeriodicReport, ReportRound, ReportState


class PeriodicReportFilter(django_filters.FilterSet):
    """The units' reports of the rounds (the reporting-rate panel's numbers link here)."""

    round = ModelChoiceFilter(
        label=_("Reporting round"),
        queryset=ReportRound.objects.select_related("kind").order_by("-year", "-end"),
    )
    state = django_filters.MultipleChoiceFilter(label=_("State"), choices=ReportState.choices)
    unit_kind = django_filters.ChoiceFilter(
        label=_("Unit kind"), field_name="unit__kind", choices=UnitKind.choices
    )
    submitted = django_filters.BooleanFilter(
        label=_("Submitted"), field_name="submitted_at", lookup_expr="isnull", exclude=True
    )
    on_time = django_filters.BooleanFilter(label=_("Submitted on time"), method="filter_on_time")

    class Meta:
        model = PeriodicReport
        fields = ["round", "state", "unit_kind", "submitted", "on_time"]

    def filter_on_time(self, queryset, name, value):
        from django.db.models import F

        if value is None:
            return queryset
        submitted = queryset.filter(submitted_on__isnull=False)
        if value:
            return submitted.filter(submitted_on__lte=F("round__unit_due_date"))
        return submitted.filter(submitted_on__gt=F("round__unit_due_date"))
