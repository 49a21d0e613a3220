import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filterbar import SortFilter
from core.filters import ModelChoiceFilter, ModelMultipleChoiceFilter
from core.text import search_words_q
from directives.models import CchcArea, Directive
from directives.numbering import DirectiveType
from organizations.models import OrgUnit


class DirectiveFilter(django_filters.FilterSet):
    """One filter set for the directive list page and /api/v1/directives/."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Number or summary, with or without accents")}
        ),
    )
    year = django_filters.NumberFilter(label=_("Year"))
    doc_type = django_filters.ChoiceFilter(label=_("Type"), choices=DirectiveType.choices)
    issuer = ModelMultipleChoiceFilter(
        label=_("Issuing unit"),
        queryset=OrgUnit.objects.order_by("code"),
        distinct=False,  # a foreign key: no duplicate rows, no DISTINCT
    )
    area = ModelChoiceFilter(
        label=_("CCHC area"), queryset=CchcArea.objects.all(), field_name="areas"
    )

    # Newest first unless a header asks otherwise (the selector's order).
    sort = SortFilter(fields=(("issue_date", "date"), ("serial", "number")))

    class Meta:
        model = Directive
        fields = ["q", "year", "doc_type", "issuer", "area", "sort"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(search_words_q(value, "search_text"))
