"""Four working days on the demo province, in headless Chromium, each ending on what the user
sees. The journeys WRITE through the live server (committed until the package ends), so this
module's name sorts after the package's read-only tests; each journey works on rows no other
journey touches, so they do not depend on each other's order.

Selectors are the words on the screen (roles, labels, button texts in Vietnamese) wherever the
markup allows, so the journeys survive a restyled filter bar or form. Screenshots of each ending
go to test-artifacts/.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.utils import timezone

from tests.e2e.conftest import demo_login, htmx_settled

pytestmark = [pytest.mark.browser, pytest.mark.writes_demo]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-{name}.png"), full_page=True)


def _choose(page, name: str, *labels: str) -> None:
    """Pick options of a select by their visible text. `force`: a searchable multi-select widget
    may hide the native select, whose value is still what the form sends."""
    page.locator(f"select[name={name}]").select_option(label=list(labels), force=True)


def _field(scope, label: str):
    """A form field by its label's words, whether or not the label marks it required (*)."""
    return scope.get_by_label(re.compile("^" + re.escape(label) + r"(\s*\*)?$"))


def _menu(page, *names: str) -> None:
    """Follow the navbar: a drop-down's name, then its entry (or a lone entry's name)."""
    for name in names:
        page.locator("nav").get_by_text(name, exact=True).first.click()
    page.wait_for_load_state()


def _number(text: str) -> int:
    """A figure as the page prints it ("1.234", "28/40" -> its first part)."""
    return int(re.sub(r"\D", "", text.split("/")[0]))


def _list_total(page) -> int:
    """The total the list states (#list-total[data-total]); a list that states none must show
    all its rows on one page, and then its rows are counted."""
    total = page.locator("#list-total[data-total]")
    if total.count():
        return int(total.get_attribute("data-total"))
    assert page.locator("nav .pagination").count() == 0, "a paged list must state its total"
    return _screen_rows(page)[1].__len__()


def _screen_rows(page) -> tuple[list[str], list[list[str]]]:
    """The list's header texts and the text of each row's cells (the empty-list row excluded)."""
    table = page.locator("main table").first
    # a sortable header ends in its arrow (▲ ▼ ↕), which is no part of the column's name
    headers = [
        re.sub(r"[\s▲▼↕]+$", "", text.strip())
        for text in table.locator("thead th").all_inner_texts()
    ]
    rows = []
    for row in table.locator("tbody tr").all():
        cells = [text.strip() for text in row.locator("td").all_inner_texts()]
        if len(cells) == len(headers):
            rows.append(cells)
    return headers, rows


# --- 1. Home Affairs enters a plan and reviews reported completions ---------------------------


def test_home_affairs_enters_a_plan_of_three_tasks_and_confirms_one_report_and_returns_another(
    demo_live_server, browser
):
    from tasks import services

    base = demo_live_server.url
    page = demo_login(browser, base, "noivu")

    # given Home Affairs has registered a new plan
    page.goto(f"{base}/van-ban/them/")
    _field(page, "Số, ký hiệu").fill("77/KH-UBND")
    _field(page, "Ngày ban hành").fill(timezone.localdate().strftime("%d/%m/%Y"))
    _field(page, "Ngày ban hành").press("Escape")  # typed, not picked: close the date picker
    _choose(page, "issuer", "Ủy ban nhân dân tỉnh An Hòa")
    summary = "Kế hoạch kiểm tra công tác cải cách hành chính"
    _field(page, "Trích yếu").fill(summary)
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    assert "77/KH-UBND" in page.inner_text("main")

    # when they enter three tasks on its plan grid, the third addressed to all communes
    page.get_by_role("link", name="Nhập nhiệm vụ").first.click()
    page.wait_for_load_state()
    deadline = (timezone.localdate() + datetime.timedelta(days=60)).strftime("%d/%m/%Y")
    tasks = [
        ("1", "Kiểm tra công tác CCHC tại Sở Tư pháp", "lead", "Sở Tư pháp"),
        ("2", "Rà soát thủ tục hành chính lĩnh vực tài chính", "lead", "Sở Tài chính"),
        ("3", "Niêm yết công khai thủ tục hành chính tại xã", "all_communes", None),
    ]
    for number, title, how, unit in tasks:
        form = page.locator("#task-row-form")
        _field(form, "STT").fill(number)
        _field(form, "Nhiệm vụ").fill(title)
        if how == "lead":
            _choose(page, "lead_unit", unit)
        else:
            _choose(page, "address_mode", "Tất cả xã, phường, đặc khu")
        _field(form, "Thời hạn").fill(deadline)
        _field(form, "Thời hạn").press("Escape")
        _field(form, "Sản phẩm").fill("Báo cáo kết quả")
        with page.expect_response(lambda r: "/nhiem-vu/them/" in r.url):
            form.get_by_role("button", name="Thêm nhiệm vụ").click()
        htmx_settled(page)
        # then each task appears in the grid as soon as it is added
        assert title in page.inner_text("#plan-table")
    grid = page.locator("#plan-table tbody tr")
    assert grid.count() == 3
    _shot(page, "1-plan-grid")
    # and the communes' task went to every commune existing on the plan's date, as its list says
    communes = services.units_for_address(
        mode=services.AddressMode.ALL_COMMUNES, on_date=timezone.localdate()
    )
    assert len(communes) >= 5
    page.goto(f"{base}/nhiem-vu/tat-ca/?q=Niêm yết công khai thủ tục hành chính tại xã")
    assert _list_total(page) == len(communes)
    headers, rows = _screen_rows(page)
    listed_units = {row[headers.index("Đơn vị")] for row in rows}
    assert listed_units == {unit.short_name or unit.name for unit in communes}

    # when they confirm one reported completion from the review queue
    _menu(page, "Nhiệm vụ", "Chờ xác nhận")
    queued = page.locator("main table tbody tr")
    assert queued.count() >= 2, "the demo has completions awaiting confirmation"
    confirmed_title = queued.nth(0).locator("td.review-task a").inner_text()
    returned_title = queued.nth(1).locator("td.review-task a").inner_text()
    queued.first.locator("input[name=row]").check()
    page.get_by_role("button", name="Xác nhận hoàn thành các nhiệm vụ đã chọn").click()
    page.wait_for_load_state()

    # then the page says so and the row leaves the queue
    assert "Đã xác nhận hoàn thành" in page.inner_text("main")
    assert confirmed_title not in page.inner_text("main table")

    # when they return another with a reason, from its page
    page.get_by_role("link", name=returned_title).click()
    page.wait_for_load_state()
    reason = "Thiếu văn bản minh chứng đã ban hành, đề nghị bổ sung."
    _field(page, "Lý do").fill(reason)
    page.get_by_role("button", name="Trả lại đơn vị").click()
    page.wait_for_load_state()

    # then the page says it went back to the unit, and its history shows the reason
    assert "Đã trả lại nhiệm vụ cho đơn vị" in page.inner_text("main")
    assert reason in page.inner_text("#timeline")
    _menu(page, "Nhiệm vụ", "Chờ xác nhận")
    queue = page.inner_text("main table")
    assert confirmed_title not in queue and returned_title not in queue
    _shot(page, "1-review-queue")
    page.context.close()


# --- 2. Unit staff drafts a report with a PDF, the head submits it -----------------------------


def test_staff_drafts_a_progress_report_with_a_pdf_and_the_unit_head_submits_it(
    demo_live_server, browser, tmp_path
):
    base = demo_live_server.url
    evidence = tmp_path / "bien-ban-kiem-tra.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")

    # given an open assignment of the Justice department, opened by its staff from the inbox
    page = demo_login(browser, base, "cv.stp")
    form_link = None
    for link in page.locator("main table tbody a[href^='/nhiem-vu/']").all():
        page_url = link.get_attribute("href")
        check = page.context.new_page()
        check.goto(base + page_url)
        if check.locator("#report-form").count() and not check.locator("#id_period").count():
            form_link = page_url
        check.close()
        if form_link:
            break
    assert form_link, "the demo gives the Justice department an open one-off assignment"
    page.goto(base + form_link)
    title = page.locator("h1").inner_text()

    # when the staff member drafts a 60 % progress report with a PDF evidence file
    _field(page, "Tiến độ (%)").fill("60")
    _field(page, "Báo cáo").fill("Đã kiểm tra 6/10 đơn vị, lập biên bản.")
    _field(page, "Tệp minh chứng").set_input_files(str(evidence))
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.wait_for_load_state()

    # then the page says the draft was saved, and a staff member cannot submit it
    assert "Đã lưu bản nháp" in page.inner_text("main")
    assert page.get_by_role("button", name="Gửi", exact=True).count() == 0
    _shot(page, "2-draft")
    page.context.close()

    # when the unit head opens the assignment and submits the draft
    page = demo_login(browser, base, "truong.stp")
    page.goto(base + form_link)
    draft = page.locator(".alert", has_text="Đã kiểm tra 6/10 đơn vị")
    assert "60%" in draft.inner_text()
    draft.get_by_role("button", name="Gửi", exact=True).click()
    page.wait_for_load_state()

    # then the page says the report was sent, the draft is gone, and the history shows the
    # report with its PDF
    assert page.locator("h1").inner_text() == title
    assert "Đã gửi báo cáo" in page.inner_text("main")
    assert page.locator(".alert", has_text="Đã kiểm tra 6/10 đơn vị").count() == 0
    timeline = page.inner_text("#timeline")
    assert "Tiến độ 60%" in timeline and "Đã kiểm tra 6/10 đơn vị" in timeline
    assert "bien-ban-kiem-tra.pdf" in timeline
    _shot(page, "2-submitted")
    page.context.close()


# --- 3. The leader drills from three numbers and exports one list ------------------------------


def test_leader_drills_from_three_dashboard_numbers_and_exports_a_list_whose_rows_match(
    demo_live_server, browser, tmp_path
):
    base = demo_live_server.url
    page = demo_login(browser, base, "lanhdao")
    assert page.url.endswith("/bao-cao/dieu-hanh/")
    dashboard = page.url

    # when the leader clicks three figures of the dashboard's tiles
    for key in ("done", "done_on_time", "overdue"):
        page.goto(dashboard)
        page.wait_for_load_state("networkidle")
        figure = page.locator(f"#tile-{key}").get_by_role("link").first
        number = _number(figure.inner_text())
        figure.click()
        page.wait_for_load_state("networkidle")
        # then each opens a list of exactly that many rows
        assert "/nhiem-vu/tat-ca/" in page.url
        assert _list_total(page) == number, (key, page.url)
    _shot(page, "3-overdue-list")

    # when they export the last list (the overdue tasks)
    headers, rows = _screen_rows(page)
    assert rows, "the demo has overdue tasks"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Xuất Excel").click()
    path = tmp_path / "export.xlsx"
    download_info.value.save_as(path)

    # then the workbook holds exactly the rows of the screen, column for column
    sheet = openpyxl.load_workbook(path, read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(values) if headers[0] in row)
    book_headers = [str(cell) if cell is not None else "" for cell in values[header_at]]
    book_rows = [row for row in values[header_at + 1 :] if any(cell is not None for cell in row)]
    assert len(book_rows) == len(rows)
    shared = [h for h in headers if h in book_headers]
    text_columns = [
        h for h in shared if all(isinstance(r[book_headers.index(h)], str) for r in book_rows)
    ]
    assert len(text_columns) >= 3, (headers, book_headers)
    on_screen = sorted(tuple(row[headers.index(h)] for h in text_columns) for row in rows)
    in_book = sorted(
        tuple(row[book_headers.index(h)].strip() for h in text_columns) for row in book_rows
    )
    assert in_book == on_screen
    page.context.close()


# --- 4. A unit head fills part of the PAR self-assessment ------------------------------------


def test_unit_head_scores_a_few_sub_criteria_of_the_par_self_assessment_and_they_are_kept(
    demo_live_server, browser
):
    base = demo_live_server.url
    page = demo_login(browser, base, "truong.stp")

    # given the Justice department's assessment, still a draft, opened from the PAR menu
    page.goto(f"{base}/chi-so-cchc/")
    page.locator("main a[href^='/chi-so-cchc/cham-diem/']").first.click()
    page.wait_for_load_state("networkidle")
    sheet_url = page.url
    score_fields = page.get_by_label(re.compile(r"^Điểm tự chấm "))
    assert score_fields.count() >= 3, "a draft offers the self-score fields"

    # when they score three sub-criteria with a note each, saving each as they leave it
    entries = []
    for index in range(3):
        field = score_fields.nth(index)
        code = (
            field.get_attribute("aria-label")
            or page.locator(f"label[for='{field.get_attribute('id')}']")
            .inner_text()
            .removeprefix("Điểm tự chấm ")
            .strip()
        )
        note = f"Tự chấm mục {code}: đủ hồ sơ"
        row_note = page.get_by_label(f"Ghi chú {code}", exact=True)
        row_note.fill(note)
        with page.expect_response(lambda r: "/chi-so-cchc/dong/" in r.url):
            row_note.dispatch_event("change")
        htmx_settled(page)
        field = page.get_by_label(f"Điểm tự chấm {code}", exact=True)
        with page.expect_response(lambda r: "/chi-so-cchc/dong/" in r.url):
            field.fill("0,5")
            field.dispatch_event("change")
        htmx_settled(page)
        entries.append((code, note))
        score_fields = page.get_by_label(re.compile(r"^Điểm tự chấm "))
    _shot(page, "4-par-sheet")
    assert page.locator("#sheet .alert-danger").count() == 0, page.inner_text("#sheet .alert")

    # then, opened again, the sheet shows every score and note they gave
    page.goto(sheet_url)
    page.wait_for_load_state("networkidle")
    for code, note in entries:
        score = page.get_by_label(f"Điểm tự chấm {code}", exact=True).input_value()
        assert float(score.replace(",", ".")) == 0.5, score  # written 0,5, shown 0,5 or 0,50
        assert page.get_by_label(f"Ghi chú {code}", exact=True).input_value() == note
    page.context.close()
