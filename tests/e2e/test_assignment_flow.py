"""In headless Chromium: a unit head reports an overdue assignment done with an evidence file,
Home Affairs confirms it, and its status reads "done late"."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.roles import Role
from tasks import services
from tests.e2e.conftest import login
from tests.factories import OrgUnitFactory, UserFactory
from tests.tasks.factories import DirectiveFactory

pytestmark = pytest.mark.browser


def _login(browser, base_url: str, username: str):
    return login(browser, base_url, username)


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
    # the file field speaks Vietnamese whatever the browser's language (static/js/files.js)
    picker = page.locator(".file-picker", has=page.locator("#id_evidence"))
    assert picker.inner_text().split("\n") == ["Chọn tệp", "Chưa chọn tệp"]
    page.set_input_files("#id_evidence", str(evidence))
    assert picker.inner_text().split("\n") == ["Chọn tệp", "bao-cao.pdf"]
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
    assert page.inner_text("#assignment-status").strip() == "Đã hoàn thành quá hạn"
