"""The leadership dashboard's floor (benchmarks/leadership_floor.py) computes the page's own
figures: on a tiny generated province, each hand-written statement returns what its panel shows.
A floor that counted something else would make the bench's "x floor" column meaningless."""

import pytest
from django.db import connection
from django.utils import timezone

from benchmarks import generate as bench
from benchmarks.leadership_floor import floor_queries
from core import workdays
from core.roles import Role
from organizations.models import User
from reporting.dashboards import panels
from reporting.dashboards.forms import DashboardFilterForm

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the floor is PostgreSQL SQL (LATERAL, FILTER)"
)


def _run(statements):
    results = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return results


@pytest.mark.django_db
def test_each_floor_statement_returns_its_panels_figures(settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    workdays.invalidate()
    today = timezone.localdate()
    bench.generate(scale=0.0004, end=today)
    leader = User.objects.filter(role=Role.LEADER).order_by("pk").first()
    form = DashboardFilterForm({})
    period = form.report_period()
    ctx = panels.DashboardContext(
        user=leader, values=form.values, period=period, filter_token=form.cache_token()
    )
    (
        tiles_now,
        tiles_before,
        by_unit,
        by_directive,
        by_area,
        overdue,
        trend,
        dossier_total,
        _dossier_by_level,
        aggregate_rows,
        late_without_apology,
        ranking,
        par_trend,
    ) = _run(
        floor_queries(
            year=period.year,
            as_of=period.as_of,
            previous_as_of=period.previous().as_of,
            today=today,
        )
    )

    tiles = panels.TilesPanel(ctx).compute()
    shown = {tile["key"]: (tile["figure"].rows, tile["previous"].rows) for tile in tiles["tiles"]}
    names = ("total", "done", "done_on_time", "done_late", "in_progress", "overdue")
    now, before = (
        dict(zip(names, tiles_now[0], strict=True)),
        dict(zip(names, tiles_before[0], strict=True)),
    )
    assert shown == {key: (now[key], before[key]) for key in shown}
    assert now["total"] > 0 and now["done"] > 0  # the tiny province has a plan this year

    for panel, rows in (
        (panels.ByUnitPanel, by_unit),
        (panels.ByDirectivePanel, by_directive),
        (panels.ByAreaPanel, by_area),
    ):
        width = len(panel.columns)
        expected = [(row[0], row[width], row[width + 1], row[width + 5]) for row in rows]
        computed = panel(ctx).compute()["rows"]
        assert [
            (r["key"], r["total"].rows, r["done"].rows, r["overdue"].rows) for r in computed
        ] == expected

    assert by_unit and by_directive and by_area and overdue and ranking and par_trend is not None
    listed = panels.OverduePanel(ctx).compute()["rows"]
    assert [(row["title"], row["deadline"]) for row in listed] == [
        (row[1], row[5]) for row in overdue
    ]
    points = panels.TrendPanel(ctx).compute()["points"]
    assert [point["day"] for point in points] == [row[0] for row in reversed(trend)]

    dossiers = panels.DossierPanel(ctx).compute()
    sums = [value or 0 for value in dossier_total[0]]
    assert not aggregate_rows  # the generator writes single dossiers only
    figures = dossiers["figures"]
    assert figures["received_new"].rows == sums[2] + sums[3] > 0
    assert figures["finished"].rows == sums[4] + sums[5] + sums[6]
    assert figures["pending_overdue"].rows == sums[11] - sums[12]
    assert dossiers["late"].rows == late_without_apology[0][0]

    par = panels.ParPanel(ctx).compute()
    assert [(row["rank"], row["unit"]) for row in par["rows"]] == [
        (row[3], row[1]) for row in ranking
    ]
    assert [(p["year"], p["value"]) for p in par["trend"]] == [(r[0], r[1]) for r in par_trend]
