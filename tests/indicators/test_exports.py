"""'Xuất Excel' on the assessment list: the page's rows, scoped and filtered the same way."""

import io

from openpyxl import load_workbook


def _rows(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_home_affairs_exports_every_units_assessment(client_for, home_affairs, opened, unit_a):
    rows = _rows(client_for(home_affairs).get("/bao-cao/xuat-excel/assessments/"))
    assert rows[0][:3] == ["Bộ chỉ số", "Đơn vị", "Giai đoạn"]
    assert sorted(row[1] for row in rows[1:]) == sorted(
        assessment.unit.name for assessment in opened.values()
    )


def test_a_unit_exports_only_its_own_assessment(client_for, head_a, opened, unit_a):
    rows = _rows(client_for(head_a).get("/bao-cao/xuat-excel/assessments/"))
    assert [row[1] for row in rows[1:]] == [unit_a.name]


def test_the_filter_is_applied(client_for, home_affairs, opened, unit_b):
    query = {"unit": unit_b.pk}
    rows = _rows(client_for(home_affairs).get("/bao-cao/xuat-excel/assessments/", query))
    assert [row[1] for row in rows[1:]] == [unit_b.name]
    page = client_for(home_affairs).get("/chi-so-cchc/").content.decode()
    assert "/bao-cao/xuat-excel/assessments/" in page


def test_ranking_report_has_the_ranking_pages_scores_bands_and_ranks(
    client_for, home_affairs, head_a, head_b, opened, unit_a, unit_b
):
    from indicators.excel import ranking_rows
    from indicators.selectors import assessment_ranking
    from tests.indicators.helpers import run_to_final

    full = {"1.1.1": "10", "1.2": "18"}
    run_to_final(opened["STC"], head_a, home_affairs, full, full)
    run_to_final(
        opened["STP"], head_b, home_affairs, {"1.1.1": "5", "1.2": "9"}, {"1.1.1": "5", "1.2": "9"}
    )  # noqa: E501
    framework = opened["STC"].framework
    response = client_for(home_affairs).get(
        "/bao-cao/mau/xep-hang/", {"xep-hang-framework": framework.pk}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    lines = {
        row[1]: (row[6], row[7], row[8], row[9])
        for row in sheet.iter_rows(min_row=10, values_only=True)
        if row[1]
    }
    page = ranking_rows(assessment_ranking(user=home_affairs, framework=framework))
    assert len(page) == 2
    for item in page:
        total, percent, band, rank = lines[item["unit"]]
        assert float(total) == float(item["total"])
        assert round(percent * 100, 2) == float(item["percent"])
        assert (band, rank) == (item["band"] or None, item["rank"])
    assert sheet["G10"].number_format == "#,##0.00"
    assert sheet["H10"].number_format == "0.0%"
