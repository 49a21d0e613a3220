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
