import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields

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


# The largest id a database integer holds. SQLite's driver raises OverflowError on a larger
# one (a 500 for ?unit=99999999999999999999); it is simply not a choice.
MAX_ID = 2**63 - 1


def _out_of_range(value) -> bool:
    try:
        return abs(int(str(value))) > MAX_ID
    except (TypeError, ValueError):
        return False  # not a number: the field's own validation says so


class IdChoiceField(filter_fields.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(filter_fields.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value or ():
            if _out_of_range(item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A model choice whose out-of-range id is an invalid choice, not a database error."""

    field_class = IdChoiceField


class ModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Several model choices; an out-of-range id is an invalid choice, not a database error."""

    field_class = IdMultipleChoiceField


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
