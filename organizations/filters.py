import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filterbar import SortFilter
from core.text import search_words_q
from organizations.models import OrgUnit, UnitKind, UnitLevel


class UnitFilter(django_filters.FilterSet):
    """One filter set for the unit list page and /api/v1/units/."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Code or name, with or without accents")}
        ),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=UnitKind.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=UnitLevel.choices)
    current = django_filters.BooleanFilter(label=_("Existing today"), method="filter_current")
    sort = SortFilter(fields=(("code", "code"), ("name", "name")))

    class Meta:
        model = OrgUnit
        fields = ["q", "kind", "level", "current", "sort"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(search_words_q(value, "search_text"))

    def filter_current(self, queryset, name, value):
        today = timezone.localdate()
        existing = (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
            Q(valid_to__isnull=True) | Q(valid_to__gte=today)
        )
        if value is None:
            return queryset
        return queryset.filter(existing) if value else queryset.exclude(existing)
