"""In headless Chromium: a unit head reports an overdue assignment done with an evidence file,
Home Affairs confirms it, and its status reads "done late"."""

from __future__ import annotations

import datetime
import os
import shutil

import pytest
from django.utils import timezone

from core.roles import Role
from tasks import services
from tests.factories import OrgUnitFactory, UserFactory
from tests.tasks.factories import DirectiveFactory

PASSWORD = "pw-for-tests-1"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(monkeypatch):
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no chromium is installed")
        pytest.skip("chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def _login(browser, base_url: str, username: str):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(f"{base_url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def test_head_reports_overdue_assignment_done_and_home_affairs_confirms_it(
    live_server, browser, tmp_path
):
    # given an assignment of unit A whose deadline passed ten days ago
    province = OrgUnitFactory(code="UBND", name="Ủy ban nhân dân tỉnh", kind="provincial_committee")
    unit = OrgUnitFactory(code="STC", name="Sở Tài chính", parent=province)
    hna = OrgUnitFactory(code="SNV", name="Sở Nội vụ", parent=province)
    UserFactory(username="truong", role=Role.UNIT_HEAD, unit=unit)
    UserFactory(username="noivu", role=Role.HOME_AFFAIRS, unit=hna)
    directive = DirectiveFactory(number="15/KH-UBND", issue_date=datetime.date(2026, 1, 15))
    task = services.task_create(
        directive=directive,
        item_number="1",
        title="Báo cáo rà soát thủ tục hành chính",
        lead_unit=unit,
        deadline=timezone.localdate() - datetime.timedelta(days=10),
        expected_output="Báo cáo",
    )
    assignment = task.assignments.get()
    evidence = tmp_path / "bao-cao.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% evidence\n%%EOF\n")

    # when the unit head opens it from the inbox and reports it done with the file
    page = _login(browser, live_server.url, "truong")
    assert "Nhiệm vụ của đơn vị" in page.content()
    page.click(f"a[href='/nhiem-vu/{assignment.pk}/']")
    assert "quá hạn" in page.inner_text("#assignment-status")
    page.fill("#id_percent", "100")
    page.fill("#id_text", "Đã hoàn thành báo cáo rà soát")
    page.check("#id_reports_done")
    page.set_input_files("#id_evidence", str(evidence))
    page.click("button[name=submit]")
    page.wait_for_load_state()
    assert "Chờ xác nhận" in page.inner_text("#assignment-status")

    # and Home Affairs confirms it from its review queue
    page = _login(browser, live_server.url, "noivu")
    assert "Báo cáo rà soát thủ tục hành chính" in page.content()
    page.goto(f"{live_server.url}/nhiem-vu/{assignment.pk}/")
    page.click("#confirm-button")
    page.wait_for_load_state()

    # then the status reads done late
    assert page.inner_text("#assignment-status").strip() == "Hoàn thành quá hạn"
