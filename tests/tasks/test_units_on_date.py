"""A plan's tasks go only to units that existed on the plan's issue date: the plan grid offers
only those, and the service (behind the page and the Excel import) refuses the others with a
message naming the unit and its dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.tabular import ImportFailed
from tasks import services
from tasks.models import Task
from tasks.services import AddressMode, imports
from tests.factories import OrgUnitFactory
from tests.tasks.factories import DirectiveFactory
from tests.tasks.test_imports import _row, _xlsx

D = datetime.date
REFUSAL = (
    "Huyện Cũ chỉ tồn tại đến 30/06/2025; không thể giao nhiệm vụ cho kế hoạch ban hành "
    "ngày 10/01/2026."
)


@pytest.fixture
def district(province):
    """A district abolished on 30/06/2025 by the two-level reform."""
    return OrgUnitFactory(code="HCU", name="Huyện Cũ", kind="district", level="district",
                          parent=province, valid_to=D(2025, 6, 30))  # fmt: skip


@pytest.fixture
def commune(province):
    return OrgUnitFactory(code="XMOI", name="Xã Mới", kind="commune", level="commune",
                          parent=province, valid_from=D(2025, 7, 1))  # fmt: skip


@pytest.fixture
def plan_2024(province):
    return DirectiveFactory(number="12/KH-UBND", issue_date=D(2024, 2, 1))


# --- Service ---------------------------------------------------------------------------------


def test_a_task_of_a_2026_plan_led_by_an_abolished_district_is_refused(directive, district):
    # when a task of the 2026 plan is given to the district
    with pytest.raises(ValidationError) as refused:
        services.task_create(directive=directive, item_number="1", title="t", lead_unit=district)
    # then the refusal, on the lead unit, names the district and its dates; nothing is written
    assert refused.value.message_dict == {"lead_unit": [REFUSAL]}
    assert not Task.objects.exists()


def test_cooperating_units_and_addressees_are_checked_too(directive, district, unit_a):
    with pytest.raises(ValidationError) as refused:
        services.task_create(
            directive=directive, item_number="1", title="t", lead_unit=unit_a,
            cooperating_units=[district], addressees=[district],
        )  # fmt: skip
    assert refused.value.message_dict == {"cooperating_units": [REFUSAL], "addressees": [REFUSAL]}
    assert not Task.objects.exists()


def test_a_commune_cannot_get_a_task_of_a_plan_before_it_existed(plan_2024, commune):
    with pytest.raises(ValidationError) as refused:
        services.task_create(directive=plan_2024, item_number="1", title="t", lead_unit=commune)
    assert refused.value.message_dict["lead_unit"] == [
        "Xã Mới chỉ tồn tại từ 01/07/2025; không thể giao nhiệm vụ cho kế hoạch ban hành "
        "ngày 01/02/2024."
    ]


def test_the_district_still_gets_a_task_of_a_2024_plan(plan_2024, district):
    task = services.task_create(directive=plan_2024, item_number="1", title="t", lead_unit=district)
    assert list(task.assignments.values_list("unit", flat=True)) == [district.pk]


def test_an_expected_assignment_for_a_unit_gone_by_the_plan_date_is_refused(directive, district):
    task = services.task_create(directive=directive, item_number="1", title="t")
    with pytest.raises(ValidationError) as refused:
        services.assignment_create(task=task, unit=district)
    assert refused.value.message_dict == {"unit": [REFUSAL]}


def test_all_communes_of_a_2024_plan_is_refused_as_there_were_none(plan_2024, commune):
    with pytest.raises(ValidationError) as refused:
        services.units_for_address(mode=AddressMode.ALL_COMMUNES, on_date=plan_2024.issue_date)
    assert refused.value.message_dict == {
        "address_mode": ["Không có đơn vị nào thuộc loại này tồn tại vào ngày 01/02/2024."]
    }


# --- Plan grid -------------------------------------------------------------------------------


def _offered(response, name):
    field = response.context["form"].fields[name]
    return {int(str(value)) for value, _label in field.choices if value}


@pytest.mark.parametrize("name", ["lead_unit", "addressees", "cooperating_units"])
def test_the_grid_of_a_2026_plan_does_not_offer_the_abolished_district(
    client_for, home_affairs, directive, district, commune, unit_a, name
):
    response = client_for(home_affairs).get(reverse("tasks:plan_entry", args=[directive.pk]))
    offered = _offered(response, name)
    assert district.pk not in offered
    assert {commune.pk, unit_a.pk} <= offered
    # nor districts as a kind to address
    kinds = [value for value, _label in response.context["form"].fields["address_kind"].choices]
    assert "district" not in kinds and "commune" in kinds


def test_the_grid_of_a_2024_plan_offers_the_district_marked_and_not_the_commune(
    client_for, home_affairs, plan_2024, district, commune
):
    response = client_for(home_affairs).get(reverse("tasks:plan_entry", args=[plan_2024.pk]))
    offered = _offered(response, "lead_unit")
    assert district.pk in offered and commune.pk not in offered
    assert "Huyện Cũ (đã giải thể 30/06/2025)" in response.content.decode()


def test_the_grid_shows_the_refusal_beside_the_field_and_keeps_the_row(
    client_for, home_affairs, directive, district
):
    # when a stale page posts the abolished district as the lead
    response = client_for(home_affairs).post(
        reverse("tasks:plan_add_task", args=[directive.pk]),
        {"item_number": "7", "title": "Rà soát quy chế", "lead_unit": district.pk,
         "deadline": "15/09/2026", "output_kind": "report"},
    )  # fmt: skip
    # then the grid comes back with the message beside the lead unit and the typed values
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["lead_unit"] == [REFUSAL]
    body = response.content.decode()
    assert 'value="Rà soát quy chế"' in body and 'value="15/09/2026"' in body
    assert not Task.objects.exists()


# --- Excel import ----------------------------------------------------------------------------


def test_import_rows_naming_a_unit_gone_by_the_plan_date_are_refused(
    directive, home_affairs, district, unit_a
):
    upload = _xlsx([_row("1", lead="HCU"), _row("2", lead="STC", coop="HCU")])
    with pytest.raises(ImportFailed) as rejected:
        imports.task_import_preview(directive=directive, upload=upload, actor=home_affairs)
    assert {(e.row, e.column, e.message) for e in rejected.value.errors} == {
        (2, "Đơn vị chủ trì", REFUSAL),
        (3, "Đơn vị phối hợp", REFUSAL),
    }
    assert not Task.objects.exists()
