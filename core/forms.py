from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import WorkdayOverrideKind

# Django's empty choice (BLANK_CHOICE_DASH, ModelChoiceField.empty_label): no one reads dashes.
DJANGO_EMPTY_CHOICE = "---------"
EMPTY_CHOICE = _("— Choose —")


def relabel_empty_choice(field: forms.Field) -> None:
    """Show a select's empty option as "— Chọn —" instead of Django's dashes."""
    if getattr(field, "empty_label", None) == DJANGO_EMPTY_CHOICE:
        field.empty_label = EMPTY_CHOICE  # ModelChoiceField reads it when the options render
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices = list(field.choices)
        if any(label == DJANGO_EMPTY_CHOICE for _value, label in choices):
            field.choices = [
                (value, EMPTY_CHOICE if label == DJANGO_EMPTY_CHOICE else label)
                for value, label in choices
            ]


class BootstrapFormMixin:
    """Give every widget Bootstrap's class, so templates render fields with no per-field markup,
    and every select a readable empty option."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            relabel_empty_choice(field)
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
