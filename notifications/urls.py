from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("chuong/", views.notification_bell, name="bell"),
    path("<int:pk>/da-doc/", views.notification_mark_read, name="mark_read"),
    path("da-doc-tat-ca/", views.notification_mark_all_read, name="mark_all_read"),
    path("cai-dat/", views.notification_preferences, name="preferences"),
]
