from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import WorkdayOverrideKind


class BootstrapFormMixin:
    """Give every widget Bootstrap's class, so templates render fields with no per-field markup."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class WorkdayOverrideForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkdayOverrideKind.choices)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
