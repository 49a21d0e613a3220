from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.workday_override_list, name="workday_override_list"),
    path("<int:pk>/xoa/", views.workday_override_delete, name="workday_override_delete"),
]
