from django.urls import path
from rest_framework.routers import SimpleRouter

from tasks.api import views

router = SimpleRouter()
router.register("tasks", views.TaskViewSet, basename="task")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("progress-reports", views.ProgressReportViewSet, basename="progressreport")
router.register("reviews", views.ReviewViewSet, basename="review")

urlpatterns = [
    *router.urls,
    path(
        "assignments/<int:pk>/posts/",
        views.AssignmentPostViewSet.as_view({"get": "list", "post": "create"}),
        name="assignment-posts",
    ),
]
