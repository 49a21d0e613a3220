"""core.forms.FastSelect writes the markup of Django's Select (select.html, select_option.html)
without a template per option, and without the COUNT query list() would make of a
ModelChoiceIterator."""

from __future__ import annotations

import re

import pytest
from django import forms

from core.forms import FastSelect
from organizations.models import OrgUnit

pytestmark = pytest.mark.django_db


class ChoicesForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "Tất cả"), ("a", 'Sở "A" & <B>'), ("b", "Xã")],
        required=False,
        widget=FastSelect(attrs={"class": "form-select", "data-x": True, "hidden": False}),
    )
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.order_by("code"), required=False, widget=FastSelect
    )


def _normalised(html) -> str:
    return re.sub(r">\s+<", "><", str(html).strip())


@pytest.mark.parametrize("data", [{}, {"kind": "a"}, {"kind": "zz"}, {"unit": "first"}])
def test_the_markup_is_django_s_select(data, unit_a, unit_b, django_assert_num_queries):
    if data.get("unit") == "first":
        data = {"unit": str(unit_b.pk)}
    form = ChoicesForm(data)
    form.is_valid()
    for name in ("kind", "unit"):
        field = form.fields[name]
        reference = form[name].as_widget(
            widget=forms.Select(attrs=field.widget.attrs, choices=field.choices)
        )
        with django_assert_num_queries(1 if name == "unit" else 0):  # the units, no COUNT
            fast = str(form[name])
        assert _normalised(fast) == _normalised(reference)
    assert "&amp; &lt;B&gt;" in str(form["kind"]) and " data-x" in str(form["kind"])
