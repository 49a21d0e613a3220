import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filterbar import SortFilter
from core.filters import ModelChoiceFilter, ModelMultipleChoiceFilter, list_as_of
from core.text import search_words_q
from dossiers.models import EXCLUDED_STATES, Channel, DossierState, ProcedureField
from dossiers.timeliness import Timeliness, late_filter
from organizations.models import OrgUnit, UnitKind, UnitLevel
from organizations.selectors import units_visible_to


class DossierFilter(django_filters.FilterSet):
    """One filter set for the dossier list page and /api/v1/dossiers/.

    Expects the queryset of selectors.dossier_list (annotated with `timeliness`).
    """

    code = django_filters.CharFilter(label=_("Dossier code"), method="filter_code")
    # Several units at once (the searchable multi-select); ?unit=5 from a link still works.
    unit = ModelMultipleChoiceFilter(
        label=_("Receiving unit"),
        queryset=OrgUnit.objects.order_by("code"),
        distinct=False,  # a foreign key: no duplicate rows, no DISTINCT
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=UnitLevel.choices)
    field = ModelChoiceFilter(label=_("Field"), queryset=ProcedureField.objects.order_by("name"))
    # Several values select their union: "in person or postal", "early or on time".
    channel = django_filters.MultipleChoiceFilter(label=_("Channel"), choices=Channel.choices)
    state = django_filters.ChoiceFilter(label=_("State"), choices=DossierState.choices)
    timeliness = django_filters.MultipleChoiceFilter(
        label=_("Timeliness"), choices=Timeliness.choices
    )
    received_from = django_filters.DateFilter(
        label=_("Received from"), field_name="received_date", lookup_expr="gte"
    )
    received_to = django_filters.DateFilter(
        label=_("Received to"), field_name="received_date", lookup_expr="lte"
    )
    procedure = django_filters.CharFilter(label=_("Procedure code"), field_name="procedure__code")
    # The dashboards' drill-down links narrow the list with these.
    finished_from = django_filters.DateFilter(
        label=_("Finished from"), field_name="finished_date", lookup_expr="gte"
    )
    finished_to = django_filters.DateFilter(
        label=_("Finished to"), field_name="finished_date", lookup_expr="lte"
    )
    overdue_from = django_filters.DateFilter(
        label=_("Went overdue from"), field_name="overdue_date", lookup_expr="gte"
    )
    overdue_to = django_filters.DateFilter(
        label=_("Went overdue to"), field_name="overdue_date", lookup_expr="lte"
    )
    unit_kind = django_filters.ChoiceFilter(
        label=_("Unit kind"), field_name="unit__kind", choices=UnitKind.choices
    )
    unit_tree = ModelChoiceFilter(
        label=_("Unit and its sub-units"),
        queryset=OrgUnit.objects.order_by("code"),
        method="filter_unit_tree",
    )
    # The statistics leave withdrawn and stopped dossiers out; a figure's link does the same.
    counted = django_filters.BooleanFilter(
        label=_("Counted in the statistics"), method="filter_counted"
    )
    paid_online = django_filters.BooleanFilter(label=_("Paid online"))
    late_without_apology = django_filters.BooleanFilter(
        label=_("Late, without an apology"), method="filter_late_without_apology"
    )
    # Timeliness is read on this day (a past period's pending dossiers as of its last day);
    # the queryset is annotated for it before filtering (core.filters.list_as_of).
    as_of = django_filters.DateFilter(label=_("Timeliness as of"), method="filter_as_of")
    # The page pages through these orders by keyset (selectors.keyset_page); the API and the
    # export sort by the same keys.
    sort = SortFilter(fields=(("received_at", "received"), ("due_at", "due")))

    # Set by dashboard links more than by hand: collapsed under "Bộ lọc khác", still submitted.
    more_filters = (
        "procedure",
        "channel",
        "paid_online",
        "late_without_apology",
        "finished_from",
        "finished_to",
        "overdue_from",
        "overdue_to",
        "unit_kind",
        "unit_tree",
        "counted",
        "as_of",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            # Only the units the user may see are offered (and accepted).
            units = units_visible_to(self.request.user).order_by("code")
            for name in ("unit", "unit_tree"):
                self.filters[name].queryset = units
                self.form.fields[name].queryset = units

    def filter_code(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(code__startswith=value) if value else queryset

    @extend_schema_field(OpenApiTypes.INT)  # the API takes the unit's id
    def filter_unit_tree(self, queryset, name, value):
        units = OrgUnit.objects.descendants(value.pk, include_self=True).values("pk")
        return queryset.filter(unit_id__in=units)

    def filter_counted(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.exclude(state__in=EXCLUDED_STATES)
        return queryset.filter(state__in=EXCLUDED_STATES)

    def filter_as_of(self, queryset, name, value):
        return queryset  # applied by the queryset's timeliness annotation (list_as_of)

    def filter_late_without_apology(self, queryset, name, value):
        if not value:
            return queryset
        late = late_filter(list_as_of(self.data))
        return queryset.filter(late, apology_registered_at__isnull=True)


class ProcedureFilter(django_filters.FilterSet):
    """One filter set for the procedure catalogue page and /api/v1/procedures/."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    field = ModelChoiceFilter(label=_("Field"), queryset=ProcedureField.objects.order_by("name"))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=UnitLevel.choices)
    sort = SortFilter(fields=(("code", "code"), ("name", "name")))

    def filter_text(self, queryset, name, value):
        return queryset.filter(search_words_q(value, "search_text"))
