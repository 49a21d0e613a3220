import datetime
from decimal import Decimal

from django import forms
from django.template import Context, Template
from django.utils import formats, translation


class DateForm(forms.Form):
    day = forms.DateField()


def test_vietnamese_date_input_reads_day_first():
    with translation.override("vi"):
        form = DateForm({"day": "03/04/2026"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 4, 3)


def test_vietnamese_numbers_group_thousands_with_dots_and_use_decimal_comma():
    with translation.override("vi"):
        text = formats.number_format(Decimal("1234567.5"), decimal_pos=1, use_l10n=True)
    assert text == "1.234.567,5"


def test_templates_print_dates_and_percentages_the_vietnamese_way():
    template = Template('{{ day|date:"SHORT_DATE_FORMAT" }} {{ rate|floatformat:1 }}%')
    with translation.override("vi"):
        out = template.render(Context({"day": datetime.date(2026, 9, 2), "rate": 70.5}))
    assert out == "02/09/2026 70,5%"
