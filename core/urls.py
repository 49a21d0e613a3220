from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("ngay-lam-viec/", views.workday_override_list, name="workday_override_list"),
    path(
        "ngay-lam-viec/<int:pk>/xoa/",
        views.workday_override_delete,
        name="workday_override_delete",
    ),
    path("van-hanh/tac-vu-nen/", views.jobrun_list, name="jobrun_list"),
]
