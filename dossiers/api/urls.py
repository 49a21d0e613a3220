from django.urls import path
from rest_framework.routers import SimpleRouter

from dossiers.api import views

router = SimpleRouter()
router.register("procedures", views.ProcedureViewSet, basename="procedure")
router.register("dossiers", views.DossierViewSet, basename="dossier")
router.register("dossier-aggregates", views.AggregateRowViewSet, basename="dossier-aggregate")

urlpatterns = [
    path("dossiers/push/", views.dossier_push, name="api-dossier-push"),
    path("dossier-metrics/", views.dossier_metrics, name="api-dossier-metrics"),
    *router.urls,
]
