from django.urls import path

from directives import views

app_name = "directives"

urlpatterns = [
    path("", views.directive_list, name="directive_list"),
    path("them/", views.directive_create, name="directive_create"),
    path("<int:pk>/", views.directive_detail, name="directive_detail"),
    path("<int:pk>/sua/", views.directive_edit, name="directive_edit"),
    path("<int:pk>/tep/", views.directive_file, name="directive_file"),
]
