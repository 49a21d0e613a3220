from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin


class UnitImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Unit list (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
