import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from organizations.models import OrgUnit
from organizations.selectors import unit_choice_label, units_valid_during


class UnitImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Unit list (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class _OfferedUnits(forms.models.ModelChoiceIterator):
    """Choices from the field's `offered` queryset (the units that exist on the date), while
    the field still looks up any unit: one that does not exist on the date is refused by the
    service, with a message naming the unit and its dates, shown beside the field."""

    def __init__(self, field):
        super().__init__(field)
        self.queryset = getattr(field, "offered", field.queryset)  # unset during __init__


class _UnitFieldMixin:
    iterator = _OfferedUnits

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", OrgUnit.objects.order_by("code"))
        super().__init__(*args, **kwargs)
        self.offered = self.queryset

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.offered = self.offered.all()  # each form its own queryset, never a shared cache
        return result

    def offer_valid_during(self, start: datetime.date, end: datetime.date) -> None:
        """Offer only the units that existed on some day of [start, end]."""
        self.offered = units_valid_during(start, end, self.queryset)
        self.widget.choices = self.choices

    def offer_valid_on(self, day: datetime.date) -> None:
        self.offer_valid_during(day, day)

    def label_from_instance(self, obj: OrgUnit) -> str:
        return unit_choice_label(obj)


class UnitChoiceField(_UnitFieldMixin, forms.ModelChoiceField):
    pass


class UnitMultipleChoiceField(_UnitFieldMixin, forms.ModelMultipleChoiceField):
    pass
