"""One FilterSet per list, shared by the HTML pages and /api/v1/."""

import django_filters
from django.utils.translation import gettext_lazy as _

from indicators.models import (
    Assessment,
    AssessmentStage,
    Criterion,
    IndexKind,
    KpiMeasurement,
    KpiTarget,
    ProvincialIndex,
    ScoreLine,
)


class AssessmentFilter(django_filters.FilterSet):
    framework = django_filters.NumberFilter(label=_("Framework"))
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=AssessmentStage.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="framework__year")
    unit = django_filters.NumberFilter(label=_("Unit"))

    class Meta:
        model = Assessment
        fields = ["framework", "stage", "year", "unit"]


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
