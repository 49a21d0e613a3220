from rest_framework.routers import SimpleRouter

from directives.api import views

router = SimpleRouter()
router.register("directives", views.DirectiveViewSet, basename="directive")

urlpatterns = router.urls
