from django.urls import path

from tasks import review_views, thread_views, views

app_name = "tasks"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tat-ca/", views.assignment_list, name="assignment_list"),
    path("cho-xac-nhan/", review_views.review_queue, name="review_queue"),
    path("cho-xac-nhan/quyet-dinh/", review_views.review_decide, name="review_decide"),
    path("<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("<int:pk>/bao-cao/", views.report_create, name="report_create"),
    path("<int:pk>/bao-cao/<int:report_pk>/gui/", views.report_submit, name="report_submit"),
    path("<int:pk>/xac-nhan/", views.assignment_review, name="assignment_review"),
    path("<int:pk>/quan-ly/", views.assignment_manage, name="assignment_manage"),
    path("<int:pk>/gia-han/", views.extension_request, name="extension_request"),
    path(
        "<int:pk>/gia-han/<int:extension_pk>/",
        views.extension_decide,
        name="extension_decide",
    ),
    path("<int:pk>/trao-doi/", thread_views.thread, name="thread"),
    path("<int:pk>/trao-doi/gui/", thread_views.thread_post, name="thread_post"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("minh-chung/<int:pk>/xem/", review_views.evidence_view, name="evidence_view"),
]
