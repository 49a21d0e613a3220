from django.urls import include, path

from tasks import review_views, thread_views, views

app_name = "tasks"

# The assignments' pages, under /nhiem-vu/.
assignment_patterns = [
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

# A directive's tasks (plan entry, Excel import, changes after entry) live here, in the tasks
# app, but keep their addresses under the directive, /van-ban/<pk>/...: the directives app
# imports nothing of tasks.
plan_patterns = [
    path("<int:pk>/nhiem-vu/", views.plan_entry, name="plan_entry"),
    path("<int:pk>/nhiem-vu/them/", views.plan_add_task, name="plan_add_task"),
    path("<int:pk>/nhap-excel/", views.task_import, name="task_import"),
    path("nhap-excel/mau.xlsx", views.task_import_template, name="task_import_template"),
    path("<int:pk>/nhiem-vu/hang-loat/", views.plan_bulk, name="plan_bulk"),
    # one task of a directive (its pk is the task's): change it, suspend, resume or cancel it
    path("nhiem-vu/<int:pk>/sua/", views.task_edit, name="task_edit"),
    path("nhiem-vu/<int:pk>/trang-thai/", views.task_state, name="task_state"),
]

urlpatterns = [
    path("nhiem-vu/", include(assignment_patterns)),
    path("van-ban/", include(plan_patterns)),
]
