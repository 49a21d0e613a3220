"""In headless Chromium, on the demo province (tests/demo/conftest.py; read only, so it runs
before the journeys that write): the leader logs in to the leadership dashboard, which reads
this year's demo plan (29/42, 69%); switching to a quarter changes the figures through htmx; a
unit in the ranking opens its filtered task list; the page logs no console error. Screenshots
go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tests.e2e.conftest import login

pytestmark = pytest.mark.browser
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def test_leader_reads_the_demo_plan_switches_to_a_quarter_and_drills_into_a_unit(
    demo_live_server, browser
):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    page = login(browser, demo_live_server.url, "lanhdao", settings.DEMO_PASSWORD)
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(f"{page.url} {msg.text} {msg.location}")
            if msg.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.reload()
    page.wait_for_load_state("networkidle")

    # the leader's start page is the dashboard, reading the demo plan
    assert page.url.endswith("/bao-cao/dieu-hanh/")
    assert page.inner_text("#tile-ratio").strip().startswith("29/42 ")
    assert page.inner_text("#tile-rate-value").strip() == "69%"
    assert page.locator("canvas[data-chart=trend]").count() == 1
    page.screenshot(path=str(ARTIFACTS / "dashboard-year.png"), full_page=True)

    # switching to this quarter re-renders the panels with other figures
    quarter = (timezone.localdate().month - 1) // 3 + 1
    with page.expect_response(lambda response: "period=q" in response.url):
        page.select_option("#id_period", f"q{quarter}")
    expect(page.locator("#tile-ratio")).not_to_contain_text("29/42 ")
    assert not page.inner_text("#tile-ratio").strip().startswith("29/42 ")
    assert f"period=q{quarter}" in page.url
    page.screenshot(path=str(ARTIFACTS / "dashboard-quarter.png"), full_page=True)

    # back to the year, a unit in the ranking opens its filtered list of the same size
    page.select_option("#id_period", "year")
    expect(page.locator("#tile-ratio")).to_contain_text("29/42 ")
    first = page.locator("#by-unit-table tbody tr").first
    # "done/total": two links, the second the unit's total
    total = int(first.locator("td.text-end").first.locator("a").nth(1).inner_text())
    first.locator("a.unit-link").click()
    page.wait_for_load_state()
    assert "/nhiem-vu/tat-ca/" in page.url and "unit=" in page.url
    rows = page.locator("table tbody tr")
    assert rows.count() == total
    units = {rows.nth(i).locator("td").nth(3).inner_text() for i in range(rows.count())}
    assert len(units) == 1  # every row is the clicked unit's
    page.screenshot(path=str(ARTIFACTS / "dashboard-unit-list.png"), full_page=True)

    assert problems == []
