from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("lich-su-thay-doi/", views.change_history, name="change_history"),
    path("", views.report_list, name="report_list"),
    path("mau/<slug:key>/", views.report_download, name="report_download"),
    path("xuat-excel/", views.export_list, name="export_list"),
    path("xuat-excel/<int:pk>/tai-ve/", views.export_download, name="export_download"),
    path("xuat-excel/<slug:key>/", views.export_start, name="export_start"),
    path("dieu-hanh/", views.leadership_dashboard, name="leadership_dashboard"),
    path("don-vi/", views.unit_dashboard, name="unit_dashboard"),
    path("don-vi/<int:pk>/", views.unit_dashboard, name="unit_dashboard_of"),
]
