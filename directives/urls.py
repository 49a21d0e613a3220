from django.urls import path

from directives import views
from tasks import views as task_views

app_name = "directives"

urlpatterns = [
    path("", views.directive_list, name="directive_list"),
    path("them/", views.directive_create, name="directive_create"),
    path("<int:pk>/", views.directive_detail, name="directive_detail"),
    path("<int:pk>/sua/", views.directive_edit, name="directive_edit"),
    path("<int:pk>/tep/", views.directive_file, name="directive_file"),
    path("<int:pk>/nhiem-vu/", task_views.plan_entry, name="plan_entry"),
    path("<int:pk>/nhiem-vu/them/", task_views.plan_add_task, name="plan_add_task"),
    path("<int:pk>/nhap-excel/", task_views.task_import, name="task_import"),
    path("nhap-excel/mau.xlsx", task_views.task_import_template, name="task_import_template"),
]
