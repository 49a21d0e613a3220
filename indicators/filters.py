"""One FilterSet per list, shared by the HTML pages and /api/v1/."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filterbar import SortFilter
from core.filters import ModelChoiceFilter, ModelMultipleChoiceFilter
from indicators.models import (
    Assessment,
    AssessmentStage,
    Criterion,
    Framework,
    IndexKind,
    KpiMeasurement,
    KpiTarget,
    ProvincialIndex,
    ScoreLine,
)
from organizations.models import OrgUnit


class AssessmentFilter(django_filters.FilterSet):
    """The assessment list (page, export, API). ?framework=<id> and ?unit=<id> links still work:
    the choice filters read the same ids and show names in the filter bar and its tags."""

    framework = ModelChoiceFilter(
        label=_("Framework"), queryset=Framework.objects.order_by("-year", "name")
    )
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=AssessmentStage.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="framework__year")
    unit = ModelMultipleChoiceFilter(
        label=_("Unit"),
        queryset=OrgUnit.objects.order_by("code"),
        distinct=False,  # a foreign key: no duplicate rows, no DISTINCT
    )
    sort = SortFilter(fields=(("unit__name", "unit"), ("stage", "stage")))

    class Meta:
        model = Assessment
        fields = ["framework", "stage", "year", "unit", "sort"]


class CriterionFilter(django_filters.FilterSet):
    framework = django_filters.NumberFilter(label=_("Framework"))

    class Meta:
        model = Criterion
        fields = ["framework", "method"]


class ScoreLineFilter(django_filters.FilterSet):
    assessment = django_filters.NumberFilter(label=_("Assessment"))

    class Meta:
        model = ScoreLine
        fields = ["assessment"]


class KpiTargetFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = KpiTarget
        fields = ["year"]


class MeasurementFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="kpi__year")

    class Meta:
        model = KpiMeasurement
        fields = ["kpi", "unit", "period", "year"]


class IndexFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Index"), choices=IndexKind.choices)

    class Meta:
        model = ProvincialIndex
        fields = ["kind", "year"]
