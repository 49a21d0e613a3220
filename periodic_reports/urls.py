from django.urls import path

from periodic_reports import views

app_name = "periodic_reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("mo-ky/", views.round_open, name="round_open"),
    path("ky/<int:pk>/", views.round_detail, name="round_detail"),
    path("danh-sach/", views.report_list, name="report_list"),
    path("loai/", views.kind_list, name="kind_list"),
    path("mau/", views.template_page, name="template"),
    path("mau/tai-ve/", views.template_download, name="template_download"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/luu/", views.report_save, name="report_save"),
    path("<int:pk>/phien-ban/<int:number>/mo-lai/", views.version_reopen, name="version_reopen"),
    path("<int:pk>/gui/", views.report_submit, name="report_submit"),
    path("<int:pk>/xac-nhan/", views.report_decide, name="report_decide"),
    path("<int:pk>/tai-ve/docx/", views.report_docx, name="report_docx"),
    path("<int:pk>/tai-ve/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("<int:pk>/pdf/<int:pdf_pk>/", views.pdf_download, name="pdf_download"),
]
