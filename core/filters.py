import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import JobRun, JobRunOutcome


def list_as_of(params) -> datetime.date:
    """The day a list reads statuses on: today, or an earlier day a dashboard link names in
    `as_of` (a later or unreadable day reads today). One rule for page, API and export."""
    today = timezone.localdate()
    try:  # the filter form's own date parsing: dd/mm/yyyy as typed, ISO as linked
        asked = forms.DateField(required=False).clean(params.get("as_of"))
    except ValidationError:
        return today
    return min(asked, today) if asked else today


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
