from django import forms
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from organizations.models import OrgUnit


class OTPTokenForm(forms.Form):
    """A six-digit code from the authenticator app, or one of the recovery codes."""

    token = forms.CharField(
        label=_("Verification code"),
        max_length=16,
        help_text=_("The 6 digits your authenticator app shows now, or a recovery code."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "form-control",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip().replace(" ", "")


class UserApproveForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", "---------"), *Role.choices], required=True
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.filter(valid_to__isnull=True).order_by("name"),
        required=False,
        help_text=_("Required for a unit head or unit staff member."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select")
        # 150 units do not fit a plain list: the searchable select of the filter bars
        self.fields["unit"].widget.attrs.update(
            {"data-multiselect": "", "data-placeholder": _("Type to find a unit")}
        )
