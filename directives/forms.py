from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from directives.models import CchcArea, Directive, DirectiveValidity, SigningMode
from organizations.models import OrgUnit


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, **kwargs):
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}, **kwargs)


class DirectiveForm(BootstrapFormMixin, forms.Form):
    """Validates the fields; the service parses the number and checks for a duplicate."""

    number = forms.CharField(
        label=_("Number and symbol"),
        max_length=64,
        help_text=_("E.g. 2718/UBND-NC, 5580/KH-UBND, 22/2020/QĐ-UBND, 18-NQ/TW."),
    )
    issue_date = forms.DateField(label=_("Issue date"), widget=DateInput())
    issuer = forms.ModelChoiceField(
        label=_("Issuing unit"), queryset=OrgUnit.objects.order_by("code"), required=False
    )
    issuer_name = forms.CharField(
        label=_("Or an outside issuer"),
        max_length=200,
        required=False,
        help_text=_("Chính phủ, Thủ tướng Chính phủ, Bộ Nội vụ, Tỉnh ủy..."),
    )
    summary = forms.CharField(
        label=_("Summary (trích yếu)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    signer = forms.CharField(label=_("Signer"), max_length=150, required=False)
    signer_position = forms.CharField(label=_("Signer's position"), max_length=150, required=False)
    signing_mode = forms.ChoiceField(
        label=_("Signing mode"), choices=SigningMode.choices, required=False
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("CCHC areas"), queryset=CchcArea.objects.all(), required=False
    )
    implements = forms.ModelMultipleChoiceField(
        label=_("Implements"), queryset=Directive.objects.order_by("-issue_date"), required=False
    )
    validity = forms.ChoiceField(
        label=_("Validity"), choices=DirectiveValidity.choices, initial=DirectiveValidity.IN_FORCE
    )
    file = forms.FileField(label=_("File (PDF or DOCX)"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("issuer") and not (data.get("issuer_name") or "").strip():
            self.add_error("issuer", _("Choose the issuing unit or name the outside body."))
        return data
