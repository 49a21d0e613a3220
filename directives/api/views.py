"""/api/v1/directives/: read by every signed-in user; created and changed by Home Affairs
through directives.services, the same path as the pages (number rules, duplicates)."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from directives import policy, selectors, services
from directives.api.serializers import DirectiveSerializer, DirectiveWriteSerializer
from directives.filters import DirectiveFilter
from integrations.idempotency import idempotent
from integrations.schema import IDEMPOTENCY_KEY

CREATE_EXAMPLE = OpenApiExample(
    "A plan of the People's Committee",
    value={
        "number": "5580/KH-UBND",
        "issue_date": "2026-01-10",
        "summary": "Kế hoạch cải cách hành chính năm 2026",
        "issuer": 1,
        "signer": "Nguyễn Văn A",
        "signer_position": "Phó Chủ tịch",
        "signing_mode": "KT.",
        "areas": [1, 3],
        "implements": [],
    },
    request_only=True,
)
UPDATE_EXAMPLE = OpenApiExample(
    "Correct the summary", value={"summary": "Kế hoạch CCHC năm 2026 (sửa)"}, request_only=True
)


@extend_schema_view(
    create=extend_schema(
        request=DirectiveWriteSerializer,
        responses={201: DirectiveSerializer},
        parameters=[IDEMPOTENCY_KEY],
        examples=[CREATE_EXAMPLE],
        description="Enter an issued directive (Home Affairs; a token needs write scope).",
    ),
    partial_update=extend_schema(
        request=DirectiveWriteSerializer,
        responses={200: DirectiveSerializer},
        parameters=[IDEMPOTENCY_KEY],
        examples=[UPDATE_EXAMPLE],
        description="Change some fields of a directive (Home Affairs).",
    ),
)
class DirectiveViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = DirectiveSerializer
    filterset_class = DirectiveFilter
    ordering_fields = ["issue_date", "number", "year"]
    permission_classes = [
        policy.api_permission(policy.DIRECTIVE_CREATE, partial_update=policy.DIRECTIVE_EDIT)
    ]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.directive_list(self.request.user).prefetch_related("implements")

    def _written(self, directive, code: int) -> Response:
        directive = self.get_queryset().get(pk=directive.pk)
        return Response(DirectiveSerializer(directive).data, status=code)

    @idempotent
    def create(self, request, *args, **kwargs):
        data = self._valid(request.data)
        directive = services.directive_create(**data, created_by=request.user)
        return self._written(directive, status.HTTP_201_CREATED)

    @idempotent
    def partial_update(self, request, *args, **kwargs):
        directive = self.get_object()
        data = self._valid(request.data, partial=True)
        services.directive_update(directive=directive, **data, actor=request.user)
        return self._written(directive, status.HTTP_200_OK)

    @staticmethod
    def _valid(data, partial: bool = False) -> dict:
        serializer = DirectiveWriteSerializer(data=data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
