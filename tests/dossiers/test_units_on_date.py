"""Dossier figures only for units that existed then: an aggregate line for a period the unit
did not exist in, and a dossier received by a unit on a day it did not exist, are refused by
the service, so the page, the file imports and the API refuse them alike."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.models import JobStatus
from core.roles import Role
from dossiers import services
from dossiers.models import AggregateRow, Dossier
from dossiers.services import AGGREGATE_COLUMNS
from tests.dossiers.factories import at
from tests.factories import OrgUnitFactory, UserFactory

D = datetime.date
LINE_REFUSAL = (
    "Xã Mới chỉ tồn tại từ 01/07/2025; không thể có dòng báo cáo cho kỳ 01/01/2024 – 30/06/2024."
)
DOSSIER_REFUSAL = "Huyện Cũ chỉ tồn tại đến 30/06/2025; không thể tiếp nhận hồ sơ ngày 16/03/2026."


@pytest.fixture
def commune(province):
    return OrgUnitFactory(code="XMOI", name="Xã Mới", kind="commune", level="commune",
                          parent=province, valid_from=D(2025, 7, 1))  # fmt: skip


@pytest.fixture
def district(province):
    return OrgUnitFactory(code="HCU", name="Huyện Cũ", kind="district", level="district",
                          parent=province, valid_to=D(2025, 6, 30))  # fmt: skip


COUNTS = {"received_online": 5, "received_offline": 5, "finished_on_time": 10}


# --- Aggregate lines -------------------------------------------------------------------------


def test_a_line_for_a_period_before_the_commune_existed_is_refused(commune):
    with pytest.raises(ValidationError) as refused:
        services.aggregate_row_save(
            unit=commune, period_start=D(2024, 1, 1), period_end=D(2024, 6, 30), **COUNTS
        )
    assert refused.value.message_dict == {"unit": [LINE_REFUSAL]}
    assert not AggregateRow.objects.exists()


def test_a_line_for_a_period_the_unit_existed_in_part_of_is_kept(commune, district):
    # the half year of the reform: the district to 30/06, the commune from 01/07
    for unit in (commune, district):
        services.aggregate_row_save(
            unit=unit, period_start=D(2025, 1, 1), period_end=D(2025, 12, 31), **COUNTS
        )
    assert AggregateRow.objects.count() == 2


def _line_data(unit, start="01/01/2024", end="30/06/2024"):
    return {"unit": unit.pk, "period_start": start, "period_end": end, "received_online": 5,
            "received_offline": 5, "carried_over": 0, "finished_early": 0,
            "finished_on_time": 10, "finished_late": 0, "pending_within": 0,
            "pending_overdue": 0, "fee_required": 0, "paid_online": 0}  # fmt: skip


def test_the_line_form_shows_the_refusal_beside_the_unit_and_keeps_the_figures(
    client_for, home_affairs, commune, unit_a
):
    response = client_for(home_affairs).post(
        reverse("dossiers:aggregate_row_list"), _line_data(commune)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["unit"] == [LINE_REFUSAL]
    assert form["period_start"].value() == "01/01/2024"
    assert form["finished_on_time"].value() == "10"
    # and, the period now known, the picker offers only the units of 2024
    offered = {int(str(value)) for value, _label in form.fields["unit"].choices if value}
    assert unit_a.pk in offered and commune.pk not in offered
    assert not AggregateRow.objects.exists()


def test_the_line_form_offers_every_unit_before_the_period_is_known_abolished_ones_marked(
    client_for, home_affairs, district
):
    response = client_for(home_affairs).get(reverse("dossiers:aggregate_row_list"))
    assert "Huyện Cũ (đã giải thể 30/06/2025)" in response.content.decode()


def _aggregate_csv(*lines):
    header = ",".join(f'"{spellings[0]}"' for spellings in AGGREGATE_COLUMNS.values())
    return SimpleUploadedFile("lines.csv", "\n".join([header, *lines]).encode())


def test_an_imported_line_for_a_period_before_the_commune_existed_is_a_row_error(
    home_affairs, commune, unit_a
):
    good = "STC,01/01/2024,30/06/2024,,5,5,0,,0,10,0,,0,0,,0,0"
    early = "XMOI,01/01/2024,30/06/2024,,5,5,0,,0,10,0,,0,0,,0,0"
    saved, errors = services.aggregate_rows_import(fileobj=_aggregate_csv(good, early))
    assert saved == []
    assert [(e.row, e.column, e.message) for e in errors] == [(3, "unit", LINE_REFUSAL)]
    assert not AggregateRow.objects.exists()


def test_the_api_refuses_the_line_with_a_400_naming_the_unit(home_affairs, commune):
    client = APIClient()
    client.force_authenticate(home_affairs)
    payload = {"unit": "XMOI", "period_start": "2024-01-01", "period_end": "2024-06-30",
               "received_online": 5, "received_offline": 5, "finished_on_time": 10}  # fmt: skip
    response = client.post("/api/v1/dossier-aggregates/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["unit"] == [LINE_REFUSAL]
    assert not AggregateRow.objects.exists()


# --- Single dossiers -------------------------------------------------------------------------


def test_a_dossier_received_by_a_district_after_it_was_abolished_is_refused(procedure, district):
    with pytest.raises(ValidationError) as refused:
        services.dossier_create(code="HS-1", procedure=procedure, unit=district,
                                channel="online", received_at=at(2026, 3, 16, 9))  # fmt: skip
    assert refused.value.message_dict == {"unit": [DOSSIER_REFUSAL]}
    assert not Dossier.objects.exists()


def test_a_dossier_received_before_the_abolition_is_kept(procedure, district):
    services.dossier_create(code="HS-1", procedure=procedure, unit=district,
                            channel="online", received_at=at(2025, 6, 30, 16))  # fmt: skip
    assert Dossier.objects.count() == 1


def test_an_imported_dossier_of_a_unit_gone_by_its_receipt_is_a_row_error(
    procedure, district, unit_a, home_affairs
):
    header = "Mã hồ sơ,Mã thủ tục,Mã đơn vị tiếp nhận,Hình thức nộp,Ngày tiếp nhận\n"
    lines = "HS1,1.001,STC,Trực tuyến,16/03/2026 09:00\nHS2,1.001,HCU,Trực tuyến,16/03/2026 09:00\n"
    uploaded = SimpleUploadedFile("hs.csv", (header + lines).encode(), "text/csv")
    record = services.dossier_import_start(uploaded=uploaded, user=home_affairs)
    services.dossier_import_run(import_id=record.pk)
    record.refresh_from_db()
    assert record.status == JobStatus.FAILED
    assert record.errors == [
        {"row": 3, "column": "unit", "header": "Mã đơn vị tiếp nhận", "message": DOSSIER_REFUSAL}
    ]
    assert not Dossier.objects.exists()


def test_a_pushed_dossier_of_a_unit_gone_by_its_receipt_is_a_row_error(
    procedure, district, unit_a, home_affairs_unit
):
    user = UserFactory(username="motcua", role=Role.UNIT_STAFF, unit=home_affairs_unit)
    user.user_permissions.add(Permission.objects.get(codename="push_dossiers"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    row = {"procedure": "1.001", "channel": "online", "received_at": "2026-03-16T09:00:00+07:00"}
    batch = {"dossiers": [{**row, "code": "MC-1", "unit": "STC"},
                          {**row, "code": "MC-2", "unit": "HCU"}]}  # fmt: skip
    response = client.post("/api/v1/dossiers/push/", batch, format="json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "error"]
    assert results[1]["errors"] == [{"column": "unit", "message": DOSSIER_REFUSAL}]
    assert list(Dossier.objects.values_list("code", flat=True)) == ["MC-1"]
