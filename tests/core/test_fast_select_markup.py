"""FastSelect writes the markup of Django's select template (options, groups, attributes)."""

import re

import pytest
from django import forms

from core.forms import FastSelect

CHOICES = [
    ("", "Tất cả đơn vị"),
    (1, "Sở Nội vụ"),
    (2, 'UBND "Phường" <A> & B'),
    ("Huyện cũ", [(3, "Xã 1"), (4, "Xã 2")]),
    (5, "Xã 3"),
]


def same(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("value", [None, "", 2, 4, "x"])
@pytest.mark.parametrize(
    "attrs",
    [{}, {"class": "form-select", "id": "id_unit"}, {"disabled": True, "hidden": False}],
)
def test_a_fast_select_renders_as_djangos_select(value, attrs):
    # Given the same choices, value and attributes, when both widgets render, then the markup
    # is the same but for whitespace between tags
    expected = forms.Select(attrs=attrs, choices=CHOICES).render("unit", value)
    assert same(FastSelect(attrs=attrs, choices=CHOICES).render("unit", value)) == same(expected)


def test_the_selected_option_is_marked_and_text_is_escaped():
    html = FastSelect(choices=CHOICES).render("unit", 2)
    assert '<option value="2" selected>' in html
    assert "UBND &quot;Phường&quot; &lt;A&gt; &amp; B" in html
    assert '<optgroup label="Huyện cũ">' in html
