"""The figures reproduce the seeds, from single dossiers and from aggregate rows alike."""

import datetime

import pytest

from dossiers import metrics, rollups, services
from dossiers.models import Channel, Dossier
from organizations.models import UnitKind, UnitLevel
from tests.dossiers.factories import at, make_dossier
from tests.factories import OrgUnitFactory

D = datetime.date
MARCH = metrics.calendar_period(2026, month=3)


def _bulk_dossiers(procedure, unit, specs):
    """specs: (count, finished_at or None, channel). Built by the service's own derivation."""
    version = procedure.current_version
    rows = []
    for count, finished_at, channel in specs:
        for _ in range(count):
            dossier = Dossier(
                code=f"B{len(rows):06d}",
                procedure=procedure,
                procedure_version=version,
                field_id=procedure.field_id,
                unit=unit,
                level=unit.level,
                channel=channel,
                received_at=at(2026, 3, 2),
                due_at=services.due_moment(version, at(2026, 3, 2)),
                finished_at=finished_at,
                state="finished" if finished_at else "processing",
                fee_required=True,
            )
            services.dossier_derive_dates(dossier)
            rows.append(dossier)
    services.dossiers_upsert(dossiers=rows, source="test")


def test_report_rate_from_single_dossiers_reproduces_99_4(procedure, unit_a):
    # Given 1,000 dossiers received 2/3/2026 (due 5/3): 643 early, 351 on time, 6 late
    _bulk_dossiers(
        procedure,
        unit_a,
        [
            (643, at(2026, 3, 4), Channel.ONLINE),
            (351, at(2026, 3, 5), Channel.IN_PERSON),
            (6, at(2026, 3, 9), Channel.IN_PERSON),
        ],
    )
    rollups.rollup_rebuild()
    # When March is measured
    figures = metrics.dossier_figures_total(MARCH)
    # Then 99,4% = 64,3% + 35,1%
    assert figures.finished == 1000
    assert round(figures.on_time_rate, 1) == 99.4
    assert round(figures.early_share, 1) == 64.3
    assert round(figures.on_time_share, 1) == 35.1
    assert figures.progress_rate == 99.4
    assert figures.progress_score == 19.88
    assert figures.balance_difference == 0


def test_aggregate_rows_give_the_same_figures(unit_a):
    services.aggregate_row_save(
        unit=unit_a,
        period_start=D(2026, 3, 1),
        period_end=D(2026, 3, 31),
        received_online=643,
        received_offline=357,
        finished_early=643,
        finished_on_time=351,
        finished_late=6,
    )
    figures = metrics.dossier_figures_total(MARCH)
    assert (figures.on_time_rate, figures.early_share, figures.on_time_share) == (99.4, 64.3, 35.1)
    assert figures.online_rate == 64.3


def test_online_rate_by_level_reproduces_50_53(province):
    # Given one unit per level with the seed's online shares (seed 001)
    specs = [
        ("T", UnitLevel.PROVINCE, UnitKind.DEPARTMENT, 10000, 4302),
        ("H", UnitLevel.DISTRICT, UnitKind.DISTRICT, 1700, 1007),
        ("X", UnitLevel.COMMUNE, UnitKind.COMMUNE, 9500, 5404),
    ]
    for code, level, kind, received, online in specs:
        unit = OrgUnitFactory(code=code, level=level, kind=kind, parent=province)
        services.aggregate_row_save(
            unit=unit,
            period_start=D(2026, 1, 1),
            period_end=D(2026, 12, 31),
            received_online=online,
            received_offline=received - online,
            finished_on_time=received,
            fee_required=1000,
            paid_online=48 if code == "T" else 0,
        )
    year = metrics.calendar_period(2026)
    # Then the province is at 50,53% and each level at its own share
    assert metrics.dossier_figures_total(year).online_rate == 50.53
    by_level = metrics.dossier_figures(year, group_by="level")
    assert by_level[UnitLevel.PROVINCE].online_rate == 43.02
    assert by_level[UnitLevel.DISTRICT].online_rate == 59.24
    assert by_level[UnitLevel.COMMUNE].online_rate == 56.88
    assert metrics.dossier_figures_total(year, level=UnitLevel.PROVINCE).online_payment_rate == 4.8


def test_carried_over_and_pending_come_from_running_sums(procedure, unit_a, unit_b):
    # Given dossiers received in February: one finished in March late, one still open (due 5/2)
    make_dossier(procedure, unit_a, received_at=at(2026, 2, 2), finished_at=at(2026, 3, 2))
    make_dossier(procedure, unit_a, received_at=at(2026, 2, 2))
    # And in March one open within its deadline at month end (received 30/3, due 2/4)
    make_dossier(procedure, unit_b, received_at=at(2026, 3, 30))
    rollups.rollup_rebuild()
    figures = metrics.dossier_figures_total(MARCH)
    # Then two are carried over, one finished late, one pending overdue, one within
    assert figures.carried_over == 2
    assert figures.received == 3
    assert figures.finished_late == 1
    assert figures.pending_overdue == 1
    assert figures.pending_within == 1
    assert figures.balance_difference == 0
    assert round(figures.progress_rate, 2) == 33.33
    # And by unit
    by_unit = metrics.dossier_figures(MARCH, group_by="unit")
    assert by_unit[unit_a.pk].carried_over == 2
    assert by_unit[unit_b.pk].pending_within == 1


@pytest.mark.parametrize(
    ("month", "start", "end"),
    [(3, D(2026, 2, 15), D(2026, 3, 14)), (1, D(2025, 12, 15), D(2026, 1, 14))],
)
def test_cutoff_convention_months(month, start, end):
    period = metrics.cutoff_period(2026, month=month)
    assert (period.start, period.end) == (start, end)


def test_cutoff_convention_year_and_calendar_quarter():
    year = metrics.cutoff_period(2026)
    assert (year.start, year.end) == (D(2025, 12, 15), D(2026, 12, 14))
    quarter = metrics.calendar_period(2026, quarter=2)
    assert (quarter.start, quarter.end) == (D(2026, 4, 1), D(2026, 6, 30))


def test_a_fine_grouping_regroups_to_the_same_figures(procedure, unit_a, unit_b):
    make_dossier(procedure, unit_a, received_at=at(2026, 3, 2), finished_at=at(2026, 3, 3))
    make_dossier(procedure, unit_b, received_at=at(2026, 3, 9), channel=Channel.ONLINE)
    services.aggregate_row_save(
        unit=unit_b, period_start=D(2026, 3, 1), period_end=D(2026, 3, 31), received_online=5
    )
    rollups.rollup_rebuild()
    fine = metrics.dossier_figures(MARCH, group_by=("unit", "level"))
    assert metrics.regroup(fine, 0) == metrics.dossier_figures(MARCH, group_by="unit")
    assert metrics.regroup(fine, 1) == metrics.dossier_figures(MARCH, group_by="level")
    assert metrics.regroup(fine, None)[None] == metrics.dossier_figures_total(MARCH)
    assert metrics.dossier_figures_total(MARCH).received_online == 6


def test_monthly_trend_gives_rates_per_month(procedure, unit_a):
    make_dossier(procedure, unit_a, received_at=at(2026, 2, 2), finished_at=at(2026, 2, 3))
    make_dossier(procedure, unit_a, received_at=at(2026, 3, 2), channel=Channel.ONLINE)
    make_dossier(procedure, unit_a, received_at=at(2026, 3, 3), finished_at=at(2026, 3, 30))
    rollups.rollup_rebuild()
    trend = metrics.monthly_trend(end=D(2026, 3, 31), months=3)
    assert [point["month"] for point in trend] == ["02/2026", "03/2026"]
    assert trend[0]["on_time_rate"] == 100.0
    assert trend[1]["online_rate"] == 50.0
    assert trend[1]["on_time_rate"] == 0.0


def test_figures_add_up_field_by_field():
    # Given two report lines with a different value in every field
    from dataclasses import asdict, fields

    names = [field.name for field in fields(metrics.DossierFigures)]
    one = metrics.DossierFigures(**{name: i + 1 for i, name in enumerate(names)})
    other = metrics.DossierFigures(**{name: 100 * (i + 1) for i, name in enumerate(names)})
    # when they are added, then each field is the sum of the two (none left out, none swapped)
    assert asdict(one + other) == {name: 101 * (i + 1) for i, name in enumerate(names)}
