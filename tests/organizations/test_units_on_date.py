"""Units over time: the one selector the pickers and services ask which units existed on a
date, the wording of a unit's dates, and the picker field that offers only those units."""

import datetime

from django import forms

from organizations.forms import UnitChoiceField, UnitMultipleChoiceField
from organizations.selectors import (
    unit_choice_label,
    unit_not_existing_message,
    units_valid_during,
    units_valid_on,
)
from tests.factories import OrgUnitFactory

D = datetime.date


def _two_level_reform(province):
    """A district abolished on 30/06/2025 and a commune created on 01/07/2025."""
    district = OrgUnitFactory(code="H1", name="Huyện Một", kind="district", level="district",
                              parent=province, valid_to=D(2025, 6, 30))  # fmt: skip
    commune = OrgUnitFactory(code="X1", name="Xã Một", kind="commune", level="commune",
                             parent=province, valid_from=D(2025, 7, 1))  # fmt: skip
    return district, commune


def test_units_valid_on_a_day_are_those_that_existed_that_day(province):
    # given the reform of 30/06/2025
    district, commune = _two_level_reform(province)
    # then the district exists in 2024 and on its last day, the commune from its first day
    assert set(units_valid_on(D(2024, 5, 1))) == {province, district}
    assert set(units_valid_on(D(2025, 6, 30))) == {province, district}
    assert set(units_valid_on(D(2026, 1, 15))) == {province, commune}


def test_units_valid_during_a_period_are_those_that_existed_on_one_of_its_days(province):
    district, commune = _two_level_reform(province)
    # a half year straddling the reform has both; the next year only the commune
    assert set(units_valid_during(D(2025, 1, 1), D(2025, 12, 31))) == {province, district, commune}
    assert set(units_valid_during(D(2026, 1, 1), D(2026, 6, 30))) == {province, commune}


def test_the_refusal_names_the_unit_and_its_dates(province):
    district, commune = _two_level_reform(province)
    bounded = OrgUnitFactory(code="B1", name="Ban Một", valid_from=D(2010, 1, 1),
                             valid_to=D(2025, 6, 30))  # fmt: skip
    assert unit_not_existing_message(bounded, "x") == (
        "Ban Một chỉ tồn tại từ 01/01/2010 đến 30/06/2025; x."
    )
    assert unit_not_existing_message(district, "y") == "Huyện Một chỉ tồn tại đến 30/06/2025; y."
    assert unit_not_existing_message(commune, "z") == "Xã Một chỉ tồn tại từ 01/07/2025; z."


def test_a_picker_marks_an_abolished_unit(province):
    district, commune = _two_level_reform(province)
    assert unit_choice_label(district, today=D(2026, 1, 1)) == "Huyện Một (đã giải thể 30/06/2025)"
    assert unit_choice_label(district, today=D(2025, 6, 30)) == "Huyện Một"
    assert unit_choice_label(commune, today=D(2026, 1, 1)) == "Xã Một"


class _Form(forms.Form):
    unit = UnitChoiceField()
    units = UnitMultipleChoiceField()


def test_the_picker_offers_only_the_units_of_the_date_but_still_reads_any_unit(province):
    # given a form whose pickers are limited to 15/01/2026
    district, commune = _two_level_reform(province)
    form = _Form({"unit": district.pk, "units": [district.pk, commune.pk]})
    form.fields["unit"].offer_valid_on(D(2026, 1, 15))
    form.fields["units"].offer_valid_on(D(2026, 1, 15))
    # then the abolished district is not offered ...
    offered = {int(str(value)) for value, _label in form.fields["unit"].choices if value}
    assert offered == {province.pk, commune.pk}
    assert "Huyện Một" not in str(form["units"])
    # ... yet a stale page sending it is read, so the service refuses it by name
    assert form.is_valid()
    assert form.cleaned_data["unit"] == district


def test_the_picker_offers_the_abolished_unit_for_an_earlier_date(province):
    district, _commune = _two_level_reform(province)
    form = _Form()
    form.fields["unit"].offer_valid_on(D(2024, 3, 1))
    offered = {int(str(value)) for value, _label in form.fields["unit"].choices if value}
    assert offered == {province.pk, district.pk}
