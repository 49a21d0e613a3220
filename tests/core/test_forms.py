"""The shared form mixin: every select of a portal form reads as Vietnamese, no Django dashes."""

from django import forms
from django.utils import translation

from core.forms import BootstrapFormMixin
from directives.models import CchcArea


class _PickForm(BootstrapFormMixin, forms.Form):
    area = forms.ModelChoiceField(queryset=CchcArea.objects.all(), required=False)
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "Một")])
    named = forms.ModelChoiceField(queryset=CchcArea.objects.all(), empty_label="Mọi lĩnh vực")


def test_empty_options_read_choose_instead_of_dashes(db):
    # given a form with a model select, a plain select and a select naming its own empty option
    with translation.override("vi"):
        html = _PickForm().as_p()
    # when it renders, then no option shows Django's dashes and a label given stays
    assert "---------" not in html
    assert html.count("— Chọn —") == 2
    assert "Mọi lĩnh vực" in html
