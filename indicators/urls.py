from django.urls import path

from indicators.views import assessments, boards, frameworks

app_name = "indicators"

urlpatterns = [
    path("bo-chi-so/", frameworks.framework_list, name="framework_list"),
    path("bo-chi-so/mau.xlsx", frameworks.framework_template, name="framework_template"),
    path("bo-chi-so/<int:pk>/", frameworks.framework_detail, name="framework_detail"),
    path("bo-chi-so/<int:pk>/sua/", frameworks.framework_edit, name="framework_edit"),
    path("bo-chi-so/<int:pk>/xep-loai/", frameworks.framework_bands, name="framework_bands"),
    path("bo-chi-so/<int:pk>/them/", frameworks.criterion_add, name="criterion_add"),
    path("bo-chi-so/<int:pk>/nhap/", frameworks.framework_import, name="framework_import"),
    path("bo-chi-so/<int:pk>/xuat.xlsx", frameworks.framework_export, name="framework_export"),
    path("bo-chi-so/<int:pk>/sao-chep/", frameworks.framework_copy, name="framework_copy"),
    path("bo-chi-so/<int:pk>/mo-cham/", frameworks.framework_open, name="framework_open"),
    path("tieu-chi/<int:pk>/sua/", frameworks.criterion_edit, name="criterion_edit"),
    path("tieu-chi/<int:pk>/xoa/", frameworks.criterion_delete, name="criterion_delete"),
    path("tieu-chi/<int:pk>/bang-quy-doi/", frameworks.criterion_bands, name="criterion_bands"),
    path("", assessments.assessment_list, name="assessment_list"),
    path("cham-diem/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path(
        "cham-diem/<int:pk>/chuyen/<slug:action>/",
        assessments.assessment_transition,
        name="assessment_transition",
    ),
    path(
        "cham-diem/<int:pk>/tinh-lai/",
        assessments.assessment_recompute,
        name="assessment_recompute",
    ),
    path("cham-diem/<int:pk>/xuat.xlsx", assessments.assessment_export, name="assessment_export"),
    path("cham-diem/<int:pk>/nhap/", assessments.assessment_import, name="assessment_import"),
    path("dong/<int:pk>/", assessments.line_update, name="line_update"),
    path("dong/<int:pk>/tai-lieu/", assessments.evidence_upload, name="evidence_upload"),
    path("tai-lieu/<int:pk>/", assessments.evidence_download, name="evidence_download"),
    path("tai-lieu/<int:pk>/xoa/", assessments.evidence_remove, name="evidence_remove"),
    path("xep-hang/", boards.ranking, name="ranking"),
    path("xep-hang/xuat.xlsx", boards.ranking_export, name="ranking_export"),
    path("chi-tieu/", boards.kpi_board, name="kpi_board"),
    path("chi-tieu/them/", boards.kpi_target_add, name="kpi_target_add"),
    path("chi-tieu/<int:pk>/tinh-lai/", boards.kpi_compute, name="kpi_compute"),
    path("chi-tieu/nhap/", boards.measurement_import, name="measurement_import"),
    path("chi-so-tinh/", boards.index_trend, name="index_trend"),
    path("chi-so-tinh/nhap/", boards.index_import, name="index_import"),
]
