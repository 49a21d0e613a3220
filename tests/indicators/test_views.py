import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Assessment, AssessmentStage, ScoreLine
from indicators.services import assessments as svc
from indicators.services.indices import index_record
from indicators.services.kpi import kpi_target_create, measurement_record
from organizations.models import UnitLevel
from tests.factories import OrgUnitFactory
from tests.indicators.helpers import EARLY, line, run_to_final, self_score_all

FULL_SELF = {"1.1.1": "10", "1.2": "18"}


def test_unit_head_sees_own_scoring_sheet(client_for, head_a, opened):
    response = client_for(head_a).get(
        reverse("indicators:assessment_detail", args=[opened["STC"].pk])
    )
    assert response.status_code == 200
    assert b'name="field" value="self"' in response.content  # the draft is editable


def test_another_units_assessment_gives_404(client_for, head_b, opened):
    client = client_for(head_b)
    target = opened["STC"]
    assert client.get(reverse("indicators:assessment_detail", args=[target.pk])).status_code == 404
    assert client.get(reverse("indicators:assessment_export", args=[target.pk])).status_code == 404
    assert (
        client.post(
            reverse("indicators:line_update", args=[line(target, "1.2").pk]),
            {"field": "self", "score": "5"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("indicators:assessment_transition", args=[target.pk, "submit"])
        ).status_code
        == 404
    )


def test_unit_list_shows_only_own_assessment(client_for, head_b, opened):
    response = client_for(head_b).get(reverse("indicators:assessment_list"))
    assert [a.unit.code for a in response.context["assessments"]] == ["STP"]


def test_htmx_self_score_updates_the_sheet_totals(client_for, head_a, opened):
    target = line(opened["STC"], "1.2")
    response = client_for(head_a).post(
        reverse("indicators:line_update", args=[target.pk]),
        {"field": "self", "score": "12,5", "note": "Đã báo cáo đủ"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.templates[0].name == "indicators/includes/sheet.html"
    target.refresh_from_db()
    assert (target.self_score, target.unit_note) == (Decimal("12.5"), "Đã báo cáo đủ")
    assert b"12,50" in response.content


def test_out_of_range_score_shows_an_error_and_keeps_the_old_value(client_for, head_a, opened):
    target = line(opened["STC"], "1.2")
    response = client_for(head_a).post(
        reverse("indicators:line_update", args=[target.pk]),
        {"field": "self", "score": "25"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"alert-danger" in response.content
    target.refresh_from_db()
    assert target.self_score is None


def test_leader_reads_every_sheet_but_cannot_score(client_for, leader, opened):
    client = client_for(leader)
    detail = client.get(reverse("indicators:assessment_detail", args=[opened["STC"].pk]))
    assert detail.status_code == 200
    assert b'name="field"' not in detail.content
    response = client.post(
        reverse("indicators:line_update", args=[line(opened["STC"], "1.2").pk]),
        {"field": "appraisal", "score": "5"},
    )
    assert response.status_code == 403
    assert ScoreLine.objects.filter(appraisal_1__isnull=False).count() == 0


def test_transitions_through_the_pages(client_for, head_a, home_affairs, opened, time_machine):
    time_machine.move_to("2025-12-01 09:00:00+07:00")
    assessment = opened["STC"]
    self_score_all(assessment, head_a, FULL_SELF)
    client_for(head_a).post(
        reverse("indicators:assessment_transition", args=[assessment.pk, "submit"])
    )
    assessment.refresh_from_db()
    assert assessment.stage == AssessmentStage.SUBMITTED
    client = client_for(home_affairs)
    for code in FULL_SELF:
        client.post(
            reverse("indicators:line_update", args=[line(assessment, code).pk]),
            {"field": "appraisal", "score": "9"},
        )
    client.post(reverse("indicators:assessment_transition", args=[assessment.pk, "finish_round_1"]))
    assessment.refresh_from_db()
    assert assessment.stage == AssessmentStage.EXPLANATION


def test_late_submission_shows_the_deadline_error(client_for, head_a, opened, time_machine):
    time_machine.move_to("2025-12-20 09:00:00+07:00")
    self_score_all(opened["STC"], head_a, FULL_SELF)
    response = client_for(head_a).post(
        reverse("indicators:assessment_transition", args=[opened["STC"].pk, "submit"]),
        follow=True,
    )
    assert "15/12/2025" in response.content.decode()
    opened["STC"].refresh_from_db()
    assert opened["STC"].stage == AssessmentStage.DRAFT


def test_evidence_upload_and_download_are_scoped(client_for, head_a, head_b, opened):
    target = line(opened["STC"], "1.1.1")
    client_for(head_a).post(
        reverse("indicators:evidence_upload", args=[target.pk]),
        {"file": SimpleUploadedFile("kehoach.pdf", b"%PDF-1.4 test")},
    )
    evidence = target.evidence.get()
    assert (
        client_for(head_a)
        .get(reverse("indicators:evidence_download", args=[evidence.pk]))
        .status_code
        == 200
    )
    assert (
        client_for(head_b)
        .get(reverse("indicators:evidence_download", args=[evidence.pk]))
        .status_code
        == 404
    )


def test_exported_sheet_has_typed_numbers_merged_areas_and_imports_back(client_for, head_a, opened):
    # given the unit's exported sheet with self scores typed into it
    client = client_for(head_a)
    data = client.get(reverse("indicators:assessment_export", args=[opened["STC"].pk])).content
    workbook = load_workbook(BytesIO(data))
    sheet = workbook["Bang diem"]
    assert sheet.cell(1, 1).font.name == "Times New Roman"
    assert any("A2:B2" == str(merged) for merged in sheet.merged_cells.ranges)
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    assert isinstance(sheet.cell(rows["1.2"], 3).value, int | float)
    sheet.cell(rows["1.1.1"], 4).value = 8
    sheet.cell(rows["1.2"], 4).value = "15,5"
    sheet.cell(rows["3. Điểm thưởng"], 4).value = 2
    buffer = BytesIO()
    workbook.save(buffer)
    # when it is imported back
    buffer.seek(0)
    buffer.name = "bang-diem.xlsx"
    client.post(reverse("indicators:assessment_import", args=[opened["STC"].pk]), {"file": buffer})
    # then
    assert line(opened["STC"], "1.1.1").self_score == Decimal(8)
    assert line(opened["STC"], "1.2").self_score == Decimal("15.5")
    assert line(opened["STC"], "3").self_score == Decimal(2)


def test_self_score_import_lists_row_errors_and_writes_nothing(client_for, head_a, opened):
    from core.tabular import ImportFailed
    from indicators.excel import assessment_sheet_xlsx, self_scores_import

    workbook = load_workbook(BytesIO(assessment_sheet_xlsx(opened["STC"])))
    sheet = workbook["Bang diem"]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(rows["1.1.1"], 4).value = 8
    sheet.cell(rows["1.2"], 4).value = 40  # above the maximum 20
    sheet.cell(rows["2.1"], 4).value = 30  # a survey line
    sheet.cell(rows["1.1.1"] + 0, 4).value = 8
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with pytest.raises(ImportFailed) as failure:
        self_scores_import(actor=head_a, assessment=opened["STC"], fileobj=buffer)
    assert [error.row for error in failure.value.errors] == [rows["1.2"], rows["2.1"]]
    assert line(opened["STC"], "1.1.1").self_score is None


def _ranked_units(count, framework, home_affairs, province):
    units = [
        OrgUnitFactory(code=f"S{index:03d}", name=f"Sở số {index}", parent=province)
        for index in range(count)
    ]
    svc.assessments_open(actor=home_affairs, framework=framework, units=units)
    # give each unit a score so totals and bands differ
    lines = ScoreLine.objects.filter(criterion__code="1.2").order_by("pk")
    for index, target in enumerate(lines):
        ScoreLine.objects.filter(pk=target.pk).update(self_score=Decimal(index % 20))
    # only appraised results are ranked: a shortcut past the workflow (tested on its own)
    Assessment.objects.filter(framework=framework).update(stage=AssessmentStage.FINAL)


@pytest.mark.parametrize("count", [10, 150])
def test_ranking_query_count_does_not_grow_with_units(
    count, client_for, home_affairs, framework, province, django_assert_num_queries
):
    _ranked_units(count, framework, home_affairs, province)
    client = client_for(home_affairs)
    url = reverse("indicators:ranking") + f"?framework={framework.pk}"
    # session, user, the chosen framework, the ranking (totals, band and rank in one
    # statement), the unranked sheets (one statement), the user's unit (menu), the framework
    # select list, the bands legend, and a savepoint pair around the session save: 11
    # whatever the number of units
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [10, 150])
def test_assessment_overview_query_count_does_not_grow(
    count, client_for, home_affairs, framework, province, django_assert_num_queries
):
    _ranked_units(count, framework, home_affairs, province)
    client = client_for(home_affairs)
    # session, user, the assessments with totals and progress (one statement), the filter
    # bar's framework and unit choices (2), the user's unit (menu), the session save in a
    # savepoint (3): 9 whatever the number of units
    with django_assert_num_queries(9):
        response = client.get(reverse("indicators:assessment_list"))
    assert len(response.context["assessments"]) == count


def test_ranking_export_is_an_xlsx_of_every_unit(client_for, home_affairs, framework, province):
    _ranked_units(3, framework, home_affairs, province)
    response = client_for(home_affairs).get(
        reverse("indicators:ranking_export") + f"?framework={framework.pk}"
    )
    sheet = load_workbook(BytesIO(response.content))["Xep hang"]
    assert sheet.cell(1, 1).value == "Xếp hạng" and sheet.max_row == 4


def test_unit_sees_no_draft_in_the_ranking_page(client_for, head_b, head_a, home_affairs, opened):
    run_to_final(opened["STC"], head_a, home_affairs, FULL_SELF, FULL_SELF)
    response = client_for(head_b).get(reverse("indicators:ranking"))
    assert [row["unit"] for row in response.context["rows"]] == ["Sở Tài chính"]


def test_framework_editor_lists_breaches_for_home_affairs(client_for, home_affairs, framework):
    response = client_for(home_affairs).get(
        reverse("indicators:framework_detail", args=[framework.pk])
    )
    assert response.status_code == 200 and response.context["breaches"] == []


def test_unit_users_cannot_open_the_framework_editor(client_for, head_a, framework):
    response = client_for(head_a).get(reverse("indicators:framework_detail", args=[framework.pk]))
    assert response.status_code == 403


def test_home_affairs_adds_a_criterion_and_sees_the_new_breach(client_for, home_affairs, framework):
    client = client_for(home_affairs)
    client.post(
        reverse("indicators:criterion_add", args=[framework.pk]),
        {"code": "1.3", "name": "Tuyên truyền", "max_points": "2", "method": "self_appraised"},
    )
    response = client.get(reverse("indicators:framework_detail", args=[framework.pk]))
    assert [breach.code for breach in response.context["breaches"]] == ["1"]  # 20 + 20 + 2


def test_kpi_board_marks_achievement(client_for, home_affairs, head_a, unit_a, unit_b):
    kpi = kpi_target_create(
        actor=home_affairs,
        name="Văn bản điện tử",
        measure="%",
        year=2025,
        levels={UnitLevel.PROVINCE: Decimal(90)},
    )
    measurement_record(actor=home_affairs, kpi=kpi, unit=unit_a, value=Decimal(95))
    measurement_record(actor=home_affairs, kpi=kpi, unit=unit_b, value=Decimal(50))
    response = client_for(head_a).get(reverse("indicators:kpi_board"))
    rows = list(response.context["measurements"])
    assert [(m.unit.code, m.achieved) for m in rows] == [("STC", True)]


def test_index_trend_passes_chart_data_through_json_script(client_for, leader, home_affairs):
    index_record(actor=home_affairs, kind="par", year=2023, value=Decimal("85.1"), rank=30)
    index_record(actor=home_affairs, kind="par", year=2024, value=Decimal("88.2"), rank=20)
    response = client_for(leader).get(reverse("indicators:index_trend"))
    assert b'id="index-chart-data"' in response.content
    assert response.context["chart"]["years"] == [2023, 2024]
    assert b"<script>" not in response.content  # no inline script (CSP)


def test_leader_cannot_import_indices(client_for, leader):
    response = client_for(leader).post(reverse("indicators:index_import"), {})
    assert response.status_code == 403


def test_submission_via_page_before_deadline(client_for, head_a, opened):
    self_score_all(opened["STC"], head_a, FULL_SELF)
    svc.assessment_submit(actor=head_a, assessment=opened["STC"], today=EARLY)
    response = client_for(head_a).get(
        reverse("indicators:assessment_detail", args=[opened["STC"].pk])
    )
    assert b'name="field" value="self"' not in response.content


def test_home_affairs_creates_a_kpi_target_with_level_values(client_for, home_affairs):
    client_for(home_affairs).post(
        reverse("indicators:kpi_target_add"),
        {
            "name": "Tỷ lệ văn bản điện tử",
            "measure": "%",
            "direction": "higher",
            "year": "2021",
            "source_directive": "5580/KH-UBND",
            "province": "90",
            "district": "80",
            "commune": "60",
        },
    )
    from indicators.models import KpiTarget

    kpi = KpiTarget.objects.get()
    assert dict(kpi.levels.values_list("level", "target")) == {
        "province": Decimal(90),
        "district": Decimal(80),
        "commune": Decimal(60),
    }


def test_unit_head_cannot_create_kpi_targets(client_for, head_a):
    response = client_for(head_a).post(reverse("indicators:kpi_target_add"), {"name": "x"})
    assert response.status_code == 403


def test_measurement_import_page_lists_row_errors(client_for, home_affairs, unit_a):
    kpi = kpi_target_create(actor=home_affairs, name="K", measure="%", year=2025)
    upload = SimpleUploadedFile("kq.csv", "Mã đơn vị,Kỳ,Giá trị,Ghi chú\nXYZ,Năm,5,\n".encode())
    response = client_for(home_affairs).post(
        reverse("indicators:measurement_import"), {"kpi": kpi.pk, "file": upload}, follow=True
    )
    assert "XYZ" in response.content.decode()


def test_measurement_import_without_a_target_names_the_missing_field(client_for, home_affairs):
    kpi_target_create(actor=home_affairs, name="K", measure="%", year=2025)
    upload = SimpleUploadedFile("kq.csv", "Mã đơn vị,Kỳ,Giá trị,Ghi chú\n".encode())
    page = (
        client_for(home_affairs)
        .post(reverse("indicators:measurement_import"), {"file": upload}, follow=True)
        .content.decode()
    )
    # the message says what is missing, not "choose a file" beside a file that was chosen
    assert "Chỉ tiêu: Trường này là bắt buộc." in page
    assert "Hãy chọn tệp để nhập" not in page


@pytest.mark.parametrize("count", [5, 60])
def test_kpi_board_query_count_does_not_grow(
    count, client_for, home_affairs, province, django_assert_num_queries
):
    kpi = kpi_target_create(
        actor=home_affairs, name="K", measure="%", year=2025, levels={"province": Decimal(90)}
    )
    for index in range(count):
        unit = OrgUnitFactory(code=f"K{index:03d}", name=f"Sở {index}", parent=province)
        measurement_record(actor=home_affairs, kpi=kpi, unit=unit, value=Decimal(index))
    client = client_for(home_affairs)
    # session, user, the user's unit (menu), the targets and their levels (2), the
    # measurements with their level target (one statement), the entered KPIs for the entry
    # and import forms (2), the unit choices, the session save in a savepoint (3): 12 whatever
    # the number of units
    with django_assert_num_queries(12):
        response = client.get(reverse("indicators:kpi_board"))
    assert len(response.context["measurements"]) == count


def _computed_detail(response) -> str:
    """The visible text of the sheet's computed-figures notes, spaces collapsed."""
    notes = re.findall(
        r'class="small computed-detail">(.*?)</div>', response.content.decode(), re.DOTALL
    )
    assert notes, "no computed line on the sheet"
    return " ".join(re.sub(r"<[^>]+>", " ", " ".join(notes)).split())


def test_sheet_shows_the_figures_a_computed_line_used(client_for, head_a, opened, rate_source):
    from indicators.services.assessments import assessments_recompute

    rate_source["STC"] = (28, 40)
    assessments_recompute()
    response = client_for(head_a).get(
        reverse("indicators:assessment_detail", args=[opened["STC"].pk])
    )
    # then each figure is labelled and formatted the Vietnamese way, no internal key shown
    detail = _computed_detail(response)
    assert "Tỷ lệ thử nghiệm: 70% (mức từ 50%)." in detail
    assert "Đã xong: 28 · Tổng số: 40" in detail
    assert "done" not in detail and "year" not in detail and "70.00" not in detail


def test_sheet_words_a_source_figures_with_thousands_dates_and_a_decimal_comma(
    client_for, head_a, opened
):
    from indicators.models import ScoreLine
    from indicators.sources import DOSSIER_ON_TIME

    # given a computed line scored from the dossier source (as stored by the recompute)
    target = line(opened["STC"], "1.1.2")
    figures = {"source": DOSSIER_ON_TIME, "finished": 2452, "finished_early": 2000,
               "finished_on_time": 435, "finished_late": 17, "received": 2600,
               "period_start": "2024-12-15", "period_end": "2025-12-14", "percent": "99.31",
               "band_from": "80.00"}  # fmt: skip
    ScoreLine.objects.filter(pk=target.pk).update(computed_figures=figures)
    # when the sheet is opened
    response = client_for(head_a).get(
        reverse("indicators:assessment_detail", args=[opened["STC"].pk])
    )
    detail = _computed_detail(response)
    # then it reads as Vietnamese sentences from labelled parts
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn: 99,31% (mức từ 80%)." in detail
    assert "Hồ sơ đã giải quyết: 2.452" in detail
    assert "Giải quyết quá hạn: 17" in detail
    assert "Kỳ báo cáo: 15/12/2024 – 14/12/2025" in detail
    for raw in ("99.31", "2025-12-14", "period_end", "finished ="):
        assert raw not in detail


def test_sheet_says_why_a_computed_line_has_no_score(client_for, head_a, opened, rate_source):
    from indicators.services.assessments import assessments_recompute

    assessments_recompute()  # no figures for any unit
    response = client_for(head_a).get(
        reverse("indicators:assessment_detail", args=[opened["STC"].pk])
    )
    detail = _computed_detail(response)
    assert "Tỷ lệ thử nghiệm: Đơn vị chưa có số liệu thử nghiệm." in detail
    assert "note" not in detail


def test_sheet_lists_the_stage_history_with_who(client_for, head_a, home_affairs, opened):
    self_score_all(opened["STC"], head_a, FULL_SELF)
    svc.assessment_submit(actor=head_a, assessment=opened["STC"], today=EARLY)
    response = client_for(home_affairs).get(
        reverse("indicators:assessment_detail", args=[opened["STC"].pk])
    )
    history = response.context["history"]
    assert [row.stage for row in history] == ["draft", "submitted"]
    assert history[-1].history_user == head_a


def test_unit_removes_its_evidence_but_not_another_units(client_for, head_a, head_b, opened):
    target = line(opened["STC"], "1.1.1")
    svc.evidence_add(actor=head_a, line=target, uploaded=SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    evidence = target.evidence.get()
    response = client_for(head_b).post(reverse("indicators:evidence_remove", args=[evidence.pk]))
    assert response.status_code == 404
    client_for(head_a).post(reverse("indicators:evidence_remove", args=[evidence.pk]))
    assert not target.evidence.exists()


def test_ranking_links_a_unit_only_to_its_own_sheet(
    client_for, head_a, head_b, home_affairs, opened
):
    run_to_final(opened["STC"], head_a, home_affairs, FULL_SELF, FULL_SELF)
    run_to_final(opened["STP"], head_b, home_affairs, FULL_SELF, FULL_SELF)
    content = client_for(head_b).get(reverse("indicators:ranking")).content.decode()
    assert reverse("indicators:assessment_detail", args=[opened["STP"].pk]) in content
    assert reverse("indicators:assessment_detail", args=[opened["STC"].pk]) not in content


def test_home_affairs_edits_a_criterion_then_opens_and_copies(
    client_for, home_affairs, framework, unit_a
):
    client = client_for(home_affairs)
    node = framework.criteria.get(code="1.2")
    client.post(
        reverse("indicators:criterion_edit", args=[node.pk]),
        {"code": "1.2", "name": "Báo cáo định kỳ", "max_points": "20", "method": "self_appraised"},
    )
    node.refresh_from_db()
    assert node.name == "Báo cáo định kỳ"
    client.post(reverse("indicators:framework_open", args=[framework.pk]))
    framework.refresh_from_db()
    assert framework.locked and framework.assessments.filter(unit=unit_a).exists()
    response = client.post(
        reverse("indicators:framework_copy", args=[framework.pk]), {"year": "2026"}
    )
    copy = framework.copies.get()
    assert response["Location"] == reverse("indicators:framework_detail", args=[copy.pk])


def test_framework_import_page_shows_row_errors(client_for, home_affairs, db):
    from tests.indicators.factories import build_framework

    target = build_framework(tree=[], year=2026)
    upload = SimpleUploadedFile(
        "bo.csv",
        "Mã,Nội dung,Điểm tối đa,Phương pháp,Tài liệu kiểm chứng,Nguồn dữ liệu,Ghi chú\n"
        "1,,abc,,,,\n".encode(),
    )
    response = client_for(home_affairs).post(
        reverse("indicators:framework_import", args=[target.pk]), {"file": upload}, follow=True
    )
    content = response.content.decode()
    assert "Dòng 2" in content and "Điểm tối đa" in content


def test_ranking_page_lists_drafts_apart_with_their_stage_unranked(
    client_for, home_affairs, head_a, opened
):
    # given unit A final and unit B still self-scoring
    run_to_final(opened["STC"], head_a, home_affairs, FULL_SELF, FULL_SELF)
    framework = opened["STC"].framework
    # when Home Affairs opens the ranking
    response = client_for(home_affairs).get(
        reverse("indicators:ranking") + f"?framework={framework.pk}"
    )
    # then A is ranked first and B is listed apart, with its stage and no rank
    assert [(row["unit"], row["rank"]) for row in response.context["rows"]] == [("Sở Tài chính", 1)]
    assert [(row["unit"], row["stage"], row["rank"]) for row in response.context["unranked"]] == [
        ("Sở Tư pháp", "Bản nháp (đang tự chấm điểm)", None)
    ]
    body = " ".join(response.content.decode().split())
    assert "Chưa xếp hạng" in body and "Bản nháp (đang tự chấm điểm)" in body
