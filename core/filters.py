import django_filters
from django.utils.translation import gettext_lazy as _

from core.models import JobRun, JobRunOutcome


class JobRunFilter(django_filters.FilterSet):
    """The operations page's filters."""

    job = django_filters.ChoiceFilter(label=_("Job"), choices=[])
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=JobRunOutcome.choices)
    started_from = django_filters.DateFilter(
        label=_("Started from"), field_name="started_at", lookup_expr="date__gte"
    )
    started_to = django_filters.DateFilter(
        label=_("Started until"), field_name="started_at", lookup_expr="date__lte"
    )

    class Meta:
        model = JobRun
        fields = ["job", "outcome", "started_from", "started_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = JobRun.objects.order_by("job").values_list("job", flat=True).distinct()
        self.filters["job"].extra["choices"] = [(name, name) for name in names]
