"""KPI targets bound to a dossier figure: values computed per unit and period from the rollup."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import workdays
from core.models import JobRun, JobRunOutcome
from core.tabular import ImportFailed
from dossiers import rollups
from dossiers.models import Channel, DossierState
from dossiers.services import aggregate_row_save, dossier_finish
from indicators import selectors
from indicators.jobs import compute_kpi_measurements_task, compute_kpi_task
from indicators.models import KpiMeasurement, KpiTarget
from indicators.services.kpi import (
    kpi_compute_measurements,
    kpi_period_dates,
    kpi_target_create,
    kpis_compute,
    measurement_record,
    measurements_import,
)
from indicators.sources import (
    DOSSIERS_ON_TIME,
    DOSSIERS_ONLINE,
    DOSSIERS_PAID_ONLINE,
    get_kpi_source,
    register_kpi_source,
    unregister_kpi_source,
)
from organizations.models import UnitKind, UnitLevel
from tests.dossiers.factories import at, make_dossier, make_procedure
from tests.factories import OrgUnitFactory

D = datetime.date
AS_OF = D(2026, 11, 21)


@pytest.fixture
def procedure(db):
    workdays.invalidate()
    return make_procedure("1.009", time_limit=3)


@pytest.fixture
def commune(province):
    return OrgUnitFactory(
        code="XA1", name="Xã An Bình", kind=UnitKind.COMMUNE, level=UnitLevel.COMMUNE
    )


@pytest.fixture
def online_kpi(home_affairs):
    """Kế hoạch 5580 style: 90% at province level, 60% at commune level."""
    return kpi_target_create(
        actor=home_affairs,
        name="Tỷ lệ hồ sơ tiếp nhận trực tuyến",
        measure="%",
        year=2026,
        source_directive="5580/KH-UBND",
        source_key=DOSSIERS_ONLINE,
        levels={UnitLevel.PROVINCE: Decimal(90), UnitLevel.COMMUNE: Decimal(60)},
    )


def file(procedure, unit, day: D, *, online: int = 0, in_person: int = 0, **kwargs):
    for _ in range(online):
        make_dossier(
            procedure, unit, received_at=at(day.year, day.month, day.day), channel=Channel.ONLINE
        )
    for _ in range(in_person):
        make_dossier(procedure, unit, received_at=at(day.year, day.month, day.day), **kwargs)


@pytest.fixture
def filed(procedure, unit_a, unit_b, commune):
    """Unit A (province level): Q1 3 of 4 online, Q2 1 of 4, Q3 2 of 2. The commune: Q1 2 of 3.
    Unit B: nothing. A historic district (a level the target has no value for): 5 online."""
    file(procedure, unit_a, D(2026, 2, 2), online=3, in_person=1)
    file(procedure, unit_a, D(2026, 5, 4), online=1, in_person=3)
    file(procedure, unit_a, D(2026, 8, 3), online=2)
    file(procedure, commune, D(2026, 2, 3), online=2, in_person=1)
    district = OrgUnitFactory(
        code="H-CU", name="Huyện cũ", kind=UnitKind.DISTRICT, level=UnitLevel.DISTRICT
    )
    file(procedure, district, D(2026, 2, 3), online=5)
    rollups.rollup_rebuild()


def values(kpi, period=None) -> dict:
    rows = KpiMeasurement.objects.filter(kpi=kpi).select_related("unit")
    if period:
        rows = rows.filter(period=period)
    return {(row.unit.code, row.period): (row.value, row.source, row.note) for row in rows}


def test_periods_run_from_january_to_the_end_of_the_quarter_half_nine_months_or_year():
    assert kpi_period_dates(2026, "q1") == (D(2026, 1, 1), D(2026, 3, 31))
    assert kpi_period_dates(2026, "h1") == (D(2026, 1, 1), D(2026, 6, 30))
    assert kpi_period_dates(2026, "m9") == (D(2026, 1, 1), D(2026, 9, 30))
    assert kpi_period_dates(2024, "year") == (D(2024, 1, 1), D(2024, 12, 31))


def test_the_three_dossier_figures_are_registered_at_start_up():
    assert str(get_kpi_source(DOSSIERS_ONLINE).label) == "Tỷ lệ hồ sơ tiếp nhận trực tuyến"
    assert get_kpi_source(DOSSIERS_ON_TIME) is not None
    assert get_kpi_source(DOSSIERS_PAID_ONLINE) is not None


def test_online_share_equals_the_hand_count_per_unit_and_period(online_kpi, filed):
    # when every period of 2026 is computed as of 21/11/2026
    kpis_compute(as_of=AS_OF)
    # then unit A: Q1 3/4, 6 months 4/8, 9 months and the year so far 6/10; the commune 2/3
    assert values(online_kpi) == {
        ("STC", "q1"): (Decimal("75.00"), "computed", "3/4 hồ sơ tiếp nhận trực tuyến"),
        ("STC", "h1"): (Decimal("50.00"), "computed", "4/8 hồ sơ tiếp nhận trực tuyến"),
        ("STC", "m9"): (Decimal("60.00"), "computed", "6/10 hồ sơ tiếp nhận trực tuyến"),
        ("STC", "year"): (
            Decimal("60.00"),
            "computed",
            "6/10 hồ sơ tiếp nhận trực tuyến, tính đến 21/11/2026",
        ),
        ("XA1", "q1"): (Decimal("66.67"), "computed", "2/3 hồ sơ tiếp nhận trực tuyến"),
        ("XA1", "h1"): (Decimal("66.67"), "computed", "2/3 hồ sơ tiếp nhận trực tuyến"),
        ("XA1", "m9"): (Decimal("66.67"), "computed", "2/3 hồ sơ tiếp nhận trực tuyến"),
        ("XA1", "year"): (
            Decimal("66.67"),
            "computed",
            "2/3 hồ sơ tiếp nhận trực tuyến, tính đến 21/11/2026",
        ),
    }
    # unit B (no dossiers) and the district (no target at its level) get no row, not a 0


def test_a_period_not_over_counts_up_to_the_as_of_day(online_kpi, filed):
    # as of 31/5, the 6 months hold Q1 and May's dossiers; the 9 months the same, said so
    kpi_compute_measurements(kpi=online_kpi, period="m9", as_of=D(2026, 5, 31))
    assert values(online_kpi, "m9")[("STC", "m9")][::2] == (
        Decimal("50.00"),
        "4/8 hồ sơ tiếp nhận trực tuyến, tính đến 31/05/2026",
    )


def test_achievement_follows_the_target_of_the_units_level(online_kpi, filed, home_affairs):
    kpis_compute(as_of=AS_OF)
    board = selectors.kpi_board(home_affairs, year=2026).filter(period="q1")
    # unit A's 75% misses the province's 90%; the commune's 66.67% reaches the commune's 60%
    assert {(m.unit.code, m.target, m.achieved) for m in board} == {
        ("STC", Decimal("90.00"), False),
        ("XA1", Decimal("60.00"), True),
    }


def test_computing_twice_leaves_the_same_rows_and_no_new_history(online_kpi, filed):
    first = kpis_compute(as_of=AS_OF)
    rows = values(online_kpi)
    history = KpiMeasurement.history.count()
    second = kpis_compute(as_of=AS_OF)
    assert (first.written, first.unchanged) == (8, 0)
    assert (second.written, second.unchanged, second.removed) == (0, 8, 0)
    assert values(online_kpi) == rows
    assert KpiMeasurement.history.count() == history


def test_new_dossiers_update_the_value_in_place(online_kpi, filed, procedure, unit_a):
    kpis_compute(as_of=AS_OF)
    file(procedure, unit_a, D(2026, 3, 2), online=4)
    rollups.rollup_incremental()
    result = kpi_compute_measurements(kpi=online_kpi, period="q1", as_of=AS_OF)
    assert (result.written, result.unchanged) == (1, 1)
    assert values(online_kpi, "q1")[("STC", "q1")][::2] == (
        Decimal("87.50"),
        "7/8 hồ sơ tiếp nhận trực tuyến",
    )
    assert KpiMeasurement.objects.filter(kpi=online_kpi, unit=unit_a, period="q1").count() == 1


def test_a_unit_left_with_no_dossiers_loses_its_computed_row(online_kpi, filed, commune):
    kpis_compute(as_of=AS_OF)
    # the commune's three dossiers are withdrawn: they leave the statistics
    for dossier in commune.dossiers.all():
        dossier_finish(dossier=dossier, finished_at=at(2026, 2, 4), state=DossierState.WITHDRAWN)
    rollups.rollup_rebuild()
    result = kpis_compute(as_of=AS_OF)
    assert result.removed == 4
    assert not KpiMeasurement.objects.filter(unit=commune).exists()


def test_a_period_not_begun_is_left_alone(home_affairs, unit_a, filed):
    kpi = kpi_target_create(
        actor=home_affairs,
        name="Năm sau",
        measure="%",
        year=2027,
        source_key=DOSSIERS_ONLINE,
        levels={UnitLevel.PROVINCE: Decimal(90)},
    )
    result = kpi_compute_measurements(kpi=kpi, period="q1", as_of=AS_OF)
    assert result.written == 0 and not kpi.measurements.exists()
    assert kpis_compute(as_of=AS_OF).written == 0  # the nightly run skips next year's targets


def test_on_time_share_counts_early_and_on_time_over_finished(
    home_affairs, procedure, unit_a, unit_b
):
    # received 2/3/2026, due 5/3: one early, one on time, one late, one still open
    for finished in (at(2026, 3, 4), at(2026, 3, 5), at(2026, 3, 9), None):
        make_dossier(procedure, unit_a, received_at=at(2026, 3, 2), finished_at=finished)
    make_dossier(procedure, unit_b, received_at=at(2026, 3, 2))  # received, none finished
    rollups.rollup_rebuild()
    kpi = kpi_target_create(
        actor=home_affairs,
        name="Đúng hạn",
        measure="%",
        year=2026,
        source_key=DOSSIERS_ON_TIME,
        levels={UnitLevel.PROVINCE: Decimal(95)},
    )
    kpi_compute_measurements(kpi=kpi, period="q1", as_of=AS_OF)
    assert values(kpi) == {
        ("STC", "q1"): (
            Decimal("66.67"),
            "computed",
            "2/3 hồ sơ đã giải quyết trước hạn và đúng hạn",
        )
    }


def test_online_payment_share_counts_only_dossiers_with_a_fee(home_affairs, procedure, unit_a):
    for paid in (True, False, False, False):
        make_dossier(
            procedure, unit_a, received_at=at(2026, 4, 6), fee_required=True, paid_online=paid
        )
    make_dossier(procedure, unit_a, received_at=at(2026, 4, 6), fee_required=False)
    rollups.rollup_rebuild()
    kpi = kpi_target_create(
        actor=home_affairs,
        name="Thanh toán trực tuyến",
        measure="%",
        year=2026,
        source_key=DOSSIERS_PAID_ONLINE,
        levels={UnitLevel.PROVINCE: Decimal(20)},
    )
    kpis_compute(kpi_ids=[kpi.pk], as_of=AS_OF)
    assert values(kpi, "h1") == {
        ("STC", "h1"): (
            Decimal("25.00"),
            "computed",
            "1/4 hồ sơ có phí, lệ phí thanh toán trực tuyến",
        )
    }
    assert ("STC", "q1") not in values(kpi)  # no fee-bearing dossier in the first quarter


def test_a_unit_reporting_aggregate_figures_only_is_measured_too(online_kpi, unit_b):
    aggregate_row_save(
        unit=unit_b,
        period_start=D(2026, 1, 1),
        period_end=D(2026, 3, 31),
        received_online=1234,
        received_offline=266,
    )
    kpi_compute_measurements(kpi=online_kpi, period="q1", as_of=AS_OF)
    assert values(online_kpi) == {
        ("STP", "q1"): (Decimal("82.27"), "computed", "1.234/1.500 hồ sơ tiếp nhận trực tuyến")
    }


@pytest.fixture
def fake_source():
    """A KPI source whose shares the test sets: fake_source[unit id] = (part, whole)."""
    shares: dict[int, tuple[int, int]] = {}
    register_kpi_source(
        "test_share",
        "Tỷ lệ thử nghiệm",
        "%(part)s/%(whole)s hồ sơ thử",
        lambda unit_ids, start, end: {k: v for k, v in shares.items() if k in set(unit_ids)},
    )
    yield shares
    unregister_kpi_source("test_share")


def test_a_registered_source_feeds_the_units_at_the_targets_levels_only(
    fake_source, home_affairs, unit_a, unit_b, commune
):
    kpi = kpi_target_create(
        actor=home_affairs,
        name="Thử",
        measure="%",
        year=2026,
        source_key="test_share",
        levels={UnitLevel.PROVINCE: Decimal(50)},
    )
    fake_source.update({unit_a.pk: (1, 3), unit_b.pk: (0, 0), commune.pk: (1, 1)})
    kpi_compute_measurements(kpi=kpi, period="year", as_of=D(2027, 1, 5))
    # a whole of 0 is nothing to measure; the commune is at a level the target has no value for
    assert values(kpi) == {("STC", "year"): (Decimal("33.33"), "computed", "1/3 hồ sơ thử")}


# --- Entered values and computed targets ----------------------------------------------------


def test_a_computed_target_takes_no_entered_or_imported_value(online_kpi, home_affairs, unit_a):
    with pytest.raises(ValidationError, match="được tính từ dữ liệu hồ sơ"):
        measurement_record(actor=home_affairs, kpi=online_kpi, unit=unit_a, value=Decimal(99))
    upload = SimpleUploadedFile("kq.csv", "Mã đơn vị,Kỳ,Giá trị,Ghi chú\nSTC,Năm,99,\n".encode())
    with pytest.raises(ImportFailed) as failure:
        measurements_import(actor=home_affairs, kpi=online_kpi, fileobj=upload)
    assert "được tính từ dữ liệu hồ sơ" in failure.value.errors[0].message
    assert not KpiMeasurement.objects.exists()


def test_an_entered_value_is_never_overwritten_by_the_computation(home_affairs, unit_a, filed):
    # given a target whose values were entered, bound to the dossier figure afterwards
    kpi = kpi_target_create(
        actor=home_affairs,
        name="Trực tuyến",
        measure="%",
        year=2026,
        levels={UnitLevel.PROVINCE: Decimal(90), UnitLevel.COMMUNE: Decimal(60)},
    )
    measurement_record(
        actor=home_affairs, kpi=kpi, unit=unit_a, period="q1", value=Decimal(95), note="Báo cáo"
    )
    KpiTarget.objects.filter(pk=kpi.pk).update(source_key=DOSSIERS_ONLINE)
    # when it is computed
    result = kpi_compute_measurements(kpi=kpi, period="q1", as_of=AS_OF)
    # then the entered row is kept as it was, and counted; the commune gets its computed row
    assert result.kept == 1 and result.written == 1
    assert values(kpi, "q1") == {
        ("STC", "q1"): (Decimal("95.00"), "entered", "Báo cáo"),
        ("XA1", "q1"): (Decimal("66.67"), "computed", "2/3 hồ sơ tiếp nhận trực tuyến"),
    }


def test_binding_checks_the_source_and_the_measure(home_affairs):
    with pytest.raises(ValidationError, match="chưa có trên cổng"):
        kpi_target_create(
            actor=home_affairs, name="X", measure="%", year=2026, source_key="no_such_source"
        )
    with pytest.raises(ValidationError, match="đơn vị đo phải là %"):
        kpi_target_create(
            actor=home_affairs, name="X", measure="ngày", year=2026, source_key=DOSSIERS_ONLINE
        )
    assert not KpiTarget.objects.exists()


# --- The jobs -------------------------------------------------------------------------------


def test_the_nightly_job_runs_tracked_once_a_day(online_kpi, filed):
    first = compute_kpi_measurements_task.delay(day="2026-11-21").get()
    second = compute_kpi_measurements_task.delay(day="2026-11-21").get()
    assert (first, second) == ("succeeded: 8", "skipped: 0")
    run = JobRun.objects.get(run_key="compute-kpi-measurements:2026-11-21")
    assert (run.outcome, run.rows) == (JobRunOutcome.SUCCEEDED, 8)
    assert KpiMeasurement.objects.filter(source="computed").count() == 8


def test_the_on_demand_job_runs_every_time_and_changes_nothing_twice(online_kpi, filed):
    first = compute_kpi_task.delay(online_kpi.pk).get()
    second = compute_kpi_task.delay(online_kpi.pk).get()
    assert (first, second) == ("succeeded: 8", "succeeded: 0")
    assert JobRun.objects.filter(job="compute-kpi-measurements-one").count() == 2


def test_the_nightly_job_is_in_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["compute-kpi-measurements"]
    assert entry["task"] == "indicators.jobs.compute_kpi_measurements_task"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {40})


# --- Pages and API --------------------------------------------------------------------------


def test_home_affairs_recomputes_a_target_from_the_board(
    client_for, home_affairs, online_kpi, filed, django_capture_on_commit_callbacks
):
    client = client_for(home_affairs)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("indicators:kpi_compute", args=[online_kpi.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:kpi_board") + "?year=2026"
    assert KpiMeasurement.objects.filter(kpi=online_kpi, source="computed").count() == 8
    page = client.get(response["Location"]).content.decode()
    assert "Tính lại từ dữ liệu hồ sơ" in page
    assert "3/4 hồ sơ tiếp nhận trực tuyến" in page


@pytest.mark.parametrize("persona", ["leader", "head_a", "staff_a"])
def test_only_home_affairs_may_press_recompute(request, client_for, online_kpi, persona):
    user = request.getfixturevalue(persona)
    response = client_for(user).post(reverse("indicators:kpi_compute", args=[online_kpi.pk]))
    assert response.status_code == 403
    assert not KpiMeasurement.objects.exists()


def test_recompute_of_a_target_with_entered_values_says_so(client_for, home_affairs):
    kpi = kpi_target_create(actor=home_affairs, name="Văn bản điện tử", measure="%", year=2026)
    response = client_for(home_affairs).post(
        reverse("indicators:kpi_compute", args=[kpi.pk]), follow=True
    )
    assert "Chỉ tiêu này không tính từ số liệu của cổng." in response.content.decode()


def test_the_board_marks_computed_values_and_offers_no_entry_for_them(
    client_for, home_affairs, online_kpi, filed
):
    manual = kpi_target_create(actor=home_affairs, name="Văn bản điện tử", measure="%", year=2026)
    kpis_compute(as_of=AS_OF)
    response = client_for(home_affairs).get(reverse("indicators:kpi_board"), {"year": 2026})
    assert list(response.context["form"].fields["kpi"].queryset) == [manual]
    assert list(response.context["import_form"].fields["kpi"].queryset) == [manual]
    content = response.content.decode()
    assert '<span class="badge text-bg-info">Tính tự động</span>' in content
    assert "Tỷ lệ hồ sơ tiếp nhận trực tuyến" in content


def test_a_unit_sees_its_computed_values_without_the_button(client_for, head_a, online_kpi, filed):
    kpis_compute(as_of=AS_OF)
    response = client_for(head_a).get(reverse("indicators:kpi_board"))
    assert {(m.unit.code, m.source) for m in response.context["measurements"]} == {
        ("STC", "computed")
    }
    assert "Tính lại từ dữ liệu hồ sơ" not in response.content.decode()


def test_home_affairs_creates_a_target_bound_to_a_dossier_figure(client_for, home_affairs):
    client_for(home_affairs).post(
        reverse("indicators:kpi_target_add"),
        {
            "name": "Tỷ lệ thanh toán trực tuyến",
            "measure": "%",
            "direction": "higher",
            "year": "2026",
            "source_key": DOSSIERS_PAID_ONLINE,
            "province": "30",
        },
    )
    assert KpiTarget.objects.get().source_key == DOSSIERS_PAID_ONLINE


def test_the_api_gives_the_source_key_of_each_target(client_for, head_a, online_kpi):
    rows = client_for(head_a).get(reverse("kpi-target-list")).json()["results"]
    assert [row["source_key"] for row in rows] == [DOSSIERS_ONLINE]


def test_recomputing_a_target_now_says_whether_it_was_started(
    broker_down, client_for, home_affairs, online_kpi
):
    url = reverse("indicators:kpi_compute", args=[online_kpi.pk])
    # with the broker down the person is told it did not start and when it will be done
    page = client_for(home_affairs).post(url, follow=True).content.decode()
    assert "Hàng đợi xử lý nền tạm thời không kết nối được nên chưa bắt đầu tính lại" in page
    assert "Đang tính lại giá trị" not in page


def test_recomputing_a_target_now_is_started_at_once(client_for, home_affairs, online_kpi):
    url = reverse("indicators:kpi_compute", args=[online_kpi.pk])
    page = client_for(home_affairs).post(url, follow=True).content.decode()
    assert "Đang tính lại giá trị của “Tỷ lệ hồ sơ tiếp nhận trực tuyến”" in page
