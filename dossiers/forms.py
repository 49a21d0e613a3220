import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, FastSelect
from dossiers.metrics import Period, calendar_period, cutoff_period
from dossiers.models import ProcedureField
from organizations.forms import UnitChoiceField
from organizations.models import OrgUnit, UnitLevel


class DossierImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Dossier list (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    skip_bad_rows = forms.BooleanField(
        label=_("Skip bad rows (import the good rows, list the bad ones)"), required=False
    )


class ApologyForm(BootstrapFormMixin, forms.Form):
    new_due_date = forms.DateField(label=_("New appointment date"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class PeriodForm(BootstrapFormMixin, forms.Form):
    """The dashboard's period: a year, optionally a month or quarter, in either convention."""

    CONVENTIONS = (("calendar", _("Calendar")), ("cutoff", _("Reporting cut-off (15th to 14th)")))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12, required=False)
    quarter = forms.IntegerField(label=_("Quarter"), min_value=1, max_value=4, required=False)
    convention = forms.ChoiceField(label=_("Convention"), choices=CONVENTIONS, required=False)
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All levels")), *UnitLevel.choices], required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=FastSelect,  # ~150 units: options written in Python, not one template each
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The figures default to this year: the field says so instead of standing empty.
        this_year = timezone.localdate().year
        self.fields["year"].initial = this_year
        self.fields["year"].widget.attrs["placeholder"] = str(this_year)
        if units is None:
            del self.fields["unit"]  # a unit's own dashboard has no unit choice
        else:
            self.fields["unit"].queryset = units
            self.fields["unit"].empty_label = _("All units")

    def selected_unit(self) -> OrgUnit | None:
        return self.cleaned_data.get("unit") if self.is_valid() else None

    def period(self) -> Period:
        data = self.cleaned_data if self.is_valid() else {}
        today = timezone.localdate()
        year = data.get("year") or today.year
        month, quarter = data.get("month"), data.get("quarter")
        if data.get("convention") == "cutoff":
            if quarter and not month:
                # a quarter's three reporting months: 15/12-14/03 for the first
                first = cutoff_period(year, month=3 * quarter - 2)
                last = cutoff_period(year, month=3 * quarter)
                label = _("Quarter %(q)s/%(y)s") % {"q": quarter, "y": year}
                return Period(first.start, last.end, label)
            return cutoff_period(year, month=month)
        return calendar_period(year, month=month, quarter=None if month else quarter)

    def selected_level(self) -> str | None:
        return (self.cleaned_data.get("level") if self.is_valid() else None) or None


def parse_cursor(value: str | None) -> tuple[datetime.datetime, int] | None:
    """The list's keyset cursor "<received_at ISO>_<id>"; anything unreadable starts over."""
    if not value or "_" not in value:
        return None
    moment, _sep, pk = value.rpartition("_")
    try:
        parsed = datetime.datetime.fromisoformat(moment)
        number = int(pk)
    except ValueError:
        return None
    return (parsed, number) if timezone.is_aware(parsed) else None


class AggregateRowForm(BootstrapFormMixin, forms.Form):
    """One line of the standard report table; totals are optional and checked against parts."""

    unit = UnitChoiceField(label=_("Unit"))
    period_start = forms.DateField(label=_("Period from"))
    period_end = forms.DateField(label=_("Period to"))
    field = forms.ModelChoiceField(
        label=_("Field"), queryset=ProcedureField.objects.order_by("name"), required=False
    )
    received_online = forms.IntegerField(label=_("Received online"), min_value=0, initial=0)
    received_offline = forms.IntegerField(
        label=_("Received in person or by post"), min_value=0, initial=0
    )
    carried_over = forms.IntegerField(label=_("Carried over"), min_value=0, initial=0)
    received_total = forms.IntegerField(
        label=_("Received (reported total)"), min_value=0, required=False
    )
    finished_early = forms.IntegerField(label=_("Finished early"), min_value=0, initial=0)
    finished_on_time = forms.IntegerField(label=_("Finished on time"), min_value=0, initial=0)
    finished_late = forms.IntegerField(label=_("Finished late"), min_value=0, initial=0)
    finished_total = forms.IntegerField(
        label=_("Finished (reported total)"), min_value=0, required=False
    )
    pending_within = forms.IntegerField(
        label=_("Pending within the deadline"), min_value=0, initial=0
    )
    pending_overdue = forms.IntegerField(label=_("Pending overdue"), min_value=0, initial=0)
    pending_total = forms.IntegerField(
        label=_("Pending (reported total)"), min_value=0, required=False
    )
    fee_required = forms.IntegerField(label=_("Dossiers with a fee"), min_value=0, initial=0)
    paid_online = forms.IntegerField(label=_("Paid online"), min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # once the period is known, only the units that existed in it are offered
            try:
                start = self.fields["period_start"].clean(self.data.get("period_start"))
                end = self.fields["period_end"].clean(self.data.get("period_end"))
            except forms.ValidationError:
                return
            if start <= end:
                self.fields["unit"].offer_valid_during(start, end)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class AggregateImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Report lines (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
