from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from core.filters import list_as_of
from core.roles import Role, has_role
from dossiers import selectors, services
from dossiers.api.serializers import (
    AggregateRowSerializer,
    AggregateRowWriteSerializer,
    DossierMetricsQuerySerializer,
    DossierSerializer,
    ProcedureSerializer,
    PushRowSerializer,
    PushSerializer,
)
from dossiers.filters import DossierFilter, ProcedureFilter
from dossiers.metrics import calendar_period, cutoff_period, dossier_figures


class DossierCursorPagination(CursorPagination):
    """Keyset paging: no COUNT(*) over the dossier table."""

    ordering = ("-received_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProcedureSerializer
    filterset_class = ProcedureFilter
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return selectors.procedure_list()


class DossierViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DossierSerializer
    filterset_class = DossierFilter
    pagination_class = DossierCursorPagination
    filter_backends = [DjangoFilterBackend]  # ordering is fixed by the keyset

    def get_queryset(self):
        return selectors.dossier_list(
            self.request.user, as_of=list_as_of(self.request.query_params)
        )


class AggregateRowViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Report lines: every user reads those of the units in scope; Home Affairs posts them
    (a line for the same unit, period and field replaces the earlier one)."""

    serializer_class = AggregateRowSerializer
    filterset_fields = ["unit", "level", "period_start", "period_end"]
    ordering_fields = ["id", "period_start", "period_end"]

    def get_queryset(self):
        return selectors.aggregate_rows_visible_to(self.request.user).order_by(
            "-period_start", "id"
        )

    def get_serializer_class(self):
        return AggregateRowWriteSerializer if self.action == "create" else AggregateRowSerializer

    @extend_schema(request=AggregateRowWriteSerializer, responses={201: AggregateRowSerializer})
    def create(self, request, *args, **kwargs):
        if not has_role(request.user, Role.HOME_AFFAIRS):
            raise PermissionDenied
        payload = AggregateRowWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            row = services.aggregate_row_save(**payload.validated_data)
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            raise ValidationError(detail) from exc
        return Response(AggregateRowSerializer(row).data, status=201)


class CanPushDossiers(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm("dossiers.push_dossiers"))


@extend_schema(request=PushSerializer, responses={200: dict})
@api_view(["POST"])
@permission_classes([permissions.IsAuthenticated, CanPushDossiers])
def dossier_push(request):
    """The one-stop system pushes up to DOSSIER_PUSH_MAX dossiers; upsert by (source, code).

    Good rows are written, bad ones reported; every row gets a result in the order sent. The
    same batch sent twice leaves one copy of each dossier.
    """
    payload = PushSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    source = payload.validated_data["source"]
    lookups = services.Lookups.load()
    # One serializer checks every row's shape: building one per row (DRF copies its fields
    # each time) cost more than the rest of the push.
    shape = PushRowSerializer()
    results: list[dict] = []
    good = []
    for index, raw in enumerate(payload.validated_data["dossiers"]):
        try:
            values = shape.run_validation(raw)
        except ValidationError as exc:
            errors = [
                {"column": column, "message": str(messages[0])}
                for column, messages in exc.detail.items()
            ]
            results.append(
                {"index": index, "code": raw.get("code"), "status": "error", "errors": errors}
            )
            continue
        row, row_errors = services.dossier_parse_row(values, row=index, lookups=lookups)
        if row_errors:
            errors = [{"column": e.column, "message": str(e.message)} for e in row_errors]
            results.append(
                {"index": index, "code": raw.get("code"), "status": "error", "errors": errors}
            )
            continue
        good.append(row)
        results.append({"index": index, "code": row.code, "status": None, "errors": []})
    outcome = services.dossiers_upsert(dossiers=good, source=source) if good else {}
    for result in results:
        if result["status"] is None:
            result["status"] = outcome[result["code"]]
    return Response(
        {
            "accepted": sum(1 for result in results if result["status"] != "error"),
            "rejected": sum(1 for result in results if result["status"] == "error"),
            "results": results,
        }
    )


@extend_schema(parameters=[DossierMetricsQuerySerializer], responses={200: dict})
@api_view(["GET"])
def dossier_metrics(request):
    """Service-quality figures for the user's units, by period and optional grouping."""
    query = DossierMetricsQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    params = query.validated_data
    year, month = params["year"], params.get("month")
    quarter, field_id, group_by = params.get("quarter"), params.get("field"), params.get("group_by")
    if params["convention"] == "cutoff":
        period = cutoff_period(year, month=month)
    else:
        period = calendar_period(year, month=month, quarter=quarter)
    unit_ids = selectors.visible_unit_ids(request.user)
    figures = dossier_figures(
        period,
        unit_ids=unit_ids,
        level=params.get("level") or None,
        field_id=field_id,
        group_by=group_by,
    )
    return Response(
        {
            "period": {"start": period.start, "end": period.end, "label": period.label},
            "groups": [
                {"key": key, **value.as_dict()}
                for key, value in sorted(figures.items(), key=lambda item: str(item[0]))
            ],
        }
    )
