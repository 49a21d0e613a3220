from django.urls import path

from dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("danh-sach/", views.dossier_list, name="dossier_list"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("<int:pk>/", views.dossier_detail, name="dossier_detail"),
    path("<int:pk>/xin-loi/", views.dossier_apology, name="dossier_apology"),
    path("so-lieu-tong-hop/", views.aggregate_row_list, name="aggregate_row_list"),
    path("so-lieu-tong-hop/nhap/", views.aggregate_row_import, name="aggregate_row_import"),
    path("nhap/", views.import_list, name="import_list"),
    path("nhap/mau.xlsx", views.import_template_download, name="import_template"),
    path("nhap/<int:pk>/", views.import_detail, name="import_detail"),
]
