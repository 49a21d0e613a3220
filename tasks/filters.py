import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filterbar import SortFilter
from core.filters import ModelChoiceFilter, ModelMultipleChoiceFilter
from core.text import search_words_q
from directives.models import CchcArea, Directive
from organizations.models import OrgUnit, UnitKind, UnitLevel
from tasks.models import Assignment, Task
from tasks.status import Status


def _period_bounds(period: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    if period == "month":
        start = today.replace(day=1)
        end = (start + datetime.timedelta(days=32)).replace(day=1)
    elif period == "quarter":
        start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        end = (start + datetime.timedelta(days=95)).replace(day=1)
    else:
        start = today.replace(month=1, day=1)
        end = start.replace(year=start.year + 1)
    return start, end - datetime.timedelta(days=1)


class AssignmentFilter(django_filters.FilterSet):
    """One filter set for the unit inbox, the assignment list and /api/v1/assignments/.
    The queryset must carry the status annotation (selectors.assignment_list does)."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Task or directive, with or without accents")}
        ),
    )
    # One IN over the status annotation: the default (one equality per value, OR-ed) writes
    # the whole status CASE into the SQL once per chosen status.
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, method="filter_status"
    )
    directive = ModelChoiceFilter(
        label=_("Directive"), queryset=Directive.objects.all(), field_name="task__directive"
    )
    # Several units at once (the searchable multi-select); ?unit=5 from a link still works.
    unit = ModelMultipleChoiceFilter(
        label=_("Unit"),
        queryset=OrgUnit.objects.order_by("code"),
        distinct=False,  # a foreign key: no duplicate rows, no DISTINCT
    )
    # "null" selects the tasks without a CCHC area (the dashboards' "Without a CCHC area" figure).
    area = ModelChoiceFilter(
        label=_("CCHC area"),
        queryset=CchcArea.objects.order_by("code"),
        field_name="task__area",
        null_label=_("Without a CCHC area"),
    )
    period = django_filters.ChoiceFilter(
        label=_("Deadline in"),
        method="filter_period",
        choices=[
            ("month", _("This month")),
            ("quarter", _("This quarter")),
            ("year", _("This year")),
        ],
    )

    # The dashboards' drill-down links narrow the list with these.
    year = django_filters.NumberFilter(label=_("Plan year"), field_name="task__directive__year")
    deadline_from = django_filters.DateFilter(
        label=_("Deadline from"), field_name="eff_deadline", lookup_expr="gte"
    )
    deadline_to = django_filters.DateFilter(
        label=_("Deadline to"), field_name="eff_deadline", lookup_expr="lte"
    )
    unit_kind = django_filters.ChoiceFilter(
        label=_("Unit kind"), field_name="unit__kind", choices=UnitKind.choices
    )
    unit_level = django_filters.ChoiceFilter(
        label=_("Level"), field_name="unit__level", choices=UnitLevel.choices
    )
    # Statuses are read on this day (a past period's figures are as of its last day); the
    # queryset is annotated for it before filtering: see `list_as_of`.
    as_of = django_filters.DateFilter(label=_("Status as of"), method="filter_as_of")
    # Column headers sort; without ?sort= the selector's order stands (overdue first).
    sort = SortFilter(
        fields=(
            ("eff_deadline", "deadline"),
            ("urgency", "status"),
            ("unit__name", "unit"),
        )
    )

    # Set by dashboard links more than by hand: collapsed under "Bộ lọc khác", still submitted.
    more_filters = ("year", "deadline_from", "deadline_to", "unit_kind", "unit_level", "as_of")

    class Meta:
        model = Assignment
        fields = [
            "q",
            "status",
            "directive",
            "unit",
            "area",
            "period",
            "year",
            "deadline_from",
            "deadline_to",
            "unit_kind",
            "unit_level",
            "as_of",
            "sort",
        ]

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            search_words_q(value, "task__search_text", "task__directive__search_text")
        )

    def filter_status(self, queryset, name, value):
        return queryset.filter(status__in=value)

    def filter_as_of(self, queryset, name, value):
        return queryset  # applied by the queryset's status annotation (list_as_of)

    def filter_period(self, queryset, name, value):
        start, end = _period_bounds(value, timezone.localdate())
        return queryset.filter(eff_deadline__gte=start, eff_deadline__lte=end)


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    directive = ModelChoiceFilter(label=_("Directive"), queryset=Directive.objects.all())
    lead_unit = ModelChoiceFilter(label=_("Lead unit"), queryset=OrgUnit.objects.all())
    area = ModelChoiceFilter(label=_("CCHC area"), queryset=CchcArea.objects.all())
    is_key = django_filters.BooleanFilter(label=_("Key task"))

    class Meta:
        model = Task
        fields = ["q", "directive", "lead_unit", "area", "is_key"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(search_words_q(value, "search_text"))


class ReviewQueueFilter(django_filters.FilterSet):
    """Home Affairs' review queue (page and export). Without ?sort= the selector's order stands:
    longest waiting first, then most overdue."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    directive = ModelChoiceFilter(
        label=_("Directive"), queryset=Directive.objects.all(), field_name="task__directive"
    )
    unit = ModelMultipleChoiceFilter(
        label=_("Unit"),
        queryset=OrgUnit.objects.order_by("code"),
        distinct=False,  # a foreign key: no duplicate rows, no DISTINCT
    )
    unit_level = django_filters.ChoiceFilter(
        label=_("Level"), field_name="unit__level", choices=UnitLevel.choices
    )
    sort = SortFilter(
        fields=(
            ("waiting_since", "waiting"),
            ("eff_deadline", "deadline"),
            ("unit__name", "unit"),
        )
    )

    class Meta:
        model = Assignment
        fields = ["q", "directive", "unit", "unit_level", "sort"]

    filter_text = AssignmentFilter.filter_text
