from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from indicators.models import (
    CriterionMethod,
    Framework,
    IndexKind,
    KpiDirection,
    KpiPeriod,
    KpiTarget,
)
from indicators.sources import kpi_source_choices
from organizations.models import OrgUnit


class FrameworkForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Framework
        fields = ["name", "year", "population", "legal_basis", "self_scoring_deadline"]
        widgets = {
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
            "self_scoring_deadline": forms.DateInput(format="%d/%m/%Y"),
        }


class BandsForm(BootstrapFormMixin, forms.Form):
    bands = forms.CharField(
        label=_("Bands"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One band a line: label, minimum percent (e.g. 'Tốt, 90')."),
    )

    def clean_bands(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["bands"].splitlines(), start=1):
            if not line.strip():
                continue
            label, _sep, minimum = line.rpartition(",")
            try:
                value = forms.DecimalField(localize=True).clean(minimum.strip())
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("Line %(line)s: the minimum percent is not a number."),
                    params={"line": number},
                ) from exc
            rows.append((label.strip(), value))
        return rows


class CriterionForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), widget=forms.Textarea(attrs={"rows": 2}))
    max_points = forms.DecimalField(label=_("Maximum points"), localize=True, min_value=0)
    method = forms.ChoiceField(label=_("Method"), choices=CriterionMethod.choices)
    evidence_required = forms.BooleanField(label=_("Evidence required"), required=False)
    source_key = forms.CharField(label=_("Data source"), required=False, max_length=64)
    note = forms.CharField(label=_("Note"), required=False)


class ComputedBandsForm(BootstrapFormMixin, forms.Form):
    rows = forms.CharField(
        label=_("Band table"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One row a line: from percent; points (e.g. '100; 4' then '80; 2')."),
    )

    def clean_rows(self):
        parsed = []
        number_field = forms.DecimalField(localize=True)
        for number, line in enumerate(self.cleaned_data["rows"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            try:
                if len(parts) != 2:
                    raise forms.ValidationError("")
                parsed.append((number_field.clean(parts[0]), number_field.clean(parts[1])))
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("Line %(line)s: write 'from percent; points'."), params={"line": number}
                ) from exc
        return parsed


class FrameworkCopyForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("New year"), min_value=2000, max_value=2100)


class UploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))


class ScoreForm(forms.Form):
    """A score typed in a sheet cell: blank clears it, a decimal comma is accepted."""

    score = forms.DecimalField(
        label=_("Score"), required=False, localize=True, min_value=0, decimal_places=2
    )
    note = forms.CharField(label=_("Note"), required=False)


class ExplanationForm(forms.Form):
    explanation = forms.CharField(label=_("Explanation"), required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))


class MeasurementForm(BootstrapFormMixin, forms.Form):
    kpi = forms.ModelChoiceField(label=_("KPI target"), queryset=KpiTarget.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    period = forms.ChoiceField(label=_("Period"), choices=KpiPeriod.choices)
    value = forms.DecimalField(label=_("Value"), localize=True)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, kpis, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].queryset = kpis
        self.fields["unit"].queryset = units


class KpiTargetForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    measure = forms.CharField(label=_("Measure"), max_length=50, initial="%")
    direction = forms.ChoiceField(label=_("Direction"), choices=KpiDirection.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    source_directive = forms.CharField(label=_("Source directive"), required=False)
    source_key = forms.ChoiceField(
        label=_("Data source"),
        required=False,
        help_text=_("A target bound to a portal figure gets its values computed, not entered."),
    )
    province = forms.DecimalField(label=_("Province-level target"), required=False, localize=True)
    district = forms.DecimalField(label=_("District-level target"), required=False, localize=True)
    commune = forms.DecimalField(label=_("Commune-level target"), required=False, localize=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the sources registered at start-up, read when the form is built
        self.fields["source_key"].choices = [
            ("", _("None: values are entered or imported")),
            *kpi_source_choices(),
        ]

    def levels(self) -> dict:
        return {
            level: self.cleaned_data[level]
            for level in ("province", "district", "commune")
            if self.cleaned_data.get(level) is not None
        }


class MeasurementImportForm(BootstrapFormMixin, forms.Form):
    kpi = forms.ModelChoiceField(label=_("KPI target"), queryset=KpiTarget.objects.none())
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def __init__(self, *args, kpis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].queryset = kpis


class IndexFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Index"), choices=IndexKind.choices, required=False)
