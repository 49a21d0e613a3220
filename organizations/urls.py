from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("nhap/", views.unit_import_list, name="unit_import_list"),
    path("nhap/mau.xlsx", views.unit_import_template_download, name="unit_import_template"),
    path("nhap/<int:pk>/", views.unit_import_detail, name="unit_import_detail"),
]
