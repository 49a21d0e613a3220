import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filterbar import SortFilter
from core.roles import Role
from organizations.models import User


class AccountState:
    ACTIVE = "active"
    PENDING = "pending"
    INACTIVE = "inactive"
    CHOICES = (
        (ACTIVE, _("Active")),
        (PENDING, _("Waiting for approval")),
        (INACTIVE, _("Deactivated")),
    )


class UserFilter(django_filters.FilterSet):
    """The user list of Home Affairs."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("User name, name or e-mail")}
        ),
    )
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    state = django_filters.ChoiceFilter(
        label=_("Account state"), choices=AccountState.CHOICES, method="filter_state"
    )
    sort = SortFilter(fields=(("username", "username"), ("full_name", "full_name")))

    class Meta:
        model = User
        fields = ["q", "role", "state", "sort"]

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(username__icontains=word)
                | Q(full_name__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset

    def filter_state(self, queryset, name, value):
        if value == AccountState.ACTIVE:
            return queryset.filter(is_active=True).exclude(role="")
        if value == AccountState.PENDING:
            return queryset.filter(is_active=True, role="", is_superuser=False)
        if value == AccountState.INACTIVE:
            return queryset.filter(is_active=False)
        return queryset
