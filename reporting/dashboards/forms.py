from __future__ import annotations

import hashlib

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, FastSelect
from directives.models import CchcArea, Directive
from organizations.models import UnitKind, UnitLevel
from reporting.dashboards.periods import (
    CONVENTION_CHOICES,
    PERIOD_CHOICES,
    ReportPeriod,
    report_period,
)


class DashboardFilterForm(BootstrapFormMixin, forms.Form):
    """The leadership dashboard's filters. Invalid values fall back to the defaults (this
    year, the whole year, calendar months, everything)."""

    # The selects are written without a template per option (FastSelect): the directive list
    # alone has 300 options.
    year = forms.IntegerField(label=_("Plan year"), min_value=2000, max_value=2100, required=False)
    period = forms.ChoiceField(
        label=_("Period"), choices=PERIOD_CHOICES, required=False, widget=FastSelect
    )
    convention = forms.ChoiceField(
        label=_("Convention"), choices=CONVENTION_CHOICES, required=False, widget=FastSelect
    )
    unit_kind = forms.ChoiceField(
        label=_("Unit kind"),
        choices=[("", _("All kinds")), *UnitKind.choices],
        required=False,
        widget=FastSelect,
    )
    unit_level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("All levels")), *UnitLevel.choices],
        required=False,
        widget=FastSelect,
    )
    area = forms.ModelChoiceField(
        label=_("CCHC area"),
        queryset=CchcArea.objects.order_by("code"),
        required=False,
        widget=FastSelect,
        empty_label=_("All areas"),
    )
    directive = forms.ModelChoiceField(
        label=_("Directive"),
        # what an option shows (Directive.__str__), not the summaries
        queryset=Directive.objects.only("pk", "number", "issue_date").order_by("-year", "number"),
        required=False,
        widget=FastSelect,
        empty_label=_("All directives"),
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data or None, **kwargs)
        self.fields["year"].widget.attrs["placeholder"] = str(timezone.localdate().year)

    @property
    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "year": data.get("year") or timezone.localdate().year,
            "period": data.get("period") or "year",
            "convention": data.get("convention") or "calendar",
            "unit_kind": data.get("unit_kind") or "",
            "unit_level": data.get("unit_level") or "",
            "area": data["area"].pk if data.get("area") else None,
            "directive": data["directive"].pk if data.get("directive") else None,
        }

    def report_period(self) -> ReportPeriod:
        values = self.values
        return report_period(values["year"], values["period"], values["convention"])

    def cache_token(self) -> str:
        """A short stable digest of the chosen values, for cache keys."""
        raw = repr(sorted(self.values.items()))
        return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:16]
