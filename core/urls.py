from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("tac-vu-nen/", views.jobrun_list, name="jobrun_list"),
]
