from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from integrations.models import ApiGroup, WebhookEvent
from organizations.models import User


def _accounts():
    # Site administrators are left out: a token or hook acting as one would pass every check.
    return User.objects.filter(is_active=True, is_superuser=False).order_by("username")


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name() or obj.username
        unit = f" · {obj.unit}" if obj.unit_id else ""
        return f"{obj.username} ({name}{unit} · {obj.get_role_display()})"


class ApiTokenForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("The system that will use it, e.g. “Hệ thống quản lý văn bản”."),
    )
    user = AccountChoiceField(
        label=_("Acts as"),
        queryset=User.objects.none(),
        help_text=_(
            "The account whose role and unit decide what the token may see and do. "
            "Create an account for the system if it has none."
        ),
    )
    groups = forms.MultipleChoiceField(
        label=_("Resource groups"),
        choices=ApiGroup.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    can_write = forms.BooleanField(
        label=_("May write (create, change, cancel)"),
        required=False,
        help_text=_("Without it the token may only read."),
    )
    expires_on = forms.DateField(label=_("Expires on"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _accounts().select_related("unit")


class WebhookForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.URLField(
        label=_("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("http:// or https://; redirects are not followed."),
        validators=[
            URLValidator(
                schemes=["http", "https"],
                message=_("The address must start with http:// or https://."),
                code="scheme",  # its own code: the field's "invalid" message would replace it
            )
        ],
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )
    owner = AccountChoiceField(
        label=_("Sees as"),
        queryset=User.objects.none(),
        help_text=_(
            "Only events about what this account may see are sent: a unit's account hears "
            "of its own unit's work only."
        ),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _accounts().select_related("unit")
