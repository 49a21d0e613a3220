from django.urls import path
from rest_framework.routers import SimpleRouter

from organizations.api import views

router = SimpleRouter()
router.register("units", views.OrgUnitViewSet, basename="unit")

urlpatterns = [path("me/", views.me, name="api-me"), *router.urls]
