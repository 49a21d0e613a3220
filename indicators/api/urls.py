from rest_framework.routers import SimpleRouter

from indicators.api import views

router = SimpleRouter()
router.register("frameworks", views.FrameworkViewSet, basename="framework")
router.register("criteria", views.CriterionViewSet, basename="criterion")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("score-lines", views.ScoreLineViewSet, basename="score-line")
router.register("kpi-targets", views.KpiTargetViewSet, basename="kpi-target")
router.register("kpi-measurements", views.KpiMeasurementViewSet, basename="kpi-measurement")
router.register("indices", views.ProvincialIndexViewSet, basename="provincial-index")

urlpatterns = router.urls
