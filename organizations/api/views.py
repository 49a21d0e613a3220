from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from organizations import selectors
from organizations.api.serializers import MeSerializer, OrgUnitSerializer
from organizations.filters import UnitFilter


class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrgUnitSerializer
    filterset_class = UnitFilter
    ordering_fields = ["code", "name", "kind", "level"]

    def get_queryset(self):
        return selectors.unit_list(self.request.user)


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    return Response(MeSerializer(request.user).data)
