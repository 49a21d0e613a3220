from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from reporting.audit import ACTIONS, AUDITED


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, **kwargs):
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}, **kwargs)


class AuditFilterForm(BootstrapFormMixin, forms.Form):
    """The filters of the change history page; every field is optional."""

    model = forms.ChoiceField(label=_("Kind of record"), required=False)
    object = forms.IntegerField(label=_("Record id"), required=False, min_value=1)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "---------"), *ACTIONS.items()]
    )
    user = forms.CharField(label=_("Changed by (user name)"), required=False, max_length=150)
    date_from = forms.DateField(label=_("From date"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To date"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All"))] + [
            (key, entry.model._meta.verbose_name) for key, entry in AUDITED.items()
        ]

    def query(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        model = data.get("model")
        return {
            "models": [model] if model else None,
            "action": data.get("action") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "username": (data.get("user") or "").strip(),
            "object_id": data.get("object") if model else None,
        }
