from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from core.tabular import ImportFailed
from indicators.models import IndexKind, KpiMeasurement, ProvincialIndex
from indicators.selectors import measurements_with_achievement
from indicators.services.indices import index_record, indices_import
from indicators.services.kpi import (
    kpi_target_create,
    measurement_record,
    measurements_import,
)
from organizations.models import UnitKind, UnitLevel
from tests.factories import OrgUnitFactory


def _csv(text: str) -> BytesIO:
    return BytesIO(text.encode("utf-8"))


@pytest.fixture
def edoc_kpi(home_affairs):
    return kpi_target_create(
        actor=home_affairs,
        name="Tỷ lệ văn bản điện tử",
        measure="%",
        year=2025,
        source_directive="5580/KH-UBND",
        levels={"province": Decimal(90), "district": Decimal(80), "commune": Decimal(60)},
    )


def test_kpi_achievement_depends_on_the_units_level(edoc_kpi, home_affairs, unit_a, province):
    # given a department at 85% and a commune at 65%
    commune = OrgUnitFactory(
        code="X-A", name="Xã A", kind=UnitKind.COMMUNE, level=UnitLevel.COMMUNE, parent=province
    )
    measurement_record(actor=home_affairs, kpi=edoc_kpi, unit=unit_a, value=Decimal(85))
    measurement_record(actor=home_affairs, kpi=edoc_kpi, unit=commune, value=Decimal(65))
    # when
    rows = {m.unit.code: m for m in measurements_with_achievement(KpiMeasurement.objects.all())}
    # then the department misses 90% while the commune passes 60%
    assert (rows["STC"].target, rows["STC"].achieved) == (Decimal(90), False)
    assert (rows["X-A"].target, rows["X-A"].achieved) == (Decimal(60), True)


def test_lower_is_better_kpi(home_affairs, unit_a):
    kpi = kpi_target_create(
        actor=home_affairs,
        name="Tỷ lệ hồ sơ trễ hạn",
        measure="%",
        year=2025,
        direction="lower",
        levels={"province": Decimal(2)},
    )
    measurement_record(actor=home_affairs, kpi=kpi, unit=unit_a, value=Decimal("1.5"))
    assert measurements_with_achievement(KpiMeasurement.objects.all()).get().achieved is True


def test_unit_enters_its_own_value_only(edoc_kpi, head_a, unit_a, unit_b, leader):
    measurement_record(actor=head_a, kpi=edoc_kpi, unit=unit_a, value=Decimal(91))
    with pytest.raises(PermissionDenied):
        measurement_record(actor=head_a, kpi=edoc_kpi, unit=unit_b, value=Decimal(91))
    with pytest.raises(PermissionDenied):
        measurement_record(actor=leader, kpi=edoc_kpi, unit=unit_a, value=Decimal(91))


def test_measurement_import_lists_row_errors_then_imports(edoc_kpi, home_affairs, unit_a):
    bad = _csv("Mã đơn vị,Kỳ,Giá trị,Ghi chú\nSTC,Năm,92\nKHONGCO,Năm,50\nSTC,Tuần,abc\n")
    with pytest.raises(ImportFailed) as failure:
        measurements_import(actor=home_affairs, kpi=edoc_kpi, fileobj=bad)
    assert [(e.row, e.column) for e in failure.value.errors] == [
        (3, "Mã đơn vị"),
        (4, "Kỳ"),
        (4, "Giá trị"),
    ]
    assert not KpiMeasurement.objects.exists()
    good = _csv('Mã đơn vị,Kỳ,Giá trị,Ghi chú\nSTC,6 tháng,"88,5",\n')
    assert measurements_import(actor=home_affairs, kpi=edoc_kpi, fileobj=good) == 1
    row = KpiMeasurement.objects.get()
    assert (row.period, row.value, row.source) == ("h1", Decimal("88.5"), "imported")


def test_index_rank_out_of_follows_the_2025_merger(home_affairs):
    before = index_record(actor=home_affairs, kind=IndexKind.PAR, year=2024, value=90, rank=12)
    after = index_record(actor=home_affairs, kind=IndexKind.PAR, year=2025, value=91, rank=5)
    assert (before.rank_out_of, after.rank_out_of) == (63, 34)
    papi = index_record(actor=home_affairs, kind=IndexKind.PAPI, year=2023, value=Decimal("46.04"))
    assert papi.scale == Decimal(80)


def test_index_import_from_xlsx(home_affairs):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Chỉ số",
            "Năm",
            "Giá trị",
            "Thang điểm",
            "Xếp hạng",
            "Trên tổng số",
            "Đối tượng",
            "Ghi chú",
        ]
    )
    sheet.append(["PAR INDEX", 2024, 88.37, None, None, None, "Trung bình cả nước", None])
    sheet.append(["SIPAS", 2024, "83,94", None, None, None, "Trung bình cả nước", None])
    sheet.append(["PAPI", 2023, 46.04, 80, 1, None, "Thừa Thiên Huế", None])
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    assert indices_import(actor=home_affairs, fileobj=buffer) == 3
    par = ProvincialIndex.objects.get(kind="par", year=2024)
    assert par.value == Decimal("88.37") and par.subject == "Trung bình cả nước"
    # a second import of the same rows updates, not duplicates
    buffer.seek(0)
    indices_import(actor=home_affairs, fileobj=buffer)
    assert ProvincialIndex.objects.count() == 3


def test_index_import_reports_every_bad_row(home_affairs):
    upload = _csv(
        "Chỉ số,Năm,Giá trị,Thang điểm,Xếp hạng,Trên tổng số,Đối tượng,Ghi chú\n"
        "XYZ,2024,50,,,,,\n"
        "PAR,2024,120,,,,,\n"
        "PAR,2025,90,,40,,,\n"
    )
    with pytest.raises(ImportFailed) as failure:
        indices_import(actor=home_affairs, fileobj=upload)
    assert [(e.row, e.column) for e in failure.value.errors] == [
        (2, "Chỉ số"),
        (3, "Giá trị"),
        (4, "Xếp hạng"),
    ]
    assert not ProvincialIndex.objects.exists()
