"""Everything under /api/v1/: each app's api/urls.py, the schema and its local Swagger UI."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("organizations.api.urls")),
    path("", include("dossiers.api.urls")),
    path("", include("indicators.api.urls")),
    path("", include("directives.api.urls")),
    path("", include("tasks.api.urls")),
    path("", include("notifications.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
