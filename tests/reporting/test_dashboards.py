"""The leadership and unit dashboards: figures equal counts made independently from the same
fixtures, query counts do not grow with the data, and each role sees its own scope."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.dashboards.forms import DashboardFilterForm
from reporting.dashboards.panels import DashboardContext, DossierPanel, TilesPanel
from reporting.dashboards.periods import report_period
from tests.reporting.factories import build_plan

URL = reverse("reporting:leadership_dashboard")


def _rate(done: int, total: int) -> Decimal:
    return (Decimal(100) * done / total).quantize(Decimal("0.1"))


def _tile(html: str, key: str) -> str:
    match = re.search(rf'id="tile-{key}".*?<a [^>]*>([^<]+)</a>', html, re.S)
    assert match, key
    return match.group(1).strip()


def _text(html: str, element_id: str) -> str:
    """The visible text of the element with that id (its links' texts included)."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:div|span)>\s*</', html, re.S)
    assert match, element_id
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


def _ctx(user, **values):
    form = DashboardFilterForm(values)
    return DashboardContext(user, form.values, form.report_period(), form.cache_token())


OUTCOMES_A = ["done_on_time", "done_on_time", "done_on_time", "done_late", "overdue", "overdue"]
OUTCOMES_B = ["done_on_time", "overdue", "overdue", "overdue", "in_progress", "cancelled"]


@pytest.fixture
def plan(unit_a, unit_b):
    return build_plan({unit_a: OUTCOMES_A, unit_b: OUTCOMES_B})


def test_leader_start_page_is_the_leadership_dashboard(client, leader):
    client.force_login(leader)
    assert client.get(reverse("home"))["Location"] == URL


def test_demo_plan_reads_29_of_42_and_69_percent(client, leader, demo_plan):
    # given the demo plan of this year (40 tasks, 28 done, and two cooperating shares, one done)
    client.force_login(leader)
    html = client.get(URL).content.decode()
    # when the leader opens the dashboard, then the completion tile reads 29/42, 69%
    assert _text(html, "tile-ratio").startswith("29/42 ")
    assert _text(html, "tile-rate-value") == "69%"
    assert _tile(html, "total") == "42"
    assert _tile(html, "done") == "29"
    assert _tile(html, "done_on_time") == "22"
    assert _tile(html, "overdue") == "4"


def test_tiles_equal_counts_made_from_the_fixtures(leader, plan):
    # given the plan: expected figures counted from the outcomes we staged
    outcomes = OUTCOMES_A + OUTCOMES_B
    total = sum(1 for o in outcomes if o != "cancelled")
    done = sum(1 for o in outcomes if o.startswith("done"))
    # when the tiles panel computes its figures
    data = TilesPanel(_ctx(leader)).compute()
    values = {tile["key"]: tile["figure"].rows for tile in data["tiles"]}
    # then they match
    assert values == {
        "total": total,
        "done": done,
        "done_on_time": outcomes.count("done_on_time"),
        "overdue": outcomes.count("overdue"),
    }
    assert data["rate"].rate == _rate(done, total)
    assert (data["rate"].rows, data["rate"].denominator) == (done, total)
    assert data["tiles"][0]["previous"].rows == 0  # nothing was planned last year


def test_units_are_ranked_by_completion_with_bands_and_links(client, leader, plan, unit_a, unit_b):
    client.force_login(leader)
    html = client.get(URL).content.decode()
    table = html[html.index('id="by-unit-table"') :]
    # unit A: 4 of 6 done (66.7%, weak band); unit B: 1 of 5 (20%, poor band), A first
    assert table.index(unit_a.name) < table.index(unit_b.name)
    visible = re.sub(r"<[^>]+>", "", table)
    assert "4/6" in visible and "1/5" in visible
    assert "band-weak" in table and "band-poor" in table
    link = re.search(rf'href="([^"]*unit={unit_a.pk}[^"]*)" class="unit-link"', table)
    assert link
    # and the link opens the list of exactly those rows
    listed = client.get(link.group(1).replace("&amp;", "&"))
    assert listed.status_code == 200
    assert len(listed.context["page"].object_list) == 6


def test_overdue_drill_down_lists_the_overdue_rows(client, leader, plan):
    client.force_login(leader)
    data = TilesPanel(_ctx(leader)).compute()
    overdue = next(tile for tile in data["tiles"] if tile["key"] == "overdue")
    listed = client.get(overdue["figure"].url)
    assert {a.status for a in listed.context["page"].object_list} == {"overdue"}
    assert len(listed.context["page"].object_list) == overdue["figure"].rows == 5


def test_a_quarter_counts_the_work_due_in_it(leader, unit_a):
    # given one task due in this quarter and one due in another quarter of the year
    today = timezone.localdate()
    build_plan({unit_a: ["overdue"]})
    quarter = (today.month - 1) // 3 + 1
    other = 1 if quarter != 1 else 2
    period = report_period(today.year, f"q{other}")
    from tasks.models import Assignment

    Assignment.objects.filter(unit=unit_a).update(deadline=period.start)
    build_plan({unit_a: ["in_progress"]})
    # when the dashboard shows the other quarter, then the year
    in_other = TilesPanel(_ctx(leader, period=f"q{other}")).compute()["tiles"][0]["figure"].rows
    in_year = TilesPanel(_ctx(leader)).compute()["tiles"][0]["figure"].rows
    # then the quarter holds only the task due in it
    assert (in_other, in_year) == (1, 2)


def test_filters_narrow_by_unit_kind_and_directive(leader, plan, unit_a, province):
    from organizations.models import UnitKind
    from tests.factories import OrgUnitFactory

    commune = OrgUnitFactory(code="X-1", name="Xã Một", kind=UnitKind.COMMUNE, parent=province)
    build_plan({commune: ["done_on_time"]})
    only_communes = TilesPanel(_ctx(leader, unit_kind=UnitKind.COMMUNE)).compute()
    assert only_communes["tiles"][0]["figure"].rows == 1
    assert only_communes["rate"].rate == Decimal("100.0")


def test_cutoff_periods_follow_the_setting(settings):
    settings.DOSSIER_REPORT_CUTOFF_DAY = 15
    period = report_period(2026, "q1", "cutoff")
    assert (period.start, period.end) == (datetime.date(2025, 12, 15), datetime.date(2026, 3, 14))
    assert report_period(2026, "q1").previous() == report_period(2025, "q4")
    assert report_period(2026, "h1").previous().year == 2025


def test_dossier_panel_equals_counts_from_the_dossiers(leader, unit_a):
    from dossiers import rollups
    from dossiers.models import Channel
    from tests.dossiers.factories import at, make_dossier, make_procedure

    # given four dossiers received this year at unit A, one online, two finished
    today = timezone.localdate()
    procedure = make_procedure(time_limit=3)
    received = at(today.year, 1, 5) if today >= datetime.date(today.year, 1, 20) else None
    if received is None:
        pytest.skip("needs a few working days of this year behind us")
    dossiers = [
        make_dossier(procedure, unit_a, received_at=received, channel=Channel.ONLINE),
        make_dossier(procedure, unit_a, received_at=received),
        make_dossier(procedure, unit_a, received_at=received),
        make_dossier(procedure, unit_a, received_at=received),
    ]
    from dossiers import services as dossier_services

    dossier_services.dossier_finish(dossier=dossiers[0], finished_at=received)
    rollups.rollup_rebuild()
    # when the panel computes the year's figures
    data = DossierPanel(_ctx(leader)).compute()
    # then they equal the counts made by hand
    figures = data["figures"]
    assert figures["received_new"].rows == 4
    assert figures["online_rate"].rate == 25.0
    assert figures["finished"].rows == 1
    assert figures["on_time_rate"].rate == 100.0
    assert figures["pending_overdue"].rows == 3
    assert data["late"].rows == 3


# session, user; the dossier rollup's watermark and the analytics tables' state (kept days,
# version and oldest change waiting: two queries, read once for every panel) and the
# indicators' data version (with them, the rendered panels' cache key); by unit (one
# grouped query, names included: this period's tiles and the overdue count are its sums); the
# previous period's tiles (the previous year has no plan here, so derived live); trend; by
# directive (the status rows), by area (one grouped query each); overdue: its rows; dossiers:
# half-month rollup ready? (asked once), rollup and aggregate rows by level,
# late-without-apology count; PAR: framework (departments, then any), index
# trend; the periodic reports' latest round with its reporting rate; the menu's unit; the
# form's area and directive choices; session save.
PAGE_QUERIES = 26


@pytest.mark.parametrize("scale", [1, 10])
def test_page_queries_do_not_grow_with_the_data(
    client, leader, unit_a, unit_b, province, django_assert_num_queries, scale
):
    # given a plan and ten times the plan (more units, tasks and dossiers)
    from organizations.models import UnitKind
    from tests.factories import OrgUnitFactory

    units = [unit_a, unit_b] + [
        OrgUnitFactory(code=f"X-{n}", name=f"Xã {n}", kind=UnitKind.COMMUNE, parent=province)
        for n in range(2 * (scale - 1))
    ]
    build_plan(dict.fromkeys(units, OUTCOMES_A))
    from reporting.analytics import status

    status.rebuild()  # the figures come from the analytics tables, as in production
    client.force_login(leader)
    client.get(URL)  # warm up the session row
    from django.core.cache import cache

    cache.clear()
    # then the page always takes the same number of queries
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200


def test_rendered_panels_are_kept_until_the_analytics_tables_change(
    client, leader, unit_a, settings
):
    from reporting.analytics import status
    from tests.reporting.factories import build_plan

    settings.DASHBOARD_CACHE_SECONDS = 120
    build_plan({unit_a: ["done_on_time", "overdue"]})
    client.force_login(leader)
    assert _tile(client.get(URL).content.decode(), "total") == "2"
    # when a task is added around the services (nothing refreshed), the page served from the
    # cache still shows the figures it had
    build_plan({unit_a: ["overdue"]})
    assert _tile(client.get(URL).content.decode(), "total") == "2"
    # then, once the tables are brought up to date, the page shows the new figure at once
    status.rebuild()
    assert _tile(client.get(URL).content.decode(), "total") == "3"
